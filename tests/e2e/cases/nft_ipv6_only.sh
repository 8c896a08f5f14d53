# An nft snapshot with IPv6 NAT only belongs to the IPv6 timeline alone: the
# IPv4 timeline goes on as it was, and IPv6 lookups are answered from it
# (NAT66 masquerade over a prefix: ambiguous, naming the prefix, once the
# node's IPv6 address is recorded).
t natfw-index --node six "$DATA"/nft-ipv6-only
t natfw-trace --proto tcp @1700000100 192.0.2.1 65300
t natfw-trace --proto tcp @1700000100 2001:db8::1 65300
t natfw-index --node six --masquerade-address 2001:db8::1 --masquerade-from @1690000000 "$DATA"/nft-ipv6-only
t natfw-trace --proto tcp @1700000100 2001:db8::1 65300
echo "-- before the IPv6 timeline starts"
t natfw-trace --proto tcp @1695000000 2001:db8::1 65300
echo "-- a second run: nothing new"
t natfw-index --node six "$DATA"/nft-ipv6-only
t natfw-index --list
