#!/usr/bin/env bash
# nftables indexing speed: the same history in iptables-save form and in nft
# form (bench/iptables_to_nft.py, rule for rule), each indexed from scratch by
# natfw-index in the same run (alternating, NFT_BENCH_RUNS times, default 5);
# reports median time, peak RSS and microseconds per rule for both and their ratio (the target: nft no slower per rule), then checks
# that a complaint batch answers alike from both indexes (check.py).
#   bench/nft.sh [S|M|L] [ROWS]      (default: M 20000)
. "$(dirname "$0")/common.sh"
scale=${1:-M} rows=${2:-20000}
work=${BENCH_DIR:-/tmp/natfw-bench}/$scale
bench_history "$scale" "$work" || { echo "usage: bench/nft.sh [S|M|L] [ROWS]" >&2; exit 2; }
rm -rf "$work/nft"
python3 "$root/bench/iptables_to_nft.py" "$hist" "$work/nft"
rules=$(cat "$hist"/rules.v4.* | grep -c '^-A ')
echo "== $scale: $snaps snapshots, $rules rules; iptables $(du -ch "$hist"/rules.v4.* | tail -1 | cut -f1), nft $(du -ch "$work"/nft/hist.nft.* | tail -1 | cut -f1)"

# One fresh index run per form, alternating, RUNS times: the machine's drift
# hits both alike. Each form's median wall time and its peak RSS.
runs=${NFT_BENCH_RUNS:-5}
: >"$work/iptables.times"; : >"$work/nft.times"
for _ in $(seq "$runs"); do
	for form in iptables nft; do
		dir=$hist; [ "$form" = nft ] && dir=$work/nft
		rm -f "$work/$form.sqlite"*
		/usr/bin/time -f "%e %M" -a -o "$work/$form.times" "$bin/natfw-index" --db "$work/$form.sqlite" --node bench "$dir" >/dev/null 2>&1
	done
done
median() { sort -n "$1" | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}'; }
read -r ipt_s ipt_kb < <(median "$work/iptables.times")
read -r nft_s nft_kb < <(median "$work/nft.times")
awk -v r="$rules" -v a="$ipt_s" -v b="$nft_s" -v ka="$ipt_kb" -v kb="$nft_kb" 'BEGIN {
	printf "   iptables: %.2f s, %.2f us per rule, peak RSS %d MiB\n", a, a * 1e6 / r, ka / 1024
	printf "   nft:      %.2f s, %.2f us per rule, peak RSS %d MiB\n", b, b * 1e6 / r, kb / 1024
	printf "   nft / iptables per rule: %.2fx (target <= 1.00x)\n", b / a }'

python3 "$shared/gen_complaints.py" "$hist.truth.json" -n "$rows" --seed 5 -o "$work/nft-c.csv" -t "$work/nft-t.csv" >/dev/null
for form in iptables nft; do
	"$bin/natfw-trace" --db "$work/$form.sqlite" --batch "$work/nft-c.csv" >"$work/$form.out" 2>/dev/null || true
	echo "   $form answers: $(python3 "$shared/check.py" "$work/nft-t.csv" "$work/$form.out" | tail -1)"
done
