#include "query/answer.hpp"

#include <algorithm>

namespace natfw {

std::string query_address(const Query& q) { return q.address.empty() ? format_ipv4(q.ip) : q.address; }

std::string_view status_name(Status s)
{
    switch (s) {
    case Status::unique:
        return "unique";
    case Status::ambiguous:
        return "ambiguous";
    case Status::none:
    default:
        return "none";
    }
}

std::string_view user_status_name(UserStatus s)
{
    switch (s) {
    case UserStatus::unique:
        return "unique";
    case UserStatus::ambiguous:
        return "ambiguous";
    case UserStatus::none:
        return "none";
    case UserStatus::unknown:
    default:
        return "unknown";
    }
}

std::optional<std::string> Answer::internal() const
{
    if (status != Status::unique || candidates.empty())
        return std::nullopt;
    return candidates.front().internal;
}

void Answer::clear()
{
    status = Status::none;
    candidates.clear();
    warnings.clear();
    reason.clear();
    if (users) {
        m_spare_list = std::move(users->users);
        users.reset();
    }
}

UserAnswer& Answer::reuse_users()
{
    auto& u = users.emplace();
    u.users = std::move(m_spare_list);
    u.users.clear();
    return u;
}

void add_warning(Answer& a, std::string w)
{
    if (std::find(a.warnings.begin(), a.warnings.end(), w) == a.warnings.end())
        a.warnings.push_back(std::move(w));
}

} // namespace natfw
