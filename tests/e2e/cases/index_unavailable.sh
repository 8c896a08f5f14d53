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
# Not a database at all, and a database whose schema page is garbage.
echo "hello, I am a text file" >notdb.sqlite
t natfw-index --db notdb.sqlite history
t natfw-trace --db notdb.sqlite 2022-01-01T00:00:00Z 192.0.2.10 65300
natfw-index --db good.sqlite history 2>/dev/null
cp good.sqlite malformed.sqlite
# The end of page 1, where the schema's cells are (the page size is the
# header's bytes 16-17, big-endian).
page=$(od -An -tu1 -j16 -N2 good.sqlite | awk '{print $1 * 256 + $2}')
printf '%0296d' 0 | dd of=malformed.sqlite bs=1 seek=$((page - 296)) conv=notrunc status=none
t natfw-index --db malformed.sqlite history
t natfw-trace --db malformed.sqlite 2022-01-01T00:00:00Z 192.0.2.10 65300
t natfw-index --db malformed.sqlite --verify
