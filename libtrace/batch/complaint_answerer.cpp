#include "batch/complaint_answerer.hpp"

#include "query/client_address.hpp"
#include "query/query_input.hpp"
#include "query/user_attribution.hpp"
#include "store/database.hpp"
#include "store/statements.hpp"
#include "util/errors.hpp"
#include "util/ip_address.hpp"
#include "util/text.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace natfw {

namespace {

/// Transports that have a protocol of their own in a NAT rule: naming one is
/// never read as "tcp or udp".
bool names_transport(const std::string& word)
{
    static constexpr std::string_view k_transports[] = {"tcp", "udp", "icmp", "icmpv6", "ipv6-icmp", "sctp",
                                                        "dccp", "udplite", "gre", "esp", "ah"};
    return std::find(std::begin(k_transports), std::end(k_transports), word) != std::end(k_transports) ||
           std::all_of(word.begin(), word.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

} // namespace

ComplaintAnswerer::ComplaintAnswerer(History& history, const TimeParser& times, const BatchOptions& options,
                                     std::shared_ptr<SessionCache> sessions_cache)
    : m_history(history), m_tracer(history, options.details, options.evidence), m_times(times), m_options(options)
{
    if (!options.sessions)
        return;
    // Answers with details show each session with its evidence, as single lookups do.
    const auto mode = options.details ? SessionHistory::Mode::single : SessionHistory::Mode::batch;
    SQLite::Database* db = options.sessions;
    if (options.details || !usable_by_threads(*db)) { // see BatchOptions::sessions
        m_sessions_db = open_index_for_reading(db->getFilename(), ConnectionUse::one_thread);
        m_sessions_db->exec(sql::k_map_for_batch);
        m_sessions_db->exec(sql::k_begin_reading);
        db = m_sessions_db.get();
    }
    m_sessions.emplace(*db, mode, std::move(sessions_cache));
}

void ComplaintAnswerer::set_window(const Complaint& c, Query& q)
{
    q.window_before = m_options.window_before;
    q.window_after = m_options.window_after;
    if (c.first_seen.empty() && c.last_seen.empty())
        return;
    std::optional<UnixSeconds> first, last;
    if (!c.first_seen.empty())
        first = m_times.parse(c.first_seen).instants.front();
    if (!c.last_seen.empty())
        last = m_times.parse(c.last_seen).instants.back();
    if (first && last && *first > *last)
        throw UsageError("first_seen is after last_seen");
    // The incident was seen from first_seen to last_seen: every ruleset in
    // force then may have made the binding, as with --skew.
    if (first)
        q.window_before = std::max(q.window_before, q.instants.front() - *first);
    if (last)
        q.window_after = std::max(q.window_after, *last - q.instants.back());
}

void ComplaintAnswerer::answer(const Complaint& c, Query& q, Answer& a)
{
    answer_users(answer_addresses(c, q, a), q, a);
}

ComplaintAnswerer::AddressesAnswered ComplaintAnswerer::answer_addresses(const Complaint& c, Query& q, Answer& a)
{
    // `q` and `a` are reused row after row: fields are set, never reset, so
    // that their strings and lists keep their memory (a batch answers
    // millions of rows). Every field a batch row sets is set here.
    q.node = m_options.node;
    std::string_view ignored_proto; // a view of c.proto
    try {
        q.proto = parse_proto(c.proto);
    } catch (const UsageError&) {
        if (!c.lenient_proto || names_transport(to_lower(c.proto)))
            throw;
        q.proto.clear();
        ignored_proto = c.proto;
    }
    // Complaints name a handful of public addresses; parse each once in a row.
    if (c.address != m_last_ip_text) {
        auto address = canonical_address(c.address);
        if (!address)
            throw UsageError(fmt::format("\"{}\" is not an IPv4 or IPv6 address", c.address));
        m_last_address = std::move(*address);
        m_last_ip = is_ipv6_text(m_last_address) ? 0 : parse_ip_arg(m_last_address);
        m_last_ip_text.assign(c.address);
    }
    const bool ipv6 = is_ipv6_text(m_last_address);
    if (c.port.empty() && !(ipv6 || m_sessions))
        throw UsageError(std::string(c.port_missing));
    q.ip = m_last_ip;
    q.address = m_last_address;
    q.port = c.port.empty() ? 0 : parse_port_arg(c.port);
    q.client = q.port == 0 || (ipv6 && !m_options.ipv6_index);
    m_times.parse(c.time, m_parsed);
    q.input = c.time;
    q.instants.swap(m_parsed.instants);
    q.zone.swap(m_parsed.zone);
    set_window(c, q);
    if (!q.client && ipv6)
        nat6().lookup(q, a);
    else if (!q.client)
        m_tracer.lookup(q, a);
    return {ipv6, ignored_proto};
}

std::optional<BlockQuestion> ComplaintAnswerer::block_question(const Query& q, const Answer& a) const
{
    if (!m_sessions)
        return std::nullopt;
    return natfw::block_question(*m_sessions, q, a);
}

void ComplaintAnswerer::ask_blocks(std::span<const BlockQuestion> questions, std::span<BlockAnswer> out)
{
    // A group asking nothing (always so without sessions: block_question()
    // gave none) must not reach a SessionHistory that may not be there.
    if (!m_sessions || questions.empty())
        return;
    natfw::ask_blocks(*m_sessions, questions, out);
}

void ComplaintAnswerer::answer_users(const AddressesAnswered& done, Query& q, Answer& a, const BlockAnswer* asked)
{
    if (m_sessions) {
        answer_client_if_held(*m_sessions, m_history, q, a);
        attribute_users(*m_sessions, q, a, asked);
    } else if (q.client) {
        a = client_address_without_sessions(q);
    }
    if (done.ipv6 && !m_options.ipv6_index && a.status == Status::none && !is_ipv6_local(q.address))
        add_warning(a, "the index holds no IPv6 NAT rules (rules.v6 files, ip6 and inet nft tables)");
    if (!done.ignored_proto.empty() && !q.client)
        add_warning(a, fmt::format("protocol \"{}\" names no transport: tcp and udp were both looked up",
                                   done.ignored_proto));
}

Nat6Tracer& ComplaintAnswerer::nat6()
{
    if (!m_nat6) {
        m_ipv6_db = open_index_for_reading(*m_options.ipv6_index, ConnectionUse::one_thread);
        m_timeline6.emplace(*m_ipv6_db);
        m_nat6.emplace(*m_timeline6, m_history, m_options.details, m_options.evidence);
    }
    return *m_nat6;
}

} // namespace natfw
