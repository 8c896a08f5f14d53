-- natfw-trace index, schema version 17: how the portal database looked when
-- it was last read.
-- SQLite counts each transaction that changes a database (the file change
-- counter in its header; kept in the rollback journal modes the portal
-- uses, not in WAL). A run that finds the counter, the file's size and its
-- modification time as they were after the last run knows that nothing in
-- the portal changed, and reads no rows. For a database, size and mtime_ns
-- now hold the file's; this column holds the counter, or NULL when it was
-- not usable (a WAL database, or never read since this step).
ALTER TABLE session_source ADD COLUMN change_counter INTEGER;

PRAGMA user_version = 17;
