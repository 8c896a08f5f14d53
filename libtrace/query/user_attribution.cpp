#include "query/user_attribution.hpp"

#include "util/ipv4.hpp"
#include "util/ipv6.hpp"
#include "util/text.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace natfw {

namespace {

constexpr UnixMicros k_us = 1'000'000;

std::string iso(UnixMicros t) { return format_iso_utc(seconds_of_micros(t)); }

/// The address ranges a candidate's `internal` stands for; empty when it is no address text.
std::vector<Ipv4Range> ranges_of(const std::string& internal)
{
    if (internal.starts_with("!")) {
        auto net = parse_ipv4_network(std::string_view(internal).substr(1));
        if (!net)
            return {};
        std::vector<Ipv4Range> out;
        if (net->lo > 0)
            out.push_back({0, net->lo - 1});
        if (net->hi < 0xFFFFFFFFu)
            out.push_back({net->hi + 1, 0xFFFFFFFFu});
        return out;
    }
    if (auto net = parse_ipv4_network(internal))
        return {*net};
    if (auto range = parse_ipv4_dash_range(internal))
        return {*range};
    return {};
}

/// Addresses earlier rules take ("10.0.0.2-10.0.0.3, 10.0.0.9"); a part
/// that does not read excludes nothing (more sessions, never a wrong user).
std::vector<Ipv4Range> excluded_of(const std::string& text)
{
    std::vector<Ipv4Range> out;
    std::string_view rest = text;
    while (!rest.empty()) {
        auto comma = rest.find(',');
        auto part = rest.substr(0, comma);
        while (!part.empty() && part.front() == ' ')
            part.remove_prefix(1);
        if (auto net = parse_ipv4_network(part))
            out.push_back(*net);
        else if (auto range = parse_ipv4_dash_range(part))
            out.push_back(*range);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
    return out;
}

std::string session_label(const SessionRecord& s)
{
    return fmt::format("{} (connection {}, {} .. {})", s.user, s.connection,
                       s.connected_at ? iso(*s.connected_at) : std::string("before the log"),
                       s.disconnected_at ? iso(*s.disconnected_at) : std::string("still open"));
}

std::string coverage_text(const std::vector<SourceCoverage>& sources)
{
    std::vector<std::string> parts;
    for (const auto& s : sources)
        parts.push_back(s.from ? fmt::format("{} {} covers {} .. {}", s.kind, s.name, iso(*s.from), iso(*s.to))
                               : fmt::format("{} {} holds no events (or only forgotten ones)", s.kind, s.name));
    return fmt::format("{}", fmt::join(parts, "; "));
}

class Attribution {
public:
    Attribution(SessionHistory& h, const Query& q) : m_history(h)
    {
        m_from = (q.instants.front() - q.window_before) * k_us;
        m_to = (q.instants.back() + q.window_after) * k_us;
    }

    /// The sessions of one candidate; a candidate with the same address text
    /// as an earlier one of this answer gets a copy of that one's.
    std::vector<SessionRecord> sessions_of(const Candidate& c)
    {
        for (const auto* done : m_done)
            if (done->internal == c.internal && done->excluded == c.excluded)
                return done->sessions;
        m_done.push_back(&c);
        std::vector<SessionRecord> out;
        if (c.single_host) {
            // One read serves the answer and the changed-hands warning.
            const UnixMicros margin = k_session_change_window * k_us;
            m_history.holding(c.internal, m_from - margin, m_to + margin, out);
            auto near = std::stable_partition(out.begin(), out.end(),
                                              [&](const SessionRecord& s) { return s.overlaps(m_from, m_to); });
            bool warned = std::any_of(m_near.begin(), m_near.end(), [&](const auto& n) { return n.first == c.internal; });
            if (near != out.end() && !warned) {
                m_near.emplace_back(c.internal, std::vector<SessionRecord>(std::make_move_iterator(near),
                                                                           std::make_move_iterator(out.end())));
                out.erase(near, out.end());
            }
            return out;
        }
        if (c.internal.find(':') != std::string::npos)
            return sessions_of_ipv6(c);
        auto excluded = excluded_of(c.excluded);
        for (auto r : ranges_of(c.internal))
            m_history.holding(r, m_from, m_to, out);
        std::erase_if(out, [&](const SessionRecord& s) {
            auto ip = parse_ipv4(s.ip4);
            return ip && std::any_of(excluded.begin(), excluded.end(), [&](Ipv4Range e) { return e.contains(*ip); });
        });
        return out;
    }

    /// A NAT66 candidate: a prefix or range, less the addresses earlier rules take.
    std::vector<SessionRecord> sessions_of_ipv6(const Candidate& c)
    {
        std::vector<SessionRecord> out;
        auto range = parse_ipv6_range(c.internal);
        if (!range)
            return out;
        m_history.holding(*range, m_from, m_to, out);
        std::vector<Ipv6Range> excluded;
        std::string_view rest = c.excluded;
        while (!rest.empty()) {
            auto comma = rest.find(',');
            if (auto e = parse_ipv6_range(trim(rest.substr(0, comma))))
                excluded.push_back(*e);
            rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        }
        std::erase_if(out, [&](const SessionRecord& s) {
            auto ip = parse_ipv6(s.ip6);
            return ip && std::any_of(excluded.begin(), excluded.end(), [&](Ipv6Range e) { return e.contains(*ip); });
        });
        return out;
    }

    /// Sessions of the single-host candidates that began or ended near the window, held by someone else.
    void warn_changes(const Answer& a, std::vector<std::string>& warnings)
    {
        for (const auto& [internal, near] : m_near) {
            std::vector<const std::string*> at_instant;
            for (const auto& c : a.candidates)
                if (c.single_host && c.internal == internal)
                    for (const auto& s : c.sessions)
                        at_instant.push_back(&s.user);
            for (const auto& s : near) {
                if (std::any_of(at_instant.begin(), at_instant.end(), [&](const std::string* u) { return *u == s.user; }))
                    continue;
                warnings.push_back(fmt::format(
                    "{} changed hands within {} s of the time: also held by {}; a clock that is off would "
                    "name them instead (--skew widens the window)",
                    internal, k_session_change_window, session_label(s)));
            }
        }
    }

    UnixMicros from() const { return m_from; }
    UnixMicros to() const { return m_to; }

private:
    SessionHistory& m_history;
    UnixMicros m_from = 0, m_to = 0;
    std::vector<const Candidate*> m_done; ///< candidates whose sessions were read
    /// Per single host read, its sessions near the window but not in it (for warnings), in holding()'s order.
    std::vector<std::pair<std::string, std::vector<SessionRecord>>> m_near;
};

/// A batch row's common cases: near the instant either one session that
/// held the address then or none at all. The general way gives the same
/// answer after building records; this reads the batch's session block only.
/// `sole`: the answer is made; `nobody`: the candidate held no session (the
/// general way words the answer); `other`: not such a case.
SessionHistory::Holder::Kind attribute_from_block(SessionHistory& history, const Query& q, Answer& a,
                                                  const BlockAnswer* asked)
{
    auto question = block_question(history, q, a);
    if (!question)
        return SessionHistory::Holder::Kind::other;
    BlockAnswer own;
    if (!asked || asked->question != *question) {
        own = ask_block(history, *question);
        asked = &own;
    }
    if (asked->kind == SessionHistory::Holder::Kind::sole) {
        auto& u = a.reuse_users();
        u.status = UserStatus::unique;
        u.user.emplace(asked->user);
        u.users.emplace_back(asked->user);
    }
    return asked->kind;
}

} // namespace

std::optional<BlockQuestion> block_question(const SessionHistory& history, const Query& q, const Answer& a)
{
    if (history.mode() != SessionHistory::Mode::batch || !history.indexed())
        return std::nullopt;
    if (a.candidates.size() != 1 || !a.candidates[0].single_host || a.status == Status::ambiguous)
        return std::nullopt;
    const UnixMicros from = (q.instants.front() - q.window_before) * k_us;
    const UnixMicros to = (q.instants.back() + q.window_after) * k_us;
    if (auto horizon = history.forgotten_before(); horizon && from < *horizon)
        return std::nullopt;
    const auto& c = a.candidates[0];
    auto ip = c.host4 ? c.host4 : parse_ipv4(c.internal);
    if (!ip)
        return std::nullopt;
    return BlockQuestion{*ip, from, to};
}

BlockAnswer ask_block(SessionHistory& history, const BlockQuestion& question)
{
    BlockAnswer answer;
    ask_blocks(history, std::span(&question, 1), std::span(&answer, 1));
    return answer;
}

void ask_blocks(SessionHistory& history, std::span<const BlockQuestion> questions, std::span<BlockAnswer> out)
{
    std::vector<SessionHistory::Holder> holders(questions.size());
    history.sole_holders(questions, k_session_change_window * k_us, holders);
    for (std::size_t i = 0; i < questions.size(); ++i) {
        out[i].question = questions[i];
        out[i].kind = holders[i].kind;
        out[i].user.assign(holders[i].user);
    }
}

void attribute_users(SessionHistory& history, const Query& q, Answer& a, const BlockAnswer* asked)
{
    if (!history.indexed())
        return;
    const auto from_block = attribute_from_block(history, q, a, asked);
    if (from_block == SessionHistory::Holder::Kind::sole)
        return;
    Attribution at(history, q);
    // Sorted vectors, not sets: a batch attributes every row, and most rows name one session.
    std::vector<std::string> users;
    std::vector<std::string> addresses_held;
    for (auto& c : a.candidates) {
        if (from_block != SessionHistory::Holder::Kind::nobody)
            c.sessions = at.sessions_of(c);
        for (const auto& s : c.sessions) {
            users.push_back(s.user);
            // The family the candidate names: the address the rule matched.
            bool six = c.internal.find(':') != std::string::npos;
            addresses_held.push_back((six && !s.ip6.empty()) || s.ip4.empty() ? s.ip6 : s.ip4);
        }
    }
    for (auto* v : {&users, &addresses_held}) {
        std::sort(v->begin(), v->end());
        v->erase(std::unique(v->begin(), v->end()), v->end());
    }
    UserAnswer u;
    u.users = users;
    auto when = [&] { return q.has_window() ? fmt::format("{} .. {}", iso(at.from()), iso(at.to())) : iso(at.from()); };
    if (users.size() == 1) {
        u.status = UserStatus::unique;
        u.user = *users.begin();
        if (a.status == Status::ambiguous)
            u.reason = fmt::format("the address is ambiguous, but at {} only {} held any candidate address ({}): "
                                   "the user is singled out by the sessions",
                                   when(), *u.user, fmt::join(addresses_held, ", "));
    } else if (users.size() > 1) {
        u.status = UserStatus::ambiguous;
        u.reason = fmt::format("{} users held the candidate addresses at {}: {}", users.size(), when(),
                               fmt::join(users, ", "));
    } else {
        const auto& sources = history.sources();
        bool covered = std::any_of(sources.begin(), sources.end(), [&](const SourceCoverage& s) {
            return s.from && s.to && *s.from <= at.to() && at.from() <= *s.to;
        });
        u.status = covered ? UserStatus::none : UserStatus::unknown;
        if (a.candidates.empty())
            u.reason = covered ? "no candidate address, so no user; the session sources cover the time"
                               : fmt::format("no candidate address; and no session source covers {}: {}", when(),
                                             coverage_text(sources));
        else
            u.reason = covered ? fmt::format("the session sources cover {}, but no session held a candidate "
                                             "address then",
                                             when())
                               : fmt::format("no session source covers {}: {}", when(), coverage_text(sources));
    }
    // Before the horizon only sessions that outlived it are left: another
    // user's session there may have been forgotten, so no user is certain.
    if (auto horizon = history.forgotten_before(); horizon && at.from() < *horizon) {
        u.status = UserStatus::unknown;
        u.user.reset();
        u.reason = fmt::format("sessions that ended before {} were forgotten (retention), so the sessions of {} "
                               "are no longer complete{}",
                               iso(*horizon), when(),
                               users.empty() ? std::string()
                                             : fmt::format("; still held: {}", fmt::join(users, ", ")));
    }
    std::vector<std::string> warnings;
    at.warn_changes(a, warnings);
    for (auto& w : warnings)
        add_warning(a, std::move(w));
    a.users = std::move(u);
}

} // namespace natfw
