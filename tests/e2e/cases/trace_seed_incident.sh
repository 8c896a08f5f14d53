# The seed document's incident, in the forms a complaint may give the time.
t natfw-index --node vpn1 "$DATA/sample-vpn1"
t natfw-trace "2020-12-26 13:37:42" 192.0.2.10 65300 --tz Europe/Amsterdam
t natfw-trace --format json "Sat, 26 Dec 2020 13:37:42 +0100" 192.0.2.10 65300 --proto tcp
t natfw-trace "2020-12-26T12:37:42Z" 192.0.2.10 65300 --proto udp --format json
t natfw-trace @1608986262 192.0.2.10 44119
