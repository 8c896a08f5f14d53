-- natfw-trace index, schema version 10: each snapshot file's identity.
-- A lookup cites a snapshot file and says whether it is still what was
-- indexed. Re-hashing it on every lookup costs more than the lookup itself
-- for large rulesets, so the file's identity is kept at index time: device,
-- inode and the change time in nanoseconds beside the size and modification
-- time already kept. A lookup re-hashes only when one of them differs: an
-- edit that puts the modification time back still moves the change time,
-- which user space cannot set. 0 where not recorded (rows from before this
-- step, until natfw-index has re-hashed their file once).
ALTER TABLE snapshot ADD COLUMN dev INTEGER NOT NULL DEFAULT 0;
ALTER TABLE snapshot ADD COLUMN ino INTEGER NOT NULL DEFAULT 0;
ALTER TABLE snapshot ADD COLUMN ctime_ns INTEGER NOT NULL DEFAULT 0;
ALTER TABLE snapshot6 ADD COLUMN dev INTEGER NOT NULL DEFAULT 0;
ALTER TABLE snapshot6 ADD COLUMN ino INTEGER NOT NULL DEFAULT 0;
ALTER TABLE snapshot6 ADD COLUMN ctime_ns INTEGER NOT NULL DEFAULT 0;

PRAGMA user_version = 10;
