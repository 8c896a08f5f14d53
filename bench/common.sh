# Shared by the bench/*.sh scripts (sourced, not run): paths, the checks that
# a build and the baselines are there, and the generated histories.
# Sets root, shared, bin; exits 0 without ../shared/bench (nothing to compare).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=$root/../shared/bench
bin=${NATFW_BENCH_BIN:-$root/build/apps} # another build tree: NATFW_BENCH_BIN=DIR/apps
export TZ=UTC NATFW_TRACE_AUDIT=off # a benchmark run is not a desk lookup

[ -d "$shared" ] || { echo "bench: no baselines at $shared; nothing to compare against" >&2; exit 0; }
command -v sqlite3 >/dev/null || { echo "bench: needs the sqlite3 shell (apt-get install sqlite3)" >&2; exit 2; }
[ -x "$bin/natfw-trace" ] && [ -x "$bin/natfw-index" ] || { echo "bench: build first (tools/bootstrap.sh demo)" >&2; exit 2; }

# bench_history SCALE DIR: generates DIR/hist (S, M, L or XL) unless it is there; sets
# snaps, clients and hist. Returns 2 for an unknown scale.
bench_history() {
	case $1 in
	S) snaps=10 clients=254 ;;
	M) snaps=100 clients=4094 ;;
	L) snaps=300 clients=16382 ;;
	XL) snaps=1000 clients=16382 ;; # 2.6 GB: on demand only
	*) return 2 ;;
	esac
	mkdir -p "$2"
	hist=$2/hist
	if [ ! -f "$hist.truth.json" ]; then
		echo "== generating $snaps snapshots x $clients clients in $hist"
		python3 "$shared/gen_history.py" "$hist" -n "$snaps" -c "$clients" --seed 7 >/dev/null
	fi
}
