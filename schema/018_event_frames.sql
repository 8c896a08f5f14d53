-- natfw-trace index, schema version 18: each connection event block is
-- compressed in frames of 128 events instead of as one whole.
-- A lookup that shows a session's evidence reads two or three events, and
-- decompressed all 1,024 of their block (73 KB) for them; now it
-- decompresses the frame of 128 that holds each (store/event_block.hpp has
-- the layout). Ids, places, rows and every other column stay as they are:
-- natfw-index writes each block's data again in this step's transaction
-- (compression is not SQL). A block it cannot read keeps its old bytes, so
-- that --verify names it as before.
PRAGMA user_version = 18;
