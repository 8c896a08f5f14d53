# What abuse desks paste from complaints, as one would type it: a mail's Date:
# header with its zone comment, PORT/tcp, IP:PORT in one argument, an
# IPv4-mapped IPv6 address; and the forms that cannot be read, each refused
# (exit 2) with what is missing or unclear. Every answer names the same rule.
t natfw-index --node vpn1 "$DATA/sample-vpn1"
t natfw-trace --format json "Sat, 26 Dec 2020 13:37:42 +0100 (CET)" 192.0.2.10 65300/tcp
t natfw-trace "2020-12-26T12:37:42Z" 192.0.2.10:65300/udp
t natfw-trace --proto TCP "Sat Dec 26 13:37:42 CET 2020" ::ffff:192.0.2.10 65300
t natfw-trace --tz Europe/Amsterdam "Dec 26 13:37:42 2020" 192.0.2.10 65300/tcp
t natfw-trace "Dec 26 13:37:42" 192.0.2.10 65300
t natfw-trace "12/26/2020 1:37:42 PM" 192.0.2.10 65300
t natfw-trace "Sat, 26 Dec 2020 13:37:42 +0100 (CEST)" 192.0.2.10 65300
t natfw-trace --proto udp "2020-12-26T12:37:42Z" 192.0.2.10 65300/tcp
t natfw-trace --audit none "2020-12-26T12:37:42Z" 192.0.2.10 65300/tcp
t natfw-trace --audit OFF "2020-12-26T12:37:42Z" 192.0.2.10 65300/tcp
# An instant in the future (a mistyped year) and one long after the newest
# snapshot are answered with a warning; --stale-after sets how long, 0 never.
t natfw-trace --proto tcp "2999-12-26T12:37:42Z" 192.0.2.10 65300 | sed -E 's/now is [^)]*/now is @NOW@/'
t natfw-trace --proto tcp --stale-after 0 "2023-06-01T00:00:00Z" 192.0.2.10 65300
t natfw-trace --proto tcp --stale-after 400d "2023-06-01T00:00:00Z" 192.0.2.10 65300
t natfw-trace --proto tcp --stale-after 300d --format json "2023-06-01T00:00:00Z" 192.0.2.10 65300
t natfw-trace --stale-after soon @1608986262 192.0.2.10 65300
# With --format json an error is also a JSON object on standard output.
t natfw-trace --format json "Dec 26 13:37:42" 192.0.2.10 65300
t natfw-trace --format=json --db nowhere.sqlite @1608986262 192.0.2.10 65300
t natfw-trace --format json --no-such-option @1608986262 192.0.2.10 65300
# A batch answers in CSV; --format is refused rather than ignored.
printf 'time,ip,port\n@1608986262,192.0.2.10,65300\n' >c.csv
t natfw-trace --format json --batch c.csv
