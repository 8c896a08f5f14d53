#!/usr/bin/env bash
# Fuzzes the readers for as long as asked: every libFuzzer target of
# tests/fuzz/targets (or those named), SECONDS each, one after another, in a
# clang build with AddressSanitizer and UndefinedBehaviorSanitizer. The corpus
# grows in build-fuzz/corpus/NAME across runs; findings land in
# build-fuzz/findings/ (copy each into tests/fuzz/regressions/NAME/ with a
# name that says what it broke, and fix it). Prints the inputs run per target.
# Usage: tools/fuzz.sh SECONDS [NAME...]     e.g. tools/fuzz.sh 1800 ruleset csv
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:?usage: tools/fuzz.sh SECONDS [NAME...]}
shift
cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DNATFW_FUZZ=ON -DNATFW_SANITIZE=ON \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
	for src in tests/fuzz/targets/fuzz_*.cpp; do
		n=$(basename "$src" .cpp)
		names+=("${n#fuzz_}")
	done
fi
cmake --build build-fuzz -j "$(nproc)" --target fuzz_pack_seeds "${names[@]/#/fuzz_}"
bins=build-fuzz/tests/fuzz
status=0
for n in "${names[@]}"; do
	mkdir -p "build-fuzz/corpus/$n"
	log="build-fuzz/fuzz-$n.log"
	NATFW_FUZZ_FINDINGS=$PWD/build-fuzz/findings bash tests/fuzz/run_target.sh "$bins/fuzz_$n" "$n" seconds "$seconds" \
		"$bins/fuzz_pack_seeds" "$PWD/build-fuzz/corpus/$n" >"$log" 2>&1 || status=1
	execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo '?')
	rss=$(grep -o 'stat::peak_rss_mb: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo '?')
	verdict=ok
	grep -qE '^(==[0-9]+==ERROR|SUMMARY:)|ALARM|out-of-memory' "$log" && verdict="FINDING (see $log)"
	echo "fuzz $n: $execs inputs in ${seconds} s, peak RSS ${rss} MB, corpus $(find "build-fuzz/corpus/$n" -type f | wc -l): $verdict"
done
exit $status
