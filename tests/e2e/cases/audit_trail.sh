# The audit trail: every lookup (also a failed one) and every batch leaves one
# JSON line with time, user, command line and outcome; --audit off and an
# unwritable target are honoured without failing the lookup.
mkdir -p hist && cp "$DATA"/sample-vpn2/rules.v4.1* hist/
t natfw-index --node vpn2 hist
export NATFW_TRACE_AUDIT="$WORK/audit.log"
natfw-trace @1625097700 198.51.100.20 65500 --proto tcp >/dev/null
natfw-trace --format json "2021-07-01 00:01:40" 198.51.100.20 1 >/dev/null
t natfw-trace "2021-02-30 00:00:00" 198.51.100.20 65500
printf 'time,ip,port\n@1625097700,198.51.100.20,65500\nbad,198.51.100.20,65500\n' >c.csv
natfw-trace --batch c.csv -o answered.csv 2>/dev/null
t natfw-trace --audit off @1625097700 198.51.100.20 65500 --proto udp
t natfw-trace --audit "$WORK/no/such/dir/audit.log" @1625097700 198.51.100.20 65500 --proto udp
# Time, pid, uid and user vary between runs.
t sed -E -e 's/"time":"[^"]*"/"time":"T"/' -e 's/"pid":[0-9]+/"pid":P/' -e 's/"uid":[0-9]+/"uid":U/' \
	-e 's/"user":"[^"]*"/"user":"U"/' audit.log
t wc -l audit.log
