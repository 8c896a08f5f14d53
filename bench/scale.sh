#!/usr/bin/env bash
# Single lookups at several scales in one run (issue 14's table): for each
# scale, bench/lookup.sh's whole-process medians of natfw-trace and of the bare
# sqlite3 process on sqlite_floor.sh's table, then the ratios, and the growth
# from the smallest scale to the largest.
#   bench/scale.sh [SCALES] [LOOKUPS]     (default: "S M L" 50)
# BENCH_KEEP_INDEX=1 reuses the indexes of an earlier run. On demand only.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
scales=${1:-S M L} lookups=${2:-50}
rows=()
for s in $scales; do
	out=$(bash "$here/lookup.sh" "$s" "$lookups")
	printf '%s\n' "$out" | grep -v '^   natfw-trace\|^   sqlite_floor\|^   bare\|^   manual' || true
	n=$(printf '%s\n' "$out" | awk '/^   natfw-trace/ {print $2}')
	b=$(printf '%s\n' "$out" | awk '/^   bare sqlite3 query/ {print $4}')
	f=$(printf '%s\n' "$out" | awk '/^   sqlite_floor lookup/ {print $3}')
	rows+=("$s $n $b $f")
done
echo
echo "| scale | natfw-trace | bare sqlite3 | ratio (target <= 2) | sqlite_floor.sh |"
echo "|---|---|---|---|---|"
for r in "${rows[@]}"; do
	read -r s n b f <<<"$r"
	echo "| $s | $n ms | $b ms | $(awk -v a="$n" -v b="$b" 'BEGIN{printf "%.2f", a/b}')x | $f ms |"
done
read -r s1 n1 _ <<<"${rows[0]}"
read -r s2 n2 _ <<<"${rows[${#rows[@]}-1]}"
echo
echo "$s2/$s1 single lookup: $(awk -v a="$n2" -v b="$n1" 'BEGIN{printf "%.2f", a/b}')x (target <= 1.5)"
