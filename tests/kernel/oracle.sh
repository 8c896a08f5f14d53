#!/usr/bin/env bash
# The kernel as the oracle: loads each ruleset of tests/kernel/rulesets/ into
# a private network namespace, sends one packet per (source, protocol) from a
# second one to a host a third one holds, reads the mapping the kernel chose
# from conntrack, and asks natfw-trace who was behind (public address, port,
# protocol). Every observed mapping must be answered with that source: unique,
# or among the candidates where the rules name a subnet (counted apart).
# Nothing leaves the namespaces; they are deleted on exit.
# tests/kernel/rulesets6/ does the same for IPv6 (rules.v6 through
# ip6tables-restore, ip6 and inet nft tables), to 2001:db8::fe.
# Then natfw-generate --format nft runs for real in the router's namespace and
# its snapshot is probed the same way, and nft -c checks what it writes for
# every generator test vector. Last, packets from outside to forwarded ports
# (tests/kernel/inbound/) must land where natfw-trace --inbound says.
#   oracle.sh BIN_DIR RULESET_DIR VECTOR_DIR
# Exit 77 (CTest: skipped) when namespaces or the tools are not available.
set -euo pipefail
bin=$1 rulesets=$2 vectors=$3
skip() { echo "SKIPPED: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root for network namespaces"
for tool in ip nft iptables-restore ip6tables-restore conntrack python3; do
	command -v "$tool" >/dev/null || skip "needs $tool"
done
tag=natfw$$
C=$tag-c R=$tag-r O=$tag-o
work=$(mktemp -d)
cleanup() {
	for ns in "$C" "$R" "$O"; do ip netns del "$ns" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT
# ip netns exec remounts /, which fails where / is no mount point (a chroot); checked
# before ip netns add, which would leave its /run/netns mount behind in the chroot.
command -v mountpoint >/dev/null && ! mountpoint -q / && skip "/ is not a mount point (a chroot?): ip netns exec cannot enter namespaces"
ip netns add "$C" 2>/dev/null || skip "cannot create network namespaces here"
ip netns add "$R" && ip netns add "$O"
nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
# In a chroot, namespaces can be made but not entered (ip netns exec remounts /).
why=$(nsx "$C" true 2>&1) || skip "cannot enter network namespaces here: $why"

# clients --vc/vr-- router --eth0/o0-- outside (holds 192.0.2.254, the probes' destination)
ip link add vc netns "$C" type veth peer name vr netns "$R"
ip link add eth0 netns "$R" type veth peer name o0 netns "$O"
nsx "$C" ip link set lo up && nsx "$C" ip link set vc up
nsx "$R" ip link set lo up && nsx "$R" ip link set vr up && nsx "$R" ip link set eth0 up
nsx "$O" ip link set lo up && nsx "$O" ip link set o0 up
nsx "$R" ip addr add 10.255.255.1/32 dev vr
nsx "$R" ip addr add 192.0.2.1/24 dev eth0
nsx "$R" ip addr add 203.0.113.7/24 dev eth0
nsx "$R" sysctl -qw net.ipv4.ip_forward=1
nsx "$O" ip addr add 192.0.2.254/24 dev o0
# The same for IPv6; nodad: a tentative address cannot be bound at once.
nsx "$R" sysctl -qw net.ipv6.conf.all.forwarding=1
nsx "$R" ip -6 addr add fd00:ffff::1/128 dev vr nodad
nsx "$R" ip -6 addr add 2001:db8::1/64 dev eth0 nodad
nsx "$R" ip -6 addr add 2001:db8:7::7/64 dev eth0 nodad
nsx "$O" ip -6 addr add 2001:db8::fe/64 dev o0 nodad
# The outside host answers nothing (a RST would end the entry), but neighbour discovery.
nsx "$O" nft -f - <<'EOF'
table inet sink {
	chain input {
		type filter hook input priority 0; policy drop;
		icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept
	}
}
EOF
nsx "$C" ip route add 10.255.255.1/32 dev vc
nsx "$C" ip route add default via 10.255.255.1 dev vc onlink
nsx "$C" ip -6 route add fd00:ffff::1/128 dev vc
nsx "$C" ip -6 route add default via fd00:ffff::1 dev vc onlink

# send SRC PROTO SPORT: one UDP datagram or one TCP SYN from SRC:SPORT to
# 192.0.2.254:9, or to [2001:db8::fe]:9 from an IPv6 SRC.
send() {
	nsx "$C" python3 - "$1" "$2" "$3" <<'EOF'
import socket, sys
src, proto, sport = sys.argv[1], sys.argv[2], int(sys.argv[3])
kind = socket.SOCK_DGRAM if proto == "udp" else socket.SOCK_STREAM
family, dst = (socket.AF_INET6, "2001:db8::fe") if ":" in src else (socket.AF_INET, "192.0.2.254")
s = socket.socket(family, kind)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((src, sport))
if proto == "udp":
    s.sendto(b"probe", (dst, 9))
else:
    s.setblocking(False)
    try:
        s.connect((dst, 9))
    except BlockingIOError:
        pass
import time; time.sleep(0.05)
EOF
}

total=0 unique=0 listed=0 wrong=0 unmapped=0
# probe NAME DB SOURCES: one packet per (source, protocol); natfw-trace must name the source.
probe() {
	local name=$1 db=$2 sources=$3 sport=40000 src proto line pub port answer verdict
	for src in $sources; do
		case $src in
		*:*) nsx "$C" ip -6 addr add "$src/128" dev vc nodad 2>/dev/null || true ;;
		*) nsx "$C" ip addr add "$src/32" dev vc 2>/dev/null || true ;;
		esac
	done
	for src in $sources; do
		family=ipv4
		case $src in *:*) family=ipv6 ;; esac
		for proto in tcp udp; do
			sport=$((sport + 1))
			send "$src" "$proto" "$sport"
			line=$(nsx "$R" conntrack -L -f "$family" -p "$proto" -s "$src" --sport "$sport" 2>/dev/null | head -1)
			[ -n "$line" ] || { echo "$name: $src $proto: no conntrack entry"; exit 1; }
			# The reply tuple's destination is the public address and port the kernel chose.
			read -r pub port < <(echo "$line" | grep -o 'dst=[0-9a-f.:]* sport=9 dport=[0-9]*' | tail -1 |
				sed -E 's/dst=([0-9a-f.:]*) sport=9 dport=([0-9]*)/\1 \2/')
			total=$((total + 1))
			if [ "$pub" = "$src" ]; then
				unmapped=$((unmapped + 1))
				echo "$name: $src $proto:$sport not NATed"
				continue
			fi
			answer=$(NATFW_TRACE_AUDIT=off "$bin/natfw-trace" --db "$db" --format json --proto "$proto" \
				@1700000100 "$pub" "$port" 2>/dev/null || true)
			verdict=$(python3 -c '
import ipaddress, json, sys
a, src = json.loads(sys.argv[1]), ipaddress.ip_address(sys.argv[2])
def holds(c):
    text = c["internal"]
    try:
        return src in ipaddress.ip_network(text, strict=False)
    except ValueError:
        pass
    if "-" in text:
        lo, hi = (ipaddress.ip_address(x) for x in text.split("-"))
        return lo <= src <= hi
    return False
cands = a.get("candidates", [])
if a.get("status") == "unique" and a.get("internal") == str(src):
    print("unique")
elif any(holds(c) for c in cands) and a.get("status") != "unique":
    print("listed")
else:
    print("wrong")' "$answer" "$src")
			case $verdict in
			unique) unique=$((unique + 1)) ;;
			listed) listed=$((listed + 1)) ;;
			*) wrong=$((wrong + 1)); echo "WRONG: $name: $src $proto -> $pub:$port; natfw-trace said: $answer" ;;
			esac
			echo "$name: $src $proto:$sport -> $pub:$port: $verdict"
		done
	done
}

for ruleset in "$rulesets"/*; do
	name=$(basename "$ruleset")
	sources=$(sed -n 's/^# sources: //p' "$ruleset")
	nsx "$R" nft flush ruleset
	nsx "$R" conntrack -F 2>/dev/null || true
	case $name in
	*.v4) nsx "$R" iptables-restore <"$ruleset"; snap="rules.v4.1700000000" ;;
	*) nsx "$R" nft -f "$ruleset"; snap="$name.nft.1700000000" ;;
	esac
	mkdir -p "$work/$name"
	cp "$ruleset" "$work/$name/$snap"
	"$bin/natfw-index" --db "$work/$name.sqlite" --masquerade-address 192.0.2.1 --node router "$work/$name" >/dev/null 2>&1
	probe "$name" "$work/$name.sqlite" "$sources"
done

v6_total=$total
for ruleset in "$rulesets/../rulesets6"/*; do
	name=ipv6-$(basename "$ruleset")
	sources=$(sed -n 's/^# sources: //p' "$ruleset")
	nsx "$R" nft flush ruleset
	nsx "$R" conntrack -F 2>/dev/null || true
	nsx "$R" conntrack -F -f ipv6 2>/dev/null || true
	case $ruleset in
	*.v6) nsx "$R" ip6tables-restore <"$ruleset"; snap="rules.v6.1700000000" ;;
	*) nsx "$R" nft -f "$ruleset"; snap="$(basename "$ruleset").nft.1700000000" ;;
	esac
	mkdir -p "$work/$name"
	cp "$ruleset" "$work/$name/$snap"
	"$bin/natfw-index" --db "$work/$name.sqlite" --masquerade-address 2001:db8::1 --node router "$work/$name" \
		>/dev/null 2>&1
	probe "$name" "$work/$name.sqlite" "$sources"
done
echo "IPv6 rulesets: $((total - v6_total)) probes"

# natfw-generate --format nft for real, in the router's namespace: eduVPN's
# masquerade loaded first, the natfw table written, loaded with nft -f, the
# whole ruleset listed as the snapshot and indexed; then probed, 10.42.0.9
# (outside the blocks) included.
nsx "$R" nft flush ruleset
nsx "$R" conntrack -F 2>/dev/null || true
nsx "$R" nft -f - <<'EOF'
table inet nat {
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		ip saddr { 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 } oifname "eth0" masquerade
	}
}
EOF
mkdir -p "$work/generated"
nsx "$R" "$bin/natfw-generate" --format nft -w "$work/generated/natfw.nft" --db "$work/generated.sqlite" \
	--node router --time 1700000000 --public-ip 192.0.2.1 10.42.0.0/29
"$bin/natfw-index" --db "$work/generated.sqlite" --masquerade-address 192.0.2.1 --node router "$work/generated" >/dev/null
probe generated "$work/generated.sqlite" "10.42.0.2 10.42.0.3 10.42.0.6 10.42.0.9"

# nft -c accepts every file natfw-generate writes for the generator's test vectors.
checked=0
while IFS=$'\t' read -r vector stamp ip networks; do
	case $vector in '#'* | '') continue ;; esac
	# shellcheck disable=SC2086 # the networks are words
	"$bin/natfw-generate" --format nft -n --time "$stamp" --public-ip "$ip" $networks >"$work/$vector.nft"
	if nsx "$R" nft -c -f "$work/$vector.nft"; then
		checked=$((checked + 1))
	else
		echo "WRONG: nft -c refused what natfw-generate wrote for $vector"
		wrong=$((wrong + 1))
	fi
done <"$vectors/INPUTS.tsv"
echo "nft -c: $checked generated files accepted"
# Inbound: a packet from outside to a forwarded port; conntrack's reply tuple
# says where the kernel sent it, and natfw-trace --inbound must say the same.
# send_in PROTO DST PORT SPORT: one UDP datagram or TCP SYN from the outside host.
send_in() {
	nsx "$O" python3 - "$1" "$2" "$3" "$4" <<'EOF'
import socket, sys
proto, dst, port, sport = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM if proto == "udp" else socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("192.0.2.254", sport))
if proto == "udp":
    s.sendto(b"probe", (dst, port))
else:
    s.setblocking(False)
    try:
        s.connect((dst, port))
    except BlockingIOError:
        pass
import time; time.sleep(0.05)
EOF
}
nsx "$O" ip route add 203.0.113.7/32 dev o0
for host in 10.70.0.5 10.70.0.6 10.70.0.7 10.70.0.8; do
	nsx "$C" ip addr add "$host/32" dev vc
	nsx "$R" ip route add "$host/32" dev vr
done
# The forwarded-to hosts stay silent: a RST or port-unreachable in reply ends
# the conntrack entry before it can be read.
nsx "$C" nft -f - <<'EOF'
table ip sink {
	chain input { type filter hook input priority 0; policy accept; ip daddr 10.70.0.0/24 drop; }
}
EOF
inbound=0 inbound_wrong=0
for ruleset in "$rulesets/../inbound"/*; do
	name=inbound-$(basename "$ruleset")
	nsx "$R" nft flush ruleset
	nsx "$R" conntrack -F 2>/dev/null || true
	case $ruleset in
	*.v4) nsx "$R" iptables-restore <"$ruleset"; snap="rules.v4.1700000000" ;;
	*) nsx "$R" nft -f "$ruleset"; snap="$name.nft.1700000000" ;;
	esac
	# Nor does the router answer what it does not forward (a RST would end the entry).
	nsx "$R" nft -f - <<'EOF'
table ip rsink {
	chain input { type filter hook input priority 0; policy accept; ip saddr 192.0.2.254 drop; }
}
EOF
	mkdir -p "$work/$name"
	cp "$ruleset" "$work/$name/$snap"
	"$bin/natfw-index" --db "$work/$name.sqlite" --node router "$work/$name" >/dev/null 2>&1
	sport=50000
	while read -r proto dst port; do
		sport=$((sport + 1))
		send_in "$proto" "$dst" "$port" "$sport"
		# The first packet to 192.0.2.1 waits for ARP: give it a moment.
		for _ in 1 2 3 4 5; do
			line=$(nsx "$R" conntrack -L -p "$proto" -s 192.0.2.254 --sport "$sport" 2>/dev/null | head -1)
			[ -z "$line" ] || break
			sleep 0.1
		done
		# The reply tuple's source is where the kernel sent the packet. A packet it
		# does not forward goes to the router's own input, which drops it before
		# conntrack confirms an entry: no entry means it stayed on the router.
		landed=$dst:$port
		[ -z "$line" ] || landed=$(echo "$line" | grep -o 'src=[0-9.]* dst=192.0.2.254 sport=[0-9]*' | tail -1 |
			sed -E 's/src=([0-9.]*) dst=192.0.2.254 sport=([0-9]*)/\1:\2/')
		answer=$(NATFW_TRACE_AUDIT=off "$bin/natfw-trace" --db "$work/$name.sqlite" --inbound --format json \
			--proto "$proto" @1700000100 "$dst" "$port" 2>/dev/null || true)
		said=$(python3 -c 'import json, sys; a = json.loads(sys.argv[1]); print(a.get("status"), a.get("internal") or "-")' "$answer")
		inbound=$((inbound + 1))
		if [ "$landed" = "$dst:$port" ]; then
			expected="none -"
		else
			expected="unique $landed"
		fi
		if [ "$said" = "$expected" ]; then
			echo "$name: $proto $dst:$port -> $landed: natfw-trace --inbound: $said"
		else
			inbound_wrong=$((inbound_wrong + 1))
			echo "WRONG: $name: $proto $dst:$port landed at $landed; natfw-trace --inbound said: $answer"
		fi
	done < <(sed -n 's/^# probes: //p' "$ruleset" | tr ',' '\n' | sed 's/^ *//')
done
echo "inbound: $inbound probes, $inbound_wrong wrong"
wrong=$((wrong + inbound_wrong))
echo "kernel oracle: $total probes, $unique answered unique, $listed among the candidates, $unmapped not NATed, $wrong wrong"
[ "$wrong" = 0 ] && [ "$total" -gt 0 ] && [ "$checked" -gt 0 ]
