-- natfw-trace index, schema version 2: first-match evaluation, and the
-- nodes' own addresses for MASQUERADE.
-- Which sources can still reach a source-NAT rule once earlier rules in
-- POSTROUTING (and the user chains it jumps to) have taken theirs is worked
-- out at index time. Rules no source can reach keep their cells, marked with
-- bit 2 of nat_cell.masquerade (bit 1: MASQUERADE), so that answers can say
-- why they are not candidates; a rule reached by only part of its source
-- gets a row here.

CREATE TABLE rule_reach (
    ruleset_id INTEGER NOT NULL REFERENCES ruleset(id),
    position   INTEGER NOT NULL,
    proto      INTEGER NOT NULL,      -- 6 tcp, 17 udp
    reach_lo   INTEGER NOT NULL,      -- the smallest range holding what reaches the rule
    reach_hi   INTEGER NOT NULL,
    excluded   TEXT NOT NULL,         -- addresses inside that range earlier rules take, '' if none
    taken_by   TEXT NOT NULL,         -- lines of those earlier rules, space-separated (a few)
    PRIMARY KEY (ruleset_id, position, proto)
) WITHOUT ROWID;

-- 1: cells and packs written before first-match evaluation existed (every
-- covering rule a candidate); natfw-index rebuilds them from the stored rules.
-- 2: first-match evaluation.
ALTER TABLE ruleset ADD COLUMN derived INTEGER NOT NULL DEFAULT 1;

-- A node's own public address, as the sysadmin records it (natfw-index
-- --masquerade-address), from a time on: what MASQUERADE rules translate to.
CREATE TABLE node_address (
    node_id    INTEGER NOT NULL REFERENCES node(id),
    valid_from INTEGER NOT NULL,
    address    INTEGER NOT NULL,
    PRIMARY KEY (node_id, valid_from)
) WITHOUT ROWID;

-- Forward lookups (--internal) find the rules whose source holds an address
-- without reading every rule: host rules by a seek, the few wider ones
-- (subnets, ranges, !) from a small partial index.
CREATE INDEX rule_host_source ON rule(ruleset_id, src_lo) WHERE src_lo = src_hi AND src_negated = 0;
CREATE INDEX rule_wide_source ON rule(ruleset_id) WHERE src_lo < src_hi OR src_negated = 1;

PRAGMA user_version = 2;
