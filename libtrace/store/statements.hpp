#pragma once
// Every SQL statement natfw runs, by name. Values enter only through bind().

namespace natfw::sql {

// --- indexing ---------------------------------------------------------------
inline constexpr const char* k_find_node = "SELECT id FROM node WHERE name = ?1";
inline constexpr const char* k_insert_node = "INSERT INTO node(name) VALUES (?1)";
inline constexpr const char* k_node_snapshots =
    "SELECT id, valid_from, path, sha256, size, mtime_ns, ruleset_id IS NOT NULL, dev, ino, ctime_ns FROM snapshot WHERE node_id = ?1 "
    "ORDER BY valid_from";
inline constexpr const char* k_other_node_with_path =
    "SELECT n.name FROM snapshot s JOIN node n ON n.id = s.node_id WHERE s.path = ?1 AND s.node_id <> ?2 LIMIT 1";
inline constexpr const char* k_find_ruleset = "SELECT id FROM ruleset WHERE digest = ?1";
inline constexpr const char* k_insert_ruleset =
    "INSERT INTO ruleset(digest, rule_count, derived) VALUES (?1, ?2, 6)";
inline constexpr const char* k_insert_reach =
    "INSERT INTO rule_reach(ruleset_id, position, proto, reach_lo, reach_hi) VALUES (?1, ?2, ?3, ?4, ?5)";
inline constexpr const char* k_insert_reach_gap =
    "INSERT INTO rule_reach_gap(ruleset_id, position, proto, lo, hi) VALUES (?1, ?2, ?3, ?4, ?5)";
inline constexpr const char* k_insert_reach_taker =
    "INSERT INTO rule_reach_taker(ruleset_id, position, proto, seq, line) VALUES (?1, ?2, ?3, ?4, ?5)";
// --- rebuilding what was derived by an older build (ruleset.derived < 6) -----
inline constexpr const char* k_outdated_rulesets = "SELECT id FROM ruleset WHERE derived < 6 ORDER BY id";
// --- rules in blocks (schema 12, store/rule_block.hpp) ------------------------
inline constexpr const char* k_insert_rule_block =
    "INSERT INTO rule_block(ruleset_id, first_position, last_position, host_lo, host_hi, wide, inbound, body) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
inline constexpr const char* k_ruleset_blocks =
    "SELECT first_position, body FROM rule_block WHERE ruleset_id = ?1 ORDER BY first_position";
/// The block holding a rule: the last one starting at or before its position.
inline constexpr const char* k_block_of_rule =
    "SELECT first_position, body FROM rule_block WHERE ruleset_id = ?1 AND first_position <= ?2 "
    "ORDER BY first_position DESC LIMIT 1";
/// Blocks that may hold a rule whose source holds an address.
inline constexpr const char* k_blocks_for_source =
    "SELECT first_position, body FROM rule_block WHERE ruleset_id = ?1 "
    "AND (wide = 1 OR (host_lo <= ?2 AND host_hi >= ?2)) ORDER BY first_position";
inline constexpr const char* k_inbound_blocks =
    "SELECT first_position, body FROM rule_block WHERE ruleset_id = ?1 AND inbound = 1 ORDER BY first_position";
// Schema 11 -> 12: the rule rows moved into blocks, then dropped.
inline constexpr const char* k_v11_rules =
    "SELECT ruleset_id, position, line, chain, target, proto, proto_negated, src_lo, src_hi, src_negated, to_lo, "
    "to_hi, port_lo, port_hi, conditions, text, goto_chain FROM rule ORDER BY ruleset_id, position";
inline constexpr const char* k_v11_snapshot_rows =
    "SELECT id, node_id, valid_from, path, sha256, ruleset_id FROM snapshot";
inline constexpr const char* k_v11_snapshot6_rows =
    "SELECT id, node_id, valid_from, path, sha256, ruleset6_id FROM snapshot6";
inline constexpr const char* k_v11_set_snapshot_check = "UPDATE snapshot SET row_check = ?2 WHERE id = ?1";
inline constexpr const char* k_v11_set_snapshot6_check = "UPDATE snapshot6 SET row_check = ?2 WHERE id = ?1";
inline constexpr const char* k_v11_drop_rules =
    "DROP INDEX IF EXISTS rule_host_source; DROP INDEX IF EXISTS rule_wide_source; DROP TABLE rule";
inline constexpr const char* k_delete_cell_blocks = "DELETE FROM cell_block WHERE ruleset_id = ?1";
inline constexpr const char* k_delete_pack = "DELETE FROM ruleset_pack WHERE ruleset_id = ?1";
inline constexpr const char* k_delete_reach = "DELETE FROM rule_reach WHERE ruleset_id = ?1";
inline constexpr const char* k_delete_reach_gaps = "DELETE FROM rule_reach_gap WHERE ruleset_id = ?1";
inline constexpr const char* k_delete_reach_takers = "DELETE FROM rule_reach_taker WHERE ruleset_id = ?1";
inline constexpr const char* k_set_derived = "UPDATE ruleset SET derived = 6 WHERE id = ?1";
// --- cells in blocks (schema 13, store/cell_block.hpp) -----------------------
inline constexpr const char* k_insert_cell_block =
    "INSERT INTO cell_block(ruleset_id, proto, pub_lo, port_lo, snat_pub_hi, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
inline constexpr const char* k_insert_pack = "INSERT INTO ruleset_pack(ruleset_id, format, pack) VALUES (?1, ?2, ?3)";
inline constexpr const char* k_insert_snapshot =
    "INSERT INTO snapshot(node_id, valid_from, path, sha256, size, mtime_ns, ruleset_id, unusable_line, "
    "unusable_reason, indexed_at, doubt_line, doubt_reason, dev, ino, ctime_ns, row_check) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";
inline constexpr const char* k_update_snapshot_stat = "UPDATE snapshot SET size = ?2, mtime_ns = ?3, dev = ?4, ino = ?5, ctime_ns = ?6 WHERE id = ?1";
inline constexpr const char* k_insert_diagnostic =
    "INSERT INTO diagnostic(snapshot_id, line, message, kind) VALUES (?1, ?2, ?3, ?4)";
// --- schema step 3: the -g flag of rules stored before it --------------------
/// A superset of the rules continuing with -g or --goto (a comment may say "-g" too).
inline constexpr const char* k_rules_maybe_goto = "SELECT ruleset_id, position, text FROM rule WHERE text LIKE '%-g%'";
inline constexpr const char* k_set_goto = "UPDATE rule SET goto_chain = 1 WHERE ruleset_id = ?1 AND position = ?2";

// --- the IPv6 timeline (store/timeline6.hpp) ---------------------------------
inline constexpr const char* k_node_snapshots6 =
    "SELECT id, valid_from, path, sha256, size, mtime_ns, ruleset6_id IS NOT NULL, dev, ino, ctime_ns FROM snapshot6 WHERE node_id = ?1 "
    "ORDER BY valid_from";
inline constexpr const char* k_find_ruleset6 = "SELECT id FROM ruleset6 WHERE digest = ?1";
inline constexpr const char* k_insert_ruleset6 = "INSERT INTO ruleset6(digest, rule_count) VALUES (?1, ?2)";
inline constexpr const char* k_insert_rule6 =
    "INSERT INTO rule6(ruleset6_id, position, line, chain, target, goto_chain, proto, proto_negated, source, "
    "src_negated, to_addresses, port_lo, port_hi, conditions, text) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";
inline constexpr const char* k_insert_snapshot6 =
    "INSERT INTO snapshot6(node_id, valid_from, path, sha256, size, mtime_ns, ruleset6_id, unusable_line, "
    "unusable_reason, indexed_at, doubt_line, doubt_reason, dev, ino, ctime_ns, row_check) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";
inline constexpr const char* k_update_snapshot6_stat = "UPDATE snapshot6 SET size = ?2, mtime_ns = ?3, dev = ?4, ino = ?5, ctime_ns = ?6 WHERE id = ?1";
inline constexpr const char* k_any_snapshot6 = "SELECT EXISTS (SELECT 1 FROM snapshot6)";
/// Columns of every snapshot6 read for lookups, in this order.
inline constexpr const char* k_snapshot6_in_force =
    "SELECT id, valid_from, path, sha256, ruleset6_id, size, mtime_ns, coalesce(doubt_reason, ''), dev, ino, ctime_ns, row_check FROM snapshot6 "
    "WHERE node_id = ?1 AND valid_from <= ?2 AND ruleset6_id IS NOT NULL ORDER BY valid_from DESC LIMIT 1";
inline constexpr const char* k_snapshot6_after =
    "SELECT id, valid_from, path, sha256, ruleset6_id, size, mtime_ns, coalesce(doubt_reason, ''), dev, ino, ctime_ns, row_check FROM snapshot6 "
    "WHERE node_id = ?1 AND valid_from > ?2 AND ruleset6_id IS NOT NULL ORDER BY valid_from LIMIT 1";
/// Unusable IPv6 files of a node dated in (?2, ?3], except the records of nft
/// snapshots that are no part of the timeline (?4: their reason).
inline constexpr const char* k_unusable_snapshots6_between =
    "SELECT path, valid_from, coalesce(unusable_line, 0), coalesce(unusable_reason, ''), id, sha256, row_check "
    "FROM snapshot6 "
    "WHERE node_id = ?1 AND valid_from > ?2 AND valid_from <= ?3 AND ruleset6_id IS NULL "
    "AND coalesce(unusable_reason, '') <> ?4 ORDER BY valid_from";
inline constexpr const char* k_usable_snapshots6 =
    "SELECT id, valid_from, path, sha256, ruleset6_id, size, mtime_ns, coalesce(doubt_reason, ''), dev, ino, ctime_ns, row_check FROM snapshot6 "
    "WHERE node_id = ?1 AND ruleset6_id IS NOT NULL ORDER BY valid_from";
inline constexpr const char* k_ruleset6_rules =
    "SELECT position, line, chain, target, goto_chain, proto, proto_negated, source, src_negated, to_addresses, "
    "port_lo, port_hi, conditions, text FROM rule6 WHERE ruleset6_id = ?1 ORDER BY position";
/// As k_list_snapshots.
inline constexpr const char* k_list_snapshots6 =
    "SELECT s.id, s.valid_from, s.path, s.sha256, s.size, s.ruleset6_id, s.unusable_line, s.unusable_reason, "
    "coalesce(r.rule_count, 0), s.doubt_line, s.doubt_reason, s.mtime_ns, s.dev, s.ino, s.ctime_ns "
    "FROM snapshot6 s LEFT JOIN ruleset6 r ON r.id = s.ruleset6_id "
    "WHERE s.node_id = ?1 ORDER BY s.valid_from";
inline constexpr const char* k_all_rulesets6 = "SELECT id, digest, rule_count FROM ruleset6 ORDER BY id";
inline constexpr const char* k_node_addresses6 =
    "SELECT valid_from, address FROM node_address6 WHERE node_id = ?1 ORDER BY valid_from";
inline constexpr const char* k_find_node_address6 =
    "SELECT address FROM node_address6 WHERE node_id = ?1 AND valid_from = ?2";
inline constexpr const char* k_insert_node_address6 =
    "INSERT INTO node_address6(node_id, valid_from, address) VALUES (?1, ?2, ?3)";
inline constexpr const char* k_node_address6_at =
    "SELECT address, valid_from FROM node_address6 WHERE node_id = ?1 AND valid_from <= ?2 "
    "ORDER BY valid_from DESC LIMIT 1";

// --- listing and verifying --------------------------------------------------
inline constexpr const char* k_all_nodes = "SELECT id, name FROM node ORDER BY name";
inline constexpr const char* k_list_snapshots =
    "SELECT s.id, s.valid_from, s.path, s.sha256, s.size, s.ruleset_id, s.unusable_line, s.unusable_reason, "
    "coalesce(r.rule_count, 0), s.doubt_line, s.doubt_reason, s.mtime_ns, s.dev, s.ino, s.ctime_ns "
    "FROM snapshot s LEFT JOIN ruleset r ON r.id = s.ruleset_id "
    "WHERE s.node_id = ?1 ORDER BY s.valid_from";
inline constexpr const char* k_snapshot6_diagnostics =
    "SELECT line, message, kind FROM diagnostic6 WHERE snapshot6_id = ?1 ORDER BY line";
inline constexpr const char* k_insert_diagnostic6 =
    "INSERT INTO diagnostic6(snapshot6_id, line, message, kind) VALUES (?1, ?2, ?3, ?4)";
inline constexpr const char* k_snapshot_diagnostics =
    "SELECT line, message, kind FROM diagnostic WHERE snapshot_id = ?1 ORDER BY line";

// --- verifying the index itself --------------------------------------------
inline constexpr const char* k_integrity_check = "PRAGMA integrity_check(20)";
inline constexpr const char* k_all_rulesets = "SELECT id, digest, rule_count FROM ruleset ORDER BY id";
inline constexpr const char* k_all_packs = "SELECT ruleset_id, format, pack FROM ruleset_pack ORDER BY ruleset_id";

// --- batches: the whole history in memory ---------------------------------
inline constexpr const char* k_all_snapshots =
    "SELECT s.id, s.node_id, s.valid_from, s.path, s.sha256, s.ruleset_id, s.unusable_line, s.unusable_reason, "
    "s.size, s.mtime_ns, coalesce(s.doubt_reason, ''), s.dev, s.ino, s.ctime_ns, s.row_check FROM snapshot s "
    "ORDER BY s.node_id, s.valid_from";
inline constexpr const char* k_max_ruleset = "SELECT coalesce(max(id), 0) FROM ruleset";
inline constexpr const char* k_ruleset_pack = "SELECT format, pack FROM ruleset_pack WHERE ruleset_id = ?1";

// --- lookups ----------------------------------------------------------------
/// Each node's newest snapshot (usable or not): an instant well after it gets a warning.
inline constexpr const char* k_newest_snapshot_per_node =
    "SELECT n.name, max(s.valid_from) FROM snapshot s JOIN node n ON n.id = s.node_id GROUP BY n.id ORDER BY n.name";
/// The newest usable snapshot of a node at or before a time: the one in force.
inline constexpr const char* k_usable_at =
    "SELECT id, valid_from, path, sha256, ruleset_id, size, mtime_ns, coalesce(doubt_reason, ''), dev, ino, ctime_ns, row_check FROM snapshot "
    "WHERE node_id = ?1 AND valid_from <= ?2 AND ruleset_id IS NOT NULL ORDER BY valid_from DESC LIMIT 1";
/// The next usable snapshot after a time: where the one in force ends.
inline constexpr const char* k_usable_after =
    "SELECT id, valid_from, path, sha256, ruleset_id, size, mtime_ns, coalesce(doubt_reason, ''), dev, ino, ctime_ns, row_check FROM snapshot "
    "WHERE node_id = ?1 AND valid_from > ?2 AND ruleset_id IS NOT NULL ORDER BY valid_from LIMIT 1";
/// Unusable snapshots in (from, to]: rulesets that were meant to replace the one in force.
inline constexpr const char* k_unusable_between =
    "SELECT path, unusable_line, unusable_reason, valid_from, id, sha256, row_check FROM snapshot "
    "WHERE node_id = ?1 AND valid_from > ?2 AND valid_from <= ?3 AND ruleset_id IS NULL ORDER BY valid_from";
/// Whether the index holds anything to answer from: a snapshot (usable or not) or a session source.
inline constexpr const char* k_any_snapshot =
    "SELECT EXISTS (SELECT 1 FROM snapshot) OR EXISTS (SELECT 1 FROM snapshot6) OR EXISTS (SELECT 1 FROM session_source)";
inline constexpr const char* k_first_snapshot =
    "SELECT min(valid_from) FROM snapshot WHERE node_id = ?1";
/// The part of a rule's source that reaches it, when earlier rules take some.
inline constexpr const char* k_rule_reach_gaps =
    "SELECT lo, hi FROM rule_reach_gap WHERE ruleset_id = ?1 AND position = ?2 AND proto = ?3 ORDER BY lo";
inline constexpr const char* k_rule_reach_takers =
    "SELECT line FROM rule_reach_taker WHERE ruleset_id = ?1 AND position = ?2 AND proto = ?3 ORDER BY seq";
inline constexpr const char* k_rule_reach =
    "SELECT reach_lo, reach_hi FROM rule_reach WHERE ruleset_id = ?1 AND position = ?2 "
    "AND proto = ?3";
// --- inbound (DNAT) lookups -------------------------------------------------
// --- node addresses (MASQUERADE) -------------------------------------------
inline constexpr const char* k_find_node_address =
    "SELECT address FROM node_address WHERE node_id = ?1 AND valid_from = ?2";
inline constexpr const char* k_insert_node_address =
    "INSERT INTO node_address(node_id, valid_from, address) VALUES (?1, ?2, ?3)";
/// The node's address in force at a time.
inline constexpr const char* k_node_address_at =
    "SELECT address, valid_from FROM node_address WHERE node_id = ?1 AND valid_from <= ?2 "
    "ORDER BY valid_from DESC LIMIT 1";
inline constexpr const char* k_all_node_addresses =
    "SELECT node_id, valid_from, address FROM node_address ORDER BY node_id, valid_from";
inline constexpr const char* k_node_addresses =
    "SELECT valid_from, address FROM node_address WHERE node_id = ?1 ORDER BY valid_from";
// --- forward lookups (--internal) --------------------------------------------
inline constexpr const char* k_node_usable_snapshots =
    "SELECT id, valid_from, path, sha256, ruleset_id, size, mtime_ns, coalesce(doubt_reason, ''), dev, ino, ctime_ns, row_check FROM snapshot "
    "WHERE node_id = ?1 AND ruleset_id IS NOT NULL ORDER BY valid_from";
/// The public-address column at or below an address.
inline constexpr const char* k_cell_column =
    "SELECT max(pub_lo) FROM cell_block WHERE ruleset_id = ?1 AND proto = ?2 AND pub_lo <= ?3";
/// The block of a column holding a port: the last one starting at or below it.
inline constexpr const char* k_cell_block_at =
    "SELECT port_lo, body FROM cell_block WHERE ruleset_id = ?1 AND proto = ?2 AND pub_lo = ?3 AND port_lo <= ?4 "
    "ORDER BY port_lo DESC LIMIT 1";
/// Whether any SNAT rule some source reaches targets the address, whatever
/// the port: a block of its column with such a cell reaching the address.
inline constexpr const char* k_cell_column_has_snat =
    "SELECT port_lo, body, snat_pub_hi FROM cell_block WHERE ruleset_id = ?1 AND proto = ?2 AND pub_lo = ?3 "
    "AND snat_pub_hi >= ?4 LIMIT 1";

// --- sessions (schema 5): sources, events, sessions -------------------------
inline constexpr const char* k_find_source_file =
    "SELECT id, name, size, mtime_ns, resume_offset, resume_line, resume_year, resume_month, resume_time, "
    "covered_from, covered_to, change_counter FROM session_source WHERE kind = ?1 AND device = ?2 AND inode = ?3";
inline constexpr const char* k_find_source_name =
    "SELECT id, name, size, mtime_ns, resume_offset, resume_line, resume_year, resume_month, resume_time, "
    "covered_from, covered_to, change_counter FROM session_source WHERE kind = ?1 AND name = ?2 AND device IS NULL";
inline constexpr const char* k_insert_source =
    "INSERT INTO session_source(kind, name, device, inode, first_read_at, last_read_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)";
inline constexpr const char* k_update_source =
    "UPDATE session_source SET name = ?2, size = ?3, mtime_ns = ?4, resume_offset = ?5, resume_line = ?6, "
    "resume_year = ?7, resume_month = ?8, resume_time = ?9, covered_from = ?10, covered_to = ?11, "
    "year_note = coalesce(?12, year_note), last_read_at = ?13, change_counter = ?14 WHERE id = ?1";
inline constexpr const char* k_insert_event_block =
    "INSERT INTO connection_event_block(source_id, first_time, last_time, first_position, last_position, events, "
    "kept, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
inline constexpr const char* k_update_event_block =
    "UPDATE connection_event_block SET first_time = ?2, last_time = ?3, first_position = ?4, last_position = ?5, "
    "events = ?6, kept = ?7, data = ?8 WHERE id = ?1";
/// Schema 18: a block's data in the new layout, nothing else of its row changed.
inline constexpr const char* k_set_event_block_data = "UPDATE connection_event_block SET data = ?2 WHERE id = ?1";
inline constexpr const char* k_delete_event_block = "DELETE FROM connection_event_block WHERE id = ?1";
inline constexpr const char* k_event_block = "SELECT source_id, data FROM connection_event_block WHERE id = ?1";
inline constexpr const char* k_last_event_block = "SELECT coalesce(max(id), 0) FROM connection_event_block";
/// The blocks a portal database's rows from ?2 on may be in again.
inline constexpr const char* k_source_blocks_from =
    "SELECT id, data FROM connection_event_block WHERE source_id = ?1 AND last_position >= ?2";
/// A portal database's rows that were open when it was last read (schema 16).
inline constexpr const char* k_portal_open_rows =
    "SELECT connected_at, connection, coalesce(row_hint, 0) FROM portal_open_row WHERE source_id = ?1 "
    "ORDER BY connected_at, connection";
inline constexpr const char* k_portal_clear_open_rows = "DELETE FROM portal_open_row WHERE source_id = ?1";
inline constexpr const char* k_portal_add_open_row =
    "INSERT OR IGNORE INTO portal_open_row(source_id, connected_at, connection, row_hint) VALUES (?1, ?2, ?3, ?4)";
/// Blocks as event_merge takes them: every one, or those written after ?1.
inline constexpr const char* k_event_blocks_by_time =
    "SELECT id, source_id, first_time FROM connection_event_block ORDER BY first_time, id";
inline constexpr const char* k_event_blocks_after_by_time =
    "SELECT id, source_id, first_time FROM connection_event_block WHERE id > ?1 ORDER BY first_time, id";
/// A block's events, read when its turn comes: with the data in the two
/// statements above, SQLite's sorter copied every block (21 MB for a
/// million events) before the first one was built.
inline constexpr const char* k_event_block_data = "SELECT data FROM connection_event_block WHERE id = ?1";
/// Every block in id order, for --verify.
inline constexpr const char* k_event_blocks =
    "SELECT id, data, first_time, last_time, events, kept FROM connection_event_block ORDER BY id";
inline constexpr const char* k_count_sessions = "SELECT count(*) FROM vpn_session";
/// A rebuild after new events: the sessions they can change are those not
/// ended well before the earliest of them (?1: that time less twice the
/// window in which reports are one event) and every session of a connection
/// they name (temp.rebuild_connection); those sessions are built again from
/// their own events and the new ones.
inline constexpr const char* k_rebuild_make_lists =
    "CREATE TEMP TABLE IF NOT EXISTS rebuild_session(id INTEGER PRIMARY KEY); "
    "CREATE TEMP TABLE IF NOT EXISTS rebuild_connection(connection TEXT PRIMARY KEY) WITHOUT ROWID; "
    "DELETE FROM temp.rebuild_session; DELETE FROM temp.rebuild_connection";
inline constexpr const char* k_rebuild_add_connection =
    "INSERT OR IGNORE INTO temp.rebuild_connection(connection) VALUES (?1)";
inline constexpr const char* k_rebuild_list_sessions =
    "INSERT INTO temp.rebuild_session(id) SELECT id FROM vpn_session WHERE disconnected_at IS NULL "
    "OR disconnected_at >= ?1 OR connection IN (SELECT connection FROM temp.rebuild_connection)";
inline constexpr const char* k_rebuild_count_listed = "SELECT count(*) FROM temp.rebuild_session";
inline constexpr const char* k_rebuild_listed_evidence =
    "SELECT j.value FROM vpn_session s, json_each(s.evidence) j WHERE s.id IN (SELECT id FROM temp.rebuild_session)";
inline constexpr const char* k_rebuild_delete_sessions =
    "DELETE FROM vpn_session WHERE id IN (SELECT id FROM temp.rebuild_session)";
inline constexpr const char* k_delete_sessions = "DELETE FROM vpn_session";
/// The session table's secondary indexes: the rebuild keeps their definitions as the schema wrote
/// them, drops them, fills the table and creates them again (a sort each, instead of a random
/// B-tree insert per row).
inline constexpr const char* k_session_index_sql =
    "SELECT sql FROM sqlite_master WHERE type = 'index' "
    "AND name IN ('vpn_session_ip4', 'vpn_session_ip6', 'vpn_session_user') ORDER BY name";
/// Around creating them: SQLite's sorter holds as many keys in memory as the
/// page cache is big and sorts them as one list; with a small cache it sorts
/// runs on two threads and merges them, twice as fast here (500k sessions:
/// 2.0 s -> 0.9 s for the three indexes). The writer's cache is set back after.
inline constexpr const char* k_cache_for_sorting = "PRAGMA cache_size = -2000; PRAGMA threads = 2";
inline constexpr const char* k_cache_for_writing = "PRAGMA cache_size = -65536; PRAGMA threads = 0";
/// A new index's page size (an existing file keeps its own). Checkpointing
/// an ingest's write-ahead log costs a read and a write system call per page,
/// and session blocks span many pages: with 16 KiB instead of SQLite's 4 KiB,
/// ingesting a million log lines took 5.9-6.0 s instead of 7.0-7.9 s
/// (32 and 64 KiB: no faster, and a larger file).
inline constexpr const char* k_new_index_page_size = "PRAGMA page_size = 16384";
/// Snapshots append each ruleset's rows at the end of their tables: a modest
/// cache does, and leaves the memory to the snapshots being parsed. With 16
/// MiB, pages fell out and were looked up again in a write-ahead log that
/// grows with the run: 1,000 L snapshots slowed from 3.4 to 4.2 s per 100;
/// with 32 MiB they stay at 3.3-3.6 s.
inline constexpr const char* k_cache_for_snapshots = "PRAGMA cache_size = -32768";
inline constexpr const char* k_drop_session_indexes =
    "DROP INDEX IF EXISTS vpn_session_ip4; DROP INDEX IF EXISTS vpn_session_ip6; "
    "DROP INDEX IF EXISTS vpn_session_user";
inline constexpr const char* k_insert_session =
    "INSERT INTO vpn_session(user_id, profile, connection, vpn_proto, ip4, ip6, originating, connected_at, "
    "disconnected_at, ended_by, inferred_why, ip4_num, evidence) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
// --- session blocks (schema 14 and 15, store/session_blocks.hpp) ------------
/// The /24s (ip4_num >> 8) holding IPv4 sessions: every one, those of the
/// sessions a rebuild lists, those added after an id, those retention forgets.
inline constexpr const char* k_session_nets_all =
    "SELECT DISTINCT ip4_num >> 8 FROM vpn_session WHERE ip4_num IS NOT NULL";
inline constexpr const char* k_session_nets_listed =
    "SELECT DISTINCT ip4_num >> 8 FROM vpn_session WHERE ip4_num IS NOT NULL "
    "AND id IN (SELECT id FROM temp.rebuild_session)";
inline constexpr const char* k_session_nets_after =
    "SELECT DISTINCT ip4_num >> 8 FROM vpn_session WHERE ip4_num IS NOT NULL AND id > ?1";
inline constexpr const char* k_session_nets_forgotten =
    "SELECT DISTINCT ip4_num >> 8 FROM vpn_session WHERE ip4_num IS NOT NULL AND disconnected_at < ?1";
inline constexpr const char* k_max_session_id = "SELECT coalesce(max(id), 0) FROM vpn_session";
/// The sessions of the addresses ?1 to ?2 by address, as a block keeps them
/// (from vpn_session_ip4 alone, in its order).
inline constexpr const char* k_session_block_sessions =
    "SELECT ip4_num, connected_at, disconnected_at, coalesce(ended_by, ''), user_id FROM vpn_session "
    "WHERE ip4_num IS NOT NULL AND ip4_num BETWEEN ?1 AND ?2 ORDER BY ip4_num";
inline constexpr const char* k_delete_session_block = "DELETE FROM session_ip4_block WHERE net = ?1";
inline constexpr const char* k_delete_session_blocks = "DELETE FROM session_ip4_block";
inline constexpr const char* k_insert_session_block = "INSERT INTO session_ip4_block(net, body) VALUES (?1, ?2)";
/// A block's size: length() of a blob reads no more than its row's header.
inline constexpr const char* k_session_block_size = "SELECT length(body) FROM session_ip4_block WHERE net = ?1";
/// Where a block is read from with SQLite's blob I/O (its rowid is the /24).
inline constexpr const char* k_session_block_table = "session_ip4_block";
inline constexpr const char* k_session_block_column = "body";
/// --verify: every stored block, by /24.
inline constexpr const char* k_session_blocks = "SELECT net, body FROM session_ip4_block ORDER BY net";
// --- forgetting sessions (schema 6) ------------------------------------------
inline constexpr const char* k_retention = "SELECT forgotten_before, keep_seconds FROM session_retention WHERE id = 1";
inline constexpr const char* k_set_keep_seconds = "UPDATE session_retention SET keep_seconds = ?1 WHERE id = 1";
inline constexpr const char* k_set_forgotten_before =
    "UPDATE session_retention SET forgotten_before = ?1, forgotten_at = ?2 WHERE id = 1";
/// Sessions that ended before the horizon: their events are forgotten
/// (store/event_blocks.hpp), then the sessions are deleted.
inline constexpr const char* k_forget_list_events =
    "SELECT j.value FROM vpn_session s, json_each(s.evidence) j WHERE s.disconnected_at < ?1";
inline constexpr const char* k_forget_sessions = "DELETE FROM vpn_session WHERE disconnected_at < ?1";
/// Connections whose session began before the horizon and is kept (it ended after it, or is open):
/// their earlier events are still taken when seen again.
inline constexpr const char* k_sessions_across_horizon =
    "SELECT DISTINCT connection FROM vpn_session WHERE connected_at < ?1 "
    "AND (disconnected_at IS NULL OR disconnected_at >= ?1)";
inline constexpr const char* k_wal_checkpoint_truncate = "PRAGMA wal_checkpoint(TRUNCATE)";
/// A batch reads every session of each address it meets, scattered over the
/// table: mapped pages instead of a read(2) per page (1 GiB of address space;
/// the index file is never truncated while mapped: natfw-index does not VACUUM).
inline constexpr const char* k_map_for_batch = "PRAGMA mmap_size = 1073741824";
/// A batch reads sessions in one read transaction: one file lock for the
/// whole batch instead of a lock and an unlock (fcntl) per statement, and
/// every row sees the same sessions while natfw-index may be writing.
inline constexpr const char* k_begin_reading = "BEGIN";
/// The portal's own table, read from its database (opened read-only).
inline constexpr const char* k_portal_has_connection_log =
    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'connection_log'";
inline constexpr const char* k_portal_columns = "SELECT name FROM pragma_table_info('connection_log')";
/// A page of the rows connected at or after ?1 (the newest seen last time,
/// minus what was still open), after the row (?1, rowid ?2) that ended the
/// previous page. The portal's index on connected_at holds the rowid, so the
/// order costs no sort, and each page is one short read lock.
inline constexpr const char* k_portal_rows_page =
    "SELECT user_id, profile_id, vpn_proto, connection_id, ip_four, ip_six, connected_at, disconnected_at, rowid "
    "FROM connection_log WHERE connected_at >= ?1 AND (connected_at > ?1 OR rowid > ?2) "
    "ORDER BY connected_at, rowid LIMIT ?3";
/// Whether a row from ?1 on has connected_at in another offset than UTC
/// (the portal writes UTC): then text order is not time order, and the rows
/// are read again from further back.
inline constexpr const char* k_portal_offsets_since =
    "SELECT EXISTS (SELECT 1 FROM connection_log WHERE connected_at >= ?1 "
    "AND NOT (substr(connected_at, -6) = '+00:00' OR substr(connected_at, -1) = 'Z'))";
/// One row again by its key (an open row of the last run); the portal's index on connected_at finds it.
inline constexpr const char* k_portal_row_by_key =
    "SELECT user_id, profile_id, vpn_proto, connection_id, ip_four, ip_six, connected_at, disconnected_at, rowid "
    "FROM connection_log WHERE connected_at = ?1 AND connection_id = ?2";
/// The same, up to connected_at ?4: the rows among which last run's open rows are.
inline constexpr const char* k_portal_rows_page_between =
    "SELECT user_id, profile_id, vpn_proto, connection_id, ip_four, ip_six, connected_at, disconnected_at, rowid "
    "FROM connection_log WHERE connected_at >= ?1 AND (connected_at > ?1 OR rowid > ?2) AND connected_at < ?4 "
    "ORDER BY connected_at, rowid LIMIT ?3";
/// Portals before schema 2023011801 have no index on connected_at: there a
/// page is the next rows in the table's own order, filtered, so that the
/// whole read is one scan of the table (no page starts from the beginning).
inline constexpr const char* k_portal_rows_page_by_rowid =
    "SELECT user_id, profile_id, vpn_proto, connection_id, ip_four, ip_six, connected_at, disconnected_at, rowid "
    "FROM connection_log WHERE rowid > ?2 AND connected_at >= ?1 ORDER BY rowid LIMIT ?3";
/// The rows with rowids ?1 to ?2 (open rows of the last run where they were then).
inline constexpr const char* k_portal_rows_by_rowid =
    "SELECT user_id, profile_id, vpn_proto, connection_id, ip_four, ip_six, connected_at, disconnected_at, rowid "
    "FROM connection_log WHERE rowid BETWEEN ?1 AND ?2";
/// Whether an index leads with connected_at (vpn-user-portal adds one in schema 2023011801).
inline constexpr const char* k_portal_connected_at_indexed =
    "SELECT EXISTS (SELECT 1 FROM pragma_index_list('connection_log') AS l, pragma_index_info(l.name) AS i "
    "WHERE l.partial = 0 AND i.seqno = 0 AND i.name = 'connected_at')";
// --- lookups of sessions -------------------------------------------------------
inline constexpr const char* k_any_session_source = "SELECT EXISTS (SELECT 1 FROM session_source)";
/// natfw-index --list: each session source with what it covers and how many events it gave.
inline constexpr const char* k_list_session_sources =
    "SELECT s.kind, s.name, s.covered_from, s.covered_to, coalesce(s.year_note, ''), "
    "(SELECT coalesce(sum(b.kept), 0) FROM connection_event_block b WHERE b.source_id = s.id) "
    "FROM session_source s ORDER BY s.id";
/// --verify: every session with its evidence (the events are the record; a
/// session without them cannot be shown to a court).
inline constexpr const char* k_session_evidence_lists =
    "SELECT id, user_id, connection, evidence FROM vpn_session ORDER BY id";
inline constexpr const char* k_session_counts =
    "SELECT count(*), count(*) FILTER (WHERE disconnected_at IS NULL), "
    "count(*) FILTER (WHERE ended_by = 'inferred'), count(*) FILTER (WHERE connected_at IS NULL) FROM vpn_session";
inline constexpr const char* k_session_sources =
    "SELECT id, kind, name, covered_from, covered_to, coalesce(year_note, '') FROM session_source ORDER BY id";
/// The sessions of one IPv4 address that began at or before a time (or before their sources), newest first, by
/// id and end only (the address index covers them): the caller stops once they end well before its window.
inline constexpr const char* k_session_ends_ip4_before =
    "SELECT id, disconnected_at FROM vpn_session WHERE ip4_num = ?1 AND (connected_at <= ?2 OR connected_at IS NULL) "
    "ORDER BY connected_at DESC";
// Every session lookup reads these columns in this order (query/session_history.cpp).
/// One session.
inline constexpr const char* k_session_by_id =
    "SELECT id, user_id, profile, connection, vpn_proto, coalesce(ip4, ''), coalesce(ip6, ''), "
    "coalesce(originating, ''), connected_at, disconnected_at, coalesce(ended_by, ''), coalesce(inferred_why, '') "
    "FROM vpn_session WHERE id = ?1";
/// Sessions of a range of IPv4 addresses that overlap [?3, ?4].
inline constexpr const char* k_sessions_ip4_range =
    "SELECT id, user_id, profile, connection, vpn_proto, coalesce(ip4, ''), coalesce(ip6, ''), "
    "coalesce(originating, ''), connected_at, disconnected_at, coalesce(ended_by, ''), coalesce(inferred_why, '') "
    "FROM vpn_session "
    "WHERE ip4_num BETWEEN ?1 AND ?2 AND (connected_at <= ?4 OR connected_at IS NULL) "
    "AND (disconnected_at >= ?3 OR disconnected_at IS NULL) ORDER BY ip4_num, connected_at";
inline constexpr const char* k_sessions_ip6_before =
    "SELECT id, user_id, profile, connection, vpn_proto, coalesce(ip4, ''), coalesce(ip6, ''), "
    "coalesce(originating, ''), connected_at, disconnected_at, coalesce(ended_by, ''), coalesce(inferred_why, '') "
    "FROM vpn_session "
    "WHERE ip6 = ?1 AND (connected_at <= ?2 OR connected_at IS NULL) "
    "ORDER BY connected_at DESC";
/// Sessions with an IPv6 address that overlap [?1, ?2]: a NAT66 prefix is
/// matched against them by the caller (compressed text does not sort as numbers).
inline constexpr const char* k_sessions_ip6_window =
    "SELECT id, user_id, profile, connection, vpn_proto, coalesce(ip4, ''), coalesce(ip6, ''), "
    "coalesce(originating, ''), connected_at, disconnected_at, coalesce(ended_by, ''), coalesce(inferred_why, '') "
    "FROM vpn_session "
    "WHERE ip6 IS NOT NULL AND (connected_at <= ?2 OR connected_at IS NULL) "
    "AND (disconnected_at >= ?1 OR disconnected_at IS NULL) ORDER BY ip6, connected_at";
/// A user's sessions overlapping [?2, ?3].
inline constexpr const char* k_sessions_of_user =
    "SELECT id, user_id, profile, connection, vpn_proto, coalesce(ip4, ''), coalesce(ip6, ''), "
    "coalesce(originating, ''), connected_at, disconnected_at, coalesce(ended_by, ''), coalesce(inferred_why, '') "
    "FROM vpn_session "
    "WHERE user_id = ?1 AND (connected_at <= ?3 OR connected_at IS NULL) "
    "AND (disconnected_at >= ?2 OR disconnected_at IS NULL) ORDER BY connected_at";
/// A session's evidence: the ids of its events (store/event_blocks.hpp reads them).
inline constexpr const char* k_session_evidence = "SELECT j.value FROM vpn_session v, json_each(v.evidence) j WHERE v.id = ?1";
inline constexpr const char* k_session_source = "SELECT kind, name FROM session_source WHERE id = ?1";
/// Schema 8: the event rows of schema 5 to 7, in the order blocks are written.
inline constexpr const char* k_v7_events =
    "SELECT id, source_id, position, kind, time, user_id, profile, connection, vpn_proto, coalesce(ip4, ''), "
    "coalesce(ip6, ''), coalesce(originating, '') FROM connection_event_v7 ORDER BY source_id, time, kind DESC, id";
inline constexpr const char* k_v7_drop = "DROP TABLE connection_event_v7";
inline constexpr const char* k_session_evidence_all = "SELECT id, evidence FROM vpn_session";
inline constexpr const char* k_set_session_evidence = "UPDATE vpn_session SET evidence = ?2 WHERE id = ?1";

} // namespace natfw::sql
