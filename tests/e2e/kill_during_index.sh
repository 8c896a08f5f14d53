#!/usr/bin/env bash
# Crash consistency: natfw-index is SIGKILLed at 32 moments spread over a
# whole run (the last quarter included), and at 8 moments of a schema
# upgrade. After each kill SQLite's integrity check passes (--verify), every
# snapshot is fully indexed or absent (one transaction per run: the index is
# as before the run or as after it), and the next run gives exactly the
# --list of a run never interrupted.
# Usage: kill_during_index.sh BIN_DIR DATA_DIR
set -euo pipefail
bin=$1 data=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/natfw-kill.XXXXXX")
trap 'rm -rf "$work"' EXIT
hist="$work/hist"
mkdir "$hist"

write_snapshot() { # write_snapshot TIMESTAMP: 800 clients, blocks of 8 ports
	awk -v ts="$1" 'BEGIN {
		print "*nat"; print ":POSTROUTING ACCEPT [0:0]"
		for (i = 0; i < 800; i++) {
			hi = 65535 - 8 * i - (ts % 7); lo = hi - 7
			printf "-A POSTROUTING -s 10.%d.%d.%d -p tcp -j SNAT --to-source 192.0.2.1:%d-%d\n", ts % 200, int(i / 250), i % 250 + 2, lo, hi
		}
		print "COMMIT" }' >"$hist/rules.v4.$1"
}
now_ms() { date +%s%3N; }
snapshots() { NATFW_TRACE_DB=$1 "$bin/natfw-index" --list | grep -c '^  /' || true; }

write_snapshot 1600000000
NATFW_TRACE_DB="$work/base.sqlite" "$bin/natfw-index" --node n "$hist" 2>/dev/null
for k in $(seq 1 20); do write_snapshot $((1600000000 + k * 3600)); done

# The uninterrupted run: its --list is what every recovered index must give.
cp "$work/base.sqlite" "$work/whole.sqlite"
start=$(now_ms)
NATFW_TRACE_DB="$work/whole.sqlite" "$bin/natfw-index" --node n "$hist" 2>/dev/null
span=$(($(now_ms) - start))
NATFW_TRACE_DB="$work/whole.sqlite" "$bin/natfw-index" --list >"$work/whole.list"
before=1 after=21

# kill_at DB DELAY_MS ARGS...: starts natfw-index on DB, SIGKILLs it after DELAY_MS.
kill_at() {
	local db=$1 delay=$2
	shift 2
	NATFW_TRACE_DB=$db "$bin/natfw-index" "$@" >/dev/null 2>&1 &
	local pid=$!
	sleep "$(awk -v ms="$delay" 'BEGIN { printf "%.3f", ms / 1000 }')"
	kill -9 "$pid" 2>/dev/null && killed=$((killed + 1)) || true
	wait "$pid" 2>/dev/null || true
}

killed=0 points=32
for k in $(seq 1 $points); do
	db="$work/run$k.sqlite"
	cp "$work/base.sqlite" "$db"
	kill_at "$db" $((span * k / (points + 1))) --node n "$hist"
	NATFW_TRACE_DB=$db "$bin/natfw-index" --verify >"$work/verify" 2>&1 ||
		{ echo "FAIL: kill $k at $((span * k / (points + 1))) ms: --verify failed" >&2; cat "$work/verify" >&2; exit 1; }
	n=$(snapshots "$db")
	if [ "$n" != "$before" ] && [ "$n" != "$after" ]; then
		echo "FAIL: kill $k left $n snapshots (not $before or $after)" >&2
		exit 1
	fi
	NATFW_TRACE_DB=$db "$bin/natfw-index" --node n "$hist" 2>/dev/null
	NATFW_TRACE_DB=$db "$bin/natfw-index" --list | cmp -s - "$work/whole.list" ||
		{ echo "FAIL: after kill $k the next run's --list differs from an uninterrupted run" >&2; exit 1; }
	rm -f "$db" "$db"-wal "$db"-shm "$db".lock
done
echo "index run of ${span} ms: killed at $points moments ($killed while running); each time intact, all or nothing, and the next run equal to an uninterrupted one"

# The upgrade path: a schema-1 index brought to the current schema, killed on the way.
cp "$data/schema-v1-index/index.sqlite" "$work/v1.sqlite"
cp "$work/v1.sqlite" "$work/up.sqlite"
start=$(now_ms)
NATFW_TRACE_DB="$work/up.sqlite" "$bin/natfw-index" --node n "$hist" 2>/dev/null || true
uspan=$(($(now_ms) - start))
NATFW_TRACE_DB="$work/up.sqlite" "$bin/natfw-index" --list >"$work/up.list"
killed=0 upoints=8
for k in $(seq 1 $upoints); do
	db="$work/upk$k.sqlite"
	cp "$work/v1.sqlite" "$db"
	kill_at "$db" $((uspan * k / (upoints + 1))) --node n "$hist"
	NATFW_TRACE_DB=$db "$bin/natfw-index" --node n "$hist" >/dev/null 2>&1 || true
	NATFW_TRACE_DB=$db "$bin/natfw-index" --verify >"$work/verify" 2>&1 ||
		{ echo "FAIL: upgrade kill $k: --verify failed" >&2; cat "$work/verify" >&2; exit 1; }
	NATFW_TRACE_DB=$db "$bin/natfw-index" --list | cmp -s - "$work/up.list" ||
		{ echo "FAIL: after upgrade kill $k the next run's --list differs" >&2; exit 1; }
	rm -f "$db" "$db"-wal "$db"-shm "$db".lock
done
echo "upgrade run of ${uspan} ms: killed at $upoints moments ($killed while running); each recovered to the same index"
