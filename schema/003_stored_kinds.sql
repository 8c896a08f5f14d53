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

PRAGMA user_version = 3;
