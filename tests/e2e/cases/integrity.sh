# A snapshot changed after indexing is an integrity error for an ordinary run
# and for --verify; a deleted one is a notice; the index keeps the evidence.
mkdir -p hist && cp "$DATA"/unusable-history/rules.v4.1600000000 "$DATA"/unusable-history/rules.v4.1600300000 hist/
t natfw-index --node gw hist
echo "-A POSTROUTING -s 10.8.0.66 -p tcp -j SNAT --to-source 203.0.113.5:49152-65535" >> hist/rules.v4.1600000000
t natfw-index --node gw hist
t natfw-index --verify
t natfw-trace @1600000001 203.0.113.5 50000 --proto tcp
rm hist/rules.v4.1600300000
t natfw-index --node gw hist
t natfw-index --verify
t natfw-trace @1600300001 203.0.113.5 50000 --proto tcp
