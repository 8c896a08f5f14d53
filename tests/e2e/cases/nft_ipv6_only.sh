# An nft snapshot with IPv6 NAT only is skipped with a notice (IPv6 NAT is not
# indexed yet) and leaves the IPv4 timeline as it was; an IPv6 lookup says so.
t natfw-index --node six "$DATA"/nft-ipv6-only
t natfw-trace --proto tcp @1700000100 192.0.2.1 65300
t natfw-trace --proto tcp @1700000100 2001:db8::1 65300
echo "-- a second run: the same notice, nothing new"
t natfw-index --node six "$DATA"/nft-ipv6-only
