#pragma once
// One complaint, as a batch gives it (text fields from a CSV row or an XARF
// report), answered as a single lookup would answer it: NAT rules, IPv6 NAT,
// a client's own address, and the users from the sessions.
#include "batch/batch.hpp"
#include "query/nat6_tracer.hpp"
#include "query/session_history.hpp"
#include "query/timeline6.hpp"
#include "query/user_attribution.hpp"

#include <memory>
#include <optional>
#include <span>
#include <string_view>

namespace natfw {

/// The fields of a complaint as written; empty when absent. The time and the
/// address are there (the caller says which is missing in its own terms).
struct Complaint {
    std::string_view time, address, port, proto;
    /// The error when the port is needed (an IPv4 address and no sessions) but empty.
    std::string_view port_missing = "the port cell is empty";
    /// XARF's first_seen and last_seen: each widens the lookup's window to reach it.
    std::string_view first_seen, last_seen;
    /// A protocol word that names no transport (XARF's "smtp"): both tcp and
    /// udp are looked up and the answer says why.
    bool lenient_proto = false;
};

/// Answers complaints one by one; one per worker thread (it keeps its own
/// statements, the connections it opens and parsing caches).
class ComplaintAnswerer {
public:
    ComplaintAnswerer(History& history, const TimeParser& times, const BatchOptions& options,
                      std::shared_ptr<SessionCache> sessions_cache);

    /// Whether answers carry users (the index holds session sources).
    bool with_users() const { return m_sessions.has_value(); }

    /// Answers `c` into `q` and `a`; throws UsageError when a field cannot be read.
    /// The same as answer_addresses() and then answer_users().
    void answer(const Complaint& c, Query& q, Answer& a);

    /// What answer_users() needs to know of a complaint after answer_addresses().
    struct AddressesAnswered {
        bool ipv6 = false;
        std::string_view ignored_proto; ///< a view of the complaint's protocol word
    };
    /// The first part of answer(): the cells read and the NAT rules looked up.
    AddressesAnswered answer_addresses(const Complaint& c, Query& q, Answer& a);
    /// The rest: the sessions (a client's own address, the users) and the
    /// warnings that follow theirs. `asked`: see attribute_users().
    void answer_users(const AddressesAnswered& done, Query& q, Answer& a, const BlockAnswer* asked = nullptr);

    /// What answer_users() will ask of the session blocks after answer_addresses()
    /// (query/user_attribution.hpp); none when it asks nothing.
    std::optional<BlockQuestion> block_question(const Query& q, const Answer& a) const;
    /// Only with questions block_question() gave: ask_blocks() (query/user_attribution.hpp).
    void ask_blocks(std::span<const BlockQuestion> questions, std::span<BlockAnswer> out);

private:
    Nat6Tracer& nat6();
    void set_window(const Complaint& c, Query& q);

    History& m_history;
    Tracer m_tracer;
    std::unique_ptr<SQLite::Database> m_ipv6_db;
    std::optional<Timeline6> m_timeline6;
    std::optional<Nat6Tracer> m_nat6;
    std::unique_ptr<SQLite::Database> m_sessions_db;
    std::optional<SessionHistory> m_sessions;
    TimeParser m_times; ///< a copy: it caches zone offsets
    const BatchOptions& m_options;
    ParsedTime m_parsed;
    std::string m_last_ip_text, m_last_address;
    Ipv4 m_last_ip = 0;
};

} // namespace natfw
