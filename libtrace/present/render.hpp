#pragma once
// Presenting a single lookup's answer to people (text) and scripts (JSON).
#include "query/answer.hpp"
#include "query/forward_lookup.hpp"

#include <string>

namespace natfw {

std::string render_text(const Query& query, const Answer& answer);

/// One JSON object in the contract's shape, followed by a newline.
std::string render_json(const Query& query, const Answer& answer);

/// A forward lookup (--internal): the periods, per node.
std::string render_periods_text(const ForwardQuery& query, const std::vector<AddressPeriod>& periods);
/// `{"internal": ..., "from": ..., "until": ..., "periods": [...]}` and a newline.
std::string render_periods_json(const ForwardQuery& query, const std::vector<AddressPeriod>& periods);

} // namespace natfw
