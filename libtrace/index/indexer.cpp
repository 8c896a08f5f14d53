#include "index/indexer.hpp"
#include "derive/ruleset_checks.hpp"

#include "util/errors.hpp"
#include "store/index_store.hpp"
#include "store/statements.hpp"
#include "parse/ruleset_parser.hpp"
#include "parse/snapshot_reader.hpp"
#include "parse/snapshot_discovery.hpp"
#include "util/file.hpp"
#include "store/indexed_file.hpp"
#include "store/timeline6_store.hpp"
#include "derive/first_match6.hpp"
#include "util/sha256.hpp"
#include "util/ordered_pipeline.hpp"

#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <map>
#include <ostream>
#include <set>
#include <thread>
#include <tuple>

namespace natfw {

std::string default_node_name(const std::filesystem::path& dir)
{
    auto p = std::filesystem::absolute(dir).lexically_normal().string();
    while (p.size() > 1 && p.back() == '/')
        p.pop_back();
    return p;
}

namespace {

constexpr std::size_t k_near_miss_notices = 5;
/// Threads parsing ahead of the one storing: with rules stored compressed,
/// parsing, deriving and encoding are most of a run. Each holds a snapshot in
/// flight, so memory grows with them: at most four.
std::size_t parse_threads()
{
    return std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4);
}


class NodeIndexer {
public:
    NodeIndexer(IndexStore& store, Timeline6Store& store6, std::int64_t node_id, std::ostream& diag, bool verbose,
                IndexSummary& summary)
        : m_store(store), m_store6(store6), m_node_id(node_id), m_diag(diag), m_verbose(verbose), m_sum(summary)
    {
        for (auto& s : m_store.snapshots(node_id))
            m_indexed.emplace(s.valid_from, std::move(s));
        for (auto& s : m_store6.snapshots(node_id))
            m_indexed6.emplace(s.valid_from, std::move(s));
    }

    void run(const std::filesystem::path& dir)
    {
        Discovery found = discover_snapshots(dir);
        std::size_t near_misses = 0;
        for (const auto& skip : found.skipped) {
            // A directory of 50,000 look-alike names must not bury the run's
            // real messages: a few, then a count (--verbose lists them all).
            if (skip.near_miss && (m_verbose || ++near_misses <= k_near_miss_notices))
                fmt::print(m_diag, "notice: skipped {}: {}\n", skip.path.string(), skip.reason);
            else if (!skip.near_miss && m_verbose)
                fmt::print(m_diag, "skipped {}: {}\n", skip.path.string(), skip.reason);
        }
        if (near_misses > k_near_miss_notices)
            fmt::print(m_diag, "notice: skipped {} more names that look like snapshots but are not (--verbose lists "
                               "them)\n",
                       near_misses - k_near_miss_notices);
        if (!found.snapshots.empty())
            warn_if_indexed_as_other_node(found.snapshots.front().path);
        std::set<UnixSeconds> present;
        std::set<std::string> rechecked;
        index_ipv4_timeline(found.snapshots, present, rechecked);
        for (const auto& file : found.snapshots) {
            if (!file.in_ipv6_timeline())
                continue;
            auto it = m_indexed6.find(file.valid_from);
            if (it == m_indexed6.end())
                add6(file);
            else if (it->second.path != file.path.string())
                same_time6(file, it->second);
            else if (!rechecked.count(file.path.string()))
                recheck(file, it->second, &m_store6);
        }
        if (m_ipv6_parts_added)
            fmt::print(m_diag, "notice: read the ip6 and inet tables of {} nft snapshot(s) indexed before IPv6 was "
                               "(their IPv4 evidence is unchanged)\n",
                       m_ipv6_parts_added);
        for (const auto& [t, s] : m_indexed) {
            if (!present.count(t) && s.path.rfind(dir.string(), 0) == 0)
                fmt::print(m_diag, "notice: {} is no longer on disk; the index keeps its record\n", s.path);
        }
    }

private:
    /// Runs `io`; a FileError becomes an error line and a counted file error.
    template <class Io>
    bool reported(Io&& io)
    {
        try {
            io();
            return true;
        } catch (const FileError& e) {
            fmt::print(m_diag, "error: {}\n", e.what());
            ++m_sum.file_errors;
            return false;
        }
    }

    /// The file's stat and content; false (an error reported and counted) when it cannot be read.
    bool read_snapshot_file(const SnapshotFile& file, FileStat& stat, std::string& content)
    {
        return reported([&] {
            stat = stat_file(file.path);
            content = read_file(file.path, {k_max_file_bytes, false});
        });
    }

    /// An indexed snapshot seen again: cheap stat check, hash only on change.
    /// `store6`: a file of the IPv6 timeline alone (rules.v6).
    void recheck(const SnapshotFile& file, const IndexedSnapshot& known, Timeline6Store* store6 = nullptr)
    {
        // A row indexed before identities were kept is hashed once and gets one (as touched).
        auto check = check_indexed_file(file.path, known.sha256, known.stat, StatTrust::identity);
        switch (check.state) {
        case FileState::unchanged:
            ++m_sum.unchanged;
            return;
        case FileState::touched:
            if (store6)
                store6->update_stat(known.id, check.stat);
            else
                m_store.update_stat(known.id, check.stat);
            ++m_sum.unchanged;
            return;
        case FileState::missing:
        case FileState::no_stat:
            fmt::print(m_diag, "error: {}: cannot stat: {}\n", file.path.string(), check.error);
            ++m_sum.file_errors;
            return;
        case FileState::unreadable:
            fmt::print(m_diag, "error: {}\n", check.error);
            ++m_sum.file_errors;
            return;
        case FileState::changed:
            break;
        }
        fmt::print(m_diag,
                   "error: {}: integrity: content changed since it was indexed (sha256 was {}); the index keeps "
                   "the original evidence\n",
                   file.path.string(), known.sha256);
        ++m_sum.integrity_errors;
    }

    /// A new file of the IPv4 timeline read, parsed, derived and checked, the
    /// index untouched: made on a worker thread while the calling one stores
    /// the file before it.
    struct Prepared {
        const SnapshotFile* file = nullptr;
        bool is_new = false;    ///< false: indexed before, only rechecked (on the calling thread)
        bool with_ipv6 = false; ///< an nft file whose IPv6 half is read in the same pass
        std::optional<std::string> read_error;
        FileStat stat;
        SnapshotFormat format = SnapshotFormat::iptables;
        std::string sha256;
        bool blank = false; ///< nothing but white space
        ParsedRuleset parsed;
        ParsedRuleset parsed6;
        std::optional<DerivedRuleset> derived;
        std::size_t rule_count = 0;
        std::string digest;
        std::string pack;
        std::vector<EncodedRuleBlock> blocks;
        std::vector<EncodedCellBlock> cell_blocks;
        std::vector<Diagnostic> checks;
    };

    /// Files are stored in their order, so messages and periods come out as
    /// a one-thread run gives them; parsing runs ahead on other threads.
    void index_ipv4_timeline(const std::vector<SnapshotFile>& files, std::set<UnixSeconds>& present,
                             std::set<std::string>& rechecked)
    {
        std::size_t next = 0;
        std::set<UnixSeconds> queued; // new this run, maybe not yet in m_indexed
        auto fill = [&](Prepared& item) {
            while (next < files.size() && !files[next].in_ipv4_timeline())
                ++next;
            if (next == files.size())
                return false;
            const SnapshotFile& file = files[next++];
            // What the slot held is freed by the worker (prepare), not here:
            // that is work this thread has no time for.
            item.file = &file;
            item.is_new = !m_indexed.count(file.valid_from) && queued.insert(file.valid_from).second;
            item.with_ipv6 = file.naming == SnapshotNaming::nft && !m_indexed6.count(file.valid_from);
            return true;
        };
        auto make_worker = [] { return std::function<void(Prepared&)>(prepare); };
        auto consume = [&](Prepared& item) {
            const SnapshotFile& file = *item.file;
            present.insert(file.valid_from);
            if (item.is_new) {
                add(item);
                m_added.insert(file.path.string());
            } else {
                recheck(file, m_indexed.at(file.valid_from));
                rechecked.insert(file.path.string());
            }
        };
        // A snapshot in flight holds tens of megabytes at 16,000 clients: one
        // per thread and the one being stored.
        const std::size_t threads = parse_threads();
        run_ordered<Prepared>(threads, make_worker, fill, consume, threads + 1);
    }

    static void prepare(Prepared& item)
    {
        Prepared fresh;
        fresh.file = item.file;
        fresh.is_new = item.is_new;
        fresh.with_ipv6 = item.with_ipv6;
        item = std::move(fresh); // what the slot held before is freed here
        if (!item.is_new)
            return;
        std::string content;
        try {
            item.stat = stat_file(item.file->path);
            content = read_file(item.file->path, {k_max_file_bytes, false});
        } catch (const FileError& e) {
            item.read_error = e.what();
            return;
        }
        item.format = detect_snapshot_format(content);
        item.sha256 = sha256_hex(content);
        item.blank = content.find_first_not_of(" \t\r\n") == std::string::npos;
        if (item.with_ipv6) {
            auto [four, six] = read_snapshot_both(content, item.format);
            item.parsed = std::move(four);
            item.parsed6 = std::move(six);
        } else {
            item.parsed = read_snapshot(content, item.format);
        }
        const ParsedRuleset& parsed = item.parsed;
        if (parsed.unusable || parsed.ipv6_only || !parsed.has_nat_table)
            return;
        item.derived = derive_ruleset(parsed.nat_rules);
        item.digest = ruleset_digest(parsed.nat_rules);
        item.pack = ruleset_pack_of(parsed.nat_rules, *item.derived);
        item.blocks = encode_rule_blocks(parsed.nat_rules);
        item.cell_blocks = encode_cell_blocks(item.derived->cells);
        item.checks = check_ruleset(parsed.nat_rules, item.derived->reach, item.derived->cells);
        // Everything stored is worked out: the rules themselves (the most
        // memory a snapshot in flight holds) go now.
        item.rule_count = parsed.nat_rules.size();
        item.parsed.nat_rules = {};
        if (item.derived->approximated)
            item.checks.push_back({0,
                                   "the chains' jumps are too intricate to follow rule by rule; every "
                                   "source-NAT rule counts with its whole source, so answers may name "
                                   "more candidates than the kernel could have used",
                                   DiagnosticKind::check});
    }

    void add(Prepared& item)
    {
        const SnapshotFile& file = *item.file;
        const std::string path = file.path.string();
        if (item.read_error) {
            fmt::print(m_diag, "error: {}\n", *item.read_error);
            ++m_sum.file_errors;
            m_unreadable.insert(path); // reported once, not again for its IPv6 half
            return;
        }
        const auto format = item.format;
        const auto& sha256 = item.sha256;
        const auto& stat = item.stat;
        ParsedRuleset& parsed = item.parsed;
        if (item.with_ipv6) // one parse for both timelines; the IPv6 pass takes its half from here
            m_read6.insert_or_assign(path, Read6{stat, sha256, format, std::move(item.parsed6)});
        if (!parsed.unusable && parsed.ipv6_only) {
            // Not part of the IPv4 timeline: recording it would end or shadow an IPv4 period.
            if (m_verbose)
                fmt::print(m_diag, "{}: holds NAT for IPv6 only (ip6 tables): part of the IPv6 timeline alone\n",
                           path);
            return;
        }
        remember_printed(path, parsed.warnings);
        if (!parsed.unusable && !parsed.has_nat_table) {
            const char* what = format == SnapshotFormat::iptables ? "*nat table" : "nat chain in an ip or inet table";
            parsed.unusable = Diagnostic{0, fmt::format("the file holds no {}", what)};
            fmt::print(m_diag, "error: {}: holds no {}; recorded as unusable\n", path, what);
            ++m_sum.file_errors;
        }
        NewSnapshot snap{m_node_id, file.valid_from, path, sha256, stat, std::nullopt, parsed.unusable,
                         parsed.doubtful};
        if (!parsed.unusable) {
            snap.ruleset_id = m_store.store_ruleset(item.digest, item.rule_count, *item.derived, item.pack, item.blocks,
                                                   item.cell_blocks);
            for (auto& d : item.checks)
                parsed.warnings.push_back(std::move(d));
        }
        std::int64_t id = m_store.insert_snapshot(snap);
        for (const auto& w : parsed.warnings) {
            m_store.add_diagnostic(id, w);
            print_finding(path, w);
        }
        if (parsed.doubtful && !parsed.unusable)
            fmt::print(m_diag,
                       "{}:{}: warning: {}; lookups in its period consider every ruleset that could have been in "
                       "force (it and those before it back to one without such doubt)\n",
                       path, parsed.doubtful->line, parsed.doubtful->message);
        if (parsed.unusable) {
            ++m_sum.unusable;
            if (parsed.has_nat_table || format != SnapshotFormat::iptables || item.blank)
                fmt::print(m_diag,
                           "{}:{}: warning: unusable snapshot{}: {}; lookups in its period answer from the "
                           "snapshot before it\n",
                           path, parsed.unusable->line,
                           format == SnapshotFormat::nft_json
                               ? std::string()
                               : fmt::format(", {} would refuse it", snapshot_loader(format)),
                           parsed.unusable->message);
        }
        warn_if_inserted_into_history(file, !parsed.unusable);
        m_indexed.emplace(file.valid_from, IndexedSnapshot{id, file.valid_from, path, snap.sha256, stat,
                                                           !parsed.unusable});
        ++m_sum.indexed;
    }

    void print_finding(const std::string& path, const Diagnostic& w)
    {
        if (w.kind == DiagnosticKind::check)
            fmt::print(m_diag, "{}{}: check: {}\n", path, w.line > 0 ? fmt::format(":{}", w.line) : "", w.message);
        else
            fmt::print(m_diag, "{}:{}: warning: {}\n", path, w.line, w.message);
    }

    /// The file's part in the IPv6 timeline: a rules.v6 file, or the ip6 and
    /// inet tables of an nft snapshot (one without either is recorded as no
    /// part of it, so that re-index runs need not read it again).
    void add6(const SnapshotFile& file)
    {
        const std::string path = file.path.string();
        if (m_unreadable.count(path))
            return;
        Read6 read;
        if (auto it = m_read6.find(path); it != m_read6.end()) {
            read = std::move(it->second);
            m_read6.erase(it);
        } else {
            std::string content;
            if (!read_snapshot_file(file, read.stat, content))
                return;
            read.sha256 = sha256_hex(content);
            read.format = detect_snapshot_format(content);
            read.parsed = read_snapshot(content, read.format, Family::ipv6);
        }
        const auto& sha256 = read.sha256;
        const auto& stat = read.stat;
        const auto format = read.format;
        ParsedRuleset& parsed = read.parsed;
        if (auto v4 = m_indexed.find(file.valid_from);
            v4 != m_indexed.end() && v4->second.path == path && v4->second.sha256 != sha256)
            return; // changed since its IPv4 part was indexed: the recheck said so, and it is not evidence
        bool no_part = false;
        if (!parsed.unusable && !parsed.has_nat_table) {
            if (file.naming == SnapshotNaming::nft) {
                no_part = true;
                parsed.unusable = Diagnostic{0, std::string(k_not_in_ipv6_timeline)};
            } else {
                parsed.unusable = Diagnostic{0, "the file holds no *nat table"};
                fmt::print(m_diag, "error: {}: holds no *nat table; recorded as unusable\n", path);
                ++m_sum.file_errors;
            }
        }
        NewSnapshot snap{m_node_id, file.valid_from, path, sha256, stat, std::nullopt, parsed.unusable, parsed.doubtful};
        if (!parsed.unusable) {
            bool approximated = false;
            auto reach = evaluate_first_match6(parsed.nat_rules, &approximated);
            snap.ruleset_id = m_store6.store_ruleset(parsed.nat_rules);
            for (auto& d : check_ruleset6(parsed.nat_rules, reach))
                parsed.warnings.push_back(std::move(d));
            if (approximated)
                parsed.warnings.push_back({0,
                                           "the chains' jumps are too intricate to follow rule by rule; every "
                                           "source-NAT rule counts with its whole source",
                                           DiagnosticKind::check});
        }
        std::int64_t id = m_store6.insert_snapshot(snap);
        for (const auto& w : parsed.warnings) {
            m_store6.add_diagnostic(id, w);
            if (!m_printed.count({path, w.line, w.message}))
                print_finding(path, w);
        }
        if (parsed.doubtful && !parsed.unusable && file.naming == SnapshotNaming::rules_v6)
            fmt::print(m_diag,
                       "{}:{}: warning: {}; IPv6 lookups in its period consider every IPv6 ruleset that could have "
                       "been in force (it and those before it back to one without such doubt)\n",
                       path, parsed.doubtful->line, parsed.doubtful->message);
        if (parsed.unusable && !no_part) {
            ++m_sum.unusable;
            fmt::print(m_diag,
                       "{}:{}: warning: unusable snapshot of the IPv6 timeline{}: {}; IPv6 lookups in its period "
                       "answer from the snapshot before it\n",
                       path, parsed.unusable->line,
                       format == SnapshotFormat::iptables ? ", ip6tables-restore would refuse it"
                       : format == SnapshotFormat::nft_text ? ", nft -f would refuse it"
                                                            : "",
                       parsed.unusable->message);
        }
        m_indexed6.emplace(file.valid_from,
                           IndexedSnapshot{id, file.valid_from, path, snap.sha256, stat, !parsed.unusable});
        auto v4 = m_indexed.find(file.valid_from);
        if (file.naming == SnapshotNaming::rules_v6 || v4 == m_indexed.end() || v4->second.path != path)
            ++m_sum.indexed;
        else if (!m_added.count(path))
            ++m_ipv6_parts_added; // indexed by a natfw-index that had no IPv6 timeline
    }

    /// Two files of one time in the IPv6 timeline (rules.v6.T beside an nft snapshot of T with ip6 tables).
    void same_time6(const SnapshotFile& file, const IndexedSnapshot& known)
    {
        fmt::print(m_diag,
                   "error: {}: {} is indexed as the IPv6 ruleset of the same time; one time has one IPv6 ruleset, "
                   "so this file is not indexed for IPv6\n",
                   file.path.string(), known.path);
        ++m_sum.file_errors;
    }

    void remember_printed(const std::string& path, const std::vector<Diagnostic>& warnings)
    {
        for (const auto& w : warnings)
            m_printed.insert({path, w.line, w.message});
    }

    /// The same directory under a second node name doubles every candidate.
    void warn_if_indexed_as_other_node(const std::filesystem::path& file)
    {
        if (auto other = m_store.other_node_with_path(file.string(), m_node_id))
            fmt::print(m_diag,
                       "warning: {} is also indexed as node {}: one directory under two node names gives every "
                       "candidate twice; index it under one name\n",
                       file.parent_path().string(), *other);
    }

    /// A usable file older than the newest indexed usable one (a restored
    /// backup) shortens its predecessor's period: say which. Unusable files
    /// were never in force and change no period.
    void warn_if_inserted_into_history(const SnapshotFile& file, bool usable)
    {
        if (!usable)
            return;
        auto next = m_indexed.upper_bound(file.valid_from);
        while (next != m_indexed.end() && !next->second.usable)
            ++next;
        if (next == m_indexed.end())
            return;
        std::string before = "no earlier snapshot";
        auto prev = m_indexed.lower_bound(file.valid_from);
        while (prev != m_indexed.begin() && !std::prev(prev)->second.usable)
            --prev;
        if (prev != m_indexed.begin()) {
            const auto& p = std::prev(prev)->second;
            before = fmt::format("{} was in force {} .. {}, now until {}", p.path, format_iso_utc(p.valid_from),
                                 format_iso_utc(next->second.valid_from), format_iso_utc(file.valid_from));
        }
        fmt::print(m_diag, "warning: {} is older than indexed {} (a restored backup?); periods changed: {}\n",
                   file.path.string(), next->second.path, before);
    }

    IndexStore& m_store;
    Timeline6Store& m_store6;
    std::int64_t m_node_id;
    std::ostream& m_diag;
    bool m_verbose;
    IndexSummary& m_sum;
    std::map<UnixSeconds, IndexedSnapshot> m_indexed;
    std::map<UnixSeconds, IndexedSnapshot> m_indexed6;
    std::set<std::string> m_added; ///< paths the IPv4 pass of this run indexed
    /// The IPv6 half of nft snapshots the IPv4 pass read, by path, for the IPv6 pass.
    struct Read6 {
        FileStat stat;
        std::string sha256;
        SnapshotFormat format = SnapshotFormat::iptables;
        ParsedRuleset parsed;
    };
    std::map<std::string, Read6> m_read6;
    std::set<std::string> m_unreadable;
    int m_ipv6_parts_added = 0;
    /// Warnings printed for the IPv4 reading of a file, not repeated for its IPv6 one.
    std::set<std::tuple<std::string, int, std::string>> m_printed;
};

} // namespace

IndexSummary index_directories(SQLite::Database& db, const IndexOptions& options, std::ostream& diag)
{
    IndexSummary summary;
    db.exec(sql::k_cache_for_snapshots);
    {
        SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
        IndexStore store(db);
        Timeline6Store store6(db);
        if (int n = store.rebuild_outdated())
            fmt::print(diag, "notice: re-derived the cells of {} ruleset(s) indexed by an older natfw-index (from "
                             "their stored rules; the evidence is unchanged)\n",
                       n);
        for (const auto& dir : options.dirs) {
            std::string node = options.node_name.empty() ? default_node_name(dir) : options.node_name;
            std::filesystem::path abs_dir = std::filesystem::absolute(dir).lexically_normal();
            try {
                auto node_id = store.node_id(node);
                if (options.masquerade_address)
                    store.record_node_address(node_id, options.masquerade_from, *options.masquerade_address);
                if (options.masquerade_address6)
                    store6.record_node_address(node_id, options.masquerade_from, *options.masquerade_address6);
                NodeIndexer(store, store6, node_id, diag, options.verbose, summary).run(abs_dir);
            } catch (const FileError& e) {
                fmt::print(diag, "error: {}\n", e.what());
                ++summary.file_errors;
            }
        }
        tx.commit();
    } // the store's statements are finalised here; the checkpoint needs them gone
    // Readers rebuild their view of a non-empty WAL on every open; leave it
    // empty so a lookup process does not pay for this run's writes. Busy
    // readers may prevent it, which costs them time, not correctness.
    sqlite3_wal_checkpoint_v2(db.getHandle(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
    db.exec(sql::k_cache_for_writing); // what the sessions' ingest after it wants
    return summary;
}

} // namespace natfw
