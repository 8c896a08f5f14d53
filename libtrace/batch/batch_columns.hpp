#pragma once
// Which columns of a complaint CSV hold the time, address, port and protocol.
#include <optional>
#include <string>
#include <vector>

namespace natfw {

struct ColumnNames {
    std::string time, ip, port, proto; ///< given by --time-col etc.; empty: by alias
};

struct BatchColumns {
    std::size_t time = 0, ip = 0, port = 0;
    std::optional<std::size_t> proto; ///< none: both protocols
    /// "time=reported_at ip=src_ip port=src_port protocol=protocol"
    std::string describe(const std::vector<std::string>& header) const;
};

/// Header names compare case-insensitively, with `-` and blanks read as `_`
/// (so X-ARF's `Source-IP` is `source_ip`). Without an explicit name the
/// first alias present wins: time `time timestamp reported_at date`, IP `ip
/// public_ip src_ip source_ip`, port `port src_port source_port`, protocol
/// `proto protocol`. Throws UsageError naming what is missing.
BatchColumns find_columns(const std::vector<std::string>& header, const ColumnNames& names);

} // namespace natfw
