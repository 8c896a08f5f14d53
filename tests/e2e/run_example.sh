#!/usr/bin/env bash
# Runs an examples/ walkthrough against the built binaries; the walkthrough
# checks its own answers and exits non-zero when one is wrong.
# Usage: run_example.sh EXAMPLE.sh BIN_DIR
set -eu
example=$1 bin_dir=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/natfw-example.XXXXXX")
trap 'rm -rf "$work"' EXIT
PATH="$bin_dir:$PATH" NATFW_TRACE_DB="$work/index.sqlite" bash "$example"
