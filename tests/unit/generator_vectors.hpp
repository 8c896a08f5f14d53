#pragma once
// The seed generator's test vectors (tests/data/generator-vectors/INPUTS.tsv):
// each vector's name, time and generator input, for the tests of both forms.
#include "generate/generated_ruleset.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace natfw::test {

inline const std::filesystem::path k_generator_vectors = std::filesystem::path(NATFW_TEST_DATA) / "generator-vectors";

/// `ip` and the networks of `specs` (CIDR or CIDR:N), the private ones only, as natfw-generate keeps them.
inline GeneratorInput generator_input(const std::string& ip, const std::vector<std::string>& specs)
{
    GeneratorInput in;
    in.public_ip = *parse_ipv4(ip);
    for (const auto& s : specs)
        for (const auto& n : parse_network_spec(s))
            if (is_nat_private(n))
                in.networks.push_back(n);
    return in;
}

struct GeneratorVector {
    std::string name;
    UnixSeconds stamp = 0;
    GeneratorInput input;
};

inline std::vector<GeneratorVector> generator_vectors()
{
    std::vector<GeneratorVector> out;
    std::ifstream tsv(k_generator_vectors / "INPUTS.tsv");
    std::string line;
    while (std::getline(tsv, line)) {
        if (line.empty() || line[0] == '#')
            continue;
        std::istringstream fields(line);
        std::string name, stamp, ip, networks;
        std::getline(fields, name, '\t');
        std::getline(fields, stamp, '\t');
        std::getline(fields, ip, '\t');
        std::getline(fields, networks, '\t');
        std::vector<std::string> specs;
        std::istringstream words(networks);
        for (std::string w; words >> w;)
            specs.push_back(w);
        out.push_back({name, std::stoll(stamp), generator_input(ip, specs)});
    }
    return out;
}

} // namespace natfw::test
