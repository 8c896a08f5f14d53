#!/usr/bin/env bash
# Walkthrough: index a node's snapshot history and answer an abuse complaint.
# Run by `tools/bootstrap.sh demo` and as a test; it checks its own answers.
# Needs natfw-index, natfw-trace and natfw-generate on PATH; uses $NATFW_TRACE_DB
# and $NATFW_TRACE_AUDIT (default: scratch files).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export NATFW_TRACE_DB=${NATFW_TRACE_DB:-$scratch/index.sqlite}
export NATFW_TRACE_AUDIT=${NATFW_TRACE_AUDIT:-$scratch/audit.log}
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
echo "$batch" | sed "s#$here#examples#g"
[ "$(echo "$batch" | grep -c ',unique,10.66.0.2,')" = 2 ] || fail "expected two rows answered 10.66.0.2"
echo "$batch" | grep -q ',none,' || fail "expected the 2019 row to be answered none"

echo
echo "Every lookup and batch left a record in the audit trail (here a file; by default syslog):"
step cat '$NATFW_TRACE_AUDIT'
cat "$NATFW_TRACE_AUDIT" | sed "s#$here#examples#g"
[ "$(grep -c '"kind":"lookup"' "$NATFW_TRACE_AUDIT")" = 4 ] || fail "expected four lookup records"
[ "$(grep -c '"kind":"batch"' "$NATFW_TRACE_AUDIT")" = 1 ] || fail "expected one batch record"

echo
echo "The next ruleset for this node, as natfw-generate would write it (-n: print only):"
step natfw-generate -n --public-ip 192.0.2.10 10.66.0.0/24:2 '| head -12'
# Whole output in a variable: a reader that stops early (head, grep -q) would
# end natfw-generate with SIGPIPE, which pipefail reports as a failure.
rules=$(natfw-generate -n --time 1656633600 --public-ip 192.0.2.10 10.66.0.0/24:2)
echo "$rules" | sed -n 1,12p
[[ $rules == *"-s 10.66.0.130 -p tcp "* ]] || fail "expected a rule for the second network's first client"

echo
echo "demo: all answers as expected"
