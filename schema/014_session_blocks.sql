-- natfw-trace index, schema version 14: each /24's IPv4 sessions in one
-- value, as a batch reads them.
-- A batch row asks which session held an address at a time. Reading each
-- session of each address as a row of vpn_session_ip4 made sessions double
-- a batch's time; a block holds a /24's sessions (times, user, how they
-- ended) as arrays (libtrace/store/session_block.hpp) and is one read.
-- Blocks are derived from vpn_session: natfw-index derives them again for
-- the /24s whose sessions a run changes (ingest, retention), and for every
-- /24 in the transaction of this step. Single lookups read vpn_session itself.
CREATE TABLE session_ip4_block (
    net  INTEGER PRIMARY KEY,  -- the addresses' first 24 bits (ip4_num >> 8)
    body BLOB NOT NULL
);

PRAGMA user_version = 14;
