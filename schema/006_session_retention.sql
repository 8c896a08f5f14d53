-- natfw-trace index, schema version 6: forgetting sessions on purpose.
-- Sessions name people; how long they are kept is the admin's decision
-- (natfw-index --keep-sessions, --forget-sessions-before). The horizon only
-- moves forward: events and sessions that ended before it are deleted, and
-- ingesting an old export again does not bring them back.
CREATE TABLE session_retention (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    forgotten_before INTEGER, -- UTC microseconds; NULL: nothing forgotten yet
    keep_seconds     INTEGER, -- applied at every natfw-index run; NULL: kept until told
    forgotten_at     INTEGER  -- UTC seconds of the last run that forgot something
);
INSERT INTO session_retention(id) VALUES (1);

PRAGMA user_version = 6;
