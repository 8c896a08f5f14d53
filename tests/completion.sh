#!/usr/bin/env bash
# The bash completion, driven as bash does: COMP_WORDS and COMP_CWORD set,
# the completion function called, COMPREPLY compared. Skips (77) without
# the bash-completion package.
#   tests/completion.sh BIN_DIR COMPLETION_FILE DATA_DIR
set -uo pipefail
bin=$1 file=$2 data=$3
lib=/usr/share/bash-completion/bash_completion
[ -r "$lib" ] || { echo "SKIP: bash-completion is not installed ($lib)"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PATH="$bin:$PATH"
# shellcheck disable=SC1090
. "$lib"
# shellcheck disable=SC1090
. "$file"
"$bin/natfw-index" --db "$work/i.sqlite" --node vpn1 "$data/sample-vpn1" >/dev/null 2>&1
"$bin/natfw-index" --db "$work/i.sqlite" --node vpn2 "$data/sample-vpn2" >/dev/null 2>&1
fail=0
# complete WORD... : the words of the line, the last one being completed.
complete_line()
{
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE="$*"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    _natfw
    printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}
expect()
{
    local want=$1
    shift
    local got
    got=$(complete_line "$@")
    if [ "$got" != "$want" ]; then
        echo "FAIL: '$*' completed to '$got', expected '$want'"
        fail=1
    else
        echo "ok: '$*' -> '$got'"
    fi
}
expect "tcp udp" natfw-trace --proto ""
expect "udp" natfw-trace --proto u
expect "csv json text" natfw-trace --format ""
expect "--xarf" natfw-trace --xa
expect "iptables nft" natfw-generate --format ""
expect "vpn1 vpn2" natfw-trace --db "$work/i.sqlite" --node ""
expect "vpn2" natfw-trace --db="$work/i.sqlite" --node vpn2
expect "--stale-after" natfw-trace --stale
expect "--list-nodes" natfw-trace --list-n
expect "--connection-log" natfw-index --connection-l
expect "--dry-run" natfw-generate --dry
[ "$fail" = 0 ] && echo "completion answers as expected"
exit "$fail"
