# A desk user who may only read the index can look up (the WAL files persist).
# Run as an unprivileged user when root, since root may write anywhere.
mkdir ro
t natfw-index --db ro/index.sqlite --node vpn1 "$DATA/sample-vpn1"
chmod 555 ro
chmod 444 ro/index.sqlite*
as_user() { if [ "$(id -u)" = 0 ]; then setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"; else "$@"; fi; }
t as_user natfw-trace --db ro/index.sqlite --proto tcp @1608986262 192.0.2.10 65300
