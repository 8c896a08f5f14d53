-- natfw-trace index, schema version 7: a session's evidence in its own row.
-- A session is made of two to a few events (its CONNECT and DISCONNECT as
-- each source reported them). A link table held one row per event, checked
-- against both tables on every insert and delete; a JSON array of event ids
-- beside the session says the same at a fraction of the cost (ingesting a
-- month of a busy portal spent a sixth of its time on those links).
ALTER TABLE vpn_session ADD COLUMN evidence TEXT NOT NULL DEFAULT '[]'; -- JSON array of connection_event ids
UPDATE vpn_session SET evidence = (
    SELECT json_group_array(event_id) FROM (
        SELECT event_id FROM vpn_session_evidence WHERE session_id = vpn_session.id ORDER BY event_id));
DROP TABLE vpn_session_evidence;

PRAGMA user_version = 7;
