#pragma once
// JSON as natfw-trace prints it. Text that is not UTF-8 (a file name in
// another encoding, a message quoting a damaged index) becomes U+FFFD:
// nlohmann's default would throw and end the program without its answer or
// its error object.
#include <string>

namespace natfw {

template <class Json>
std::string printable_json(const Json& value)
{
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

} // namespace natfw
