# From the address to the user: a pool address held by alice, nobody, bob
# (whose end is inferred from carol's CONNECT) and carol in turn; a WireGuard
# peer alone in a subnet rule; a session across a ruleset change; a time
# before the log starts. The address status and exit codes stay as they were.
t natfw-index --node vpn "$DATA/sessions/nat" --connection-log "$DATA/sessions/journal-short-iso.log"
t natfw-index --node vpn "$DATA/sessions/nat" --connection-log "$DATA/sessions/journal-short-iso.log"
t natfw-trace --proto tcp '2020-12-26 11:30:00 CET' 192.0.2.10 65300
t natfw-trace --proto tcp '2020-12-26T12:15:00Z' 192.0.2.10 65300
t natfw-trace --proto tcp '2020-12-26T12:27:00Z' 192.0.2.10 65300
t natfw-trace --proto tcp '2020-12-26T13:00:00Z' 192.0.2.10 65300
t natfw-trace --proto udp '2020-12-26T10:30:00Z' 192.0.2.11 40000
t natfw-trace --proto tcp '2020-12-27T00:30:00Z' 192.0.2.10 65300
t natfw-trace --proto tcp '2020-12-26T08:00:00Z' 192.0.2.10 65300
t natfw-trace --proto tcp --format json '2020-12-26T10:30:00Z' 192.0.2.10 65300
t natfw-trace --proto tcp --format json '2020-12-26T13:00:00Z' 192.0.2.10 65300
# A batch: the same answers per row, with natfw_user and natfw_user_status.
cat >complaints.csv <<'CSV'
time,source_ip,source_port,protocol
2020-12-26 11:30:00 CET,192.0.2.10,65300,tcp
2020-12-26T12:15:00Z,192.0.2.10,65300,tcp
2020-12-26T13:00:00Z,192.0.2.10,65300,tcp
2020-12-26T10:30:00Z,192.0.2.11,40000,udp
2020-12-27T00:30:00Z,192.0.2.10,65300,tcp
2020-12-26T08:00:00Z,192.0.2.10,65300,tcp
2020-12-26T12:00:00Z,192.0.2.10,65300,tcp
not a time,192.0.2.10,65300,tcp
CSV
t natfw-trace --batch complaints.csv
# Every row's user equals the single lookup's.
tail -n +2 complaints.csv | while IFS=, read -r time ip port proto; do
	natfw-trace --format json --proto "$proto" "$time" "$ip" "$port" 2>/dev/null |
		grep -o '"user":[^,]*,"user_status":"[a-z]*"' | tail -1
done
# Forward from a user: each session with the port blocks its address had,
# across the ruleset change at 2020-12-27T00:00:00Z for erin.
t natfw-trace --user erin
t natfw-trace --user alice --format json
t natfw-trace --user dave --from '2020-12-27 12:00:00 CET' --until 2020-12-27T23:00:00Z
t natfw-trace --user carol --until 2020-12-26T10:00:00Z
t natfw-trace --user nobody
t natfw-trace --user erin --internal 10.66.0.3
t natfw-trace --user erin '2020-12-26 11:30:00 CET' 192.0.2.10 65300
t natfw-trace --user '' 
t natfw-index --db no-sessions.sqlite "$DATA/sessions/nat"
t natfw-trace --user erin --db no-sessions.sqlite
t natfw-trace --user erin --db missing.sqlite
# The audit trail names the VPN user an answer found, and whose sessions --user listed.
natfw-trace --audit audit.log --proto tcp '2020-12-26 11:30:00 CET' 192.0.2.10 65300 >/dev/null
natfw-trace --audit audit.log --user erin >/dev/null
grep -o '"kind":"[a-z]*"\|"vpn_user[a-z_]*":[^,}]*\|"status":"[a-z]*"\|"sessions":[0-9]*' audit.log
