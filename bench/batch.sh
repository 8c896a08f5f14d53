#!/usr/bin/env bash
# Batch benchmark (issue "Bulk CSV lookup"): natfw-trace --batch against the
# baselines in ../shared/bench, measured in the same run: naive.py --bisect
# (the competent afternoon script) and sqlite_floor.sh batch (one SQL join).
# Reports wall time, rows per second and peak memory, the ratios, and checks
# natfw's answers against check.py's truth.
#   bench/batch.sh [SCALES] [ROWS]   default: "S M L" "1000 100000 1000000"
# naive.py runs at S and M only (at L it would hold 786 MB of snapshots as
# Python objects). Data goes to $BENCH_DIR (default /tmp/natfw-bench).
. "$(dirname "$0")/common.sh"
scales=${1:-S M L} row_counts=${2:-1000 100000 1000000}
base=${BENCH_DIR:-/tmp/natfw-bench}

# measure NAME CMD...: wall seconds (from the shell's microsecond clock) and
# peak RSS (KB, from time(1)) of one run; its stdout goes to $work/NAME.out
measure() {
	local name=$1
	shift
	local t0=${EPOCHREALTIME/./}
	/usr/bin/time -f "%M" -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err"
	local t1=${EPOCHREALTIME/./}
	echo "$(awk -v d=$((t1 - t0)) 'BEGIN{printf "%.3f", d/1e6}') $(cat "$work/$name.time")"
}
# versus BASELINE_SECONDS NATFW_SECONDS: how the baseline compares with natfw
versus() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a >= b) printf "natfw %.1fx faster", a/b; else printf "natfw %.1fx slower", b/a }'; }

printf '%-5s %9s  %-22s %10s %12s %10s  %s\n' scale rows tool seconds rows/s "peak MB" "compared"
for scale in $scales; do
	work=$base/$scale
	bench_history "$scale" "$work" >/dev/null || { echo "unknown scale $scale" >&2; exit 2; }
	[ -f "$work/index.sqlite" ] || "$bin/natfw-index" --db "$work/index.sqlite" --node bench "$hist" 2>/dev/null
	[ -f "$work/floor.sqlite" ] || bash "$shared/sqlite_floor.sh" build "$hist.truth.json" "$work/floor.sqlite"
	for rows in $row_counts; do
		python3 "$shared/gen_complaints.py" "$hist.truth.json" -n "$rows" --seed 3 -o "$work/c$rows.csv" -t "$work/t$rows.csv" >/dev/null
		# natfw takes about a second here, where this machine's noise is
		# largest: the median of three runs (the baselines run for many seconds once).
		for k in 1 2 3; do measure natfw "$bin/natfw-trace" --db "$work/index.sqlite" --batch "$work/c$rows.csv"; done |
			sort -n | sed -n 2p >"$work/natfw.median"
		read -r n_s n_kb <"$work/natfw.median"
		agree=$(python3 "$shared/check.py" "$work/t$rows.csv" "$work/natfw.out" | sed -n 's/.*agree [0-9]* (\([0-9.]*%\)).*/\1/p')
		printf '%-5s %9s  %-22s %10s %12.0f %10.1f  %s\n' "$scale" "$rows" natfw-trace "$n_s" \
			"$(awk -v r="$rows" -v s="$n_s" 'BEGIN{print r/s}')" "$(awk -v k="$n_kb" 'BEGIN{print k/1024}')" \
			"answers agree with truth: $agree"
		read -r f_s f_kb < <(measure floor bash "$shared/sqlite_floor.sh" batch "$work/floor.sqlite" "$work/c$rows.csv")
		printf '%-5s %9s  %-22s %10s %12.0f %10.1f  %s\n' "$scale" "$rows" "sqlite_floor batch" "$f_s" \
			"$(awk -v r="$rows" -v s="$f_s" 'BEGIN{print r/s}')" "$(awk -v k="$f_kb" 'BEGIN{print k/1024}')" \
			"$(versus "$f_s" "$n_s")"
		if [ "$scale" != L ]; then
			read -r p_s p_kb < <(measure naive python3 "$shared/naive.py" --bisect "$hist" "$work/c$rows.csv")
			printf '%-5s %9s  %-22s %10s %12.0f %10.1f  %s\n' "$scale" "$rows" "naive.py --bisect" "$p_s" \
				"$(awk -v r="$rows" -v s="$p_s" 'BEGIN{print r/s}')" "$(awk -v k="$p_kb" 'BEGIN{print k/1024}')" \
				"$(versus "$p_s" "$n_s")"
		fi
	done
done
