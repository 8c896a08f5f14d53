# Files iptables-restore would refuse are recorded as unusable, and lookups in
# their periods answer from the last usable snapshot with a warning.
t natfw-index --node gw "$DATA/unusable-history"
t natfw-index --list
t natfw-trace @1600150000 203.0.113.5 50000 --proto tcp
t natfw-trace @1600250000 203.0.113.5 50000 --proto tcp
t natfw-trace @1600450000 203.0.113.5 50000 --proto tcp
t natfw-index --node bad "$DATA/no-nat"
t natfw-index --node crlf "$DATA/crlf"
t natfw-trace --node crlf @1600000001 203.0.113.5 50000 --proto tcp
