# Time zones: $TZ as the default, --tz, zones written in the time, DST gap and overlap.
t natfw-index --node vpn1 "$DATA/sample-vpn1"
TZ=Europe/Amsterdam t natfw-trace "2021-10-31 02:30:00" 192.0.2.10 65300 --format json
t natfw-trace --tz Europe/Amsterdam "2021-03-28 02:30:00" 192.0.2.10 65300
t natfw-trace --tz Europe/Amsterdam "2021-03-28 02:30:00 +01:00" 192.0.2.10 65300
t natfw-trace "2021-01-31 18:58:20 America/New_York" 192.0.2.10 65100 --proto tcp
t natfw-trace "2021/02/01 01:03:20 CET" 192.0.2.10 65100 --proto tcp
