# Two indexers never run at once: a second one waits for the lock, says so,
# and gives up after --lock-timeout (exit 4); lookups need no lock.
mkdir -p hist && cp "$DATA"/sample-vpn2/rules.v4.1* hist/
t natfw-index --node vpn2 hist
hold_lock() { # hold_lock SECONDS: holds the index lock in the background until SECONDS have passed
	rm -f held
	flock index.sqlite.lock sh -c "touch held; sleep $1" &
	while [ ! -e held ]; do sleep 0.05; done
}
hold_lock 3
t natfw-index --lock-timeout 1 --node vpn2 hist
t natfw-trace --node vpn2 @1625097700 198.51.100.20 65500 --proto tcp
wait
hold_lock 1
t natfw-index --lock-timeout 60 --node vpn2 hist
wait
t natfw-index --lock-timeout x hist
