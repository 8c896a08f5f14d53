#include "store/index_store.hpp"
#include "store/indexed_file.hpp"

#include "util/errors.hpp"
#include "derive/first_match.hpp"
#include "derive/nat_cells.hpp"
#include "derive/ruleset_pack.hpp"
#include "store/statements.hpp"
#include "store/rule_blocks.hpp"
#include "store/snapshot_row_check.hpp"
#include "util/sha256.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <chrono>
#include <iterator>

namespace natfw {

IndexStore::IndexStore(SQLite::Database& db)
    : m_db(db), m_find_node(db, sql::k_find_node), m_insert_node(db, sql::k_insert_node),
      m_node_snapshots(db, sql::k_node_snapshots), m_find_ruleset(db, sql::k_find_ruleset),
      m_insert_ruleset(db, sql::k_insert_ruleset), m_insert_rule_block(db, sql::k_insert_rule_block),
      m_insert_cell_block(db, sql::k_insert_cell_block), m_insert_pack(db, sql::k_insert_pack), m_insert_snapshot(db, sql::k_insert_snapshot),
      m_update_stat(db, sql::k_update_snapshot_stat), m_insert_diagnostic(db, sql::k_insert_diagnostic),
      m_insert_reach(db, sql::k_insert_reach), m_insert_reach_gap(db, sql::k_insert_reach_gap),
      m_insert_reach_taker(db, sql::k_insert_reach_taker)
{
}

std::int64_t IndexStore::node_id(const std::string& name)
{
    m_find_node.reset();
    m_find_node.bind(1, name);
    if (m_find_node.executeStep())
        return m_find_node.getColumn(0).getInt64();
    m_insert_node.reset();
    m_insert_node.bind(1, name);
    m_insert_node.exec();
    return m_db.getLastInsertRowid();
}

std::vector<IndexedSnapshot> read_indexed_snapshots(SQLite::Statement& st, std::int64_t node_id)
{
    std::vector<IndexedSnapshot> out;
    st.reset();
    st.bind(1, node_id);
    while (st.executeStep())
        out.push_back({st.getColumn(0).getInt64(), st.getColumn(1).getInt64(), st.getColumn(2).getString(),
                       st.getColumn(3).getString(), file_stat_columns(st, 4, 5, 7), st.getColumn(6).getInt() != 0});
    return out;
}

std::vector<IndexedSnapshot> IndexStore::snapshots(std::int64_t node_id)
{
    return read_indexed_snapshots(m_node_snapshots, node_id);
}

std::string ruleset_digest(const std::vector<Rule>& rules)
{
    std::size_t size = 0;
    for (const auto& r : rules)
        size += r.text.size() + 24; // two numbers, two tabs, a line end
    std::string canonical;
    canonical.reserve(size);
    for (const auto& r : rules)
        fmt::format_to(std::back_inserter(canonical), "{}\t{}\t{}\n", r.position, r.line, r.text);
    return sha256_hex(canonical);
}

std::string ruleset_pack_of(const std::vector<Rule>& rules, const DerivedRuleset& derived)
{
    return encode_pack(make_pack(rules, derived.cells, derived.reach));
}

std::int64_t IndexStore::store_ruleset(const std::string& digest, std::size_t rule_count,
                                       const DerivedRuleset& derived, const std::string& pack,
                                       const std::vector<EncodedRuleBlock>& blocks,
                                       const std::vector<EncodedCellBlock>& cell_blocks)
{
    m_find_ruleset.reset();
    m_find_ruleset.bind(1, digest);
    if (m_find_ruleset.executeStep())
        return m_find_ruleset.getColumn(0).getInt64();

    m_insert_ruleset.reset();
    m_insert_ruleset.bind(1, digest);
    m_insert_ruleset.bind(2, static_cast<std::int64_t>(rule_count));
    m_insert_ruleset.exec();
    std::int64_t id = m_db.getLastInsertRowid();
    insert_rule_blocks(m_insert_rule_block, id, blocks);
    store_derived(id, derived, pack, cell_blocks);
    return id;
}

void insert_rule_blocks(SQLite::Statement& st, std::int64_t ruleset, const std::vector<EncodedRuleBlock>& blocks)
{
    for (const auto& b : blocks) {
        const auto& s = b.summary;
        st.reset();
        st.bind(1, ruleset);
        st.bind(2, s.first_position);
        st.bind(3, s.last_position);
        if (s.hosts) {
            st.bind(4, static_cast<std::int64_t>(s.hosts->first));
            st.bind(5, static_cast<std::int64_t>(s.hosts->second));
        } else {
            st.bind(4);
            st.bind(5);
        }
        st.bind(6, s.wide ? 1 : 0);
        st.bind(7, s.inbound ? 1 : 0);
        st.bindNoCopy(8, b.body.data(), static_cast<int>(b.body.size()));
        st.exec();
    }
}

void IndexStore::store_derived(std::int64_t id, const DerivedRuleset& derived, const std::string& pack,
                               const std::vector<EncodedCellBlock>& cell_blocks)
{
    const auto& reach = derived.reach;
    for (const auto& [key, rr] : reach) {
        if (!rr.partial())
            continue;
        auto hull = rr.reach.hull();
        auto& st = m_insert_reach;
        st.reset();
        st.bind(1, id);
        st.bind(2, key.first);
        st.bind(3, key.second);
        st.bind(4, static_cast<std::int64_t>(hull.lo));
        st.bind(5, static_cast<std::int64_t>(hull.hi));
        st.exec();
        for (const auto& gap : Ipv4Set(hull).minus(rr.reach).ranges()) {
            auto& g = m_insert_reach_gap;
            g.reset();
            g.bind(1, id);
            g.bind(2, key.first);
            g.bind(3, key.second);
            g.bind(4, static_cast<std::int64_t>(gap.lo));
            g.bind(5, static_cast<std::int64_t>(gap.hi));
            g.exec();
        }
        for (std::size_t seq = 0; seq < rr.taken_by.size(); ++seq) {
            auto& t = m_insert_reach_taker;
            t.reset();
            t.bind(1, id);
            t.bind(2, key.first);
            t.bind(3, key.second);
            t.bind(4, static_cast<std::int64_t>(seq));
            t.bind(5, rr.taken_by[seq]);
            t.exec();
        }
    }
    m_insert_pack.reset();
    m_insert_pack.bind(1, id);
    m_insert_pack.bind(2, k_pack_format);
    m_insert_pack.bind(3, pack.data(), static_cast<int>(pack.size()));
    m_insert_pack.exec();
    for (const auto& b : cell_blocks) {
        auto& st = m_insert_cell_block;
        st.reset();
        st.bind(1, id);
        st.bind(2, b.key.proto);
        st.bind(3, static_cast<std::int64_t>(b.key.pub_lo));
        st.bind(4, b.key.port_lo);
        if (b.snat_pub_hi)
            st.bind(5, static_cast<std::int64_t>(*b.snat_pub_hi));
        else
            st.bind(5);
        st.bindNoCopy(6, b.body.data(), static_cast<int>(b.body.size()));
        st.exec();
    }
}

std::optional<std::string> IndexStore::other_node_with_path(const std::string& path, std::int64_t node_id)
{
    SQLite::Statement st(m_db, sql::k_other_node_with_path);
    st.bind(1, path);
    st.bind(2, node_id);
    if (!st.executeStep())
        return std::nullopt;
    return st.getColumn(0).getString();
}

int IndexStore::rebuild_outdated()
{
    std::vector<std::int64_t> ids;
    SQLite::Statement outdated(m_db, sql::k_outdated_rulesets);
    while (outdated.executeStep())
        ids.push_back(outdated.getColumn(0).getInt64());
    RuleBlocks stored(m_db);
    SQLite::Statement del_cells(m_db, sql::k_delete_cell_blocks),
        del_pack(m_db, sql::k_delete_pack), del_reach(m_db, sql::k_delete_reach),
        del_gaps(m_db, sql::k_delete_reach_gaps), del_takers(m_db, sql::k_delete_reach_takers),
        set_derived(m_db, sql::k_set_derived);
    for (auto id : ids) {
        std::vector<Rule> rules = stored.all(id);
        for (auto* st : {&del_cells, &del_pack, &del_reach, &del_gaps, &del_takers, &set_derived}) {
            st->reset();
            st->bind(1, id);
            st->exec();
        }
        auto derived = derive_ruleset(rules);
        store_derived(id, derived, ruleset_pack_of(rules, derived), encode_cell_blocks(derived.cells));
    }
    return static_cast<int>(ids.size());
}

void bind_new_snapshot(SQLite::Statement& st, const NewSnapshot& s)
{
    st.reset();
    st.bind(1, s.node_id);
    st.bind(2, static_cast<std::int64_t>(s.valid_from));
    st.bind(3, s.path);
    st.bind(4, s.sha256);
    st.bind(5, s.stat.size);
    st.bind(6, s.stat.mtime_ns);
    if (s.ruleset_id)
        st.bind(7, *s.ruleset_id);
    else
        st.bind(7);
    if (s.unusable) {
        st.bind(8, s.unusable->line);
        st.bind(9, s.unusable->message);
    } else {
        st.bind(8);
        st.bind(9);
    }
    auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
    st.bind(10, static_cast<std::int64_t>(now.count()));
    if (s.doubtful) {
        st.bind(11, s.doubtful->line);
        st.bind(12, s.doubtful->message);
    } else {
        st.bind(11);
        st.bind(12);
    }
    st.bind(13, s.stat.dev);
    st.bind(14, s.stat.ino);
    st.bind(15, s.stat.ctime_ns);
    st.bind(16, snapshot_row_check(s.node_id, s.valid_from, s.path, s.sha256, s.ruleset_id));
}

void run_update_stat(SQLite::Statement& st, std::int64_t snapshot_id, const FileStat& stat)
{
    st.reset();
    st.bind(1, snapshot_id);
    st.bind(2, stat.size);
    st.bind(3, stat.mtime_ns);
    st.bind(4, stat.dev);
    st.bind(5, stat.ino);
    st.bind(6, stat.ctime_ns);
    st.exec();
}

void run_add_diagnostic(SQLite::Statement& st, std::int64_t snapshot_id, const Diagnostic& d)
{
    st.reset();
    st.bind(1, snapshot_id);
    st.bind(2, d.line);
    st.bind(3, d.message);
    st.bind(4, std::string(diagnostic_kind_name(d.kind)));
    st.exec();
}

std::int64_t IndexStore::insert_snapshot(const NewSnapshot& s)
{
    bind_new_snapshot(m_insert_snapshot, s);
    m_insert_snapshot.exec();
    return m_db.getLastInsertRowid();
}

void IndexStore::update_stat(std::int64_t snapshot_id, const FileStat& stat)
{
    run_update_stat(m_update_stat, snapshot_id, stat);
}

void IndexStore::add_diagnostic(std::int64_t snapshot_id, const Diagnostic& d)
{
    run_add_diagnostic(m_insert_diagnostic, snapshot_id, d);
}

void IndexStore::record_node_address(std::int64_t node_id, UnixSeconds from, Ipv4 address)
{
    SQLite::Statement find(m_db, sql::k_find_node_address);
    find.bind(1, node_id);
    find.bind(2, static_cast<std::int64_t>(from));
    if (find.executeStep()) {
        auto recorded = static_cast<Ipv4>(find.getColumn(0).getInt64());
        if (recorded == address)
            return;
        throw Error(fmt::format("the node's address from {} is recorded as {}; a recorded address is never "
                                "rewritten: record the new one with a later --masquerade-from",
                                format_iso_utc(from), format_ipv4(recorded)));
    }
    SQLite::Statement insert(m_db, sql::k_insert_node_address);
    insert.bind(1, node_id);
    insert.bind(2, static_cast<std::int64_t>(from));
    insert.bind(3, static_cast<std::int64_t>(address));
    insert.exec();
}

} // namespace natfw
