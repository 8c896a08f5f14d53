#include "parse/nft_json_text.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <array>
#include <string_view>

namespace natfw {

namespace {

using nlohmann::json;

/// Meta keys nft prints without `meta` (`oifname "eth0"`, not `meta oifname "eth0"`).
constexpr std::array<std::string_view, 6> k_bare_meta{"iifname", "oifname", "iif", "oif", "iifgroup", "oifgroup"};

bool is_bare_meta(std::string_view key)
{
    for (auto k : k_bare_meta)
        if (k == key)
            return true;
    return false;
}

/// Interface names are the strings nft quotes; keywords (tcp, established) it does not.
bool names_an_interface(const json& left)
{
    return left.is_object() && left.contains("meta") && left["meta"].is_object() &&
           left["meta"].value("key", std::string()).find("name") != std::string::npos;
}

std::string joined(const json& items, std::string_view separator, bool quote)
{
    std::string out;
    for (const auto& item : items)
        out += (out.empty() ? "" : std::string(separator)) + nft_json_value(item, quote);
    return out;
}

/// A set element, or a map element `[KEY, VALUE]`.
std::string element(const json& item, bool quote)
{
    if (item.is_array() && item.size() == 2)
        return nft_json_value(item[0], quote) + " : " + nft_json_value(item[1]);
    return nft_json_value(item, quote);
}

std::string verdict(std::string_view key, const json& body)
{
    if ((key == "jump" || key == "goto") && body.is_object() && body.contains("target"))
        return fmt::format("{} {}", key, nft_json_value(body["target"]));
    return std::string(key);
}

bool is_verdict(std::string_view key)
{
    return key == "accept" || key == "drop" || key == "continue" || key == "return" || key == "jump" ||
           key == "goto" || key == "queue";
}

/// `snat [ip|ip6] to ADDR[:PORTS] [FLAGS]` and its dnat twin.
std::string nat(std::string_view key, const json& body)
{
    std::string out(key);
    if (!body.is_object())
        return out;
    auto family = body.value("family", std::string());
    if (!family.empty())
        out += " " + family;
    std::string to;
    if (body.contains("addr")) {
        to = nft_json_value(body["addr"]);
        // nft brackets an IPv6 address that a port follows, each end of a range on its own.
        const auto& addr = body["addr"];
        bool ranged = addr.is_object() && addr.contains("range") && addr["range"].is_array() && addr["range"].size() == 2;
        if (body.contains("port") && to.find(':') != std::string::npos && !addr.is_object())
            to = "[" + to + "]";
        else if (body.contains("port") && ranged && to.find(':') != std::string::npos)
            to = "[" + nft_json_value(addr["range"][0]) + "]-[" + nft_json_value(addr["range"][1]) + "]";
    }
    if (body.contains("port"))
        to += ":" + nft_json_value(body["port"]);
    if (!to.empty())
        out += " to " + to;
    if (body.contains("flags"))
        out += " " + (body["flags"].is_array() ? joined(body["flags"], ",", false) : nft_json_value(body["flags"]));
    return out;
}

/// `masquerade [to :PORTS] [FLAGS]`, `redirect [to :PORTS]`.
std::string port_nat(std::string_view key, const json& body)
{
    std::string out(key);
    if (!body.is_object())
        return out;
    if (body.contains("port"))
        out += " to :" + nft_json_value(body["port"]);
    if (body.contains("flags"))
        out += " " + (body["flags"].is_array() ? joined(body["flags"], ",", false) : nft_json_value(body["flags"]));
    return out;
}

} // namespace

std::string nft_json_value(const json& value, bool quote)
{
    if (value.is_string()) {
        auto s = value.get<std::string>();
        return quote ? "\"" + s + "\"" : s;
    }
    if (value.is_number_integer() || value.is_number_unsigned())
        return value.dump();
    if (value.is_boolean())
        return value.get<bool>() ? "true" : "false";
    if (value.is_array())
        return joined(value, " . ", quote);
    if (!value.is_object() || value.size() != 1)
        return value.is_null() ? std::string() : value.dump();
    auto first = value.begin();
    const std::string& key = first.key();
    const json& body = first.value();
    if (key == "prefix" && body.is_object())
        return fmt::format("{}/{}", nft_json_value(body.value("addr", json())), nft_json_value(body.value("len", json())));
    if (key == "range" && body.is_array() && body.size() == 2)
        return nft_json_value(body[0], quote) + "-" + nft_json_value(body[1], quote);
    if (key == "set") {
        if (!body.is_array())
            return "{ " + element(body, quote) + " }";
        std::string out;
        for (const auto& item : body)
            out += (out.empty() ? "{ " : ", ") + element(item, quote);
        return out.empty() ? "{ }" : out + " }";
    }
    if (key == "concat" && body.is_array())
        return joined(body, " . ", quote);
    if (key == "elem" && body.is_object() && body.contains("val"))
        return nft_json_value(body["val"], quote);
    if (key == "payload" && body.is_object()) {
        if (body.contains("protocol"))
            return fmt::format("{} {}", nft_json_value(body["protocol"]), nft_json_value(body.value("field", json())));
        return fmt::format("@{},{},{}", nft_json_value(body.value("base", json())),
                           nft_json_value(body.value("offset", json())), nft_json_value(body.value("len", json())));
    }
    if (key == "meta" && body.is_object()) {
        auto k = body.value("key", std::string());
        return is_bare_meta(k) ? k : "meta " + k;
    }
    if (key == "ct" && body.is_object()) {
        std::string out = "ct";
        if (body.contains("dir"))
            out += " " + nft_json_value(body["dir"]);
        return out + " " + nft_json_value(body.value("key", json()));
    }
    if (key == "map" && body.is_object())
        return fmt::format("{} map {}", nft_json_value(body.value("key", json())),
                           nft_json_value(body.value("data", json())));
    if (key == "&" || key == "|" || key == "^" || key == "<<" || key == ">>")
        return body.is_array() ? joined(body, fmt::format(" {} ", key), quote) : key;
    if (is_verdict(key))
        return verdict(key, body);
    return key; // a form this reader does not know: the rule reader reports it
}

std::string nft_json_statement(const json& statement)
{
    if (!statement.is_object() || statement.size() != 1)
        return statement.dump();
    auto first = statement.begin();
    const std::string& key = first.key();
    const json& body = first.value();
    if (key == "match" && body.is_object()) {
        const auto& left = body.value("left", json());
        auto op = body.value("op", std::string("=="));
        auto text = nft_json_value(left);
        if (op != "==" && op != "in")
            text += " " + op;
        return text + " " + nft_json_value(body.value("right", json()), names_an_interface(left));
    }
    if (key == "counter") // nft's packet and byte counts are no evidence of a mapping
        return body.is_string() ? "counter name " + body.get<std::string>() : "counter";
    if (is_verdict(key))
        return verdict(key, body);
    if (key == "snat" || key == "dnat")
        return nat(key, body);
    if (key == "masquerade" || key == "redirect")
        return port_nat(key, body);
    if (key == "vmap" && body.is_object())
        return fmt::format("{} vmap {}", nft_json_value(body.value("key", json())),
                           nft_json_value(body.value("data", json())));
    if (key == "mangle" && body.is_object())
        return fmt::format("{} set {}", nft_json_value(body.value("key", json())),
                           nft_json_value(body.value("value", json())));
    if (key == "xt" && body.is_object())
        return fmt::format("xt {} \"{}\"", body.value("type", std::string()), body.value("name", std::string()));
    if (key == "log" || key == "reject" || key == "notrack")
        return key; // their options decide nothing about a mapping
    return key;
}

} // namespace natfw
