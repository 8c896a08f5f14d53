#!/usr/bin/env bash
# Walkthrough: index a node's snapshot history and answer an abuse complaint.
# Run by `tools/bootstrap.sh demo` and as a test; it checks its own answers.
# Needs natfw-index and natfw-trace on PATH; uses $NATFW_TRACE_DB (default: a scratch file).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${NATFW_TRACE_DB:-}" ]; then
	NATFW_TRACE_DB=$(mktemp -d)/index.sqlite
	export NATFW_TRACE_DB
fi
step() { printf '\n$ %s\n' "$*"; }
fail() { echo "demo: $*" >&2; exit 1; }

echo "examples/etc-iptables holds what the generator left in /etc/iptables: four"
echo "snapshots rules.v4.<unix-seconds> from 2020-08 to 2022-06 and the rules.v4 symlink."
step natfw-index --node vpn1 examples/etc-iptables
natfw-index --node vpn1 "$here/etc-iptables"

step natfw-index --list
natfw-index --list | sed "s#$here#examples#"

echo
echo "The complaint: \"at 2020-12-26 13:37:42 CET, 192.0.2.10 source port 65300 attacked us\"."
step natfw-trace "2020-12-26 13:37:42 CET" 192.0.2.10 65300
out=$(natfw-trace "2020-12-26 13:37:42 CET" 192.0.2.10 65300) || fail "expected a unique answer (exit 0)"
echo "$out" | sed "s#$here#examples#"
grep -q '^unique:   10.66.0.2$' <<<"$out" || fail "expected 10.66.0.2"

echo
echo "The same lookup for a script, as JSON:"
step natfw-trace --format json --proto tcp 1608986262 192.0.2.10 65300
json=$(natfw-trace --format json --proto tcp 1608986262 192.0.2.10 65300)
echo "$json" | sed "s#$here#examples#"
grep -q '"status":"unique","internal":"10.66.0.2"' <<<"$json" || fail "expected 10.66.0.2 in JSON"

echo
echo "Two minutes before a ruleset change, the answer carries a warning (exit 0, still unique):"
step natfw-trace --proto tcp "2021-01-31 23:58:20 UTC" 192.0.2.10 65100
out=$(natfw-trace --proto tcp "2021-01-31 23:58:20 UTC" 192.0.2.10 65100) || fail "expected exit 0"
echo "$out" | sed "s#$here#examples#"
grep -q 'gives port 65100 to 10.66.0.3' <<<"$out" || fail "expected the change warning"

echo
echo "Before the history starts there is no answer (exit 1):"
step natfw-trace 2019-01-01T00:00:00Z 192.0.2.10 65300
set +e
natfw-trace 2019-01-01T00:00:00Z 192.0.2.10 65300
rc=$?
set -e
[ "$rc" = 1 ] || fail "expected exit 1, got $rc"
echo
echo "A batch of complaints (Shadowserver-style: UTC times without a zone, hence --tz UTC):"
step natfw-trace --tz UTC --batch examples/complaints.csv
batch=$(natfw-trace --tz UTC --batch "$here/complaints.csv") || fail "expected the batch to be processed (exit 0)"
echo "$batch" | sed "s#$here#examples#"
[ "$(echo "$batch" | grep -c ',unique,10.66.0.2,')" = 2 ] || fail "expected two rows answered 10.66.0.2"
echo "$batch" | grep -q ',none,' || fail "expected the 2019 row to be answered none"

echo
echo "demo: all answers as expected"
