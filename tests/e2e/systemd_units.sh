#!/usr/bin/env bash
# The systemd units in examples/hooks pass `systemd-analyze verify` with no
# complaint at all (unknown keys are only warnings there, so any output fails).
# ExecStart is pointed at the built natfw-index, since verify checks that the
# program exists. Exits 77 (skipped, reported by CTest) without systemd-analyze.
# Usage: systemd_units.sh BIN_DIR HOOKS_DIR
set -euo pipefail
bin=$(realpath "$1") hooks=$(realpath "$2")
command -v systemd-analyze >/dev/null || { echo "systemd-analyze not installed: cannot verify the units" >&2; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/natfw-units.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp "$hooks"/natfw-index.path "$hooks"/natfw-index.service "$hooks"/natfw-sessions.timer "$hooks"/natfw-sessions.service \
	"$hooks"/natfw-verify.timer "$hooks"/natfw-verify.service "$work"/
for unit in natfw-index.service natfw-sessions.service natfw-verify.service; do
	grep -q '^ExecStart=/usr/local/sbin/natfw-index ' "$work"/$unit
	sed -i "s#^ExecStart=/usr/local/sbin/natfw-index#ExecStart=$bin/natfw-index#" "$work"/$unit
done
grep -qx 'Unit=natfw-sessions.service' "$work"/natfw-sessions.timer
grep -qx 'Unit=natfw-verify.service' "$work"/natfw-verify.timer
# The options the sessions unit gives are ones natfw-index takes.
for opt in $(grep '^ExecStart=' "$work"/natfw-sessions.service | grep -o -- ' --[a-z-]*' | sort -u); do
	"$bin"/natfw-index --help | grep -q -- "$opt" || { echo "natfw-sessions.service: natfw-index has no $opt"; exit 1; }
done
grep -qx 'PathChanged=/etc/iptables' "$work"/natfw-index.path
grep -qx 'Unit=natfw-index.service' "$work"/natfw-index.path
out=$(cd "$work" && systemd-analyze verify --man=no natfw-index.path natfw-index.service natfw-sessions.timer \
	natfw-sessions.service natfw-verify.timer natfw-verify.service 2>&1) || { echo "$out"; exit 1; }
[ -z "$out" ] || { echo "systemd-analyze verify complained:"; echo "$out"; exit 1; }
echo "natfw-index.path/.service, natfw-sessions.timer/.service and natfw-verify.timer/.service verified"
