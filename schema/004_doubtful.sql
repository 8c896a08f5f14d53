-- natfw-trace index, schema version 4: snapshots that may never have been in
-- force. iptables-restore refuses a file with CRLF line ends (or jumps nested
-- too deep for an unnamed backend), yet the file may be a faithful copy of a
-- ruleset that loaded: lookups in its period consider the rulesets before it
-- too. NULL: nothing casts doubt on it.
ALTER TABLE snapshot ADD COLUMN doubt_line INTEGER;
ALTER TABLE snapshot ADD COLUMN doubt_reason TEXT;

-- Indexes built before kept CRLF as a parser warning only.
UPDATE snapshot SET
    doubt_line = (SELECT min(d.line) FROM diagnostic d
                  WHERE d.snapshot_id = snapshot.id AND d.message LIKE 'CRLF line ends%'),
    doubt_reason = 'CRLF line ends: iptables-restore refuses such a file, so either it never was in force or it '
                   || 'is a copy of one that was'
WHERE EXISTS (SELECT 1 FROM diagnostic d WHERE d.snapshot_id = snapshot.id AND d.message LIKE 'CRLF line ends%');
DELETE FROM diagnostic WHERE message LIKE 'CRLF line ends%';

-- 4: packs carry a checksum (format 4), and a goto into a chain without
-- rules ends the calling chain as iptables does. Every ruleset is derived
-- again from its stored rules in this step's transaction (database.cpp).
UPDATE ruleset SET derived = 1 WHERE derived < 4;

PRAGMA user_version = 4;
