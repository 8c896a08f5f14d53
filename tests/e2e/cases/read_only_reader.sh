# A desk user who may only read the index can look up (the WAL files persist).
# Run as an unprivileged user when root, since root may write anywhere. The
# fixtures are copied into the scratch directory (mode 755) first: the clone
# may sit under a home directory that user cannot enter, and the evidence
# check reads the cited file.
cp -r "$DATA/sample-vpn1" history
mkdir ro
t natfw-index --db ro/index.sqlite --node vpn1 history
chmod 555 ro
chmod 444 ro/index.sqlite*
as_user() { if [ "$(id -u)" = 0 ]; then setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"; else "$@"; fi; }
t as_user natfw-trace --db ro/index.sqlite --proto tcp @1608986262 192.0.2.10 65300
