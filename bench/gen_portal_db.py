#!/usr/bin/env python3
"""A vpn-user-portal database (SQLite, schema 2023011801) from a connection log, for benchmarks.

gen_portal_db.py LOG DB [WIREGUARD_EVERY]

Each CONNECT of the log (journalctl -o short-iso, as gen_connection_log.py
writes it) becomes a row of connection_log, closed by its DISCONNECT or left
open. Every WIREGUARD_EVERY-th connection (default 200) is instead a
WireGuard peer, whose row stays open: its configuration lives for 90 days.
"""
import re
import sqlite3
import sys
from datetime import datetime, timezone

log, path = sys.argv[1], sys.argv[2]
wireguard_every = int(sys.argv[3]) if len(sys.argv) > 3 else 200
line_re = re.compile(r"^(\S+) \S+ vpn-user-portal\[\d+\]: (CONNECT|DISCONNECT) (\S+) \(([^:]+):([^)]+)\)(?: \[\S+ => ([^,]*),(\S*)\])?")


def portal_time(stamp):
    t = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S%z").astimezone(timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S+00:00")


db = sqlite3.connect(path)
db.executescript("""
CREATE TABLE connection_log(user_id VARCHAR(255) NOT NULL, profile_id VARCHAR(255) NOT NULL,
    vpn_proto VARCHAR(255) NOT NULL, connection_id VARCHAR(255) NOT NULL, ip_four VARCHAR(255) NOT NULL,
    ip_six VARCHAR(255) NOT NULL, connected_at VARCHAR(255) NOT NULL, bytes_in BIGINT DEFAULT NULL,
    bytes_out BIGINT DEFAULT NULL, disconnected_at VARCHAR(255) DEFAULT NULL);
CREATE INDEX connection_log_connected_at ON connection_log(connected_at);
""")
rows, row_of, seen = [], {}, 0
with open(log) as f:
    for line in f:
        m = line_re.match(line)
        if not m:
            continue
        stamp, event, user, profile, cid, ip4, ip6 = m.groups()
        if event == "CONNECT":
            seen += 1
            proto = "wireguard" if seen % wireguard_every == 0 else "openvpn"
            row_of[cid] = len(rows)
            rows.append([user, profile, proto, cid, ip4, ip6, portal_time(stamp), None, None, None])
        elif cid in row_of and rows[row_of[cid]][2] == "openvpn":
            row = rows[row_of.pop(cid)]
            row[7], row[8], row[9] = 1000, 1000, portal_time(stamp)
db.executemany("INSERT INTO connection_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
db.commit()
open_rows = sum(1 for r in rows if r[9] is None)
print(f"{len(rows)} rows, {open_rows} open", file=sys.stderr)
