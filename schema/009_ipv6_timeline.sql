-- natfw-trace index, schema version 9: each node's IPv6 timeline.
-- rules.v6 files and the ip6/inet tables of nft snapshots say how the node
-- NATs IPv6. They never end an IPv4 period nor the reverse (CONTRACT), so they
-- have tables of their own. Their rulesets are few and small (a masquerade,
-- some port blocks): a lookup reads the whole ruleset in force and evaluates
-- first match on it, so only the rules are stored, addresses as text.

CREATE TABLE ruleset6 (
    id         INTEGER PRIMARY KEY,
    digest     TEXT NOT NULL UNIQUE, -- as ruleset.digest
    rule_count INTEGER NOT NULL
);

CREATE TABLE rule6 (
    ruleset6_id   INTEGER NOT NULL REFERENCES ruleset6(id),
    position      INTEGER NOT NULL,
    line          INTEGER NOT NULL,
    chain         TEXT NOT NULL,
    target        TEXT NOT NULL,
    goto_chain    INTEGER NOT NULL,
    proto         TEXT NOT NULL,
    proto_negated INTEGER NOT NULL,
    source        TEXT NOT NULL,      -- address, prefix or lo-hi
    src_negated   INTEGER NOT NULL,
    to_addresses  TEXT,               -- SNAT/DNAT address or lo-hi
    port_lo       INTEGER,
    port_hi       INTEGER,
    conditions    TEXT NOT NULL,
    text          TEXT NOT NULL,
    PRIMARY KEY (ruleset6_id, position)
) WITHOUT ROWID;

-- A file's part in the IPv6 timeline; an nft snapshot has a row here and
-- one in snapshot, with the same path and digest.
CREATE TABLE snapshot6 (
    id              INTEGER PRIMARY KEY,
    node_id         INTEGER NOT NULL REFERENCES node(id),
    valid_from      INTEGER NOT NULL,
    path            TEXT NOT NULL,
    sha256          TEXT NOT NULL,
    size            INTEGER NOT NULL,
    mtime_ns        INTEGER NOT NULL,
    ruleset6_id     INTEGER REFERENCES ruleset6(id),
    unusable_line   INTEGER,
    unusable_reason TEXT,
    indexed_at      INTEGER NOT NULL,
    doubt_line      INTEGER,          -- as snapshot: it may never have been in force
    doubt_reason    TEXT,
    UNIQUE (node_id, valid_from)
);

-- What natfw-index found in a file's IPv6 half (warnings and checks), as diagnostic.
CREATE TABLE diagnostic6 (
    snapshot6_id INTEGER NOT NULL REFERENCES snapshot6(id),
    line         INTEGER NOT NULL,
    message      TEXT NOT NULL,
    kind         TEXT NOT NULL
);
CREATE INDEX diagnostic6_by_snapshot ON diagnostic6(snapshot6_id);

-- The node's own IPv6 address (natfw-index --masquerade-address), as node_address.
CREATE TABLE node_address6 (
    node_id    INTEGER NOT NULL REFERENCES node(id),
    valid_from INTEGER NOT NULL,
    address    TEXT NOT NULL,
    PRIMARY KEY (node_id, valid_from)
) WITHOUT ROWID;

PRAGMA user_version = 9;
