-- natfw-trace index, schema version 15: session blocks keep only what a
-- batch row's "who held it then" needs.
-- Connection ids and row ids were two thirds of each /24's block, and every
-- batch read them whole, while only rows that list sessions (several near
-- the time) used them; those rows now read the sessions from vpn_session.
-- The blocks are derived again (format 2) by natfw-index in this step's
-- transaction. The address index that blocks are derived from loses the
-- connection id it carried for them (schema 11). On the bench's million-line
-- log: blocks 39 -> 16 MB, this index 45 -> 28 MB.
DROP INDEX vpn_session_ip4;
CREATE INDEX vpn_session_ip4 ON vpn_session(ip4_num, connected_at, disconnected_at, ended_by, user_id)
    WHERE ip4_num IS NOT NULL;

PRAGMA user_version = 15;
