# rules.v6 files make the node's IPv6 timeline beside its IPv4 one (CONTRACT,
# "nftables and IPv6 snapshots"): a host's port block is unique, NAT66 over a
# prefix is ambiguous naming the prefix, MASQUERADE needs the node's recorded
# IPv6 address, and a rules.v6 change never ends an IPv4 period.
t natfw-index --node v6 "$DATA"/ipv6
t natfw-trace --proto tcp @1700000100 2001:db8::1 65300
t natfw-trace --proto udp @1700000100 2001:db8::1 65300
t natfw-trace --proto tcp --format json @1700000100 '[2001:db8::1]:1000'
t natfw-trace --proto tcp @1700000100 2001:db8::99 65300
echo "-- after an unusable rules.v6 file: the one before it answers"
t natfw-trace --proto tcp @1700000400 2001:db8::1 65300
echo "-- the IPv4 timeline goes on past the rules.v6 change"
t natfw-trace --proto tcp @1700000700 192.0.2.1 65300
echo "-- a change 100 s after the instant"
t natfw-trace --proto tcp @1700000500 2001:db8::1 1000
echo "-- MASQUERADE: a warning until the node's IPv6 address is recorded, then a candidate"
t natfw-trace --proto tcp @1700000700 2001:db8::1 65300
t natfw-index --node v6 --masquerade-address 2001:db8::1 "$DATA"/ipv6
t natfw-trace --proto tcp @1700000700 2001:db8::1 65300
t natfw-trace --proto tcp @1700000700 2001:db8::2 65300
echo "-- a batch answers IPv6 rows from the same timeline"
t natfw-trace --batch "$DATA"/ipv6/complaints.csv
echo "-- sessions narrow a NAT66 prefix to the one client connected then"
t natfw-index --node v6 --connection-log "$DATA"/ipv6/connection.log
t natfw-trace --proto udp @1700000100 2001:db8::1 65300
t natfw-trace --proto udp --format json @1700000100 2001:db8::1 65300
echo "-- forward: what an internal IPv6 address was mapped to, and when"
t natfw-trace --internal fd00:4242::2
t natfw-trace --internal fd00:4242::5 --format json
t natfw-trace --user eve
echo "-- a client's own IPv6 address with a port: no IPv6 rule maps to it, a session held it"
t natfw-trace --proto tcp @1700000100 '[fd00:4242::5]:443'
echo "-- the batch again, now with the users"
t natfw-trace --batch "$DATA"/ipv6/complaints.csv
echo "-- a cited rules.v6 file changed after indexing: the answer says so"
mkdir copy && cp "$DATA"/ipv6/rules.v6.1700000000 copy/
natfw-index --db copy.sqlite --node copy copy 2>/dev/null
echo "# edited" >>copy/rules.v6.1700000000
t natfw-trace --db copy.sqlite --proto udp @1700000100 2001:db8::1 65300
