-- natfw-trace index, schema version 5: who held a VPN address when. Times
-- here are UTC microseconds (the journal's resolution); addresses are text
-- in canonical form (IPv4 dotted, IPv6 compressed) because both families
-- occur and lookups compare them for equality only.

-- A connection log file, the portal's database, or the hook's spool. Files
-- are known by device and inode, so a rotated file (renamed) is resumed, not
-- read again; `name` is where it was last seen.
CREATE TABLE session_source (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('log', 'db', 'spool')),
    name          TEXT NOT NULL,
    device        INTEGER,
    inode         INTEGER,
    size          INTEGER NOT NULL DEFAULT 0,
    mtime_ns      INTEGER NOT NULL DEFAULT 0,
    resume_offset INTEGER NOT NULL DEFAULT 0, -- bytes of (uncompressed) text read
    resume_line   INTEGER NOT NULL DEFAULT 0,
    resume_year   INTEGER NOT NULL DEFAULT 0, -- lines without a year: the last one's year and month
    resume_month  INTEGER NOT NULL DEFAULT 0,
    resume_time   INTEGER NOT NULL DEFAULT 0, -- the latest time read (time going backwards)
    covered_from  INTEGER,                    -- its first and last event: what it can speak for
    covered_to    INTEGER,
    year_note     TEXT,                       -- how lines without a year got one
    first_read_at INTEGER NOT NULL,           -- UTC seconds
    last_read_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX session_source_file ON session_source(kind, device, inode) WHERE device IS NOT NULL;
CREATE UNIQUE INDEX session_source_name ON session_source(kind, name) WHERE device IS NULL;

-- One CONNECT (C) or DISCONNECT (D) as its source reported it: the evidence.
-- `position` is the line in a file; for the database the row's connected_at
-- (its rows have no stable id: a row is its content).
CREATE TABLE connection_event (
    id          INTEGER PRIMARY KEY,
    source_id   INTEGER NOT NULL REFERENCES session_source(id),
    position    INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('C', 'D')),
    time        INTEGER NOT NULL,
    user_id     TEXT NOT NULL,
    profile     TEXT NOT NULL,
    connection  TEXT NOT NULL,
    vpn_proto   TEXT NOT NULL,
    ip4         TEXT,
    ip6         TEXT,
    originating TEXT,
    UNIQUE (source_id, position, kind, connection)
);
CREATE INDEX connection_event_time ON connection_event(time);

-- Sessions built from all events (derive/session_builder); rebuilt whenever
-- events are added or forgotten, so they are derived data, the events the record.
CREATE TABLE vpn_session (
    id              INTEGER PRIMARY KEY,
    user_id         TEXT NOT NULL,
    profile         TEXT NOT NULL,
    connection      TEXT NOT NULL,
    vpn_proto       TEXT NOT NULL,
    ip4             TEXT,
    ip4_num         INTEGER, -- ip4 as a host-order number: candidates may be ranges
    ip6             TEXT,
    originating     TEXT,
    connected_at    INTEGER, -- NULL: before its sources start
    disconnected_at INTEGER, -- NULL: still open
    ended_by        TEXT CHECK (ended_by IN ('disconnect', 'inferred')),
    inferred_why    TEXT
);
CREATE INDEX vpn_session_ip4 ON vpn_session(ip4_num, connected_at) WHERE ip4_num IS NOT NULL;
CREATE INDEX vpn_session_ip6 ON vpn_session(ip6, connected_at) WHERE ip6 IS NOT NULL;
CREATE INDEX vpn_session_user ON vpn_session(user_id, connected_at);

CREATE TABLE vpn_session_evidence (
    session_id INTEGER NOT NULL REFERENCES vpn_session(id),
    event_id   INTEGER NOT NULL REFERENCES connection_event(id),
    PRIMARY KEY (session_id, event_id)
) WITHOUT ROWID;

PRAGMA user_version = 5;
