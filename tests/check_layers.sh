#!/usr/bin/env bash
# Fails when a libtrace file includes from a stage above its own, or from a
# sibling stage of the same rank: the stages of ARCHITECTURE.md as a check.
# Every project include must name its folder ("parse/ruleset.hpp").
# Usage: check_layers.sh LIBTRACE_DIR
set -u
root=${1:?usage: check_layers.sh LIBTRACE_DIR}
# A folder may include its own files and those of folders of a lower rank.
declare -A rank=([util]=0 [parse]=1 [derive]=2 [store]=3 [index]=4 [query]=4
	[batch]=5 [generate]=5 [present]=6)
status=0
checked=0
while IFS= read -r -d '' file; do
	rel=${file#"$root"/}
	stage=${rel%%/*}
	if [ "$stage" = "$rel" ] || [ -z "${rank[$stage]+x}" ]; then
		echo "$rel: not in a stage folder (${!rank[*]})"
		status=1
		continue
	fi
	n=0
	while IFS= read -r line; do
		n=$((n + 1))
		[[ $line =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]+\"([^\"]+)\" ]] || continue
		target=${BASH_REMATCH[1]}
		to=${target%%/*}
		checked=$((checked + 1))
		if [ "$to" = "$target" ] || [ -z "${rank[$to]+x}" ]; then
			echo "$rel:$n: includes \"$target\", which names no stage folder"
			status=1
		elif [ "$to" != "$stage" ] && [ "${rank[$to]}" -ge "${rank[$stage]}" ]; then
			echo "$rel:$n: $stage (rank ${rank[$stage]}) includes \"$target\" from $to (rank ${rank[$to]})"
			status=1
		fi
	done <"$file"
done < <(find "$root" -type f \( -name '*.hpp' -o -name '*.cpp' \) -print0 | sort -z)
[ "$checked" -gt 0 ] || { echo "no includes found under $root"; exit 1; }
[ $status -eq 0 ] && echo "layers: $checked includes, none upward"
exit $status
