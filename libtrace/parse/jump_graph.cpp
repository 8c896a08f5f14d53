#include "parse/jump_graph.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <string>
#include <unordered_map>

namespace natfw {

namespace {

struct Edge {
    int to;
    int line;
};

class Graph {
public:
    explicit Graph(const std::vector<Rule>& rules)
    {
        for (const auto& r : rules)
            id_of(r.chain);
        for (const auto& r : rules)
            if (auto it = m_ids.find(r.target); it != m_ids.end())
                m_edges[static_cast<std::size_t>(id_of(r.chain))].push_back({it->second, r.line});
    }

    JumpGraph analyse()
    {
        JumpGraph out;
        // Iterative depth-first search: a 100,000-deep chain must not overflow the stack.
        enum : char { unseen, open, done };
        std::vector<char> state(m_names.size(), unseen);
        std::vector<int> depth(m_names.size(), 0); // user chains below and including this one
        struct Step {
            int chain;
            std::size_t next_edge;
        };
        std::vector<Step> stack;
        for (int root = 0; root < static_cast<int>(m_names.size()); ++root) {
            if (state[static_cast<std::size_t>(root)] != unseen)
                continue;
            stack.push_back({root, 0});
            state[static_cast<std::size_t>(root)] = open;
            while (!stack.empty()) {
                Step& top = stack.back();
                const auto& edges = m_edges[static_cast<std::size_t>(top.chain)];
                if (top.next_edge == edges.size()) {
                    int below = 0;
                    for (const Edge& e : edges)
                        below = std::max(below, depth[static_cast<std::size_t>(e.to)]);
                    depth[static_cast<std::size_t>(top.chain)] = below + (is_builtin(top.chain) ? 0 : 1);
                    state[static_cast<std::size_t>(top.chain)] = done;
                    stack.pop_back();
                    continue;
                }
                const Edge e = edges[top.next_edge++];
                char& s = state[static_cast<std::size_t>(e.to)];
                if (s == open) {
                    out.loop = Diagnostic{e.line, describe_loop(stack, e.to)};
                    return out;
                }
                if (s == unseen) {
                    s = open;
                    stack.push_back({e.to, 0});
                }
            }
        }
        for (int c = 0; c < static_cast<int>(m_names.size()); ++c)
            if (is_builtin(c))
                out.depth = std::max(out.depth, depth[static_cast<std::size_t>(c)]);
        return out;
    }

private:
    template <typename Stack>
    std::string describe_loop(const Stack& stack, int back_to) const
    {
        std::vector<std::string> names;
        bool in_loop = false;
        for (const auto& step : stack) {
            in_loop = in_loop || step.chain == back_to;
            if (in_loop)
                names.push_back(m_names[static_cast<std::size_t>(step.chain)]);
        }
        names.push_back(m_names[static_cast<std::size_t>(back_to)]);
        constexpr std::size_t shown = 8;
        std::string path = names.size() <= shown
                               ? fmt::format("{}", fmt::join(names, " -> "))
                               : fmt::format("{} -> ... ({} chains) -> {}", names.front(), names.size() - 1,
                                             names.back());
        return fmt::format("the chains jump in a loop ({}); iptables-restore refuses loops", path);
    }

    bool is_builtin(int chain) const { return is_nat_builtin_chain(m_names[static_cast<std::size_t>(chain)]); }

    int id_of(const std::string& name)
    {
        auto [it, inserted] = m_ids.try_emplace(name, static_cast<int>(m_names.size()));
        if (inserted) {
            m_names.push_back(name);
            m_edges.emplace_back();
        }
        return it->second;
    }

    std::unordered_map<std::string, int> m_ids;
    std::vector<std::string> m_names;
    std::vector<std::vector<Edge>> m_edges;
};

} // namespace

JumpGraph analyse_jumps(const std::vector<Rule>& rules)
{
    return Graph(rules).analyse();
}

} // namespace natfw
