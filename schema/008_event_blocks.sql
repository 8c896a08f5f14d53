-- natfw-trace index, schema version 8: connection events in compressed blocks.
-- A month of a busy portal is a million events. As rows with a unique and a
-- time index they were most of what an ingest wrote (and most of the index
-- file), while lookups read only the two or three events of a session, by id.
-- Now up to 1024 events of one source are one row, in the order sessions are
-- built in (store/event_block.hpp has the layout and how ids are formed).
CREATE TABLE connection_event_block (
    id             INTEGER PRIMARY KEY,
    source_id      INTEGER NOT NULL REFERENCES session_source(id),
    first_time     INTEGER NOT NULL, -- the earliest and latest time of its events
    last_time      INTEGER NOT NULL,
    first_position INTEGER NOT NULL, -- the lowest and highest position (line, or the portal row's connected_at)
    last_position  INTEGER NOT NULL,
    events         INTEGER NOT NULL, -- its places, forgotten ones included
    kept           INTEGER NOT NULL, -- events not forgotten
    data           BLOB NOT NULL
);
-- A portal database is read again from the rows still open last time: the
-- events it gave from there on are found by position.
CREATE INDEX connection_event_block_source ON connection_event_block(source_id, last_position);

-- The rows are moved into blocks and the sessions' evidence renumbered by
-- natfw-index itself (store/database.cpp: compression is not SQL), in the
-- same transaction; then this table is dropped.
DROP INDEX connection_event_time;
ALTER TABLE connection_event RENAME TO connection_event_v7;

PRAGMA user_version = 8;
