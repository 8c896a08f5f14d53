# --skew and --flow-age: every ruleset in force in [t - max(skew, flow age),
# t + skew] gives candidates with its period; differing ones are ambiguous.
t natfw-index --node vpn1 "$DATA"/sample-vpn1
echo "-- 100 s before the 2021-02-01 change: the instant alone warns, a 5-minute skew is ambiguous"
t natfw-trace --proto tcp "2021-01-31 23:58:20 UTC" 192.0.2.10 65100
t natfw-trace --proto tcp --skew 5m "2021-01-31 23:58:20 UTC" 192.0.2.10 65100
t natfw-trace --proto tcp --skew 60 --format json "2021-01-31 23:58:20 UTC" 192.0.2.10 65100
echo "-- a TCP flow seen a day after the change may have started before it (conntrack keeps it up to 5 days)"
t natfw-trace --proto tcp --flow-age 5d "2021-02-02 00:00:00 UTC" 192.0.2.10 65100
t natfw-trace --proto tcp --flow-age 1h "2021-02-02 00:00:00 UTC" 192.0.2.10 65100
echo "-- batches take the same window"
printf 'time,ip,port,proto\n2021-01-31T23:58:20Z,192.0.2.10,65100,tcp\n2021-06-01T00:00:00Z,192.0.2.10,65100,tcp\n' >c.csv
t natfw-trace --batch c.csv --skew 5m
t natfw-trace --skew 5y @1612137600 192.0.2.10 65100
t natfw-trace --flow-age -1 @1612137600 192.0.2.10 65100
