#include <catch2/catch.hpp>

#include <hunspell.hxx>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "pipeline/error.h"
#include "pipeline/lexicon.h"

using namespace copydesk;

namespace {
const std::string kUsAff = "/usr/share/hunspell/en_US.aff";
const std::string kUsDic = "/usr/share/hunspell/en_US.dic";
const std::string kGbAff = "/usr/share/hunspell/en_GB.aff";
const std::string kGbDic = "/usr/share/hunspell/en_GB.dic";

// Every whitespace-separated token of the dev set and the samples, trimmed of
// punctuation: a realistic mix of words, names, numbers and damage.
std::vector<std::string> corpus_tokens() {
  std::vector<std::string> tokens;
  for (const char* dir : {COPYDESK_SOURCE_DIR "/samples", COPYDESK_SOURCE_DIR "/../shared/eval/dev"}) {
    if (!std::filesystem::is_directory(dir)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.path().extension() != ".txt") continue;
      std::ifstream in(entry.path());
      std::string token;
      while (in >> token) {
        while (!token.empty() && std::ispunct(static_cast<unsigned char>(token.back()))) token.pop_back();
        while (!token.empty() && std::ispunct(static_cast<unsigned char>(token.front()))) token.erase(0, 1);
        if (!token.empty()) tokens.push_back(token);
      }
    }
  }
  return tokens;
}
}  // namespace

TEST_CASE("cached answers equal Hunspell's own, cold and warm", "[lexicon]") {
  Lexicon lex({{kUsAff, kUsDic}, {kGbAff, kGbDic}});
  Hunspell us(kUsAff.c_str(), kUsDic.c_str());
  Hunspell gb(kGbAff.c_str(), kGbDic.c_str());
  const auto tokens = corpus_tokens();
  REQUIRE(tokens.size() > 1000);
  std::size_t mismatches = 0;
  for (int pass = 0; pass < 2; ++pass) {  // pass 0 fills the cache, pass 1 reads it
    for (const auto& t : tokens) {
      const bool direct = us.spell(t) || gb.spell(t);
      if (lex.known(t) != direct) ++mismatches;
    }
  }
  CHECK(mismatches == 0);
  CHECK(lex.lookups() == 2 * tokens.size());
  CHECK(lex.cache_hits() >= tokens.size());  // the whole second pass at least
}

TEST_CASE("both dictionaries count: US and British spellings are words", "[lexicon]") {
  Lexicon lex({{kUsAff, kUsDic}, {kGbAff, kGbDic}});
  CHECK(lex.known("color"));
  CHECK(lex.known("colour"));
  CHECK(lex.known("sceptical"));
  CHECK_FALSE(lex.known("Rivalality"));
  CHECK_FALSE(lex.known(""));
}

TEST_CASE("added words are known and invalidate the cache", "[lexicon]") {
  Lexicon lex({{kUsAff, kUsDic}});
  CHECK_FALSE(lex.known("chatbotz"));
  lex.add_word("chatbotz");
  CHECK(lex.known("chatbotz"));
}

TEST_CASE("suggestions come from the first dictionary and are cached", "[lexicon]") {
  Lexicon lex({{kUsAff, kUsDic}});
  const auto& first = lex.suggest("goverment");
  REQUIRE_FALSE(first.empty());
  CHECK(first.front() == "government");
  const auto& again = lex.suggest("goverment");
  CHECK(&first == &again);
}

TEST_CASE("a missing dictionary names the file and the package", "[lexicon]") {
  CHECK_THROWS_WITH(Lexicon({{"/nonexistent/en_US.aff", kUsDic}}),
                    Catch::Contains("/nonexistent/en_US.aff") && Catch::Contains("hunspell-en-us"));
}

TEST_CASE("WordMap finds exactly the inserted keys, short and long, across growth and clear", "[lexicon]") {
  WordMap<int> map;
  std::vector<std::string> keys;
  for (int i = 0; i < 5000; ++i) {
    // Short keys live in their slot, long ones in the arena: both kinds, and
    // keys that share long prefixes.
    std::string key = i % 3 == 0 ? "w" : "a-rather-long-shared-prefix-";
    key += std::to_string(i);
    keys.push_back(key);
  }
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const auto [value, inserted] = map.insert(keys[i], static_cast<int>(i));
    REQUIRE(inserted);
    REQUIRE(*value == static_cast<int>(i));
  }
  REQUIRE(map.size() == keys.size());
  REQUIRE_FALSE(map.insert(keys[7], -1).second);  // the first value stays
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const int* v = map.find(keys[i]);
    REQUIRE(v != nullptr);
    REQUIRE(*v == static_cast<int>(i));
  }
  REQUIRE(map.find("w1") == nullptr);  // 1 % 3 != 0: never inserted in the short form
  REQUIRE(map.find("a-rather-long-shared-prefix-") == nullptr);
  REQUIRE(map.find("") == nullptr);
  map.clear();
  REQUIRE(map.empty());
  REQUIRE(map.find(keys[0]) == nullptr);
  REQUIRE(map.insert(keys[0], 42).second);
  REQUIRE(*map.find(keys[0]) == 42);
}

TEST_CASE("same_bytes tells equal from unequal bytes at every length and position", "[lexicon]") {
  const std::string base = "abcdefghijklmnopqrstuvwxyz0123456789";
  for (std::size_t n = 0; n <= base.size(); ++n) {
    const std::string a = base.substr(0, n);
    std::string b = a;
    REQUIRE(same_bytes(a.data(), b.data(), n));
    for (std::size_t i = 0; i < n; ++i) {
      b[i] = '#';
      INFO("length " << n << ", byte " << i);
      REQUIRE_FALSE(same_bytes(a.data(), b.data(), n));
      b[i] = a[i];
    }
  }
}
