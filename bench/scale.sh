#!/usr/bin/env bash
# Issue 14's table in one run: for each scale, natfw-index over the whole
# history (seconds, MB/s of snapshot files, peak RSS, index bytes against
# snapshot bytes, a re-run with nothing new) and bench/lookup.sh's
# whole-process medians of a single natfw-trace lookup and of the bare
# sqlite3 process on sqlite_floor.sh's table; then the growth from the
# smallest scale to the largest. BENCH_BATCH_ROWS="1000000" also runs
# bench/batch.sh at every scale for that many rows (natfw-trace --batch
# against naive.py --bisect and the SQL join, answers against check.py).
#   bench/scale.sh [SCALES] [LOOKUPS]     (default: "S M L" 50; XL on demand)
# BENCH_KEEP_INDEX=1 reuses the indexes of an earlier run. On demand only.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
scales=${1:-S M L} lookups=${2:-50}
base=${BENCH_DIR:-/tmp/natfw-bench}
rows=()
bytes_of() { find "$@" -maxdepth 1 -type f -printf '%s\n' 2>/dev/null | awk '{s += $1} END {print s + 0}'; }
for s in $scales; do
	out=$(bash "$here/lookup.sh" "$s" "$lookups")
	printf '%s\n' "$out" | grep -v '^   natfw-trace\|^   sqlite_floor\|^   bare\|^   manual' || true
	n=$(printf '%s\n' "$out" | awk '/^   natfw-trace/ {print $2}')
	b=$(printf '%s\n' "$out" | awk '/^   bare sqlite3 query/ {print $4}')
	f=$(printf '%s\n' "$out" | awk '/^   sqlite_floor lookup/ {print $3}')
	# "   12.43 s, peak RSS 143212 KB" after the first run's heading, "   0.01 s" after the re-run's.
	idx=$(printf '%s\n' "$out" | awk '/first run/ {getline; print $1, $5}')
	noop=$(printf '%s\n' "$out" | awk '/nothing new/ {getline; print $1}')
	read -r secs rss <<<"${idx:-- -}"
	snap_bytes=$(bytes_of "$base/$s/hist")
	index_bytes=$(bytes_of "$base/$s"/index.sqlite "$base/$s"/index.sqlite-wal)
	rows+=("$s $n $b $f $secs $rss $snap_bytes $index_bytes $noop")
done
echo
echo "| scale | natfw-index | MB/s | peak RSS | index / snapshots | nothing new | single lookup | bare sqlite3 | ratio (target <= 2) | sqlite_floor.sh |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for r in "${rows[@]}"; do
	read -r s n b f secs rss snap idx noop <<<"$r"
	awk -v s="$s" -v n="$n" -v b="$b" -v f="$f" -v secs="$secs" -v rss="$rss" -v snap="$snap" -v idx="$idx" \
		-v noop="$noop" 'BEGIN {
		mbs = secs > 0 ? sprintf("%.1f", snap / 1e6 / secs) : "-"
		printf "| %s | %s s | %s | %d MB | %.1f / %.1f MB (%.2fx) | %s s | %s ms | %s ms | %.2fx | %s ms |\n",
			s, secs, mbs, rss / 1024, idx / 1e6, snap / 1e6, idx / snap, noop, n, b, n / b, f }'
done
read -r s1 n1 _ <<<"${rows[0]}"
read -r s2 n2 _ <<<"${rows[${#rows[@]}-1]}"
echo
echo "$s2/$s1 single lookup: $(awk -v a="$n2" -v b="$n1" 'BEGIN{printf "%.2f", a/b}')x (target <= 1.5)"
# Per byte, each scale against the one before it (L against M: target <= 1.2x).
for ((i = 1; i < ${#rows[@]}; i++)); do
	read -r sa _ _ _ ta _ ba _ <<<"${rows[i - 1]}"
	read -r sb _ _ _ tb _ bb _ <<<"${rows[i]}"
	echo "$sb/$sa indexing time per snapshot byte: $(awk -v ta="$ta" -v ba="$ba" -v tb="$tb" -v bb="$bb" \
		'BEGIN { if (ta > 0 && ba > 0) printf "%.2f", (tb / bb) / (ta / ba); else print "-" }')x"
done
if [ -n "${BENCH_BATCH_ROWS:-}" ]; then
	echo
	bash "$here/batch.sh" "$scales" "$BENCH_BATCH_ROWS"
fi
