#pragma once
// The write side of the index: nodes, rulesets (shared when identical),
// snapshots and their diagnostics.
#include "derive/nat_cells.hpp"
#include "parse/ruleset.hpp"
#include "store/cell_block.hpp"
#include "store/rule_block.hpp"
#include "util/file.hpp"
#include "util/time_format.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace natfw {

struct IndexedSnapshot {
    std::int64_t id = 0;
    UnixSeconds valid_from = 0;
    std::string path;
    std::string sha256;
    FileStat stat;
    bool usable = true;
};

struct NewSnapshot {
    std::int64_t node_id = 0;
    UnixSeconds valid_from = 0;
    std::string path;
    std::string sha256;
    FileStat stat;
    /// Empty when unusable.
    std::optional<std::int64_t> ruleset_id;
    std::optional<Diagnostic> unusable;
    /// Why it may never have been in force (ParsedRuleset::doubtful).
    std::optional<Diagnostic> doubtful;
};

class IndexStore {
public:
    explicit IndexStore(SQLite::Database& db);

    /// The node's id, created on first use.
    std::int64_t node_id(const std::string& name);
    std::vector<IndexedSnapshot> snapshots(std::int64_t node_id);
    /// Stores the ruleset's rules and cells unless an identical ruleset is
    /// stored already; returns its id either way.
    /// `digest` is ruleset_digest(rules), `pack` ruleset_pack_of(rules, derived),
    /// `blocks` encode_rule_blocks(rules) and `cell_blocks`
    /// encode_cell_blocks(derived.cells), worked out beforehand (on the thread
    /// that parsed the rules, which need not be kept for this).
    std::int64_t store_ruleset(const std::string& digest, std::size_t rule_count, const DerivedRuleset& derived,
                               const std::string& pack, const std::vector<EncodedRuleBlock>& blocks,
                               const std::vector<EncodedCellBlock>& cell_blocks);
    /// Rebuilds cells, reach and packs of rulesets indexed before first-match
    /// evaluation, from their stored rules; returns how many.
    int rebuild_outdated();
    /// The name of another node than `node_id` that has a snapshot at `path`.
    std::optional<std::string> other_node_with_path(const std::string& path, std::int64_t node_id);
    std::int64_t insert_snapshot(const NewSnapshot& s);
    void update_stat(std::int64_t snapshot_id, const FileStat& stat);
    void add_diagnostic(std::int64_t snapshot_id, const Diagnostic& d);
    /// Records the node's own address from a time on; the same record again
    /// is a no-op, a different address for the same time an Error (nothing
    /// recorded is ever rewritten).
    void record_node_address(std::int64_t node_id, UnixSeconds from, Ipv4 address);

private:
    SQLite::Database& m_db;
    SQLite::Statement m_find_node, m_insert_node, m_node_snapshots, m_find_ruleset, m_insert_ruleset,
        m_insert_rule_block, m_insert_cell_block, m_insert_pack, m_insert_snapshot, m_update_stat, m_insert_diagnostic,
        m_insert_reach, m_insert_reach_gap, m_insert_reach_taker;
    /// Everything computed from the rules: first-match reach, cells, pack.
    void store_derived(std::int64_t id, const DerivedRuleset& derived, const std::string& pack,
                       const std::vector<EncodedCellBlock>& cell_blocks);
};

/// The rows of sql::k_node_snapshots or its IPv6 twin for one node.
std::vector<IndexedSnapshot> read_indexed_snapshots(SQLite::Statement& st, std::int64_t node_id);

/// Binds a new snapshot as sql::k_insert_snapshot and k_insert_snapshot6 take it
/// (`s.ruleset_id` of the timeline's own ruleset table).
void bind_new_snapshot(SQLite::Statement& st, const NewSnapshot& s);

/// Runs sql::k_update_snapshot_stat or its IPv6 twin.
void run_update_stat(SQLite::Statement& st, std::int64_t snapshot_id, const FileStat& stat);

/// Runs sql::k_insert_diagnostic or its IPv6 twin.
void run_add_diagnostic(SQLite::Statement& st, std::int64_t snapshot_id, const Diagnostic& d);

/// SHA-256 over what a ruleset stores, so identical rulesets share one row.
std::string ruleset_digest(const std::vector<Rule>& rules);
/// The encoded pack a batch loads for the ruleset (derive/ruleset_pack.hpp).
std::string ruleset_pack_of(const std::vector<Rule>& rules, const DerivedRuleset& derived);
/// Inserts a ruleset's rule blocks with the prepared sql::k_insert_rule_block.
void insert_rule_blocks(SQLite::Statement& st, std::int64_t ruleset, const std::vector<EncodedRuleBlock>& blocks);

} // namespace natfw
