-- natfw-trace index, schema version 1.
-- Times are UTC seconds; IPv4 addresses are host-order integers, so that
-- ranges compare as numbers and B-tree seeks answer lookups.

-- A NAT host with its own timeline of snapshots.
CREATE TABLE node (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

-- One distinct parsed *nat table. Snapshots whose rules are identical line
-- for line (ignoring comments) share one, so unchanged histories stay small.
CREATE TABLE ruleset (
    id         INTEGER PRIMARY KEY,
    digest     TEXT NOT NULL UNIQUE, -- SHA-256 over (position, line, text) of its rules
    rule_count INTEGER NOT NULL
);

-- A snapshot file: the evidence. It is in force from valid_from until the
-- node's next usable snapshot; unusable ones (ruleset_id NULL) never were.
CREATE TABLE snapshot (
    id              INTEGER PRIMARY KEY,
    node_id         INTEGER NOT NULL REFERENCES node(id),
    valid_from      INTEGER NOT NULL,
    path            TEXT NOT NULL,
    sha256          TEXT NOT NULL,
    size            INTEGER NOT NULL,
    mtime_ns        INTEGER NOT NULL,
    ruleset_id      INTEGER REFERENCES ruleset(id),
    unusable_line   INTEGER,
    unusable_reason TEXT,
    indexed_at      INTEGER NOT NULL,
    UNIQUE (node_id, valid_from)
);

-- Every rule of a ruleset's *nat table, in evaluation order.
CREATE TABLE rule (
    ruleset_id    INTEGER NOT NULL REFERENCES ruleset(id),
    position      INTEGER NOT NULL,
    line          INTEGER NOT NULL,
    chain         TEXT NOT NULL,
    target        TEXT NOT NULL,
    proto         TEXT NOT NULL,      -- '' for any protocol
    proto_negated INTEGER NOT NULL,
    src_lo        INTEGER NOT NULL,
    src_hi        INTEGER NOT NULL,
    src_negated   INTEGER NOT NULL,
    to_lo         INTEGER,            -- SNAT/DNAT address range
    to_hi         INTEGER,
    port_lo       INTEGER,            -- port block, NULL when the rule has none
    port_hi       INTEGER,
    conditions    TEXT NOT NULL,      -- what a lookup cannot evaluate, one per line
    text          TEXT NOT NULL,
    PRIMARY KEY (ruleset_id, position)
) WITHOUT ROWID;

-- Per ruleset and protocol, the plane of public address x port cut into
-- disjoint cells, each row naming one source-NAT rule that covers the cell.
-- A lookup is two seeks: the greatest pub_lo <= ip, then the greatest
-- port_lo <= port under it, checked against pub_hi and port_hi.
CREATE TABLE nat_cell (
    ruleset_id  INTEGER NOT NULL,
    proto       INTEGER NOT NULL,     -- 6 tcp, 17 udp
    pub_lo      INTEGER NOT NULL,
    port_lo     INTEGER NOT NULL,
    position    INTEGER NOT NULL,     -- the rule
    pub_hi      INTEGER NOT NULL,
    port_hi     INTEGER NOT NULL,
    masquerade  INTEGER NOT NULL,     -- 1: address unknown, a warning not a candidate
    PRIMARY KEY (ruleset_id, proto, pub_lo, port_lo, position)
) WITHOUT ROWID;

-- The same cells, packed per ruleset into one blob (libtrace/ruleset_pack.hpp)
-- so that a batch loads a whole ruleset with one read.
CREATE TABLE ruleset_pack (
    ruleset_id INTEGER PRIMARY KEY REFERENCES ruleset(id),
    format     INTEGER NOT NULL,
    pack       BLOB NOT NULL
);

-- What indexing noticed in a snapshot: warnings with their line.
CREATE TABLE diagnostic (
    snapshot_id INTEGER NOT NULL REFERENCES snapshot(id),
    line        INTEGER NOT NULL,
    message     TEXT NOT NULL
);
CREATE INDEX diagnostic_by_snapshot ON diagnostic(snapshot_id);

PRAGMA user_version = 1;
