# Forward lookups: natfw-trace --internal ADDRESS [--from] [--until] lists,
# per node, the periods in which the address had a public address, protocol
# and port block, with evidence; first match decides what an address gets.
t natfw-index --node vpn1 "$DATA"/sample-vpn1
t natfw-index --node gw "$DATA"/first-match
t natfw-trace --internal 10.66.0.3 --node vpn1
echo "-- only the periods overlapping June 2021"
t natfw-trace --internal 10.66.0.3 --from "2021-06-01 00:00:00" --until 2021-07-01T00:00:00Z --format json
echo "-- first match (tests/data/first-match): .3 returns from VPN to the /24 rule, .5 is ACCEPTed, .0 shares line 16"
t natfw-trace --internal 10.1.0.3
t natfw-trace --internal 10.1.0.5
t natfw-trace --internal 10.1.0.0 --node gw --format json
echo "-- mistakes"
t natfw-trace --internal 10.1.0.300
t natfw-trace --internal 10.1.0.3 --from 2022-01-01T00:00:00Z --until 2021-01-01T00:00:00Z
t natfw-trace --from 2022-01-01T00:00:00Z @1 192.0.2.1 1
t natfw-trace --internal 10.1.0.3 @1 192.0.2.1 1
t natfw-trace --internal 10.1.0.3 --node nope
