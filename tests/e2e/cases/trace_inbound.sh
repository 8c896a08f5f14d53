# --inbound: which internal host and port a DNAT rule forwarded a destination
# to (tests/data/port-forwards/rules.v4.1700000000, reasoned):
#   tcp 192.0.2.1:8080  -> line 6, 192.168.101.2:80 (line 9 never sees it), unique
#   tcp 203.0.113.9:6881 -> line 7 (no -d: any destination, seed 001), unique
#   udp 192.0.2.1:5005, :6000 -> line 8 (multiport), the port kept, may match -i eth0
#   tcp 192.0.2.77:9050 -> line 10, a two-host range: ambiguous, may match ! -s 10.0.0.0/8
#   tcp 192.0.2.1:443 -> none
cp "$DATA"/port-forwards/rules.v4.1700000000 .
mkdir fw && mv rules.v4.1700000000 fw/
t natfw-index --node fw fw
t natfw-trace --inbound --proto tcp @1700000001 192.0.2.1 8080
t natfw-trace --inbound @1700000001 203.0.113.9 6881
t natfw-trace --inbound --proto udp @1700000001 192.0.2.1 5005
t natfw-trace --inbound --proto udp --format json @1700000001 192.0.2.1 6000
t natfw-trace --inbound --proto tcp @1700000001 192.0.2.77 9050
t natfw-trace --inbound --proto tcp @1700000001 192.0.2.1 443
t natfw-trace --inbound @1600000000 192.0.2.1 8080
echo "-- the same address and port outbound is a different question"
t natfw-trace --proto tcp @1700000001 192.0.2.1 65300
t natfw-trace --inbound --skew 60 @1700000001 192.0.2.1 8080
