# The portal's connect/disconnect hook: it appends one record per event to
# the spool, always exits 0 (a failing hook would refuse the user's
# connection), and natfw-index --session-spool reads what it wrote. Times are
# the hook's own clock, so they are replaced by @NOW@ below.
now() { sed -E -e 's/"[0-9]{16}"/"@US@"/' -e 's/"_HOSTNAME":"[^"]*"/"_HOSTNAME":"@HOST@"/' -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9:.]+(Z|[+-][0-9:]+)?/@NOW@/g' -e 's/duration [^)]*\)/duration @D@)/g' -e 's/[0-9]+ day\(s\) before the time asked/@DAYS@ day(s) before the time asked/'; }
export NATFW_SESSION_SPOOL=$PWD/sessions.jsonl
cp -r "$DATA/sessions/nat" nat
hook() { env "$@" natfw-session-hook; echo "[hook exit $?]"; }
hook VPN_EVENT=C VPN_USER_ID='Jane Doe' VPN_PROFILE_ID=staff VPN_CONNECTION_ID=c0ffee VPN_PROTO=openvpn \
	VPN_ORIGINATING_IP=198.51.100.7 VPN_IP_FOUR=10.66.0.3 VPN_IP_SIX=fd66::3
ls -l sessions.jsonl | cut -c1-10
# Fifty connects at once: fifty whole records, none torn.
for i in $(seq 10 59); do
	hook VPN_EVENT=C VPN_USER_ID="user$i" VPN_PROFILE_ID=staff VPN_CONNECTION_ID="conn$i" VPN_PROTO=openvpn \
		VPN_IP_FOUR="10.66.1.$i" VPN_IP_SIX= >/dev/null &
done
wait
wc -l <sessions.jsonl
t natfw-index --node vpn nat --session-spool sessions.jsonl
t natfw-index --session-spool sessions.jsonl
sleep 1 # a whole second after the connect, whatever its fraction
at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
t natfw-trace --proto tcp "$at" 192.0.2.10 65300 2>&1 | now
hook VPN_EVENT=D VPN_USER_ID='Jane Doe' VPN_PROFILE_ID=staff VPN_CONNECTION_ID=c0ffee VPN_BYTES_IN=10 VPN_BYTES_OUT=20
t natfw-index --session-spool sessions.jsonl
t natfw-trace --proto tcp "$at" 192.0.2.10 65300 2>&1 | now
# What the portal must never see fail: no event, a spool it cannot write.
hook
hook VPN_EVENT=C VPN_USER_ID=x VPN_PROFILE_ID=p VPN_CONNECTION_ID=c VPN_IP_FOUR=bogus
hook NATFW_SESSION_SPOOL=/nonexistent/dir/s.jsonl VPN_EVENT=D VPN_USER_ID=x VPN_PROFILE_ID=p VPN_CONNECTION_ID=c 2>&1 | now
ln -s victim link.jsonl
hook NATFW_SESSION_SPOOL=$PWD/link.jsonl VPN_EVENT=D VPN_USER_ID=x VPN_PROFILE_ID=p VPN_CONNECTION_ID=c 2>&1 | now
test -e victim || echo "the symlink's target was not created"
wc -l <sessions.jsonl
