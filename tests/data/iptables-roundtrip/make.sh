#!/usr/bin/env bash
# Makes the fixtures in this folder: each hand-written ruleset below is loaded
# with iptables-restore into a private network namespace and dumped back with
# iptables-save -c, so the tests see what a real iptables prints (/32
# suffixes, counters, chain order, -m tcp, header and trailer comments).
# Needs root, iproute2 and iptables; sends no traffic. Run once; the outputs
# are committed and the test suite itself needs no privileges.
#   tests/data/iptables-roundtrip/make.sh
# Made with iptables v1.8.9 (nf_tables) on Debian 12.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
data=$(dirname "$here")
ns=natfw-roundtrip-$$
ip netns add "$ns"
trap 'ip netns del "$ns"' EXIT
for src in first-match shared-nat port-forwards; do
	for f in "$data/$src"/rules.v4.*; do
		mkdir -p "$here/$src"
		ip netns exec "$ns" iptables-restore <"$f"
		ip netns exec "$ns" iptables-save -c >"$here/$src/$(basename "$f")"
		echo "$src/$(basename "$f"): $(grep -c '^\[' "$here/$src/$(basename "$f")") rules"
	done
done
