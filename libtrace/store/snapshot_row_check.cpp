#include "store/snapshot_row_check.hpp"

#include "store/database.hpp"
#include "util/sha256.hpp"

#include <fmt/format.h>

namespace natfw {

namespace {

// Half a SHA-256 in hex: a flipped byte is what it guards against, not a forger.
constexpr std::size_t k_check_chars = 32;

} // namespace

std::string snapshot_row_check(std::int64_t node_id, UnixSeconds valid_from, std::string_view path,
                               std::string_view sha256, std::optional<std::int64_t> ruleset_id)
{
    auto row = fmt::format("{}\t{}\t{}\t{}\t{}", node_id, valid_from, path, sha256,
                           ruleset_id ? std::to_string(*ruleset_id) : std::string("-"));
    return sha256_hex(row).substr(0, k_check_chars);
}

void require_snapshot_row(std::string_view stored, std::int64_t row_id, std::int64_t node_id, UnixSeconds valid_from,
                          std::string_view path, std::string_view sha256, std::optional<std::int64_t> ruleset_id)
{
    if (stored != snapshot_row_check(node_id, valid_from, path, sha256, ruleset_id))
        throw IndexDamaged(fmt::format("snapshot record {} (from {}) no longer matches its check", row_id,
                                       format_iso_utc(valid_from)));
}

} // namespace natfw
