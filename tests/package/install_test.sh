#!/usr/bin/env bash
# The package as a sysadmin meets it: installed with apt into a fresh Debian
# 12 root (debootstrap, kept under /var/tmp as a pristine tarball for the next
# run), then used as the README says: root indexes a node's history into
# /var/lib/natfw-trace; a desk user in the group natfw looks up the seed
# incident and runs the demo on the installed programs; a user outside the
# group cannot read the index. Then the upgrade path (an index of schema 1
# upgraded by the postinst, lookups working at once), removal (the index is
# kept) and purge (it says what it deletes and keeps).
#   tests/package/install_test.sh DEB
# Needs root and debootstrap; exits 77 (skipped) without them.
set -euo pipefail
deb=$(realpath "$1")
repo=$(cd "$(dirname "$0")/../.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "SKIP: the install test needs root (chroot, dpkg)"; exit 77; }
command -v debootstrap >/dev/null || { echo "SKIP: debootstrap is not installed"; exit 77; }
cache=${NATFW_PKGROOT_CACHE:-/var/tmp/natfw-pkgroot.tar}
root=$(mktemp -d /var/tmp/natfw-pkgtest.XXXXXX)
cleanup() {
	for m in proc dev/pts dev; do umount -l "$root/$m" 2>/dev/null || true; done
	rm -rf --one-file-system "$root"
}
trap cleanup EXIT
mirror=$(awk '/^URIs:/ { print $2; exit } /^deb / { print $2; exit }' /etc/apt/sources.list.d/*.sources \
	/etc/apt/sources.list 2>/dev/null | head -1)
mirror=${mirror:-http://deb.debian.org/debian}
if [ ! -s "$cache" ]; then
	echo "== debootstrap bookworm from $mirror (once; cached in $cache)"
	debootstrap --variant=minbase bookworm "$root" "$mirror" >/dev/null
	tar -C "$root" -cf "$cache.tmp" . && mv "$cache.tmp" "$cache"
else
	tar -C "$root" -xf "$cache"
fi
chmod 755 "$root" # mktemp made it 0700 (and the tarball keeps that): every user must reach /usr
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }
# A user's PATH as Debian 12 gives it (no sbin), unless PATH_EXTRA adds to it.
as_user() { local u=$1; shift; chroot --userspec="$u:$u" --groups="$(in_root id -Gn "$u" | tr ' ' ',')" "$root" \
	/usr/bin/env -i PATH=${PATH_EXTRA:-}/usr/bin:/bin HOME=/home/$u LANG=C.UTF-8 "$@"; }
fail() { echo "FAIL: $*"; exit 1; }

cp "$deb" "$root/tmp/natfw-trace.deb"
echo "== apt install ./natfw-trace.deb"
in_root apt-get -qq update
DEBIAN_FRONTEND=noninteractive in_root apt-get install -y -qq --no-install-recommends /tmp/natfw-trace.deb >/dev/null
in_root getent group natfw >/dev/null || fail "the group natfw was not created"
[ "$(in_root stat -c '%a %U:%G' /var/lib/natfw-trace)" = "2750 root:natfw" ] ||
	fail "/var/lib/natfw-trace is $(in_root stat -c '%a %U:%G' /var/lib/natfw-trace)"
for f in /usr/bin/natfw-trace /usr/sbin/natfw-index /usr/sbin/natfw-generate /usr/sbin/natfw-session-hook \
	/usr/share/man/man1/natfw-trace.1.gz /usr/share/man/man8/natfw-index.8.gz \
	/usr/share/bash-completion/completions/natfw-trace /lib/systemd/system/natfw-index.path \
	/lib/systemd/system/natfw-verify.timer /etc/natfw-trace/generate.conf /etc/logrotate.d/natfw-trace; do
	in_root test -e "$f" || fail "$f is not installed"
done
grep -q '^ExecStart=/usr/sbin/natfw-index ' "$root/lib/systemd/system/natfw-index.service" ||
	fail "natfw-index.service does not run /usr/sbin/natfw-index"
! grep -q '^[a-z]' "$root/etc/natfw-trace/generate.conf" || fail "generate.conf has settings that are not comments"

echo "== root indexes a node's history into the default index"
cp -r "$repo/examples/etc-iptables" "$root/root/etc-iptables"
in_root natfw-index --node vpn1 /root/etc-iptables 2>&1 | tail -1
perm=$(in_root stat -c '%a %U:%G' /var/lib/natfw-trace/index.sqlite)
[ "$perm" = "640 root:natfw" ] || fail "the index is $perm, expected 640 root:natfw"
in_root useradd -m -G natfw desk
in_root useradd -m outsider

echo "== a desk user (group natfw) looks up the seed incident"
out=$(as_user desk natfw-trace --audit off "2020-12-26 13:37:42 CET" 192.0.2.10 65300) || fail "lookup as desk: $out"
grep -qx 'unique:   10.66.0.2' <<<"$out" || fail "desk lookup answered: $out"
echo "$out" | head -2
[ "$(as_user desk natfw-trace --list-nodes)" = vpn1 ] || fail "--list-nodes as desk"
echo "== a user outside the group cannot read it"
set +e
out=$(as_user outsider natfw-trace --audit off "2020-12-26 13:37:42 CET" 192.0.2.10 65300 2>&1)
rc=$?
set -e
[ "$rc" = 4 ] && grep -q 'Permission denied' <<<"$out" || fail "outsider lookup exited $rc: $out"
echo "$out"

echo "== the demo, as the desk user, on the installed programs"
cp -r "$repo/examples" "$root/home/desk/examples"
in_root chown -R desk:desk /home/desk/examples
PATH_EXTRA=/usr/sbin: as_user desk bash /home/desk/examples/demo.sh >"$root/tmp/demo.out" 2>&1 || { cat "$root/tmp/demo.out"; fail "the demo"; }
tail -3 "$root/tmp/demo.out"

echo "== an upgrade keeps the index and brings an old schema up to date"
cp "$repo/tests/data/schema-v1-index/index.sqlite" "$root/var/lib/natfw-trace/index.sqlite"
rm -f "$root/var/lib/natfw-trace/index.sqlite-wal" "$root/var/lib/natfw-trace/index.sqlite-shm"
DEBIAN_FRONTEND=noninteractive in_root apt-get install -y -qq --reinstall /tmp/natfw-trace.deb 2>&1 | grep natfw || true
set +e
out=$(as_user desk natfw-trace --audit off --proto tcp @1700000001 203.0.113.7 65100 2>&1)
rc=$?
set -e
# Schema 1's cells answered 10.1.0.3 here, wrongly; the upgraded index says none (exit 1).
[ "$rc" = 1 ] && grep -q '^none: ' <<<"$out" || fail "lookup after the upgrade exited $rc: $out"
echo "$out" | sed -n 2p

echo "== remove keeps the index; purge says what it deletes and keeps"
DEBIAN_FRONTEND=noninteractive in_root apt-get remove -y -qq natfw-trace >/dev/null
in_root test -e /var/lib/natfw-trace/index.sqlite || fail "remove deleted the index"
DEBIAN_FRONTEND=noninteractive in_root apt-get purge -y -qq natfw-trace 2>&1 | grep '^natfw-trace:' || fail "purge said nothing"
in_root test -e /var/lib/natfw-trace/index.sqlite || fail "purge deleted the index"
in_root test ! -e /etc/natfw-trace/generate.conf || fail "purge kept generate.conf"
echo "package install test passed"
