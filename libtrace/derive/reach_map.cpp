#include "derive/reach_map.hpp"

#include "parse/ruleset.hpp"

#include <algorithm>
#include <stdexcept>

namespace natfw {

namespace {
bool storable(ReachMap::Key key)
{
    return key.first >= 0 && (key.second == k_proto_tcp || key.second == k_proto_udp);
}
} // namespace

std::size_t ReachMap::slot_of(Key key)
{
    return static_cast<std::size_t>(key.first) * 2 + (key.second == k_proto_udp ? 1 : 0);
}

RuleReach& ReachMap::operator[](Key key)
{
    // Only tcp and udp have port blocks; any other key is a caller's mistake,
    // refused rather than given a slot that another key shares.
    if (!storable(key))
        throw std::invalid_argument("ReachMap: a key other than (position >= 0, tcp or udp)");
    const std::size_t slot = slot_of(key);
    if (slot >= m_slot.size())
        m_slot.resize(std::max(slot + 1, m_slot.size() * 2), 0);
    if (!m_slot[slot]) {
        m_entries.push_back({key, RuleReach{}});
        m_slot[slot] = static_cast<std::uint32_t>(m_entries.size());
    }
    return m_entries[m_slot[slot] - 1].second;
}

ReachMap::const_iterator ReachMap::find(Key key) const
{
    if (!storable(key))
        return end();
    const std::size_t slot = slot_of(key);
    if (slot >= m_slot.size() || !m_slot[slot])
        return end();
    return {this, slot};
}

const RuleReach& ReachMap::at(Key key) const
{
    auto it = find(key);
    if (it == end())
        throw std::out_of_range("ReachMap: no entry for this rule and protocol");
    return it->second;
}

void ReachMap::clear()
{
    m_entries.clear();
    m_slot.clear();
}

} // namespace natfw
