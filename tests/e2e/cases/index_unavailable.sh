# natfw-index exits 4 when the index cannot be created or opened, as --help,
# README and the contract say (it used to exit 1 here).
touch blocker
t natfw-index --db blocker/index.sqlite "$DATA/sample-vpn1"
t natfw-index --db blocker/index.sqlite --list
mkdir ro-dir && chmod 555 ro-dir
as_user() { if [ "$(id -u)" = 0 ]; then setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"; else "$@"; fi; }
cp -r "$DATA/sample-vpn1" history
t as_user natfw-index --db ro-dir/index.sqlite history
# The lock is taken, but the index itself cannot be opened.
mkdir is-a-dir.sqlite
t natfw-index --db is-a-dir.sqlite history
