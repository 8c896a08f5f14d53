# An index written before first-match evaluation (schema 1, see
# tests/data/schema-v1-index/README) is upgraded by the next natfw-index run:
# schema 2, cells re-derived from the stored rules, evidence untouched. The
# wrong answer the old cells gave (port 65100 -> 10.1.0.3) is gone.
cp "$DATA"/schema-v1-index/index.sqlite old.sqlite
t natfw-trace --db old.sqlite --proto tcp @1700000001 203.0.113.7 65100
mkdir empty
t natfw-index --db old.sqlite --node other empty
t natfw-index --db old.sqlite --list
t natfw-trace --db old.sqlite --proto tcp @1700000001 203.0.113.7 65100
t natfw-trace --db old.sqlite --proto tcp @1700000001 203.0.113.7 1500
t natfw-index --db old.sqlite --node other empty
# What the package's postinst runs: --upgrade alone, on a fresh copy of the
# old index; a second run has nothing to do; no index is exit 4.
cp "$DATA"/schema-v1-index/index.sqlite old2.sqlite
t natfw-index --db old2.sqlite --upgrade
t natfw-index --db old2.sqlite --upgrade
t natfw-trace --db old2.sqlite --proto tcp @1700000001 203.0.113.7 65100
t natfw-index --db missing.sqlite --upgrade
t natfw-index --db old2.sqlite --upgrade /etc/iptables
