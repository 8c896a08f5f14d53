# Event blocks whose rows no longer agree with their events (bytes changed
# below natfw-index): a rebuild merges the blocks by the first time their
# rows record, so a block that claims to start later than it does would
# reach the session builder after later events. The run stops, says the
# index is damaged and changes nothing; --verify names the block.
printf '%s vpn vpn-user-portal[812]: %s\n' \
	2021-01-01T10:00:00+0000 'CONNECT ann (staff:c1) [* => 10.66.0.2,]' \
	2021-01-01T11:00:00+0000 'DISCONNECT ann (staff:c1)' \
	2021-01-01T12:00:00+0000 'CONNECT bob (staff:c2) [* => 10.66.0.2,]' \
	2021-01-01T13:00:00+0000 'DISCONNECT bob (staff:c2)' >a.log
printf '%s vpn vpn-user-portal[812]: %s\n' \
	2021-01-01T10:30:00+0000 'CONNECT cat (staff:c3) [* => 10.66.0.3,]' \
	2021-01-01T10:40:00+0000 'DISCONNECT cat (staff:c3)' >b.log
t natfw-index --connection-log a.log --connection-log b.log
t natfw-index --verify
# a.log's block now claims to begin after b.log's last event.
sqlite3 index.sqlite 'UPDATE connection_event_block SET first_time = 1609497600000001 WHERE id = 1'
t natfw-index --verify
# A CONNECT before every session: all are built again from the blocks.
printf '%s vpn vpn-user-portal[812]: %s\n' 2021-01-01T09:00:00+0000 'CONNECT dan (staff:c4) [* => 10.66.0.4,]' >c.log
t natfw-index --connection-log c.log
# Nothing of that run was kept: c.log is still new, the sessions as they were.
t natfw-index --list
t natfw-trace --user ann
