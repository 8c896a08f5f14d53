-- natfw-trace index, schema version 13: cells in compressed blocks
-- (ruleset.derived 6).
-- A row per cell made nat_cell half of an index and its inserts a third of
-- indexing: every lookup reads one cell's rules, never a column. Now up to
-- 256 consecutive cells of one protocol and public-address column are one
-- compressed value (libtrace/store/cell_block.hpp), keyed by its first
-- cell; the rules of one cell are never split over two blocks. The cells
-- are derived data: natfw-index derives them again from the stored rules of
-- every ruleset in the transaction of this step, as for steps 3 to 5.
DROP TABLE nat_cell;

CREATE TABLE cell_block (
    ruleset_id  INTEGER NOT NULL REFERENCES ruleset(id),
    proto       INTEGER NOT NULL,  -- 6 tcp, 17 udp
    pub_lo      INTEGER NOT NULL,  -- the public-address column its cells share
    port_lo     INTEGER NOT NULL,  -- its first cell's port
    snat_pub_hi INTEGER,           -- the highest address its cells of reached SNAT rules
                                   -- reach; NULL: only MASQUERADE or rules never reached
    body        BLOB NOT NULL,
    PRIMARY KEY (ruleset_id, proto, pub_lo, port_lo)
) WITHOUT ROWID;

PRAGMA user_version = 13;
