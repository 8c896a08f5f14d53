#!/usr/bin/env bash
# Single-lookup benchmark: whole-process time of one natfw-trace lookup, side
# by side in the same run with the baselines in ../shared/bench (the seed's
# manual procedure, and a hand-made SQLite table queried by the sqlite3 shell:
# both the whole sqlite_floor.sh script and the bare sqlite3 process it runs,
# with the time already converted, which is the floor issue 14 measures against).
# Also reports the first index run and a re-index with nothing new.
#   bench/lookup.sh [S|M|L|XL] [LOOKUPS]   (default: M 200; XL is 2.6 GB of snapshots)
# BENCH_KEEP_INDEX=1 keeps an index an earlier run made (L takes minutes to index).
# Needs a build (build/apps), python3 and sqlite3; data goes to $BENCH_DIR
# (default /tmp/natfw-bench). Run on demand; never part of the tests.
. "$(dirname "$0")/common.sh"
scale=${1:-M} lookups=${2:-200}
work=${BENCH_DIR:-/tmp/natfw-bench}/$scale
bench_history "$scale" "$work" || { echo "usage: bench/lookup.sh [S|M|L|XL] [LOOKUPS]" >&2; exit 2; }
python3 "$shared/gen_complaints.py" "$hist.truth.json" -n "$lookups" --seed 11 --formats iso=1 \
	--kinds in=1 -o "$work/complaints.csv" -t "$work/truth.csv" >/dev/null

if [ "${BENCH_KEEP_INDEX:-0}" = 1 ] && [ -f "$work/index.sqlite" ]; then
	echo "== natfw-index: keeping the index of an earlier run (BENCH_KEEP_INDEX=1); upgrading it if needed"
	"$bin/natfw-index" --db "$work/index.sqlite" --upgrade
else
	rm -f "$work"/index.sqlite*
	echo "== natfw-index, first run (whole history)"
	# The ruleset checks' notes on every snapshot are not the benchmark's output.
	/usr/bin/time -f "   %e s, peak RSS %M KB" "$bin/natfw-index" --db "$work/index.sqlite" --node bench "$hist" 2>&1 |
		grep -v '^natfw-index:\|: check: '
fi
echo "   index size: $(du -ch "$work"/index.sqlite* | tail -1 | cut -f1)"
echo "== natfw-index, nothing new"
/usr/bin/time -f "   %e s" "$bin/natfw-index" --db "$work/index.sqlite" --node bench "$hist" 2>&1 | grep -v '^natfw-index:'
[ -f "$work/floor.sqlite" ] || bash "$shared/sqlite_floor.sh" build "$hist.truth.json" "$work/floor.sqlite"

median_ms() { sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]}'; }
now_us() { local t=$EPOCHREALTIME; echo "${t/./}"; }

: >"$work/natfw.us"; : >"$work/floor.us"; : >"$work/bare.us"; : >"$work/manual.us"
right=0 wrong=0
while IFS=, read -r _row when ip port proto _epoch _ts internal _kind; do
	got=$("$bin/natfw-trace" --db "$work/index.sqlite" --format json --proto "$proto" "$when" "$ip" "$port" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["internal"] or "")' 2>/dev/null || true)
	t1=$(now_us)
	bash "$shared/sqlite_floor.sh" lookup "$work/floor.sqlite" "$when" "$ip" "$port" "$proto" >/dev/null
	t2=$(now_us)
	bash "$shared/manual.sh" "$hist" "$when" "$ip" "$port" "$proto" >/dev/null
	t3=$(now_us)
	# The script's own query, its inputs converted beforehand (not timed).
	t=$(date +%s -d "$when")
	IFS=. read -r a b c d <<<"$ip"
	ipn=$(((a << 24) | (b << 16) | (c << 8) | d))
	sql="SELECT internal FROM (SELECT internal, port_hi FROM nat WHERE public_ip=$ipn AND proto='$proto' AND
		valid_from=(SELECT max(valid_from) FROM nat WHERE public_ip=$ipn AND proto='$proto' AND valid_from<=$t)
		AND port_lo<=$port ORDER BY port_lo DESC LIMIT 1) WHERE port_hi>=$port;"
	t6=$(now_us)
	sqlite3 -readonly "$work/floor.sqlite" "$sql" >/dev/null
	t7=$(now_us)
	echo $(((t7 - t6))) >>"$work/bare.us"
	# Timed apart from the JSON check above, whose decoding is not natfw's cost.
	t4=$(now_us)
	"$bin/natfw-trace" --db "$work/index.sqlite" --proto "$proto" "$when" "$ip" "$port" >/dev/null || true
	t5=$(now_us)
	echo $(((t5 - t4))) >>"$work/natfw.us"
	echo $(((t2 - t1))) >>"$work/floor.us"
	echo $(((t3 - t2))) >>"$work/manual.us"
	if [ "$got" = "$internal" ]; then right=$((right + 1)); else wrong=$((wrong + 1)); fi
done < <(tail -n +2 "$work/truth.csv")

f=$(awk '{$1/=1000} 1' "$work/floor.us" | median_ms)
m=$(awk '{$1/=1000} 1' "$work/manual.us" | median_ms)
n=$(awk '{$1/=1000} 1' "$work/natfw.us" | median_ms)
s=$(awk '{$1/=1000} 1' "$work/bare.us" | median_ms)
echo "== one lookup per process, median of $lookups ($scale: $snaps x $clients)"
echo "   natfw-trace           $n ms"
echo "   sqlite_floor lookup   $f ms   (natfw / floor  = $(awk -v a="$n" -v b="$f" 'BEGIN{printf "%.2f", a/b}'))"
echo "   bare sqlite3 query    $s ms   (natfw / bare   = $(awk -v a="$n" -v b="$s" 'BEGIN{printf "%.2f", a/b}'); target <= 2)"
echo "   manual.sh             $m ms   (natfw / manual = $(awk -v a="$n" -v b="$m" 'BEGIN{printf "%.2f", a/b}'))"
echo "   answers equal to the truth: $right of $((right + wrong))"
[ "$wrong" = 0 ]
