# XARF v4 reports (--xarf) answered like batch rows: one pretty-printed report,
# an array (windows from first_seen/last_seen across a ruleset change, reports
# without a port, protocols that name no transport or no ports), JSON lines
# with broken lines, and CSV out. The NAT history and connection log are
# tests/data/sessions (see tests/data/xarf/README.md).
t natfw-index --node vpn "$DATA/sessions/nat" --connection-log "$DATA/sessions/journal-short-iso.log" >/dev/null
t natfw-trace --xarf "$DATA/xarf/login-attack.json"
t natfw-trace --xarf "$DATA/xarf/reports.json"
t natfw-trace --xarf - --format csv <"$DATA/xarf/reports.jsonl"
# Each report answered without a window equals the single lookup's JSON answer
# (the answer line without its leading "xarf" member).
natfw-trace --xarf "$DATA/xarf/reports.json" 2>/dev/null >answers.jsonl
same_as_single() {
	local n=$1 want got
	shift
	want=$(sed -n "${n}p" answers.jsonl | sed 's/^{"xarf":{[^}]*},/{/')
	got=$(natfw-trace --format json "$@" 2>/dev/null)
	if [ -n "$got" ] && [ "$want" = "$got" ]; then
		echo "report $n equals the single lookup"
	else
		printf 'report %s DIFFERS\n  xarf:   %s\n  single: %s\n' "$n" "$want" "$got"
	fi
}
same_as_single 1 --proto tcp 2020-12-26T12:15:00Z 192.0.2.10 65300
same_as_single 3 --proto tcp 2020-12-27T00:10:00Z 192.0.2.10 65300
same_as_single 5 2020-12-26T10:30:00Z fd66::2
same_as_single 10 --proto tcp 2020-12-25T12:00:00Z 192.0.2.10 65300
same_as_single 12 --proto tcp 2020-12-26T11:30:00+01:00 192.0.2.10 65300
same_as_single 13 --proto udp 2020-12-26T10:30:00Z 192.0.2.11 40000
# Without sessions, a report without a port cannot be answered.
natfw-index --db no-sessions.sqlite --node vpn "$DATA/sessions/nat" >/dev/null 2>&1
printf '{"timestamp": "2020-12-26T10:30:00Z", "source_identifier": "192.0.2.10"}\n' >noport.json
t natfw-trace --db no-sessions.sqlite --xarf noport.json --format csv
# Inputs that hold no report, and options that do not go with --xarf.
: >empty.json
t natfw-trace --xarf empty.json
printf 'time,source_ip,source_port\n' >complaints.csv
t natfw-trace --xarf complaints.csv --format csv
t natfw-trace --xarf missing.json
t natfw-trace --xarf noport.json --batch complaints.csv
t natfw-trace --xarf noport.json --format text
t natfw-trace --xarf noport.json --time-col time
t natfw-trace --xarf noport.json --proto tcp
t natfw-trace --xarf noport.json @1608976800 192.0.2.10 65300
t natfw-trace --format csv @1608976800 192.0.2.10 65300
t natfw-trace --xarf noport.json --internal 10.66.0.2
# -o writes the answers to a file; it is never the input.
t natfw-trace --xarf "$DATA/xarf/login-attack.json" --format csv -o answered.csv
cut -d, -f1-4,10-12 answered.csv
t natfw-trace --xarf noport.json -o noport.json
