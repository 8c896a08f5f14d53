#!/usr/bin/env bash
# natfw-trace --batch and single natfw-trace processes give the same answers:
# a 2,000-row batch over three fixture histories (unique, none and ambiguous
# rows, tcp, udp and both), every tenth row looked up again on its own. Status,
# addresses, the time read and the first cited snapshot must agree.
# Usage: batch_matches_single.sh BIN_DIR DATA_DIR
set -euo pipefail
bin=$(realpath "$1") data=$(realpath "$2")
work=$(mktemp -d "${TMPDIR:-/tmp}/natfw-batch.XXXXXX")
trap 'rm -rf "$work"' EXIT
export NATFW_TRACE_DB="$work/index.sqlite" NATFW_TRACE_AUDIT=off TZ=UTC LC_ALL=C
for node in sample-vpn1 mixed-rules unusable-history; do
	"$bin/natfw-index" --node "$node" "$data/$node" 2>/dev/null
done

# address, first time, time span, lowest and highest port: where the fixtures map something
awk 'BEGIN {
	srand(4711)
	split("192.0.2.10 203.0.113.7 203.0.113.5", ip, " ")
	split("1596153600 1599996400 1599996400", from, " ")
	split("70000000 40000000 600000", span, " ")
	split("40000 59000 49000", lo, " "); split("65535 65000 65535", hi, " ")
	split("tcp udp", proto, " ")
	print "reported_at,src_ip,src_port,protocol"
	for (i = 0; i < 2000; i++) {
		t = int(rand() * 3) + 1
		when = from[t] + int(rand() * span[t])
		port = lo[t] + int(rand() * (hi[t] - lo[t] + 1))
		p = int(rand() * 3) + 1
		printf "@%d,%s,%d,%s\n", when, ip[t], port, (p == 3 ? "" : proto[p])
	}
}' >"$work/complaints.csv"
"$bin/natfw-trace" --batch "$work/complaints.csv" -o "$work/answers.csv" 2>/dev/null
rows=$(($(wc -l <"$work/answers.csv") - 1))
[ "$rows" -eq 2000 ] || { echo "the batch answered $rows rows, not 2000"; exit 1; }

# The first nine columns never hold a comma or a quote (times, addresses, words, paths).
compared=0 differing=0
declare -A statuses=()
while IFS=, read -r when ip port proto status internal time _node snapshot _rest; do
	args=(--db "$NATFW_TRACE_DB")
	[ -n "$proto" ] && args+=(--proto "$proto")
	out=$("$bin/natfw-trace" "${args[@]}" "$when" "$ip" "$port" || true)
	s_status=$(sed -n '2s/^\([a-z]*\):.*/\1/p' <<<"$out")
	s_internal=$(sed -n 's/^candidate \([^ ]*\) (.*/\1/p' <<<"$out" | awk '!seen[$0]++' | paste -sd' ' -)
	s_time=$(sed -n '1s/^query: .* at \([^ ]*\) (.*/\1/p' <<<"$out")
	s_snapshot=$(sed -n 's/^  snapshot: //p' <<<"$out" | head -n 1)
	compared=$((compared + 1))
	statuses[$status]=$((${statuses[$status]:-0} + 1))
	if [ "$s_status" != "$status" ] || [ "$s_internal" != "$internal" ] || [ "$s_time" != "$time" ] ||
		{ [ "$status" != none ] && [ "$s_snapshot" != "${snapshot%% *}" ]; }; then
		differing=$((differing + 1))
		[ $differing -le 5 ] && echo "row $when $ip $port $proto: batch $status [$internal] $time $snapshot;" \
			"process $s_status [$s_internal] $s_time $s_snapshot"
	fi
done < <(awk 'NR > 1 && (NR - 2) % 10 == 0' "$work/answers.csv")

echo "compared $compared rows: ${statuses[unique]:-0} unique, ${statuses[none]:-0} none," \
	"${statuses[ambiguous]:-0} ambiguous; $differing differ"
[ "$differing" -eq 0 ] || exit 1
# The sample must exercise every status, or agreeing proves little.
[ "${statuses[unique]:-0}" -gt 20 ] && [ "${statuses[none]:-0}" -gt 5 ] && [ "${statuses[ambiguous]:-0}" -gt 5 ] ||
	{ echo "the sample lacks a status"; exit 1; }
