# Every session source: an RFC 3164 syslog across a year end (its year from
# the file's modification time, its zone from --tz), a journal JSON export,
# an RFC 5424 file, the portal's database (read-only; an open row re-read
# after the portal fills in disconnected_at), standard input, and what goes
# wrong with each. The same CONNECT from three sources is one session.
cp "$DATA/sessions/syslog.1" "$DATA/sessions/journal.json" "$DATA/sessions/rfc5424.log" .
touch -d '2021-01-01T06:00:00Z' syslog.1
sqlite3 portal.sqlite <"$DATA/sessions/portal.sql"
t natfw-index --node vpn "$DATA/sessions/nat" --tz Europe/Amsterdam --connection-log syslog.1 \
	--connection-log journal.json --connection-log rfc5424.log --portal-db portal.sqlite
t natfw-trace --proto tcp '2020-12-31T23:00:00Z' 192.0.2.10 65300
t natfw-trace --proto tcp '2021-01-01T02:00:00Z' 192.0.2.10 65100
t natfw-trace --proto udp '2021-01-01T02:30:00Z' 192.0.2.11 50000
# The portal fills in heidi's disconnect; the next run reads the row again.
sqlite3 portal.sqlite "UPDATE connection_log SET disconnected_at = '2021-01-01T03:00:00+00:00' WHERE user_id = 'heidi'"
t natfw-index --portal-db portal.sqlite
# No transaction since: SQLite's change counter says so, and no row is read.
t natfw-index -v --portal-db portal.sqlite
t natfw-trace --proto tcp '2021-01-01T02:00:00Z' 192.0.2.10 65100
t natfw-trace --proto tcp '2021-01-01T04:00:00Z' 192.0.2.10 65100
# The log grows; only the new lines are read.
echo 'Jan  1 06:10:00 vpn vpn-user-portal[812]: CONNECT kim (students:1a2b3c4d5e6f708192a3b4c5d6e7f809) [* => 10.66.0.2,fd66::2]' >>syslog.1
touch -d '2021-01-01T06:20:00Z' syslog.1
t natfw-index --tz Europe/Amsterdam --connection-log syslog.1
t natfw-trace --proto tcp '2021-01-01T05:30:00Z' 192.0.2.10 65100
# What the index holds: each source, what it covers, the sessions, retention.
t natfw-index --list
# Standard input, and sources that cannot be read or are not the portal's.
printf '2021-01-01T07:00:00Z vpn vpn-user-portal: CONNECT lee (staff:0f0e0d0c0b0a09080706050403020100) [* => 10.77.0.6,]\n' |
	t natfw-index --connection-log -
t natfw-index --connection-log missing.log --portal-db missing.sqlite --connection-log rfc5424.log
sqlite3 other.sqlite 'CREATE TABLE connection_log (user_id TEXT, connected_at TEXT)'
t natfw-index --portal-db other.sqlite
t natfw-index --connection-log - --connection-log - </dev/null
# Damage below natfw-index: an event that a session names is gone (blanked in
# its block, as retention does, but with its session left). --verify names the session.
sqlite3 index.sqlite "UPDATE vpn_session SET evidence = json_insert(evidence, '\$[#]', json_extract(evidence, '\$[0]') + 1023) WHERE id = 1"
t natfw-index --verify
# A block that no longer decodes: --verify names the block and every session that needs it.
sqlite3 index.sqlite 'UPDATE connection_event_block SET data = zeroblob(16) WHERE id = (SELECT max(id) FROM connection_event_block)'
t natfw-index --verify
