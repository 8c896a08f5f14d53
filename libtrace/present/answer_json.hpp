#pragma once
// A single lookup's answer as a JSON value, for outputs that put it beside
// fields of their own (XARF reports answered as JSON lines).
#include "query/answer.hpp"

#include <nlohmann/json.hpp>

namespace natfw {

/// The object render_json prints, in the contract's shape and key order.
nlohmann::ordered_json answer_json(const Query& query, const Answer& answer);

} // namespace natfw
