#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/compact_word_map.h"
#include "pipeline/word_map.h"

using copydesk::CompactWordMap;
using copydesk::WordMap;

TEST_CASE("CompactWordMap finds what was inserted and nothing else") {
  CompactWordMap<std::uint8_t> map;
  CHECK(map.find("harbour") == nullptr);  // empty: no slots yet
  CHECK(map.insert("harbour", 20).second);
  CHECK(map.insert("lighthouse", 35).second);
  CHECK(map.insert("", 7).second);  // the empty key is a key like any other
  map.shrink();
  REQUIRE(map.find("harbour") != nullptr);
  CHECK(*map.find("harbour") == 20);
  CHECK(*map.find("lighthouse") == 35);
  CHECK(*map.find("") == 7);
  // Prefixes, extensions and other cases of a key are other keys.
  CHECK(map.find("harbou") == nullptr);
  CHECK(map.find("harbours") == nullptr);
  CHECK(map.find("Harbour") == nullptr);
  CHECK(map.size() == 3);
}

TEST_CASE("CompactWordMap keeps the first value of a key, as WordMap does") {
  CompactWordMap<int> map;
  WordMap<int> reference;
  for (const auto& [key, value] :
       std::vector<std::pair<std::string, int>>{{"kettle", 1}, {"kettle", 2}, {"spoon", 3}}) {
    const auto [compact, compact_new] = map.insert(key, value);
    const auto [plain, plain_new] = reference.insert(key, value);
    CHECK(compact_new == plain_new);
    CHECK(*compact == *plain);
  }
  CHECK(*map.find("kettle") == 1);
  CHECK(map.size() == 2);
}

TEST_CASE("CompactWordMap answers like WordMap over many keys and misses") {
  CompactWordMap<std::uint32_t> map;
  WordMap<std::uint32_t> reference;
  // Generated keys of 1 to 40 letters (long ones past WordMap's inline size),
  // through several growths of the index.
  auto key_of = [](std::uint32_t i) {
    std::string k;
    std::uint32_t x = i * 2654435761u + 12345u;
    const std::size_t n = 1 + i % 40;
    for (std::size_t j = 0; j < n; ++j) {
      k += static_cast<char>('a' + x % 26);
      x = x * 1103515245u + 12345u;
    }
    return k;
  };
  for (std::uint32_t i = 0; i < 20000; ++i) {
    const std::string k = key_of(i);
    CHECK(map.insert(k, i).second == reference.insert(k, i).second);
  }
  map.shrink();
  CHECK(map.size() == reference.size());
  std::size_t mismatches = 0;
  for (std::uint32_t i = 0; i < 40000; ++i) {  // the second half: mostly misses
    const std::string k = key_of(i) + (i % 3 == 0 ? "x" : "");
    const std::uint32_t* a = map.find(k);
    const std::uint32_t* b = reference.find(k);
    if ((a == nullptr) != (b == nullptr) || (a && *a != *b)) ++mismatches;
  }
  CHECK(mismatches == 0);
  // Smaller than WordMap's slot array alone (at most half full: two slots of
  // at least 40 bytes a key), keys of 20 letters on average included.
  CHECK(map.bytes() < reference.size() * 2 * 40);
}
