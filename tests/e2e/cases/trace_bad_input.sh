# Bad command lines: one line on stderr, exit 2; no index: exit 4.
t natfw-trace 2021-06-01T00:00:00Z 192.0.2.10 65300
t natfw-index --node vpn1 "$DATA/sample-vpn1"
t natfw-trace 2021-06-01 00:00:00 192.0.2.10 65300
t natfw-trace "2021-06-01 00:00:00 IST" 192.0.2.10 65300
t natfw-trace 1622505600000 192.0.2.10 65300
t natfw-trace "2021-06-01 00:00:00 junk" 192.0.2.10 65300
t natfw-trace 2021-06-01T00:00:00Z 192.0.2 65300
t natfw-trace 2021-06-01T00:00:00Z 192.0.2.10:65300 65300
t natfw-trace 2021-06-01T00:00:00Z "[2001:db8::1]443"
t natfw-trace 2021-06-01T00:00:00Z 192.0.2.10:x
# A client's own address needs sessions; this index has none: none (exit 1), with the hint for a NATed address.
t natfw-trace 2021-06-01T00:00:00Z 192.0.2.10
t natfw-trace 2021-06-01T00:00:00Z 2001:db8::1
t natfw-trace --inbound 2021-06-01T00:00:00Z 2001:db8::1 443
t natfw-trace 2021-06-01T00:00:00Z 192.0.2.10 0
t natfw-trace 2021-06-01T00:00:00Z 192.0.2.10 65536
t natfw-trace --proto icmp 2021-06-01T00:00:00Z 192.0.2.10 65300
t natfw-trace --proto gre 2021-06-01T00:00:00Z 192.0.2.10 65300
t natfw-trace --format xml 2021-06-01T00:00:00Z 192.0.2.10 65300
t natfw-trace --node nope 2021-06-01T00:00:00Z 192.0.2.10 65300
t natfw-trace --tz Mars/Base "2021-06-01 00:00:00" 192.0.2.10 65300
t natfw-trace --bogus 2021-06-01T00:00:00Z 192.0.2.10 65300
t natfw-trace --db "$WORK/none.sqlite" 2021-06-01T00:00:00Z 192.0.2.10 65300
t natfw-index --node a "$DATA/sample-vpn1" "$DATA/sample-vpn2"
t natfw-index --list "$DATA/sample-vpn1"
t natfw-index --db "$WORK/none.sqlite" --list
t natfw-trace --version
# An index that holds no snapshot is "nothing indexed" (exit 4), not an answer of none.
mkdir no-snapshots
t natfw-index --db empty.sqlite --node nothing no-snapshots
t natfw-trace --db empty.sqlite 2020-12-26T12:37:42Z 192.0.2.10 65300
t natfw-trace --db empty.sqlite --internal 10.66.0.2
printf 'time,ip,port\n2020-12-26T12:37:42Z,192.0.2.10,65300\n' >one-row.csv
t natfw-trace --db empty.sqlite --batch one-row.csv
