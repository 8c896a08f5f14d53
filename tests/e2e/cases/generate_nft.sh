# natfw-generate --format nft end to end with stand-in commands (the kernel
# test in tests/kernel runs the real nft): the table file, the listing
# recorded as the snapshot and indexed, nothing written when only the date
# would change, a refused reload rolled back, a change of the rest of the
# ruleset recorded without a reload, and the refusals.
mkdir nftables.d
echo "-- the file it writes (dry run)"
t natfw-generate --format nft -n --time 1700000000 --public-ip 192.0.2.1 10.42.0.0/29

# What the kernel would list: eduVPN's nftables.conf and whatever table file nft -f loaded.
cat >eduvpn.nft <<'NFT'
table inet nat {
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		ip saddr { 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 } oifname "eth0" masquerade
	}
}
NFT
cat >list.sh <<'SH'
cat "$(dirname "$0")/eduvpn.nft"
grep -v '^#' "$1" | sed -e '/^table ip natfw$/d' -e '/^delete table/d'
SH
file=$WORK/nftables.d/natfw.nft
t natfw-generate --format nft -w "$file" --reload true --list "sh $WORK/list.sh $file" --time 1700000000 \
	--public-ip 192.0.2.1 10.42.0.0/29
t ls nftables.d
t natfw-trace --proto tcp @1700000100 192.0.2.1 65300
echo "-- the same networks again: only the date would change"
t natfw-generate --format nft -w "$file" --reload true --list "sh $WORK/list.sh $file" --time 1700000200 -v \
	--public-ip 192.0.2.1 10.42.0.0/29
echo "-- a reload that fails: the old table file back, the new one kept as .failed"
t natfw-generate --format nft -w "$file" --reload false --list "sh $WORK/list.sh $file" --time 1700000300 \
	--public-ip 192.0.2.1 10.42.0.0/28
t ls nftables.d
echo "-- a listing without the table: the reload did not load the file"
t natfw-generate --format nft -w "$file" --reload true --list "cat /dev/null" --time 1700000400 \
	--public-ip 192.0.2.1 10.42.0.0/28
echo "-- a bigger network, indexed: 10.42.0.9 is new"
t natfw-generate --format nft -w "$file" --reload true --list "sh $WORK/list.sh $file" --time 1700000500 \
	--public-ip 192.0.2.1 10.42.0.0/28
t natfw-trace --proto udp @1700000600 192.0.2.1 40000
echo "-- 10.42.0.2's blocks; eduVPN's masquerade never sees it (the natfw chain runs first)"
t natfw-trace --internal 10.42.0.2
echo "-- eduVPN's nftables.conf reloaded with its masquerade limited to low ports: recorded, blocks unique again"
sed -i 's/oifname "eth0" masquerade/oifname "eth0" meta l4proto { tcp, udp } masquerade to :1024-1279/' eduvpn.nft
t natfw-generate --format nft -w "$file" --reload false --list "sh $WORK/list.sh $file" --time 1700000650 \
	--public-ip 192.0.2.1 10.42.0.0/28
t natfw-index --masquerade-address 192.0.2.1 --node "$WORK/nftables.d" "$WORK/nftables.d"
t natfw-trace --proto tcp @1700000600 192.0.2.1 65300
t natfw-trace --format json --proto tcp @1700000700 192.0.2.1 65300
echo "-- refusals"
t natfw-generate --format nft -w "$file" --no-reload --time 1700000700 --public-ip 192.0.2.1 10.42.0.0/28
t natfw-generate --format nft -w nftables.d/natfw.conf --time 1700000700 --public-ip 192.0.2.1 10.42.0.0/28
t natfw-generate --format pf -n --public-ip 192.0.2.1 10.42.0.0/28
t ls nftables.d
