#!/usr/bin/env bash
# Faults of the index itself: a byte flipped in every part of the file (page
# headers, table and index b-trees, the packs' overflow pages), a truncated
# copy, a full disk, an index its user may not write. Each time: a clear
# message and exit 4, or exactly the answer of the intact index; never a
# different answer without an error; nothing already indexed lost.
# Usage: index_faults.sh BIN_DIR DATA_DIR
set -euo pipefail
bin=$1 data=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/natfw-faults.XXXXXX")
trap 'chmod -R u+rwX "$work" 2>/dev/null; rm -rf "$work"' EXIT
chmod 755 "$work"
export NATFW_TRACE_AUDIT=off TZ=UTC
db="$work/index.sqlite"
NATFW_TRACE_DB=$db "$bin/natfw-index" --node vpn1 "$data/sample-vpn1" 2>/dev/null
NATFW_TRACE_DB=$db "$bin/natfw-index" --node vpn2 "$data/sample-vpn2" 2>/dev/null

queries=(
	"2021-03-01T00:00:00Z 192.0.2.10 65300" "2022-01-01T00:00:00Z 192.0.2.10 65300" "2022-07-01T00:00:00Z 192.0.2.10 64000"
	"2021-03-01T00:00:00Z 192.0.2.10 1000" "2022-07-01T00:00:00Z 192.0.2.10 40000" "2020-10-15T12:00:00Z 198.51.100.7 65300"
	"2021-08-01T00:00:00Z 198.51.100.7 62000" "2023-01-01T00:00:00Z 198.51.100.7 65535"
)
batch="$work/batch.csv"
{
	echo "time,ip,port"
	for q in "${queries[@]}"; do echo "${q// /,}"; done
} >"$batch"

# answers DB OUT: each single lookup (OUT/N) and the batch (OUT/batch), with exit codes.
answers() {
	local i=0 q
	rm -rf "$2" && mkdir "$2"
	for q in "${queries[@]}"; do
		i=$((i + 1))
		# shellcheck disable=SC2086
		NATFW_TRACE_DB=$1 timeout 20 "$bin/natfw-trace" --format json $q >"$2/$i" 2>/dev/null || echo "exit $?" >>"$2/$i"
	done
	NATFW_TRACE_DB=$1 timeout 60 "$bin/natfw-trace" --batch "$batch" >"$2/batch" 2>/dev/null || echo "exit $?" >>"$2/batch"
}
answers "$db" "$work/good"

flip() { # flip FILE OFFSET: inverts one byte in place
	local b
	b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf "\\$(printf %03o $((b ^ 255)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
# judge NAME OUT: each answer equals the intact one, or is a refusal (exit 4)
# after nothing but rows the intact index gives too (a batch stops there).
judge() {
	local f good n
	for f in "$2"/*; do
		good="$work/good/${f##*/}"
		if cmp -s "$f" "$good"; then
			same=$((same + 1))
			continue
		fi
		n=$(($(wc -l <"$f") - 1))
		# With --format json a refusal is also one JSON error object on stdout, the line before the exit.
		[[ $(tail -n2 "$f" | head -n1) == '{"error":'*'"exit":4}' ]] && n=$((n - 1))
		if [ "$(tail -n1 "$f")" = "exit 4" ] && cmp -s <(head -n "$n" "$f") <(head -n "$n" "$good"); then
			refused=$((refused + 1))
			continue
		fi
		echo "FAIL: $1: answer ${f##*/} differs from the intact index without a refusal:" >&2
		diff "$f" "$good" | head -n 8 >&2
		exit 1
	done
}

size=$(stat -c %s "$db")
same=0 refused=0 copies=60 caught=0
for k in $(seq 1 $copies); do
	copy="$work/flip.sqlite"
	cp "$db" "$copy"
	off=$(((size - 1) * k / (copies + 1) + k % 97))
	flip "$copy" "$off"
	answers "$copy" "$work/ans-flip"
	judge "byte $off flipped" "$work/ans-flip"
	NATFW_TRACE_DB=$copy "$bin/natfw-index" --verify >/dev/null 2>&1 || caught=$((caught + 1))
	rm -f "$copy" "$copy"-wal "$copy"-shm
done
echo "flipped bytes: $copies copies of $size bytes; answer sets equal to the intact index $same, refused with exit 4 $refused; --verify failed on $caught copies"

# A truncated copy: half the file.
cp "$db" "$work/trunc.sqlite"
truncate -s $((size / 2)) "$work/trunc.sqlite"
answers "$work/trunc.sqlite" "$work/ans-trunc"
judge "truncated" "$work/ans-trunc"
NATFW_TRACE_DB="$work/trunc.sqlite" "$bin/natfw-index" --verify >/dev/null 2>&1 && { echo "FAIL: --verify passed a truncated index" >&2; exit 1; }
echo "truncated copy: each answer refused or as intact; --verify fails"

# A full disk: no file may grow past 100 KB, so the WAL of the run cannot
# (EFBIG with SIGXFSZ ignored).
cp "$db" "$work/full.sqlite"
before=$(NATFW_TRACE_DB="$work/full.sqlite" "$bin/natfw-index" --list | md5sum)
rc=0
(trap "" XFSZ; ulimit -f 100; NATFW_TRACE_DB="$work/full.sqlite" "$bin/natfw-index" --node big "$data/sample-vpn2-iptables-save" >"$work/full.out" 2>&1) || rc=$?
[ "$rc" = 4 ] || { echo "FAIL: disk full: exit $rc, not 4" >&2; cat "$work/full.out" >&2; exit 1; }
after=$(NATFW_TRACE_DB="$work/full.sqlite" "$bin/natfw-index" --list | md5sum)
[ "$before" = "$after" ] || { echo "FAIL: disk full changed the index" >&2; exit 1; }
answers "$work/full.sqlite" "$work/ans-full"
judge "after a full disk" "$work/ans-full"
echo "disk full: exit 4 ($(tail -n1 "$work/full.out" | cut -c1-120)), index as before"

# An index its user may not write: natfw-index says so (exit 4); lookups answer.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	as_other=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
	rc=0
	NATFW_TRACE_DB=$db "${as_other[@]}" "$bin/natfw-index" --node n "$data/port-forwards" >"$work/ro.out" 2>&1 || rc=$?
	[ "$rc" = 4 ] || { echo "FAIL: read-only index: exit $rc, not 4" >&2; cat "$work/ro.out" >&2; exit 1; }
	echo "read-only index: exit 4 ($(head -n1 "$work/ro.out" | cut -c1-100))"
else
	echo "read-only index: skipped (needs root to act as another user)"
fi
