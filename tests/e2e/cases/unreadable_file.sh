# An unreadable snapshot is an error for that file (exit 1); the others index.
# Run as an unprivileged user, since root reads any file.
mkdir -p hist && cp "$DATA"/unusable-history/rules.v4.1600000000 "$DATA"/unusable-history/rules.v4.1600300000 hist/
cp hist/rules.v4.1600000000 hist/rules.v4.1600200000
chmod 000 hist/rules.v4.1600200000
chmod 777 "$WORK"
as_user() { if [ "$(id -u)" = 0 ]; then setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"; else "$@"; fi; }
t as_user natfw-index --node gw hist
t natfw-index --list
