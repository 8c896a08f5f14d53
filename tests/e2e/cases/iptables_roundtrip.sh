# The hand-written fixtures, loaded into iptables-restore and dumped with
# iptables-save -c (tests/data/iptables-roundtrip/make.sh, iptables 1.8.9),
# give the same answers as the files they came from: same status, same
# candidates (line numbers differ: iptables-save adds a header and regroups).
for src in first-match shared-nat port-forwards; do
	mkdir -p "hand-$src" "saved-$src"
	cp "$DATA/$src"/rules.v4.* "hand-$src"/
	cp "$DATA/iptables-roundtrip/$src"/rules.v4.* "saved-$src"/
	natfw-index --node "hand-$src" "hand-$src" 2>/dev/null
	natfw-index --node "saved-$src" "saved-$src" 2>/dev/null
done
natfw-index --node hand-shared-nat --masquerade-address 203.0.113.50 hand-shared-nat 2>/dev/null
natfw-index --node saved-shared-nat --masquerade-address 203.0.113.50 saved-shared-nat 2>/dev/null
answers() { # answers NODE CSV: status and candidates per row
	natfw-trace --node "$1" --batch "$2" 2>/dev/null | awk -F, 'NR > 1 { print $4 "/" $3 " " $5 " " $6 }'
}
printf 'time,ip,port,proto\n' >first-match.csv
for p in 65300 65100 64800 1500 60500 50050 50500; do printf '@1700000001,203.0.113.7,%s,tcp\n' $p >>first-match.csv; done
printf 'time,ip,port,proto\n@1700000001,198.51.100.3,5000,tcp\n@1700000001,198.51.100.9,40000,udp\n@1700000001,203.0.113.50,25000,tcp\n@1700000001,203.0.113.50,25000,udp\n' >shared-nat.csv
printf 'time,ip,port,proto\n@1700000001,192.0.2.1,65300,tcp\n' >port-forwards.csv
for src in first-match shared-nat port-forwards; do
	echo "-- $src"
	answers "hand-$src" "$src.csv" >"hand-$src.txt"
	answers "saved-$src" "$src.csv" >"saved-$src.txt"
	cat "hand-$src.txt"
	t diff "hand-$src.txt" "saved-$src.txt"
done
echo "-- inbound"
for q in "tcp 192.0.2.1 8080" "tcp 203.0.113.9 6881" "udp 192.0.2.1 5005" "tcp 192.0.2.77 9050" "tcp 192.0.2.1 443"; do
	set -- $q
	hand=$(natfw-trace --node hand-port-forwards --inbound --proto "$1" @1700000001 "$2" "$3" | sed -n 2p | sed 's/hand-port-forwards/NODE/')
	saved=$(natfw-trace --node saved-port-forwards --inbound --proto "$1" @1700000001 "$2" "$3" | sed -n 2p | sed 's/saved-port-forwards/NODE/')
	echo "$1 $2:$3 -> $hand"
	[ "$hand" = "$saved" ] || echo "DIFFERENT after iptables-save: $saved"
done
