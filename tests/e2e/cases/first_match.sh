# First match: POSTROUTING in order, a jump into VPN with RETURN, an ACCEPT
# exemption, a shadowed host rule and a may-match (-o) rule. The answers,
# reasoned from tests/data/first-match/rules.v4.1700000000 (tcp):
#   65300: line 13 (VPN) -> 10.1.0.2, unique
#   65100: line 15 is shadowed by the RETURN on line 14 -> none
#   64800: line 16 names 10.1.0.0/30, but .2 (line 13) and .3 (RETURN, line 14)
#          never reach it -> 10.1.0.0/31, ambiguous
#    1500: line 9 names 10.1.0.0/24; .5 is ACCEPTed (line 7), .0-.2 SNATed in VPN,
#          .3 returns -> 10.1.0.3-10.1.0.255 except 10.1.0.5, ambiguous
#   60500: line 10 (10.1.0.7) is shadowed by line 9 -> none
#   50050: line 11 (-o eth1: may match) and line 12 (10.2.0.9) -> ambiguous
#   50500: line 11 only -> the /24, ambiguous, naming -o eth1
t natfw-index --node gw "$DATA"/first-match
for port in 65300 65100 64800 1500 60500 50050 50500; do
	t natfw-trace --proto tcp @1700000001 203.0.113.7 $port
done
t natfw-trace --proto udp @1700000001 203.0.113.7 65300
t natfw-trace --format json --proto tcp @1700000001 203.0.113.7 1500
printf 'time,ip,port,proto\n' >c.csv
for port in 65300 65100 64800 1500 60500 50050 50500; do printf '@1700000001,203.0.113.7,%s,tcp\n' $port >>c.csv; done
t natfw-trace --batch c.csv
