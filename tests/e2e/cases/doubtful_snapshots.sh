# Snapshots iptables-restore refuses as they stand: a jump loop and nesting
# of 16 under an nf_tables header are unusable; CRLF line ends and nesting of
# 16 without a header naming the backend may or may not have been in force,
# so lookups in their periods also ask the rulesets before them. A legacy
# header accepts any depth.
t natfw-index --node gw "$DATA/doubtful-history"
t natfw-index --list
# CRLF copy and the clean file before it agree on 20500, differ on 21500.
t natfw-trace @1600150000 203.0.113.5 20500 --proto tcp
t natfw-trace @1600150000 203.0.113.5 21500 --proto tcp
# The loop is unusable: the CRLF file's period goes on.
t natfw-trace @1600250000 203.0.113.5 21500 --proto tcp
# Deep without a header, after a CRLF file: three rulesets could be in force.
t natfw-trace --format json @1600450000 203.0.113.5 21500 --proto tcp
# Deep under a legacy header: in force, one answer.
t natfw-trace @1600550000 203.0.113.5 21500 --proto tcp
