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
