#!/usr/bin/env bash
# The project's whole set-up on a Debian 12 machine, in one command:
#   tools/bootstrap.sh demo   install what is missing, build, run the demo on examples/
#   tools/bootstrap.sh test   install what is missing, build with warnings as errors
#                             and run every test, then again under ASan + UBSan
#   tools/bootstrap.sh package  build the Debian package (dpkg-buildpackage -b, its
#                             tests included), check it with lintian, install it into a
#                             fresh Debian root and use it there (tests/package/install_test.sh)
# Build trees: build/ (RelWithDebInfo) and build-asan/ (sanitizers); the package
# and its .changes land in the directory above the tree, as dpkg-buildpackage puts them.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-}
case $mode in
demo | test | package) ;;
*)
	echo "usage: tools/bootstrap.sh demo|test|package" >&2
	exit 2
	;;
esac

packages=(cmake make g++ libsqlite3-dev libsqlitecpp-dev libcli11-dev libhowardhinnant-date-dev libfmt-dev
	doctest-dev nlohmann-json3-dev nettle-dev zlib1g-dev libzstd-dev libmimalloc-dev libabsl-dev tzdata util-linux scdoc)
# scdoc builds the man pages from man/*.scd.
# The tests also verify the example systemd units (systemd-analyze) and make
# portal databases with the sqlite3 shell.
# The sanitizer build is clang's, so that it also builds the libFuzzer
# targets (clang 14 alone lacks the fuzzer runtime: libclang-rt-14-dev).
# The kernel-oracle test loads rulesets into network namespaces and reads
# conntrack (it skips where namespaces are not allowed).
# groff checks that the man pages render without warnings; bash-completion
# drives the completion test.
[ "$mode" = test ] && packages+=(systemd clang libclang-rt-14-dev sqlite3 iproute2 nftables iptables conntrack python3
	groff-base bash-completion)
# The package's build dependencies (debian/control), its checker, and a
# fresh Debian root to install it into.
[ "$mode" = package ] && packages+=(dpkg-dev debhelper lintian debootstrap systemd sqlite3 python3 groff-base
	bash-completion)

install_missing() {
	local missing=()
	for p in "${packages[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "== installing: ${missing[*]}"
	local sudo=()
	[ "$(id -u)" -eq 0 ] || sudo=(sudo)
	"${sudo[@]}" apt-get -o DPkg::Lock::Timeout=120 update -qq
	DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=120 install -y -qq --no-install-recommends "${missing[@]}"
}

build() { # build DIR CMAKE-ARGS...
	local dir=$1
	shift
	cmake -S . -B "$dir" -DNATFW_WERROR=ON "$@" >/dev/null
	cmake --build "$dir" -j "$(nproc)"
}

install_missing
jobs=$(nproc)
if [ "$mode" = package ]; then
	echo "== dpkg-buildpackage -b"
	DEB_BUILD_OPTIONS="parallel=$jobs ${DEB_BUILD_OPTIONS:-}" dpkg-buildpackage -b -us -uc
	version=$(dpkg-parsechangelog -S Version)
	arch=$(dpkg-architecture -q DEB_HOST_ARCH)
	echo "== lintian"
	lintian --fail-on error,warning "../natfw-trace_${version}_${arch}.changes"
	echo "== install test"
	bash tests/package/install_test.sh "../natfw-trace_${version}_${arch}.deb"
	exit 0
fi
if [ "$mode" = demo ]; then
	build build
	echo "== demo: examples/demo.sh"
	bash tests/e2e/run_example.sh examples/demo.sh build/apps
	exit 0
fi

build build
echo "== tests (build/)"
(cd build && ctest --output-on-failure -j "$jobs")
# A build-asan/ configured with g++ by an older checkout cannot switch compilers in place.
grep -qs '^CMAKE_CXX_COMPILER:.*g++' build-asan/CMakeCache.txt && rm -rf build-asan
build build-asan -DCMAKE_CXX_COMPILER=clang++ -DNATFW_SANITIZE=ON -DNATFW_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug
echo "== tests under AddressSanitizer + UndefinedBehaviorSanitizer, and short fuzz runs (build-asan/)"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	ctest --output-on-failure -j "$jobs")
