# Shared and dynamic NAT (tests/data/shared-nat/rules.v4.1700000000):
#   line 6: 10.5.0.0/24 tcp -> 198.51.100.1-198.51.100.4:1024-65535 --persistent
#   line 7: 10.6.0.2 (any protocol) -> 198.51.100.9, no port block
#   line 8: 10.7.0.0/24 tcp MASQUERADE --to-ports 20000-29999 --random
#   line 9: 10.8.0.0/16 MASQUERADE (every port)
# The answer names the source set that could have produced the port and is
# ambiguous unless that set is one address. MASQUERADE rules are candidates
# only once the node's own address is recorded, and only for that address.
t natfw-index --node edge "$DATA"/shared-nat
t natfw-trace --proto tcp @1700000001 198.51.100.3 5000
t natfw-trace --proto udp @1700000001 198.51.100.9 40000
echo "-- the node's address unknown: MASQUERADE only as a warning"
t natfw-trace --proto tcp @1700000001 203.0.113.50 25000
t natfw-index --node edge --masquerade-address 203.0.113.50 --masquerade-from 2023-11-14T22:13:20Z "$DATA"/shared-nat
echo "-- recorded: both MASQUERADE rules are candidates for 203.0.113.50, none for another address"
t natfw-trace --proto tcp @1700000001 203.0.113.50 25000
t natfw-trace --proto udp @1700000001 203.0.113.50 25000
t natfw-trace --proto tcp @1700000001 203.0.113.51 25000
echo "-- the address changes later; the old one stays recorded for its period"
t natfw-index --node edge --masquerade-address 203.0.113.60 --masquerade-from @1700100000 "$DATA"/shared-nat
t natfw-trace --proto tcp @1700100001 203.0.113.50 30000
t natfw-trace --proto tcp --format json @1700100001 203.0.113.60 30000
t natfw-index --list
echo "-- a recorded address is never rewritten"
t natfw-index --node edge --masquerade-address 203.0.113.99 --masquerade-from @1700100000 "$DATA"/shared-nat
t natfw-index --masquerade-from @1 "$DATA"/shared-nat
t natfw-index --masquerade-address 203.0.113.300 "$DATA"/shared-nat
printf 'time,ip,port,proto\n@1700000001,203.0.113.50,25000,tcp\n@1700100001,203.0.113.50,25000,tcp\n' >c.csv
t natfw-trace --batch c.csv
