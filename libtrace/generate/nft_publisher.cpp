#include "generate/nft_publisher.hpp"

#include "generate/generated_ruleset.hpp"
#include "parse/nft_document.hpp"
#include "parse/snapshot_discovery.hpp"
#include "util/atomic_fs.hpp"
#include "util/errors.hpp"
#include "util/file.hpp"
#include "util/process.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fmt/ranges.h>

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <regex>

namespace natfw {

namespace {

namespace fs = std::filesystem;

std::optional<std::string> current_content(const fs::path& file)
{
    std::error_code ec;
    if (!fs::exists(file, ec))
        return std::nullopt;
    if (!fs::is_regular_file(file, ec))
        throw Error(fmt::format("{} exists and is not a regular file; natfw-generate only replaces the file it "
                                "writes",
                                file.string()));
    return read_file(file);
}

/// Whether the listing holds table FAMILY NAME (`table ip natfw`).
bool lists_table(const std::string& listing, std::string_view table)
{
    auto space = table.find(' ');
    auto doc = parse_nft_document(listing);
    return doc.table(table.substr(0, space), table.substr(space + 1)) != nullptr;
}

/// The listing without nft's packet and byte counts, which change with every packet.
std::string without_counts(std::string_view listing)
{
    static const std::regex k_counts(R"( packets \d+ bytes \d+)");
    return std::regex_replace(std::string(listing), k_counts, "");
}

class NftPublish {
public:
    NftPublish(const NftPublishOptions& o, std::ostream& diag) : m_o(o), m_diag(diag) {}

    PublishResult run(std::string_view content)
    {
        m_file = fs::absolute(m_o.file).lexically_normal();
        m_previous = current_content(m_file);
        PublishResult result;
        if (m_previous && same_apart_from_date(*m_previous, content))
            return record_if_changed();
        check_newest_snapshot(m_file, m_o.stamp);
        m_content = content;
        replace_file_atomically(m_file, content);
        fmt::print(m_diag, "natfw-generate: wrote {}\n", m_file.string());

        auto load = run_command(m_o.reload);
        if (!load.succeeded())
            return refused(fmt::format("reload \"{}\" {}", fmt::join(m_o.reload, " "), load.describe()), false);
        fmt::print(m_diag, "natfw-generate: reloaded: {}\n", fmt::join(m_o.reload, " "));
        std::string listing;
        auto list = run_command_output(m_o.list, listing);
        if (!list.succeeded())
            return refused(fmt::format("listing the ruleset with \"{}\" {}", fmt::join(m_o.list, " "), list.describe()),
                           true);
        if (!lists_table(listing, m_o.table))
            return refused(fmt::format("the ruleset \"{}\" printed after the reload holds no table {}: the reload "
                                       "did not load {} (is it included from /etc/nftables.conf?)",
                                       fmt::join(m_o.list, " "), m_o.table, m_file.string()),
                           true);
        result.snapshot = fs::path(m_file.string() + fmt::format(".{}", m_o.stamp));
        create_file_atomically(result.snapshot, listing);
        fmt::print(m_diag, "natfw-generate: recorded the ruleset in force as {}\n", result.snapshot.string());
        result.outcome = PublishOutcome::published;
        return result;
    }

private:
    /// The table file is unchanged, but the rest of the ruleset may not be
    /// (eduVPN's nftables.conf reloaded with another masquerade): when the
    /// kernel now lists a ruleset other than the newest snapshot, that
    /// listing is recorded as a snapshot of its own, without any reload.
    PublishResult record_if_changed()
    {
        PublishResult result;
        std::string listing;
        auto list = run_command_output(m_o.list, listing);
        if (!list.succeeded()) {
            fmt::print(m_diag, "natfw-generate: warning: cannot tell whether the ruleset in force changed: \"{}\" {}\n",
                       fmt::join(m_o.list, " "), list.describe());
            return result;
        }
        auto newest = newest_snapshot();
        if (newest && without_counts(read_file(*newest)) == without_counts(listing))
            return result;
        check_newest_snapshot(m_file, m_o.stamp);
        result.snapshot = fs::path(m_file.string() + fmt::format(".{}", m_o.stamp));
        create_file_atomically(result.snapshot, listing);
        fmt::print(m_diag, "natfw-generate: the ruleset in force differs from {}; recorded it as {}\n",
                   newest ? newest->string() : std::string("every snapshot (there is none)"),
                   result.snapshot.string());
        if (!lists_table(listing, m_o.table))
            fmt::print(m_diag, "natfw-generate: warning: the kernel holds no table {}: the port blocks are not in "
                               "force; load them with {}\n",
                       m_o.table, fmt::join(m_o.reload, " "));
        result.outcome = PublishOutcome::recorded;
        return result;
    }

    /// FILE.<unix-seconds> with the largest time, if any.
    std::optional<fs::path> newest_snapshot() const
    {
        std::optional<fs::path> out;
        UnixSeconds best = 0;
        std::error_code ec;
        auto base = m_file.filename().string();
        for (fs::directory_iterator it(m_file.parent_path(), ec), end; !ec && it != end; it.increment(ec))
            if (auto t = snapshot_time_from_name(it->path().filename().string(), base); t && *t >= best) {
                best = *t;
                out = it->path();
            }
        return out;
    }

    /// Puts FILE back and keeps the new one as FILE.<stamp>.failed; after a
    /// load that happened, loads the old table again.
    PublishResult refused(const std::string& why, bool loaded)
    {
        fmt::print(m_diag, "natfw-generate: error: {}; rolling back\n", why);
        if (m_previous)
            replace_file_atomically(m_file, *m_previous);
        else if (::unlink(m_file.c_str()) != 0 && errno != ENOENT)
            throw FileError(fmt::format("{}: cannot remove: {}", m_file.string(), std::strerror(errno)));
        fmt::print(m_diag, "natfw-generate: {} {}\n", m_file.string(),
                   m_previous ? "holds the previous table again" : "removed again");
        if (loaded && m_previous) {
            auto again = run_command(m_o.reload);
            fmt::print(m_diag, "natfw-generate: {}\n",
                       again.succeeded() ? fmt::format("reloaded the previous table: {}", fmt::join(m_o.reload, " "))
                                         : fmt::format("error: reloading the previous table {}: the kernel may hold "
                                                       "the refused one; check with nft list ruleset",
                                                       again.describe()));
        } else if (loaded) {
            fmt::print(m_diag, "natfw-generate: warning: there was no previous table to load back; the kernel may "
                               "hold the new one without a snapshot (nft delete table {} removes it)\n",
                       m_o.table);
        }
        PublishResult result;
        result.snapshot = fs::path(m_file.string() + fmt::format(".{}{}", m_o.stamp, k_failed_suffix));
        create_file_atomically(result.snapshot, m_content);
        fmt::print(m_diag, "natfw-generate: kept the refused table as {} (not a snapshot: {})\n",
                   result.snapshot.string(), loaded ? "no listing of the ruleset shows it in force" : "it was never in force");
        result.outcome = PublishOutcome::reload_failed;
        return result;
    }

    const NftPublishOptions& m_o;
    std::ostream& m_diag;
    fs::path m_file;
    std::optional<std::string> m_previous;
    std::string_view m_content;
};

} // namespace

PublishResult publish_nft(const NftPublishOptions& options, std::string_view content, std::ostream& diag)
{
    return NftPublish(options, diag).run(content);
}

} // namespace natfw
