#include <catch2/catch.hpp>

#include <hunspell.hxx>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "pipeline/error.h"
#include "pipeline/lexicon.h"
#include "pipeline/osa_distance.h"

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

TEST_CASE("a shared near-forms cache gives every Lexicon the uncached answers, in the same order", "[lexicon]") {
  Lexicon plain({{kUsAff, kUsDic}, {kGbAff, kGbDic}});
  Lexicon first({{kUsAff, kUsDic}, {kGbAff, kGbDic}});
  Lexicon second({{kUsAff, kUsDic}, {kGbAff, kGbDic}});
  auto cache = std::make_shared<NearFormsCache>();
  first.share_near_cache(cache);
  second.share_near_cache(cache);
  first.add_word("quokkaz");  // a facade's own words are not cached for the others
  // Non-words, words, one and two edits; each asked twice, from both facades.
  const std::vector<std::pair<std::string, int>> asks = {{"wardrobbe", 2}, {"wardrobbe", 1}, {"thier", 2}, {"thier", 1},
                                                         {"kitchen", 2},   {"qzxv", 2},      {"quokka", 2}};
  for (int round = 0; round < 2; ++round) {
    for (const auto& [word, d] : asks) {
      std::vector<std::pair<std::string, int>> want, got1, got2;
      plain.near_words(word, d, want);
      first.near_words(word, d, got1);
      second.near_words(word, d, got2);
      if (word == "quokka") {
        // The added word is first's alone, after the compiled forms.
        REQUIRE(!got1.empty());
        CHECK(got1.back() == std::pair<std::string, int>("quokkaz", 1));
        got1.pop_back();
      }
      CHECK(got1 == want);
      CHECK(got2 == want);
    }
  }
  CHECK(cache->forms() > 0);
  // Appends: what `out` held stays in front.
  std::vector<std::pair<std::string, int>> out = {{"keep", 0}};
  second.near_words("thier", 2, out);
  REQUIRE(out.size() > 1);
  CHECK(out.front() == std::pair<std::string, int>("keep", 0));
}

TEST_CASE("the near-forms cache stays within its bound", "[lexicon]") {
  Lexicon lex({{kUsAff, kUsDic}, {kGbAff, kGbDic}});
  auto cache = std::make_shared<NearFormsCache>();
  lex.share_near_cache(cache);
  // Short non-words have many neighbours within two edits: enough of them fill the cache.
  std::vector<std::pair<std::string, int>> out;
  std::string w = "aaa";
  std::size_t asked = 0;
  std::size_t before = 0;
  bool emptied = false;
  for (char a = 'a'; a <= 'z' && asked < 4000; ++a) {
    for (char b = 'a'; b <= 'z' && asked < 4000; ++b) {
      for (char c = 'a'; c <= 'z' && asked < 4000; ++c, ++asked) {
        w = {a, b, c};
        out.clear();
        lex.near_words(w, 2, out);
        REQUIRE(cache->forms() <= NearFormsCache::kMaxForms);
        emptied = emptied || cache->forms() < before;
        before = cache->forms();
      }
    }
  }
  CHECK(emptied);  // the bound was reached
  // ... and still answers as the uncached lexicon does after it was emptied.
  Lexicon plain({{kUsAff, kUsDic}, {kGbAff, kGbDic}});
  std::vector<std::pair<std::string, int>> want;
  plain.near_words("cat", 2, want);
  out.clear();
  lex.near_words("cat", 2, out);
  CHECK(out == want);
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

TEST_CASE("punctuation that no dictionary entry holds: Hunspell's answer without Hunspell", "[lexicon]") {
  Lexicon lex({{kUsAff, kUsDic}, {kGbAff, kGbDic}});
  Hunspell us(kUsAff.c_str(), kUsDic.c_str());
  Hunspell gb(kGbAff.c_str(), kGbDic.c_str());
  // Marks outside every entry (")", "?", "…", "«", "—") and marks some affix
  // line holds ("_", "+", "#"), around words and alone.
  const std::vector<std::string> words = {"kg)",
                                          "(Monday",
                                          "Really?",
                                          "again…",
                                          "\u00abbonjour\u00bb",
                                          "well\u2014then",
                                          "x;y",
                                          "in/out",
                                          "R&D",
                                          "snake_case",
                                          "C++",
                                          "#hashtag",
                                          "it)",
                                          "\u201cfine\u201d",
                                          "\u00bfque",
                                          "a:b",
                                          "dog's)",
                                          "3)",
                                          "(2019)",
                                          "e.g.)",
                                          "Zoo!",
                                          "<tag>",
                                          "100%",
                                          "x=y",
                                          "1,500)",
                                          "(4,000-odd"};
  std::size_t rejected = 0;
  for (const auto& w : words) {
    const bool direct = us.spell(w) || gb.spell(w);
    INFO(w);
    CHECK(lex.known(w) == direct);
    rejected += direct ? 0 : 1;
  }
  CHECK(rejected == words.size());

  // A dictionary whose entries hold such marks keeps them words.
  const auto dir = std::filesystem::temp_directory_path() / "copydesk_lexicon_punctuation_test";
  std::filesystem::create_directories(dir);
  const std::string aff = (dir / "p.aff").string(), dic = (dir / "p.dic").string();
  std::ofstream(aff) << "SET UTF-8\n# a comment with ; in it\n";
  std::ofstream(dic) << "3\nwidget)\n\u00abgizmo\u00bb/X\nplain\tdescribed (with ?)\n";
  Lexicon own({{aff, dic}});
  CHECK(own.known("widget)"));
  CHECK(own.known("\u00abgizmo\u00bb"));
  CHECK(own.known("plain"));
  CHECK_FALSE(own.known("gadget)"));
  CHECK_FALSE(own.known("plain?"));  // in a description, not in an entry
  CHECK_FALSE(own.known("plain;"));  // in a comment
  std::filesystem::remove_all(dir);
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

namespace {
// The whole optimal-string-alignment table, no limit, no shortcuts.
int reference_osa(const std::string& a, const std::string& b) {
  std::vector<std::vector<int>> d(a.size() + 1, std::vector<int>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = static_cast<int>(i);
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

// The limited distance must be exact up to the limit and above it past it.
void check_osa(const std::string& a, const std::string& b, int max) {
  const int want = reference_osa(a, b);
  const int got = osa_distance(a, b, max);
  INFO(a << " / " << b << " max " << max << ": want " << want << " got " << got);
  if (want <= max)
    CHECK(got == want);
  else
    CHECK(got > max);
}
}  // namespace

TEST_CASE("osa_distance: transpositions count once, a substring is not edited twice", "[lexicon]") {
  CHECK(osa_distance("thier", "their", 2) == 1);
  CHECK(osa_distance("recieve", "receive", 2) == 1);
  CHECK(osa_distance("kitten", "sitting", 3) == 3);
  CHECK(osa_distance("", "ab", 2) == 2);
  CHECK(osa_distance("same", "same", 0) == 0);
  // Optimal string alignment, not the unrestricted Damerau distance (2).
  CHECK(osa_distance("ba", "acb", 3) == 3);
  // Past the limit, in either order and for either length.
  CHECK(osa_distance("window", "widow", 0) > 0);
  CHECK(osa_distance("abcdef", "ab", 2) > 2);
  CHECK(osa_distance("lantern", "pattern", 1) > 1);
  CHECK(osa_distance("pattern", "lantern", 2) == 2);
}

TEST_CASE("osa_distance agrees with the plain table on many random pairs", "[lexicon]") {
  std::mt19937 rng(99);
  // Small alphabets make matches and transpositions common; the high bytes
  // stand for UTF-8.
  const std::vector<std::string> alphabets = {"ab", "abc", "etaoinshrd", "a\xc3\xa9\xe2\x80\x99"};
  const auto random_string = [&](const std::string& alphabet, std::size_t length) {
    std::string s;
    for (std::size_t i = 0; i < length; ++i) s += alphabet[rng() % alphabet.size()];
    return s;
  };
  // A few random edits of a string: pairs within and near the limit.
  const auto edited = [&](std::string s, const std::string& alphabet) {
    const int edits = static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = s.empty() ? 0 : rng() % s.size();
      switch (rng() % 4) {
        case 0:
          s.insert(s.begin() + static_cast<std::ptrdiff_t>(at), alphabet[rng() % alphabet.size()]);
          break;
        case 1:
          if (!s.empty()) s.erase(at, 1);
          break;
        case 2:
          if (!s.empty()) s[at] = alphabet[rng() % alphabet.size()];
          break;
        default:
          if (at + 1 < s.size()) std::swap(s[at], s[at + 1]);
          break;
      }
    }
    return s;
  };
  int checked = 0;
  for (int round = 0; round < 20000; ++round) {
    const std::string& alphabet = alphabets[rng() % alphabets.size()];
    // Mostly word lengths; some past 64 bytes, where the table is used.
    const std::size_t length = rng() % 10 == 0 ? 60 + rng() % 12 : rng() % 16;
    const std::string a = random_string(alphabet, length);
    const std::string b = rng() % 2 ? edited(a, alphabet) : random_string(alphabet, rng() % 2 ? length : rng() % 16);
    for (const int max : {0, 1, 2, 3, 6}) {
      check_osa(a, b, max);
      check_osa(b, a, max);
      checked += 2;
    }
  }
  CHECK(checked == 200000);
}
