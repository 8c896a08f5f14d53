# examples/hooks/natfw-apply-changes end to end: apply the VPN changes (a
# stand-in for vpn-maint-apply-changes), then natfw-generate writes, reloads
# (a stand-in that logs) and indexes; a lookup answers from the new snapshot.
hooks=$(cd "$DATA/../../examples/hooks" && pwd)
mkdir -p bin etc
cat >bin/vpn-maint-apply-changes <<'STUB'
#!/bin/sh
echo "vpn-maint-apply-changes $*" >>"$WORK/calls.log"
[ -z "${APPLY_FAILS:-}" ]
STUB
cat >bin/fake-reload <<'STUB'
#!/bin/sh
echo "reload: rules.v4 -> $(readlink "$WORK/etc/rules.v4")" >>"$WORK/calls.log"
STUB
chmod +x bin/*
export PATH="$WORK/bin:$hooks:$PATH"
write_config() { # write_config TIME NETWORK...
	{
		echo "public-ip = 192.0.2.1"
		printf 'network = ['; printf '"%s",' "${@:2}" | sed 's/,$//'; echo ']'
		echo "write = $WORK/etc/rules.v4"
		echo "reload = \"fake-reload\""
		echo "time = $1"
	} >generate.conf
}
export NATFW_GENERATE_CONFIG="$WORK/generate.conf"

write_config 1700000000 10.8.0.0/24:2
t natfw-apply-changes --profile office
t cat calls.log
t natfw-trace @1700000060 192.0.2.1 65000 --proto tcp

echo "-- run again with nothing changed: no new snapshot, no reload"
write_config 1700000300 10.8.0.0/24:2
t natfw-apply-changes
t ls etc

echo "-- a new profile range: a new snapshot, indexed"
write_config 1700000600 10.8.0.0/24:2 10.9.0.0/26
t natfw-apply-changes
t natfw-index --list

echo "-- vpn-maint-apply-changes fails: the ruleset is left alone"
write_config 1700000900 10.10.0.0/24
APPLY_FAILS=1 t natfw-apply-changes
t ls etc
t cat calls.log
