# An index written by the release before cell blocks (schema 12, a row per
# cell; see tests/data/schema-v12-index/README) is refused by lookups until
# natfw-index upgrades it in place; then every answer equals the answer of an
# index this natfw-index builds from the same files: IPv4 and IPv6
# timelines, first match, shared NAT and MASQUERADE, sessions and users,
# single and in a batch.
cp "$DATA"/schema-v12-index/index.sqlite old.sqlite
t natfw-trace --db old.sqlite --proto tcp @1700000001 203.0.113.7 65100
t natfw-index --db old.sqlite --upgrade
t natfw-index --db old.sqlite --upgrade

# The same files, indexed now at a path of their own, then removed as the
# fixture's are (no test machine has /nonexistent/natfw-v12).
mkdir -p natfw-v12
cp -r "$DATA"/first-match "$DATA"/sample-vpn1 "$DATA"/shared-nat "$DATA"/ipv6 natfw-v12/
rm natfw-v12/ipv6/README.md natfw-v12/ipv6/complaints.csv
{
	natfw-index --db new.sqlite --node gw natfw-v12/first-match
	natfw-index --db new.sqlite --node vpn1 natfw-v12/sample-vpn1
	natfw-index --db new.sqlite --node edge natfw-v12/shared-nat
	natfw-index --db new.sqlite --node edge --masquerade-address 203.0.113.50 --masquerade-from @1700000000 natfw-v12/shared-nat
	natfw-index --db new.sqlite --node v6 natfw-v12/ipv6 --connection-log natfw-v12/ipv6/connection.log
} >/dev/null 2>&1
rm -r natfw-v12

lookups() {
	natfw-trace --db "$1" --proto tcp @1700000001 203.0.113.7 65100
	natfw-trace --db "$1" --proto tcp @1700000001 203.0.113.7 1500
	natfw-trace --db "$1" --proto tcp @1700000001 203.0.113.7 50050
	natfw-trace --db "$1" --proto udp @1596240100 192.0.2.10 61000
	natfw-trace --db "$1" --proto tcp @1654041700 192.0.2.10 61000
	natfw-trace --db "$1" --proto tcp @1654041700 192.0.2.10 1000
	natfw-trace --db "$1" --proto tcp @1700000001 198.51.100.3 5000
	natfw-trace --db "$1" --proto tcp @1700000001 203.0.113.50 25000
	natfw-trace --db "$1" --proto tcp @1700000001 203.0.113.51 25000
	natfw-trace --db "$1" --proto udp @1700000100 2001:db8::1 65300
	natfw-trace --db "$1" --proto tcp @1700000700 192.0.2.1 65300
	natfw-trace --db "$1" --format json --proto udp @1700000100 2001:db8::1 65300
	natfw-trace --db "$1" --format json --proto tcp @1700000001 203.0.113.7 65100
	natfw-trace --db "$1" --internal 10.66.0.72
	natfw-trace --db "$1" --user eve
	# A batch reads users from the session blocks step 14 derives.
	printf '%s\n' time,ip,port,proto @1700000700,192.0.2.1,65300,tcp @1700000100,192.0.2.1,65300,tcp \
		@1700000100,2001:db8::1,65300,udp @1700002500,192.0.2.1,65300,tcp @1699999000,192.0.2.1,65300,tcp |
		natfw-trace --db "$1" --batch -
	natfw-index --db "$1" --list
} 2>&1
same_paths() { sed -e 's#/nonexistent/natfw-v12#SNAPSHOTS#g' -e "s#$WORK/natfw-v12#SNAPSHOTS#g"; }
lookups old.sqlite | same_paths >old.out
lookups new.sqlite | same_paths >new.out
echo "-- answers of the upgraded index, then how they differ from the new one's"
cat old.out
t diff old.out new.out
