#!/usr/bin/env bash
# Runs one end-to-end case: tests/e2e/cases/NAME.sh is executed in a scratch
# directory with the built binaries first on PATH; its stdout and stderr, with
# the fixture and scratch paths replaced by @DATA@ and @WORK@, must equal
# NAME.stdout and NAME.stderr. NATFW_UPDATE_GOLDEN=1 rewrites the golden
# files instead (review the diff before committing it).
# Usage: run_case.sh CASE.sh BIN_DIR DATA_DIR
set -u
case_file=$(realpath "$1") bin_dir=$(realpath "$2") data_dir=$(realpath "$3")
golden=${case_file%.sh}
work=$(mktemp -d "${TMPDIR:-/tmp}/natfw-e2e.XXXXXX")
trap 'chmod -R u+rwX "$work" 2>/dev/null; rm -rf "$work"' EXIT
chmod 755 "$work"

# Lookups are not audited unless a case asks for it (keeps test runs out of syslog).
export PATH="$bin_dir:$PATH" DATA="$data_dir" WORK="$work" NATFW_TRACE_DB="$work/index.sqlite" TZ=UTC LC_ALL=C \
	NATFW_TRACE_AUDIT=off
(
	cd "$work" || exit 1
	t() {
		local line
		line=$(printf ' %q' "$@")
		printf '$%s\n' "$line"
		printf '$%s\n' "$line" >&2
		"$@"
		printf '[exit %d]\n' "$?"
	}
	# t CMD...: runs a command and records it and its exit status on both streams.
	# shellcheck source=/dev/null
	. "$case_file"
) >"$work/.stdout" 2>"$work/.stderr"

normalise() { sed -e "s#$data_dir#@DATA@#g" -e "s#$work#@WORK@#g" "$1"; }
if [ "${NATFW_UPDATE_GOLDEN:-}" = 1 ]; then
	normalise "$work/.stdout" >"$golden.stdout"
	normalise "$work/.stderr" >"$golden.stderr"
	echo "updated $golden.stdout and $golden.stderr"
	exit 0
fi
status=0
diff -u "$golden.stdout" <(normalise "$work/.stdout") || status=1
diff -u "$golden.stderr" <(normalise "$work/.stderr") || status=1
exit $status
