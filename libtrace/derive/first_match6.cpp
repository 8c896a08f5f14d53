#include "derive/first_match6.hpp"

#include "derive/first_match.hpp"

#include <algorithm>

namespace natfw {

namespace {

class Pieces {
public:
    explicit Pieces(const std::vector<Rule>& rules)
    {
        m_cuts.push_back(0);
        for (const auto& r : rules) {
            m_cuts.push_back(r.source6.lo);
            if (r.source6.hi != k_ipv6_max)
                m_cuts.push_back(r.source6.hi + 1);
        }
        std::sort(m_cuts.begin(), m_cuts.end());
        m_cuts.erase(std::unique(m_cuts.begin(), m_cuts.end()), m_cuts.end());
    }

    /// The last piece is numbered up to the top of the IPv4 space, so that
    /// complements (`!`) in the numbered space hold no number without a piece.
    Ipv4Range numbered(Ipv6Range r) const { return {piece(r.lo), r.hi == k_ipv6_max ? ~Ipv4{0} : piece(r.hi)}; }

    std::vector<Ipv6Range> ranges(const Ipv4Set& set) const
    {
        std::vector<Ipv6Range> out;
        const auto last = m_cuts.size() - 1;
        for (const auto& r : set.ranges())
            out.push_back({m_cuts[std::min<std::size_t>(r.lo, last)], r.hi >= last ? k_ipv6_max : m_cuts[r.hi + 1] - 1});
        return out;
    }

private:
    Ipv4 piece(Ipv6 a) const
    {
        auto it = std::upper_bound(m_cuts.begin(), m_cuts.end(), a);
        return static_cast<Ipv4>(it - m_cuts.begin() - 1);
    }

    std::vector<Ipv6> m_cuts; ///< where each piece starts, ascending
};

} // namespace

ReachMap6 evaluate_first_match6(const std::vector<Rule>& rules, bool* approximated)
{
    Pieces pieces(rules);
    std::vector<Rule> numbered = rules;
    for (auto& r : numbered)
        r.source.range = pieces.numbered(r.source6);
    ReachMap6 out;
    for (const auto& [key, reach] : evaluate_first_match(numbered, approximated)) {
        auto& r = out[key];
        r.reach = pieces.ranges(reach.reach);
        r.excluded = pieces.ranges(reach.written.minus(reach.reach));
        r.taken_by = reach.taken_by;
    }
    return out;
}

std::string describe_ranges(const std::vector<Ipv6Range>& ranges)
{
    std::string out;
    for (const auto& r : ranges)
        out += (out.empty() ? "" : ", ") + format_ipv6_range(r);
    return out;
}

} // namespace natfw
