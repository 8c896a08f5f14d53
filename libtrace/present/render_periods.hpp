#pragma once
// A forward lookup's periods (--internal, and each session of --user): when
// an internal address had which public address and port block.
#include "query/forward_lookup.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace natfw {

/// `{"node", "public_ip", "proto", "port_range", "valid_from", "valid_to", "snapshot", "sha256", "line", ...}`.
nlohmann::ordered_json period_json(const AddressPeriod& period);

/// A period's line and its evidence lines, each line starting with `indent`.
void append_period_text(std::string& out, const AddressPeriod& period, std::string_view indent);

std::string render_periods_text(const ForwardQuery& query, const std::vector<AddressPeriod>& periods);
/// `{"internal": ..., "from": ..., "until": ..., "periods": [...]}` and a newline.
std::string render_periods_json(const ForwardQuery& query, const std::vector<AddressPeriod>& periods);

} // namespace natfw
