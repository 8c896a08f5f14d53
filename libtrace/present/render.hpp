#pragma once
// Presenting a single lookup's answer to people (text) and scripts (JSON).
#include "query/answer.hpp"

#include <string>

namespace natfw {

std::string render_text(const Query& query, const Answer& answer);

/// One JSON object in the contract's shape, followed by a newline.
std::string render_json(const Query& query, const Answer& answer);

} // namespace natfw
