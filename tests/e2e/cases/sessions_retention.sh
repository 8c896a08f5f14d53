# Forgetting sessions on the admin's word: rows that ended before the horizon
# are gone from the index's files (not only unlinked), an old export ingested
# again does not bring them back, and answers before the horizon say that
# the sessions there are incomplete. Sessions that outlive the horizon stay.
cp "$DATA/sessions/journal-short-iso.log" portal.log
t natfw-index --node vpn "$DATA/sessions/nat" --connection-log portal.log
t natfw-trace --proto tcp '2020-12-26 11:30:00 CET' 192.0.2.10 65300
# A batch reads the users from the session blocks, which forgetting derives again.
batch() {
	printf '%s\n' time,ip,port,proto '2020-12-26 11:30:00 CET,192.0.2.10,65300,tcp' \
		'2020-12-26T13:30:00Z,192.0.2.10,65300,tcp' '2020-12-26T13:30:00Z,192.0.2.11,4000,tcp' |
		natfw-trace --batch -
}
t batch
# alice's session ended at 12:00Z; bob's (inferred end 14:00Z) and dave's WireGuard peer outlive 13:00Z.
# The events are compressed in blocks: a name need not appear as text. What
# holds alice's events before is looked for, as bytes, in the files after.
old_blocks=$(sqlite3 index.sqlite 'SELECT hex(data) FROM connection_event_block')
still_there() {
	local n=0 b f
	for b in $old_blocks; do
		for f in index.sqlite index.sqlite-wal; do
			[ -s "$f" ] && [ "$(sqlite3 :memory: "SELECT instr(readfile('$f'), x'$b') > 0")" = 1 ] && n=$((n + 1))
		done
	done
	echo "$n"
}
echo "event blocks before forgetting: $(echo "$old_blocks" | wc -w); found as they were: $(still_there)"
t natfw-index --forget-sessions-before 2020-12-26T13:00:00Z
t natfw-index --forget-sessions-before 2020-12-26T12:30:00Z
t batch
echo "files naming alice: $(grep -a -l alice index.sqlite* | wc -l); naming bob: $(grep -a -l bob index.sqlite* | wc -l)"
echo "event blocks as they were before forgetting, still in the files: $(still_there)"
t natfw-trace --proto tcp '2020-12-26 11:30:00 CET' 192.0.2.10 65300
t natfw-trace --proto tcp '2020-12-26T13:30:00Z' 192.0.2.10 65300
t natfw-trace --user alice
t natfw-trace --user bob --format json
t natfw-index --list
# The same export under another name (a restored backup) is read, and the forgotten events are not taken again.
cp portal.log restored.log
t natfw-index --connection-log restored.log
echo "files naming alice: $(grep -a -l alice index.sqlite* | wc -l)"
# A retention period, stored and applied at every run; whole days.
t natfw-index --keep-sessions 3650d
# Today's date is in the output: shown as @DAY@.
natfw-index --keep-sessions 1d 2>&1 | sed -E 's/(202[1-9]|20[3-9][0-9])-[0-9]{2}-[0-9]{2}T00:00:00Z/@DAY@/'
echo "files naming bob: $(grep -a -l bob index.sqlite* | wc -l); naming dave: $(grep -a -l dave index.sqlite* | wc -l)"
natfw-trace --proto tcp '2020-12-26T13:30:00Z' 192.0.2.10 65300 | sed -E 's/(202[1-9]|20[3-9][0-9])-[0-9]{2}-[0-9]{2}T00:00:00Z/@DAY@/'
t natfw-index --keep-sessions forever
t natfw-index --verify
t natfw-index --keep-sessions 5h
t natfw-index --keep-sessions soon
t natfw-index --forget-sessions-before yesterday
