-- natfw-trace index, schema version 11: a batch reads each address's
-- sessions from the index alone.
-- A batch keeps, per IPv4 address it meets, every session of that address
-- (times, user, connection, how it ended). With the index holding only the
-- address and start, each of those sessions cost a second B-tree descent into
-- the table: a third of a batch's attribution time. The index now carries
-- what a batch keeps, so that the table is read for single lookups only
-- (their evidence); single lookups and range reads use the same leading columns.
DROP INDEX vpn_session_ip4;
CREATE INDEX vpn_session_ip4 ON vpn_session(ip4_num, connected_at, disconnected_at, ended_by, user_id, connection)
    WHERE ip4_num IS NOT NULL;

PRAGMA user_version = 11;
