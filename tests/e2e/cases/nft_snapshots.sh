# nftables snapshots (tests/data/nft-history, see its README): found by name
# (nftables.conf.<ts>, NAME.nft.<ts>), read by content, joined by priority.
# Answers reasoned from the rules (tcp unless said):
#   65300 at 1700000100: the map's 10.42.0.2 block (65280-65535) -> 10.42.0.2
#   64800 udp at 1700003700: the rule for 10.42.0.4 (64768-65023), from nft's own listing
#   65100 at 1700007300: the JSON snapshot is not read yet (unusable), so the listing
#         before it answers: the map's 10.42.0.3 block -> 10.42.0.3
#   65100 at 1700010900: broken.nft is refused (line 7), the listing still answers
#   30000 at 1700000100: no block; only eduVPN's masquerade of the private ranges
#         (less the three clients natfw maps first) could have used it
t natfw-index --node vpn3 "$DATA"/nft-history
t natfw-trace --proto tcp @1700000100 192.0.2.1 65300
t natfw-trace --proto udp @1700003700 192.0.2.1 64800
t natfw-trace --proto tcp @1700007300 192.0.2.1 65100
t natfw-trace --format json --proto tcp @1700010900 192.0.2.1 65100
t natfw-trace --proto tcp @1700000100 192.0.2.1 30000
