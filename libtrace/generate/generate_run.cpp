#include "generate/generate_run.hpp"

#include "store/database.hpp"
#include "util/errors.hpp"
#include "generate/client_networks.hpp"
#include "generate/generated_nft.hpp"
#include "generate/generated_ruleset.hpp"
#include "generate/nft_publisher.hpp"
#include "generate/snapshot_publisher.hpp"
#include "index/indexer.hpp"
#include "parse/snapshot_discovery.hpp"
#include "util/file_lock.hpp"
#include "util/process.hpp"
#include "util/time_zone.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fmt/ranges.h>

#include <ostream>

namespace natfw {

namespace {

GeneratorInput make_input(const GenerateOptions& o, std::ostream& diag)
{
    GeneratorInput input;
    auto ip = parse_ipv4(o.public_ip);
    if (!ip)
        throw UsageError(fmt::format("--public-ip \"{}\" is not an IPv4 address", o.public_ip));
    input.public_ip = *ip;
    if (o.networks.empty())
        throw UsageError("give at least one client NETWORK (CIDR or CIDR:N)");
    std::vector<std::string> all;
    for (const auto& spec : o.networks) {
        for (const auto& n : parse_network_spec(spec)) {
            all.push_back(n.cidr());
            if (is_nat_private(n))
                input.networks.push_back(n);
            else
                fmt::print(diag, "natfw-generate: warning: {} is outside RFC 1918 and 100.64.0.0/10; not NATed, "
                                 "no rules for it\n",
                           n.cidr());
        }
    }
    if (input.networks.empty())
        throw Error(fmt::format("no private client networks among {}; nothing to NAT", fmt::join(all, ", ")));
    if (o.avoid_ephemeral || o.ephemeral_range) {
        input.avoid = o.ephemeral_range ? parse_port_range_text(*o.ephemeral_range, "--ephemeral-range")
                                        : read_local_port_range(o.ephemeral_source);
    }
    return input;
}

bool update_index(const GenerateOptions& o, std::ostream& diag);

/// Whether FILE.<unix-seconds> beside `file` is a name natfw-index takes as an nft snapshot.
bool names_nft_snapshots(const std::filesystem::path& file)
{
    return nft_snapshot_time_from_name(file.filename().string() + ".100000000").has_value();
}

/// The ruleset is in force: a failure to index it must say so, and how to mend it.
bool index_in_force(const GenerateOptions& o, std::ostream& diag)
{
    try {
        return update_index(o, diag);
    } catch (const Error& e) {
        auto dir = std::filesystem::absolute(o.link).lexically_normal().parent_path();
        fmt::print(diag,
                   "natfw-generate: error: the ruleset in {} is in force but not indexed: {}; run natfw-index {} (or "
                   "natfw-generate again) to index it\n",
                   o.link.string(), e.what(), dir.string());
        return false;
    }
}

bool update_index(const GenerateOptions& o, std::ostream& diag)
{
    auto dir = std::filesystem::absolute(o.link).lexically_normal().parent_path();
    auto name = o.link.filename().string();
    if (o.format == RulesetFormat::iptables ? name != "rules.v4" : !names_nft_snapshots(o.link)) {
        fmt::print(diag, "natfw-generate: warning: natfw-index only reads {} snapshots; {} was not indexed\n",
                   o.format == RulesetFormat::iptables ? "rules.v4.<unix-seconds>" : "NAME.nft.<unix-seconds>", name);
        return false;
    }
    auto db_path = o.db.empty() ? default_db_path() : o.db;
    auto lock = lock_index_for_writing(db_path, o.lock_timeout, diag);
    auto db = open_index_for_writing(db_path, &diag);
    IndexOptions index;
    index.dirs.push_back(dir);
    index.node_name = o.node;
    auto summary = index_directories(*db, index, diag);
    if (!summary.clean()) {
        fmt::print(diag, "natfw-generate: error: the new ruleset is in force but indexing {} reported errors "
                         "(above); run natfw-index {} after fixing them\n",
                   dir.string(), dir.string());
        return false;
    }
    if (summary.indexed > 0 || o.verbose)
        fmt::print(diag, "natfw-generate: index {} updated ({} new snapshot(s))\n", db_path.string(), summary.indexed);
    return true;
}

} // namespace

bool run_generate(const GenerateOptions& o, std::ostream& out, std::ostream& diag)
{
    auto input = make_input(o, diag);
    bool nft = o.format == RulesetFormat::nft;
    auto content = nft ? generate_nft_table(input, o.stamp, *resolve_zone({}))
                       : generate_ruleset(input, o.stamp, *resolve_zone({}));
    if (o.dry_run) {
        out << content;
        return true;
    }

    // natfw-index only takes 9- to 11-digit suffixes for snapshots (1973 to 5138).
    if (o.stamp < 100'000'000 || o.stamp > 99'999'999'999)
        throw UsageError(fmt::format("--time {} would name the snapshot {}.{}, which is not a snapshot name "
                                     "(9 to 11 digits of UNIX seconds)",
                                     o.stamp, o.link.filename().string(), o.stamp));
    std::optional<std::vector<std::string>> reload;
    if (o.reload) {
        reload = split_command(*o.reload);
        if (reload->empty())
            throw UsageError("--reload needs a command (or use --no-reload)");
    }
    if (nft && !reload)
        throw UsageError("--format nft records the ruleset the kernel lists after the reload; --no-reload would "
                         "record nothing (use --dry-run to see the file)");
    if (nft && !names_nft_snapshots(o.link))
        throw UsageError(fmt::format("-w {}: with --format nft the file must be named NAME.nft, so that its "
                                     "snapshots NAME.nft.<unix-seconds> are found by natfw-index",
                                     o.link.string()));
    std::vector<std::string> list = split_command(o.list);
    if (nft && list.empty())
        throw UsageError("--list needs a command");
    auto dir = std::filesystem::absolute(o.link).lexically_normal().parent_path();
    if (std::error_code ec; !std::filesystem::is_directory(dir, ec))
        throw Error(fmt::format("{} is not a directory; create it first (mkdir -p {}) or name another with -w", dir.string(),
                                dir.string()));
    // Two generators at once could both decide to write; the directory lock
    // makes the compare-write-swap-reload sequence one step for other runs.
    FileLock dir_lock(dir, FileLock::Kind::directory, o.lock_timeout, [&](const std::string&) {
        fmt::print(diag, "natfw-generate: waiting for another natfw-generate in {} (up to {} s)\n", dir.string(),
                   o.lock_timeout.count());
    });
    PublishResult result;
    if (nft) {
        NftPublishOptions publish;
        publish.file = o.link;
        publish.stamp = o.stamp;
        publish.reload = *reload;
        publish.list = list;
        publish.table = fmt::format("ip {}", k_nft_table);
        result = publish_nft(publish, content, diag);
    } else {
        PublishOptions publish;
        publish.link = o.link;
        publish.stamp = o.stamp;
        publish.reload = reload;
        result = publish_snapshot(publish, content, diag);
    }
    switch (result.outcome) {
    case PublishOutcome::unchanged:
        if (o.verbose)
            fmt::print(diag, "natfw-generate: unchanged: {} already holds these rules; nothing written\n",
                       o.link.string());
        // Indexed anyway: a run whose index step failed after the reload left
        // the ruleset in force but unindexed, and this is the rerun that mends it.
        return o.update_index ? index_in_force(o, diag) : true;
    case PublishOutcome::reload_failed:
        return false;
    case PublishOutcome::published:
    case PublishOutcome::recorded:
        break;
    }
    return o.update_index ? index_in_force(o, diag) : true;
}

} // namespace natfw
