#include <catch2/catch.hpp>

#include <hunspell.hxx>

#include <algorithm>
#include <cstdlib>
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

// Every whitespace-separated token of the dev set and the samples (and of the
// files under $COPYDESK_LEXICON_CORPUS, e.g. bench/brown_prose.py's 500 Brown
// corpus documents), trimmed of punctuation: a realistic mix of words, names,
// numbers and damage.
std::vector<std::string> corpus_tokens() {
  std::vector<std::string> tokens;
  std::vector<std::string> dirs = {COPYDESK_SOURCE_DIR "/samples", COPYDESK_SOURCE_DIR "/../shared/eval/dev"};
  if (const char* extra = std::getenv("COPYDESK_LEXICON_CORPUS"); extra && *extra) dirs.emplace_back(extra);
  for (const auto& dir : dirs) {
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

// The shapes the stages ask about: as written, lower case, capitalised, all
// capitals, with a trailing dot, with a possessive, hyphen-joined to the next.
std::vector<std::string> variants(const std::vector<std::string>& tokens) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const std::string& t = tokens[i];
    std::string lower = t, upper = t, cap = t;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    cap = lower;
    if (!cap.empty()) cap[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(cap[0])));
    for (const auto& v : {t, lower, upper, cap, t + ".", t + "'s", t + "\u2019s", upper + "'S"}) out.push_back(v);
    if (i + 1 < tokens.size()) out.push_back(t + "-" + tokens[i + 1]);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// How many of `words` the table and Hunspell (en_US or en_GB) disagree on;
// the first 20 are reported.
std::size_t mismatches(Lexicon& lex, Hunspell& us, Hunspell& gb, const std::vector<std::string>& words) {
  std::size_t count = 0;
  for (const auto& t : words) {
    const bool direct = us.spell(t) || gb.spell(t);
    if (lex.known(t) != direct && ++count <= 20) UNSCOPED_INFO("'" << t << "': Hunspell " << direct);
  }
  return count;
}

}  // namespace

TEST_CASE("the compiled lexicon answers as Hunspell does, on every token of a corpus and its variants", "[lexicon]") {
  Lexicon lex({{kUsAff, kUsDic}, {kGbAff, kGbDic}});
  Hunspell us(kUsAff.c_str(), kUsDic.c_str());
  Hunspell gb(kGbAff.c_str(), kGbDic.c_str());
  const auto tokens = corpus_tokens();
  REQUIRE(tokens.size() > 1000);
  const auto all = variants(tokens);
  CHECK(mismatches(lex, us, gb, all) == 0);
  CHECK(lex.lookups() == all.size());
  // Hunspell itself answers only the rare shapes the table leaves to it
  // (symbols inside a token: "$5", "50%", "and/or").
  CHECK(lex.fallbacks() * 20 < all.size());
}

TEST_CASE("every dictionary stem and its case variants: the table agrees with Hunspell", "[lexicon]") {
  Lexicon lex({{kUsAff, kUsDic}, {kGbAff, kGbDic}});
  Hunspell us(kUsAff.c_str(), kUsDic.c_str());
  Hunspell gb(kGbAff.c_str(), kGbDic.c_str());
  std::vector<std::string> stems;
  for (const auto& dic : {kUsDic, kGbDic}) {
    std::ifstream in(dic);
    std::string line;
    std::getline(in, line);
    for (std::size_t n = 0; std::getline(in, line); ++n) {
      if (n % 5 != 0) continue;  // a fifth of them keeps the test quick
      stems.push_back(line.substr(0, line.find_first_of("/ \t")));
    }
  }
  REQUIRE(stems.size() > 30000);
  const auto all = variants(stems);
  CHECK(mismatches(lex, us, gb, all) == 0);
}

TEST_CASE("near_words finds dictionary words within one and two edits", "[lexicon]") {
  Lexicon lex({{kUsAff, kUsDic}, {kGbAff, kGbDic}});
  std::vector<std::pair<std::string, int>> out;
  auto has = [&](std::string_view w, int d) {
    return std::find(out.begin(), out.end(), std::pair<std::string, int>(std::string(w), d)) != out.end();
  };
  lex.near_words("elefant", 2, out);  // a substitution and an insertion away
  CHECK(has("elephant", 2));
  out.clear();
  lex.near_words("elepahnt", 2, out);  // one transposition
  CHECK(has("elephant", 1));
  out.clear();
  lex.near_words("recieve", 1, out);
  CHECK(has("receive", 1));
  for (const auto& [w, d] : out) CHECK(d <= 1);
  out.clear();
  lex.near_words("zzqqxx", 2, out);
  CHECK(out.empty());
}

TEST_CASE("near_words lists every form sharing a prefix and the crowded entries of short words", "[lexicon]") {
  Lexicon lex({{kUsAff, kUsDic}, {kGbAff, kGbDic}});
  std::vector<std::pair<std::string, int>> out;
  auto has = [&](std::string_view w, int d) {
    return std::find(out.begin(), out.end(), std::pair<std::string, int>(std::string(w), d)) != out.end();
  };
  auto well_formed = [&](int max) {
    // Plain lower-case forms (no possessives from between them), within reach, each once, in sorted order.
    for (const auto& [w, d] : out) {
      CHECK(d >= 1);
      CHECK(d <= max);
      CHECK(std::all_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; }));
      CHECK(lex.known(w));
    }
    CHECK(std::is_sorted(out.begin(), out.end()));
    CHECK(std::adjacent_find(out.begin(), out.end()) == out.end());
  };
  // Forms sharing their first seven letters come from one entry: all of them.
  lex.near_words("conditionx", 2, out);
  CHECK(has("condition", 1));
  CHECK(has("conditions", 1));
  CHECK(has("conditioned", 2));
  CHECK(has("conditioner", 2));
  CHECK_FALSE(has("conditionally", 2));  // three edits
  well_formed(2);
  out.clear();
  // A three-letter word: its deletions ("o", "dg") are shared by thousands of forms.
  lex.near_words("dog", 1, out);
  for (const auto* w : {"dig", "dug", "fog", "log", "hog", "dot", "don", "doe", "dogs"}) {
    INFO(w);
    CHECK(has(w, 1));
  }
  CHECK_FALSE(has("dog", 0));
  well_formed(1);
  out.clear();
  lex.near_words("dgo", 2, out);
  CHECK(has("dog", 1));  // a transposition
  CHECK(has("ago", 1));
  well_formed(2);
}

TEST_CASE("both dictionaries count: US and British spellings are words", "[lexicon]") {
  Lexicon lex({{kUsAff, kUsDic}, {kGbAff, kGbDic}});
  CHECK(lex.known("color"));
  CHECK(lex.known("colour"));
  CHECK(lex.known("sceptical"));
  CHECK_FALSE(lex.known("Cooperatation"));
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
