# The generator's format and iptables-save -c output of the same rulesets give
# the same addresses for every port of every snapshot.
t natfw-index --node gen "$DATA/sample-vpn2"
t natfw-index --node save "$DATA/sample-vpn2-iptables-save"
for t in 1601510400 1625097600; do
	for port in 1 1281 44118 50000 60000 65000 65407 65408 65535; do
		a=$(natfw-trace --node gen --format json @$t 198.51.100.20 $port | sed -n 's/.*"status":"\([a-z]*\)","internal":\([^,]*\),.*/\1 \2/p')
		b=$(natfw-trace --node save --format json @$t 198.51.100.20 $port | sed -n 's/.*"status":"\([a-z]*\)","internal":\([^,]*\),.*/\1 \2/p')
		echo "$t $port gen=[$a] save=[$b] $([ "$a" = "$b" ] && echo same || echo DIFFERENT)"
	done
done
