#!/usr/bin/env bash
# Re-index hook benchmark: the whole-process time of `natfw-index` when
# nothing is new (what runs after every rule generation), on a generated
# history, against process floors measured in the same run: /bin/true, and
# the sqlite3 shell opening the same index for one query. Target: under
# 50 ms at L (300 snapshots x 16,382 clients). Also times --verify (the full
# re-hash) once, for scale.
#   bench/hook.sh [S|M|L] [RUNS]      (default: L 50)
# Needs a build (build/apps), python3 and sqlite3; data goes to $BENCH_DIR
# (default /tmp/natfw-bench), shared with lookup.sh and batch.sh. Building the
# L index the first time takes a few minutes.
. "$(dirname "$0")/common.sh"
scale=${1:-L} runs=${2:-50}
work=${BENCH_DIR:-/tmp/natfw-bench}/$scale
bench_history "$scale" "$work" || { echo "usage: bench/hook.sh [S|M|L] [RUNS]" >&2; exit 2; }
db=$work/index.sqlite
echo "== bringing the index up to date (the first run indexes the whole history)"
/usr/bin/time -f "   %e s, peak RSS %M KB" "$bin/natfw-index" --db "$db" --node bench "$hist" 2>&1 | grep -v '^natfw-index:' || true

now_us() { local t=$EPOCHREALTIME; echo "${t/./}"; }
median_ms() { sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)] / 1000}'; }
time_runs() { # time_runs FILE CMD...: RUNS whole-process times in microseconds
	local out=$1 t1 t2
	shift
	: >"$out"
	for _ in $(seq "$runs"); do
		t1=$(now_us)
		"$@" >/dev/null 2>&1
		t2=$(now_us)
		echo $((t2 - t1)) >>"$out"
	done
}

time_runs "$work/hook.us" "$bin/natfw-index" --db "$db" --node bench "$hist"
time_runs "$work/true.us" /bin/true
time_runs "$work/sqlite.us" sqlite3 -readonly "$db" 'SELECT count(*) FROM snapshot'
n=$(median_ms <"$work/hook.us")
t=$(median_ms <"$work/true.us")
s=$(median_ms <"$work/sqlite.us")
files=$(ls "$hist" | grep -c '^rules\.v4\.[0-9]')
echo "== natfw-index with nothing new: median of $runs runs ($scale: $files snapshots, $(du -h "$db" | cut -f1) index)"
echo "   natfw-index (no-op)        $n ms   target < 50 ms: $(awk -v a="$n" 'BEGIN{print (a < 50 ? "met" : "MISSED")}')"
echo "   sqlite3 one query          $s ms   (natfw / sqlite3 = $(awk -v a="$n" -v b="$s" 'BEGIN{printf "%.2f", a/b}'))"
echo "   /bin/true                  $t ms   (natfw / true    = $(awk -v a="$n" -v b="$t" 'BEGIN{printf "%.2f", a/b}'))"
t1=$(now_us)
"$bin/natfw-index" --db "$db" --verify >/dev/null
t2=$(now_us)
echo "   natfw-index --verify (re-hash all): $(awk -v a=$((t2 - t1)) 'BEGIN{printf "%.0f", a/1000}') ms"
