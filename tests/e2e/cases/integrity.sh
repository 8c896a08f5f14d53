# A snapshot changed after indexing is an integrity error for an ordinary run
# and for --verify; a deleted one is a notice; the index keeps the evidence.
# Answers citing a changed or missing file say so (text, JSON, batch); a file
# only touched (same content, new mtime) is still good evidence, and the answer says it was
# re-hashed because its recorded identity no longer matched.
mkdir -p hist && cp "$DATA"/unusable-history/rules.v4.1600000000 "$DATA"/unusable-history/rules.v4.1600300000 hist/
t natfw-index --node gw hist
touch -d '2001-02-03 04:05:06' hist/rules.v4.1600300000
t natfw-trace @1600300001 203.0.113.5 50000 --proto tcp
echo "-A POSTROUTING -s 10.8.0.66 -p tcp -j SNAT --to-source 203.0.113.5:49152-65535" >> hist/rules.v4.1600000000
t natfw-index --node gw hist
t natfw-index --verify
t natfw-trace @1600000001 203.0.113.5 50000 --proto tcp
t natfw-trace --format json @1600000001 203.0.113.5 50000 --proto tcp
printf 'time,ip,port,proto\n@1600000001,203.0.113.5,50000,tcp\n@1600300001,203.0.113.5,50000,tcp\n' >complaints.csv
t natfw-trace --batch complaints.csv --threads 1
rm hist/rules.v4.1600300000
t natfw-index --node gw hist
t natfw-index --verify
t natfw-trace @1600300001 203.0.113.5 50000 --proto tcp
t natfw-trace --batch complaints.csv --threads 2
