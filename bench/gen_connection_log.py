#!/usr/bin/env python3
"""A portal's connection log as `journalctl -o short-iso` prints it, for benchmarks.

gen_connection_log.py LINES [USERS] [SEED] > portal.log

OpenVPN clients connect and disconnect over days, taking addresses from a
pool that hands the lowest free address back out (as OpenVPN's pool does),
so addresses change hands many times; about 1 line in 50 is other portal
chatter. Deterministic for a seed.
"""
import heapq
import random
import sys
from datetime import datetime, timezone

lines = int(sys.argv[1])
users = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)

t = 1606780800  # 2020-12-01T00:00:00Z
free = list(range(2, 65000))  # host numbers in 10.64.0.0/16
heapq.heapify(free)
open_conns = []  # (end time, connection id, user, profile, host)
conn_seq = 0
out = sys.stdout.write
written = 0
out("-- Journal begins at Tue 2020-12-01 00:00:00 UTC. --\n")


def stamp(ts):
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+0000")


def host_ip(h, v6=False):
    return f"fd64::{h:x}" if v6 else f"10.64.{h >> 8}.{h & 255}"


while written < lines:
    t += rng.randint(0, 3)
    while open_conns and open_conns[0][0] <= t and written < lines:
        end, cid, user, profile, h = heapq.heappop(open_conns)
        out(f"{stamp(end)} vpn vpn-user-portal[812]: DISCONNECT {user} ({profile}:{cid})\n")
        heapq.heappush(free, h)
        written += 1
    if written >= lines:
        break
    if rng.random() < 0.02:
        out(f"{stamp(t)} vpn systemd[1]: Started Session {rng.randint(1, 99999)} of user vpn.\n")
        written += 1
        continue
    conn_seq += 1
    cid = f"{conn_seq:032x}"
    user = f"user{rng.randrange(users)}"
    profile = rng.choice(("students", "staff"))
    h = heapq.heappop(free)
    origin = f"198.51.100.{rng.randint(1, 254)}" if rng.random() < 0.7 else "*"
    out(f"{stamp(t)} vpn vpn-user-portal[812]: CONNECT {user} ({profile}:{cid}) [{origin} => {host_ip(h)},{host_ip(h, True)}]\n")
    written += 1
    heapq.heappush(open_conns, (t + rng.randint(60, 8 * 3600), cid, user, profile, h))
