#!/usr/bin/env bash
# A natfw-index run killed with SIGKILL leaves the index exactly as before the
# run or exactly as after it (one transaction), never in between, and the next
# run completes it.
# Usage: kill_during_index.sh BIN_DIR
set -euo pipefail
bin=$1
work=$(mktemp -d "${TMPDIR:-/tmp}/natfw-kill.XXXXXX")
trap 'rm -rf "$work"' EXIT
export NATFW_TRACE_DB="$work/index.sqlite"
hist="$work/hist"
mkdir "$hist"

write_snapshot() { # write_snapshot TIMESTAMP: 4,000 clients, blocks of 8 ports
	awk -v ts="$1" 'BEGIN {
		print "*nat"; print ":POSTROUTING ACCEPT [0:0]"
		for (i = 0; i < 4000; i++) {
			hi = 65535 - 8 * i - (ts % 7); lo = hi - 7
			printf "-A POSTROUTING -s 10.%d.%d.%d -p tcp -j SNAT --to-source 192.0.2.1:%d-%d\n", ts % 200, int(i / 250), i % 250 + 2, lo, hi
		}
		print "COMMIT" }' >"$hist/rules.v4.$1"
}

count_snapshots() { "$bin/natfw-index" --list | grep -c '^  /' || true; }

write_snapshot 1600000000
"$bin/natfw-index" --node n "$hist" 2>/dev/null
before=$(count_snapshots)
for k in $(seq 1 40); do write_snapshot $((1600000000 + k * 3600)); done
after=41

"$bin/natfw-index" --node n "$hist" 2>"$work/stderr" &
pid=$!
sleep 0.3
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
now=$(count_snapshots)
if grep -q 'new snapshot' "$work/stderr"; then state="finished before the kill"; else state="killed mid-run"; fi
echo "before=$before after-kill=$now ($state)"
if [ "$now" != "$before" ] && [ "$now" != "$after" ]; then
	echo "FAIL: a killed run left a partial index ($now snapshots)" >&2
	exit 1
fi
"$bin/natfw-index" --verify >/dev/null
"$bin/natfw-index" --node n "$hist" 2>/dev/null
final=$(count_snapshots)
[ "$final" = "$after" ] || { echo "FAIL: the next run indexed $final, not $after" >&2; exit 1; }
"$bin/natfw-trace" --proto tcp @1600000001 192.0.2.1 65530 >/dev/null || { echo "FAIL: lookup after recovery" >&2; exit 1; }
echo "the next run completed: $final snapshots; lookups work"
