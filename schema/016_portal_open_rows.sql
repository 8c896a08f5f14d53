-- natfw-trace index, schema version 16: the portal database's rows that were
-- still open when it was last read.
-- The portal fills in a row's disconnected_at when the connection ends, so
-- an open row must be read again. Until now a run re-read every row since
-- the oldest open one (session_source.resume_offset); a WireGuard peer stays
-- open for its configuration's life (90 days by default), so on a portal
-- with WireGuard each run read the whole table. Each open row is now read
-- again by its own key, with the portal's index on connected_at.
-- A row is its content (no stable row id): the key is connected_at as the
-- portal wrote it, and the connection id. Indexes older than this step keep
-- resume_offset until their next run, which reads the old way once.
CREATE TABLE portal_open_row (
    source_id    INTEGER NOT NULL REFERENCES session_source(id),
    connected_at TEXT NOT NULL,
    connection   TEXT NOT NULL,
    PRIMARY KEY (source_id, connected_at, connection)
) WITHOUT ROWID;

PRAGMA user_version = 16;
