// Packs as read from an index that may be damaged: decode, then look up.
#include "derive/ruleset_pack.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 6)
        return 0;
    // The first bytes choose the lookup; the rest is the blob. A blob with a
    // wrong checksum is refused at once, so the checksum is also fuzzed past:
    // `data[0]` odd re-seals the blob, as a faulty build would have written it.
    natfw::Ipv4 ip = 0xC0000201u ^ (std::uint32_t{data[1]} << 8 | data[2]);
    std::uint16_t port = static_cast<std::uint16_t>(data[3] << 8 | data[4]);
    std::string_view blob(reinterpret_cast<const char*>(data + 5), size - 5);
    std::string sealed;
    if (data[0] & 1)
        sealed = natfw::reseal_pack_for_tests(blob);
    auto pack = natfw::decode_pack(data[0] & 1 ? std::string_view(sealed) : blob);
    if (!pack)
        return 0;
    natfw::index_buckets(*pack);
    std::vector<natfw::RuleHit> hits;
    for (int proto : {natfw::k_proto_tcp, natfw::k_proto_udp}) {
        natfw::pack_hits(*pack, proto, ip, port, hits);
        natfw::pack_maps_address(*pack, proto, ip);
    }
    return 0;
}
