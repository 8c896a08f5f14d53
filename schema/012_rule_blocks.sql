-- natfw-trace index, schema version 12: rules in compressed blocks, packs
-- compressed (ruleset.derived 5: natfw-index derives older ones again from
-- their stored rules), and a check over each snapshot row.
-- A ruleset's rules were rows carrying their text, indexed twice by source:
-- two thirds of an index three times the size of the snapshots it holds.
-- Now up to 512 consecutive rules are one compressed value
-- (libtrace/store/rule_block.hpp); each block's row says what readers need
-- to skip it: its single-host sources' bounds, whether a rule has a wider
-- source, whether a rule is one inbound lookups read. natfw-index moves the
-- rows of the rule table into blocks and drops the table in the transaction
-- of this step (database.cpp).
CREATE TABLE rule_block (
    ruleset_id     INTEGER NOT NULL REFERENCES ruleset(id),
    first_position INTEGER NOT NULL,
    last_position  INTEGER NOT NULL,
    host_lo        INTEGER,          -- NULL: no rule of the block names a single host
    host_hi        INTEGER,
    wide           INTEGER NOT NULL, -- 1: a rule with a wider or negated source
    inbound        INTEGER NOT NULL, -- 1: a DNAT rule or a verdict inbound lookups read
    body           BLOB NOT NULL,
    PRIMARY KEY (ruleset_id, first_position)
) WITHOUT ROWID;

-- A digest over what each snapshot row says about its evidence (node, time,
-- path, content hash, ruleset; libtrace/store/snapshot_row_check.hpp), so
-- that lookups refuse a row a flipped byte changed instead of answering from
-- it. natfw-index fills it for the rows already there in this step.
ALTER TABLE snapshot ADD COLUMN row_check TEXT NOT NULL DEFAULT '';
ALTER TABLE snapshot6 ADD COLUMN row_check TEXT NOT NULL DEFAULT '';

PRAGMA user_version = 12;
