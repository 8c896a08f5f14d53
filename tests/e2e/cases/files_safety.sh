# Files are created safely: the index, its WAL and shm are 0640 in the group
# of their directory whatever the umask; a symlink planted at the lock or the
# audit file is refused, not followed; a batch's -o may not be its input.
mkdir idx
grp=$(getent group nogroup >/dev/null && echo nogroup || id -gn)
chgrp "$grp" idx 2>/dev/null || true
(umask 000 && natfw-index --db idx/index.sqlite --node gw "$DATA/sample-vpn1" 2>/dev/null)
for f in idx/index.sqlite idx/index.sqlite-wal idx/index.sqlite-shm; do
	echo "$f: mode $(stat -c %a "$f"), group is the directory's: $([ "$(stat -c %G "$f")" = "$(stat -c %G idx)" ] && echo yes || echo no)"
done
(umask 077 && natfw-index --db idx/second.sqlite --node gw "$DATA/sample-vpn1" 2>/dev/null)
echo "idx/second.sqlite under umask 077: mode $(stat -c %a idx/second.sqlite)"

echo "-- a symlink at the lock's path: refused, its target untouched"
echo "precious" >victim
ln -s "$WORK/victim" idx/third.sqlite.lock
t natfw-index --db idx/third.sqlite --node gw "$DATA/sample-vpn1"
t cat victim

echo "-- a symlink at the audit file's path: refused with a warning, the answer still given"
ln -s "$WORK/victim" audit.log
t natfw-trace --db idx/index.sqlite --audit "$WORK/audit.log" 2022-01-01T00:00:00Z 192.0.2.10 65300 --proto tcp --format json
t cat victim

echo "-- -o naming the input (also by another name): refused before anything is written"
printf 'time,ip,port\n2022-01-01T00:00:00Z,192.0.2.10,65300\n' >complaints.csv
ln complaints.csv same.csv
t natfw-trace --db idx/index.sqlite --batch complaints.csv -o same.csv
t cat complaints.csv
