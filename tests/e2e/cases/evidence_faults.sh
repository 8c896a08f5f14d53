# Whatever replaces an indexed snapshot, lookups, batches and --verify go on:
# a FIFO is never opened for reading (no hang), a symlink to /dev/zero is not
# followed, a huge sparse file is refused by size, not read into memory.
# `timeout` turns a hang into exit 124 instead of a stuck test.
mkdir h
cp "$DATA"/sample-vpn1/rules.v4.* h/
t natfw-index --node gw h
snap=h/rules.v4.1638316800
batch=$'time,ip,port,proto\n2022-01-01T00:00:00Z,192.0.2.10,65300,tcp\n'

echo "-- a FIFO in its place"
rm "$snap" && mkfifo "$snap"
t timeout 20 natfw-trace 2022-01-01T00:00:00Z 192.0.2.10 65300 --proto tcp
t timeout 20 natfw-trace --batch - <<<"$batch"
t timeout 20 natfw-index --verify
t timeout 20 natfw-index --node gw h

echo "-- a symlink to /dev/zero in its place"
rm "$snap" && ln -s /dev/zero "$snap"
t timeout 20 natfw-trace 2022-01-01T00:00:00Z 192.0.2.10 65300 --proto tcp --format json
t timeout 20 natfw-index --verify

echo "-- a 2 GB sparse file as a new snapshot, and in place of an indexed one"
truncate -s 2G h/rules.v4.1700000000
t timeout 20 natfw-index --node gw h
rm "$snap" && truncate -s 2G "$snap"
t timeout 20 natfw-trace 2022-01-01T00:00:00Z 192.0.2.10 65300 --proto tcp
t natfw-index --list
