# --inbound after a verdict: a forward behind an accept (nft) or ACCEPT
# (iptables) that certainly matches the port is never reached; a return for
# another port changes nothing. The kernel oracle measured each of these.
t natfw-index --node nft "$DATA"/inbound-verdicts/nft
t natfw-index --node iptables "$DATA"/inbound-verdicts/iptables
for node in nft iptables; do
	t natfw-trace --inbound --node "$node" --proto tcp @1700000100 192.0.2.1 2223
	t natfw-trace --inbound --node "$node" --proto tcp @1700000100 192.0.2.1 2222
done
t natfw-trace --inbound --node nft --proto tcp @1700000100 192.0.2.1 2224
