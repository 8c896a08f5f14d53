-- natfw-trace index, schema version 3: what used to be recovered from text
-- is stored as data.

-- A diagnostic's kind: 'warning' (a parser finding) or 'check' (a ruleset
-- check). Checks used to be told apart by a "check: " prefix of the message.
ALTER TABLE diagnostic ADD COLUMN kind TEXT NOT NULL DEFAULT 'warning';
UPDATE diagnostic SET kind = 'check', message = substr(message, 8) WHERE message LIKE 'check: %';

-- 1 when the rule continues with -g/--goto (no return to its chain). For
-- rules stored before, natfw-index reads it from the rule's text once, in
-- the transaction of this step (database.cpp).
ALTER TABLE rule ADD COLUMN goto_chain INTEGER NOT NULL DEFAULT 0;

-- A rule reached by part of its source: the ranges inside reach_lo..reach_hi
-- that earlier rules take, and the lines of those rules, in the order first
-- match met them. Both were text before ("10.0.0.2-10.0.0.3", "12 14").
CREATE TABLE rule_reach_gap (
    ruleset_id INTEGER NOT NULL REFERENCES ruleset(id),
    position   INTEGER NOT NULL,
    proto      INTEGER NOT NULL,
    lo         INTEGER NOT NULL,
    hi         INTEGER NOT NULL,
    PRIMARY KEY (ruleset_id, position, proto, lo)
) WITHOUT ROWID;
CREATE TABLE rule_reach_taker (
    ruleset_id INTEGER NOT NULL REFERENCES ruleset(id),
    position   INTEGER NOT NULL,
    proto      INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    line       INTEGER NOT NULL,
    PRIMARY KEY (ruleset_id, position, proto, seq)
) WITHOUT ROWID;
ALTER TABLE rule_reach DROP COLUMN excluded;
ALTER TABLE rule_reach DROP COLUMN taken_by;

-- 3: reach gaps and takers as rows, packs of format 3. Every ruleset is
-- derived again from its stored rules in this step's transaction
-- (database.cpp), so no reader sees a ruleset between the two forms.
UPDATE ruleset SET derived = 1 WHERE derived < 3;

PRAGMA user_version = 3;
