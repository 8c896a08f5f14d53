-- natfw-trace index, schema version 17: how the portal database looked when
-- it was last read, and where its open rows were.
-- SQLite counts each transaction that changes a database (the file change
-- counter in its header; kept in the rollback journal modes the portal
-- uses, not in WAL). A run that finds the counter, the file's size and its
-- modification time as they were when the last run began knows that
-- nothing in the portal changed since, and reads no rows. For a database, size and mtime_ns
-- now hold the file's; this column holds the counter, or NULL when it was
-- not usable (a WAL database, or never read since this step).
ALTER TABLE session_source ADD COLUMN change_counter INTEGER;
-- Where each open row was: its rowid in connection_log when last read. A
-- row is read again by it (one step down the table's B-tree, and rows side
-- by side in one range) if the row there still has the key; otherwise (the
-- portal's file was vacuumed, which may number rows anew) by its key.
ALTER TABLE portal_open_row ADD COLUMN row_hint INTEGER;

PRAGMA user_version = 17;
