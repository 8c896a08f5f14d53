#!/usr/bin/env bash
# Each program's --help against its man page source: an option the program
# takes and its page does not name fails the test; so does a page that scdoc
# cannot build or that groff warns about.
#   tests/man_options.sh BIN_DIR MAN_DIR
set -euo pipefail
bin=$1 man=$2
fail=0
for prog in natfw-trace natfw-index natfw-generate natfw-session-hook; do
	page=$(ls "$man/$prog".[18].scd)
	# Options as --help lists them: "-o,--output TEXT", "--db TEXT", "-n,--dry-run".
	if [ "$prog" = natfw-session-hook ]; then
		opts="--help --version" # its --help is a description: the portal runs it without options
	else
		opts=$("$bin/$prog" --help | grep -E '^  -' | awk '{print $1}' | tr ',' '\n' | sort -u)
	fi
	for opt in $opts; do
		if ! grep -qF -- "*$opt*" "$page"; then
			echo "$page: the option $opt that '$prog --help' shows is not documented"
			fail=1
		fi
	done
	if command -v scdoc >/dev/null; then
		out=$(mktemp)
		scdoc <"$page" >"$out"
		if command -v groff >/dev/null; then
			warnings=$(groff -man -Tutf8 -ww -z "$out" 2>&1 || true)
			[ -z "$warnings" ] || { echo "$page: groff: $warnings"; fail=1; }
		fi
		rm -f "$out"
	else
		echo "note: scdoc is not installed; $page is checked for options only"
	fi
done
[ "$fail" = 0 ] && echo "every option shown by --help is in its man page"
exit "$fail"
