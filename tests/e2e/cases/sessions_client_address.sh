# A complaint naming a VPN client's own address (IPv6 from the routed prefix,
# or an IPv4 address no rule NATs to) is answered from the sessions, the port
# optional. IPv6 is read in any form and printed compressed; ::ffff: mapped
# IPv4 is IPv4.
t natfw-index --node vpn "$DATA/sessions/nat" --connection-log "$DATA/sessions/journal-short-iso.log"
t natfw-trace '2020-12-26 11:30:00 CET' fd66::2
t natfw-trace '2020-12-26 11:30:00 CET' FD66:0000:0000:0000:0000:0000:0000:0002 443
t natfw-trace --format json '2020-12-26 11:30:00 CET' '[fd66::2]:443'
t natfw-trace '2020-12-26T12:15:00Z' fd66::2
t natfw-trace '2020-12-26T08:00:00Z' fd66::2
t natfw-trace '2020-12-28T08:00:00Z' fd66::2
t natfw-trace '2020-12-26T09:30:00Z' fd77::3
# The internal IPv4 address itself, with no port: held by alice, not NATed at that point.
t natfw-trace '2020-12-26 11:30:00 CET' 10.66.0.2
t natfw-trace '2020-12-26 11:30:00 CET' ::ffff:10.66.0.2
# A public address with its port still goes through the rulesets; written as one argument too.
t natfw-trace --proto tcp '2020-12-26 11:30:00 CET' 192.0.2.10:65300
t natfw-trace --proto tcp '2020-12-26 11:30:00 CET' ::ffff:192.0.2.10 65300
# A public address without a port: rules in force translate to it, so every client behind it
# is a candidate; refused (exit 2, an error row in a batch) with the hint to give the port.
t natfw-trace '2020-12-26 11:30:00 CET' 192.0.2.10
# Batches answer client addresses per row as single lookups do.
cat >complaints.csv <<'CSV'
time,source_ip,source_port
2020-12-26 11:30:00 CET,fd66::2,
2020-12-26 11:30:00 CET,FD66::0:2,443
2020-12-26T08:00:00Z,fd66::2,
2020-12-26 11:30:00 CET,10.66.0.2,
2020-12-26 11:30:00 CET,192.0.2.10,65300
2020-12-26 11:30:00 CET,192.0.2.10,
2020-12-26 11:30:00 CET,fd66::zz,
CSV
t natfw-trace --batch complaints.csv
