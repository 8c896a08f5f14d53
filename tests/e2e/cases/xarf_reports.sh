# XARF v4 reports (--xarf) answered like batch rows: one pretty-printed report,
# an array (windows from first_seen/last_seen across a ruleset change, reports
# without a port, protocols that name no transport or no ports), JSON lines
# with broken lines, and CSV out. The NAT history and connection log are
# tests/data/sessions (see tests/data/xarf/README.md).
t natfw-index --node vpn "$DATA/sessions/nat" --connection-log "$DATA/sessions/journal-short-iso.log" >/dev/null
t natfw-trace --xarf "$DATA/xarf/login-attack.json"
t natfw-trace --xarf "$DATA/xarf/reports.json"
t natfw-trace --xarf - --format csv <"$DATA/xarf/reports.jsonl"
# Each report answered without a window equals the single lookup's JSON answer.
natfw-trace --xarf "$DATA/xarf/reports.json" 2>/dev/null >answers.jsonl
python3 - "$DATA/xarf/reports.json" answers.jsonl <<'PY'
import json, subprocess, sys
reports = json.load(open(sys.argv[1]))
answers = [json.loads(line) for line in open(sys.argv[2])]
print(len(reports), "reports,", len(answers), "answers")
for r, a in zip(reports, answers):
    proto = r.get("protocol", "tcp").lower()
    if a["status"] == "error" or "first_seen" in r or "last_seen" in r or proto not in ("tcp", "udp"):
        continue
    cmd = ["natfw-trace", "--format", "json"] + (["--proto", proto] if "protocol" in r else [])
    cmd += [r["timestamp"], r["source_identifier"]] + ([str(r["source_port"])] if "source_port" in r else [])
    single = json.loads(subprocess.run(cmd, capture_output=True, text=True).stdout)
    del a["xarf"]
    print(r["report_id"][-2:], "equals the single lookup" if single == a else "DIFFERS from " + json.dumps(single))
PY
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
