#!/usr/bin/env bash
# Runs one fuzz target over its seeds (fixtures of the tree) and every input
# that ever crashed, hung or blew up (regressions/NAME), for a number of
# inputs (CTest) or seconds (tools/fuzz.sh).
# Usage: run_target.sh BIN NAME runs|seconds N PACK_SEEDS_BIN [CORPUS_DIR]
# Without CORPUS_DIR the corpus is a scratch directory, removed afterwards.
# Findings (crash-*, timeout-*, oom-*) are written to $NATFW_FUZZ_FINDINGS
# (default: the current directory).
set -euo pipefail
bin=$1 name=$2 mode=$3 count=$4 pack_seeds=$5 corpus=${6:-}
here=$(cd "$(dirname "$0")" && pwd)
data="$here/../data"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/natfw-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
[ -n "$corpus" ] || corpus="$scratch/corpus"
mkdir -p "$corpus" "$scratch/seeds"
seeds="$scratch/seeds"

case $name in
ruleset) find "$data" -name 'rules.v4.*' -type f -size -17k -exec cp -t "$seeds" --backup=numbered {} + ;;
rule)
	# The options of each distinct rule line (what follows "-A CHAIN").
	find "$data" -name 'rules.v4.*' -type f -exec grep -h '^-A ' {} + | sort -u | awk 'NR <= 400' |
		awk -v d="$seeds" '{ sub(/^-A [^ ]+ /, ""); f = d "/r" NR; printf "%s", $0 > f; close(f) }'
	;;
time) cp "$here"/seeds/time/* "$seeds"/ ;;
csv) find "$data" -name '*.csv' -type f -exec cp -t "$seeds" --backup=numbered {} + ;;
xarf) cp "$data"/xarf/* "$seeds"/ ;;
log) find "$data/sessions" -maxdepth 1 -type f ! -name '*.sql' -exec cp -t "$seeds" --backup=numbered {} + ;;
event_block) cp "$here"/seeds/event_block/* "$seeds"/ ;;
session_block) cp "$here"/seeds/session_block/* "$seeds"/ ;;
nft_document) cp "$data"/nft/* "$seeds"/ ;;
nft_json) cp "$data"/nft/*.json "$seeds"/ ;;
pack) find "$data" -name 'rules.v4.*' -type f -size -17k -print0 | xargs -0 "$pack_seeds" "$seeds" ;;
rule_block) find "$data" -name 'rules.v4.*' -type f -size -17k -print0 | xargs -0 "$pack_seeds" --rule-blocks "$seeds" ;;
cell_block) find "$data" -name 'rules.v4.*' -type f -size -17k -print0 | xargs -0 "$pack_seeds" --cell-blocks "$seeds" ;;
*) ;; # a target without seeds starts from its regressions alone
esac
if compgen -G "$here/regressions/$name/*" >/dev/null; then
	cp "$here"/regressions/"$name"/* "$seeds"/
fi

findings=${NATFW_FUZZ_FINDINGS:-$PWD}
mkdir -p "$findings"
# -timeout=1: an input taking over a second is a finding (a hang, or a blow-up).
# -rss_limit_mb: memory stays bounded. New inputs go to the first directory only.
limits=(-timeout=1 -rss_limit_mb=2048 -max_len=65536 -artifact_prefix="$findings/$name-" -print_final_stats=1)
if [ "$mode" = runs ]; then
	limits+=(-runs="$count")
else
	limits+=(-max_total_time="$count")
fi
echo "fuzz $name: $(find "$seeds" -type f | wc -l) seeds, $mode $count"
"$bin" "${limits[@]}" "$corpus" "$seeds" 2>&1 | tail -n 25
