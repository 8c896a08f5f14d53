#pragma once
// From candidate addresses to users: every candidate gets the sessions that
// held its address(es) at the instant (or in the window), and the answer a
// user status (CONTRACT, "Who was it"). The address status is not touched.
#include "query/answer.hpp"
#include "query/session_history.hpp"

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace natfw {

/// Sessions that changed hands this close to the instant earn a warning, as ruleset changes do.
inline constexpr UnixSeconds k_session_change_window = 300;

/// What a batch row's common case asks of its /24's session block: one host
/// candidate, an address answer that is not ambiguous, no retention horizon
/// in reach (SessionHistory::sole_holder).
using BlockQuestion = SessionHistory::HolderQuestion;
struct BlockAnswer {
    BlockQuestion question;
    SessionHistory::Holder::Kind kind = SessionHistory::Holder::Kind::other;
    std::string user; ///< when kind is sole
};

/// The question attribute_users() asks the block for this answer; none when
/// `sessions` reads no blocks (SessionHistory::Mode::single) or the row is
/// not a common case.
std::optional<BlockQuestion> block_question(const SessionHistory& sessions, const Query& query, const Answer& answer);
BlockAnswer ask_block(SessionHistory& sessions, const BlockQuestion& question);
/// ask_block() for each question, into `out` (as many), their memory reads
/// overlapping (SessionHistory::sole_holders).
void ask_blocks(SessionHistory& sessions, std::span<const BlockQuestion> questions, std::span<BlockAnswer> out);

/// `asked`: the block's answer to this row's question, asked before (a
/// batch asks those of a group of rows one after the other); used only when it
/// answers the question the row asks.
void attribute_users(SessionHistory& sessions, const Query& query, Answer& answer, const BlockAnswer* asked = nullptr);

} // namespace natfw
