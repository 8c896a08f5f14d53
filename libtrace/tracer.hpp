#pragma once
// Answers "which internal address had this public address and port at this
// time" from the index, with the evidence for every candidate.
#include "answer.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace natfw {

/// A ruleset change this close to the instant that maps the port elsewhere
/// earns a warning (the complaint's clock may be off).
inline constexpr UnixSeconds k_change_window = 300;

class Tracer {
public:
    /// Prepares every statement once; `db` must outlive the tracer.
    explicit Tracer(SQLite::Database& db);

    /// Throws UsageError when the query names a node the index does not know.
    Answer lookup(const Query& query);

private:
    struct Node {
        std::int64_t id;
        std::string name;
    };
    struct Snapshot {
        std::int64_t id;
        UnixSeconds valid_from;
        std::string path;
        std::string sha256;
        std::int64_t ruleset_id;
    };
    struct Hit {
        Rule rule;
        bool masquerade;
        int proto;
    };

    std::vector<Node> nodes(const std::string& only);
    std::optional<Snapshot> snapshot_row(SQLite::Statement& st);
    std::optional<Snapshot> usable_at(std::int64_t node, UnixSeconds t);
    std::optional<Snapshot> usable_after(std::int64_t node, UnixSeconds t);
    /// The pub_lo of the cells that may hold `ip`: the greatest at or below it.
    std::optional<std::int64_t> cell_column(std::int64_t ruleset, int proto, Ipv4 ip);
    std::vector<Hit> hits(std::int64_t ruleset, int proto, Ipv4 ip, std::uint16_t port);
    bool maps_address(std::int64_t ruleset, int proto, Ipv4 ip);
    std::vector<int> protocols(const Query& q) const;
    /// The sorted internal sources the snapshot gives the query's port.
    std::vector<std::string> sources_in(const Snapshot& s, const Query& q);

    void answer_node(const Query& q, UnixSeconds t, const Node& node, Answer& a, std::vector<std::string>& none_details);
    void warn_nearby_changes(const Query& q, UnixSeconds t, const Node& node, const std::optional<Snapshot>& in_force,
                             Answer& a);

    SQLite::Statement m_all_nodes, m_node_by_name, m_usable_at, m_usable_after, m_unusable_between, m_first_snapshot,
        m_cell_pub_lo, m_cell_rules, m_cell_has_snat;
};

/// Decides the status from the candidates (distinct internal sources).
void settle_status(Answer& answer, const Query& query);

} // namespace natfw
