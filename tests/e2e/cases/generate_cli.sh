# natfw-generate end to end: the seed's format, a config file, nothing
# written when only the date would change, the refusals, a failed reload
# rolled back, and the index following every snapshot put in force.
mkdir etc
natfw-generate -n --time 1700003600 --public-ip 192.0.2.44 10.8.0.0/24:4 >vector2.out
t cmp vector2.out "$DATA"/generator-vectors/vector2.rules.v4

cat >generate.conf <<CONF
# natfw-generate settings
public-ip = 192.0.2.44
network = ["10.8.0.0/24:2", "100.120.0.0/30"]
write = $WORK/etc/rules.v4
reload = "true"
CONF
t natfw-generate --config generate.conf --time 1700000000
t readlink etc/rules.v4
t natfw-trace --format json @1700000001 192.0.2.44 65300 --proto tcp
t natfw-trace @1700000001 192.0.2.44 1300 --proto udp
echo "-- the same networks again: only the date would change"
t natfw-generate --config generate.conf --time 1700000100 -v
t ls etc

echo "-- a reload that fails: rolled back, kept as .failed, not indexed (NETWORK replaces the config's list)"
t natfw-generate --config generate.conf --time 1700000200 --reload false 10.9.0.0/29
t readlink etc/rules.v4
t ls etc
t natfw-index --list

echo "-- the seed's flawed inputs, done right: public 100.7.0.0/24 skipped, 100.120.0.0/30 and a /30 at .12 NATed"
t natfw-generate -n --time 0 --public-ip 192.0.2.44 100.7.0.0/24 100.120.0.0/30 10.0.0.12/30
echo "-- --avoid-ephemeral: no block inside this machine's net.ipv4.ip_local_port_range"
read -r eph_lo eph_hi </proc/sys/net/ipv4/ip_local_port_range
natfw-generate -n --avoid-ephemeral --public-ip 192.0.2.44 10.8.0.0/22 |
	awk -F'[:-]' -v lo="$eph_lo" -v hi="$eph_hi" '/--to-source .*:/ { n++; if ($NF >= lo && $(NF-1) <= hi) bad++ } END { print n, "rules,", bad + 0, "blocks in the ephemeral range" }'

echo "-- refusals: nothing is written"
t natfw-generate --config generate.conf --time 1700000150 10.9.0.0/29
t natfw-generate --public-ip 192.0.2.44 -w etc/rules.v4 --no-reload --time 1700000300 10.0.0.0/16
t natfw-generate --public-ip 192.0.2.44 -w etc/rules.v4 --no-reload --time 1700000300 8.8.8.0/24
t natfw-generate --public-ip 192.0.2.44 -w etc/rules.v4 --no-reload --time 1700000300 10.0.0.0/24:3
t natfw-generate --public-ip 192.0.2.44 -n 10.0.0.0/24 --reload true --no-reload
t natfw-generate --public-ip 192.0.2.44 -n 10.0.0.0/24 --ephemeral-range 60999-32768
t natfw-generate --public-ip 192.0.2.44 -w etc/rules.v4 --no-reload --time 99999999 10.0.0.0/24
mkdir hand && echo '*nat' >hand/rules.v4
t natfw-generate --public-ip 192.0.2.44 -w hand/rules.v4 --no-reload 10.0.0.0/24
t ls etc hand

echo "-- a new ruleset kept out of the ephemeral range, then indexed"
t natfw-generate --config generate.conf --time 1700000400 --ephemeral-range 32768-60999 10.9.0.0/24
grep -c 'SNAT' etc/rules.v4
awk -F'[:-]' '/--to-source .*:/ { if ($NF >= 32768 && $(NF-1) <= 60999) bad++ } END { print "blocks in 32768-60999:", bad + 0 }' etc/rules.v4
t natfw-index --list
t natfw-trace @1700000401 192.0.2.44 61000

echo "-- a missing -w directory is an error; nothing is created in its place"
t natfw-generate --public-ip 192.0.2.44 -w nowhere/rules.v4 --no-reload --time 1700000500 10.0.0.0/24
t ls -d nowhere
echo "-- a misspelt key in the config file is an error, not the default quietly in force"
cp generate.conf typo.conf && echo 'relaod = "true"' >>typo.conf
t natfw-generate --config typo.conf --time 1700000500
echo "-- the index is locked: the ruleset goes in force, the run says it is not indexed; a rerun indexes it"
mkdir late
flock "$WORK/index.sqlite.lock" sleep 4 &
sleep 0.5
t natfw-generate --public-ip 192.0.2.44 -w late/rules.v4 --no-reload --time 1700000600 --lock-timeout 1 10.7.0.0/29
wait
t natfw-generate --public-ip 192.0.2.44 -w late/rules.v4 --no-reload --time 1700000700 --lock-timeout 1 10.7.0.0/29
t natfw-trace --node "$WORK/late" @1700000601 192.0.2.44 65535 --proto tcp
