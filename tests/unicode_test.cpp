#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "stages/unicode.h"
#include "tests/stage_test_util.h"

using copydesk::Edit;
using copydesk::UnicodeStage;
using copydesk::testing::edits_of;
using copydesk::testing::rules_of;
using copydesk::testing::run_stage;
using copydesk::testing::test_resources;

namespace {

struct Positive {
  std::string input;
  std::string expected;
  std::string rule;
};

// Every edit carries `rule`, the output is `expected`, and a second run over
// the output proposes nothing (the stage is idempotent).
void check_positive(const Positive& p) {
  UnicodeStage stage(test_resources());
  INFO("input: " << p.input);
  const auto rules = rules_of(stage, p.input);
  REQUIRE_FALSE(rules.empty());
  for (const auto& r : rules) CHECK(r == p.rule);
  const std::string output = run_stage(stage, p.input);
  CHECK(output == p.expected);
  INFO("output: " << output);
  CHECK(edits_of(stage, output).empty());
}

void check_unchanged(const std::string& text) {
  UnicodeStage stage(test_resources());
  INFO("text: " << text);
  const auto edits = edits_of(stage, text);
  for (const auto& e : edits) INFO("edit " << e.rule << " at " << e.begin << ": " << e.replacement);
  CHECK(edits.empty());
}

}  // namespace

TEST_CASE("unicode: rules are listed", "[unicode]") {
  UnicodeStage stage(test_resources());
  std::vector<std::string> ids;
  for (const auto& r : stage.rules()) ids.emplace_back(r.id);
  CHECK(ids == std::vector<std::string>{"nfc", "invisible", "odd-space", "mojibake"});
  CHECK(stage.name() == "unicode");
}

TEST_CASE("unicode: nfc positives", "[unicode][nfc]") {
  const std::vector<Positive> cases = {
      {"cafe\u0301", "caf\u00e9", "nfc"},
      {"Nguye\u0302\u0303n Va\u0306n", "Nguy\u1ec5n V\u0103n", "nfc"},
      {"A\u030Angstr\u00f6m", "\u00c5ngstr\u00f6m", "nfc"},
      {"\u212B is a unit", "\u00c5 is a unit", "nfc"},
      {"\u1100\u1161\u11A8", "\uAC01", "nfc"},
      {"e\u0301 and a\u0300 and u\u0308", "\u00e9 and \u00e0 and \u00fc", "nfc"},
      // Marks out of canonical order are reordered and composed.
      {"a\u0302\u0323", "\u1EAD", "nfc"},
      {"\u00e9 is fine but e\u0300 is not", "\u00e9 is fine but \u00e8 is not", "nfc"},
  };
  for (std::size_t k = 0; k < cases.size(); ++k) {
    SECTION("case " + std::to_string(k)) { check_positive(cases[k]); }
  }
}

TEST_CASE("unicode: nfc edits are local", "[unicode][nfc]") {
  UnicodeStage stage(test_resources());
  const std::string text =
      "The cafe\u0301 on the corner, and then a long stretch of plain text, then re\u0301sume\u0301.";
  const auto edits = edits_of(stage, text);
  REQUIRE(edits.size() == 3);
  for (const auto& e : edits) {
    CHECK(e.rule == "nfc");
    CHECK(e.end - e.begin == 3);  // one letter and its two-byte mark
    CHECK(e.replacement == "\u00e9");
  }
}

TEST_CASE("unicode: invisible positives", "[unicode][invisible]") {
  const std::vector<Positive> cases = {
      {"data\u200Bbase", "database", "invisible"},
      {"word\u2060joiner", "wordjoiner", "invisible"},
      {"\uFEFFHeadline", "Headline", "invisible"},
      {"infor\u00ADmation tech\u00ADnology", "information technology", "invisible"},
      {"co\u200Doperate and co\u200Cop", "cooperate and coop", "invisible"},
      {"bell\x07 and escape\x1B[0m", "bell and escape[0m", "invisible"},
      {std::string("nul\0byte", 8), "nulbyte", "invisible"},
      {"del\x7F"
       "ete",
       "delete", "invisible"},
      {"c1\u0090control\u009F", "c1control", "invisible"},
      {"one\x0Btwo\x0Cthree", "one two three", "invisible"},
      {"line\u0085next", "line next", "invisible"},
      {"end of line\x0C\nnext", "end of line\nnext", "invisible"},
      {"zero\u200B\u200B\u2060width", "zerowidth", "invisible"},
  };
  for (std::size_t k = 0; k < cases.size(); ++k) {
    SECTION("case " + std::to_string(k)) { check_positive(cases[k]); }
  }
}

TEST_CASE("unicode: a run of invisible characters is one edit", "[unicode][invisible]") {
  UnicodeStage stage(test_resources());
  const auto edits = edits_of(stage, "zero\u200B\u200B\u2060width");
  REQUIRE(edits.size() == 1);
  CHECK(edits[0].begin == 4);
  CHECK(edits[0].end == 13);
}

TEST_CASE("unicode: odd-space positives", "[unicode][odd-space]") {
  const std::vector<Positive> cases = {
      {"word\u00A0word", "word word", "odd-space"},
      {"thin\u2009space", "thin space", "odd-space"},
      {"em\u2003space and en\u2002space", "em space and en space", "odd-space"},
      {"narrow\u202Fno-break", "narrow no-break", "odd-space"},
      {"ideographic\u3000space", "ideographic space", "odd-space"},
      {"10\u00A0km", "10 km", "odd-space"},
      {"Bonjour\u202F!", "Bonjour !", "odd-space"},
      {"two\u00A0\u00A0spaces", "two  spaces", "odd-space"},
      {"\u00A0leading and trailing\u00A0", " leading and trailing ", "odd-space"},
      {"math\u205Fspace and hair\u200Aspace", "math space and hair space", "odd-space"},
  };
  for (std::size_t k = 0; k < cases.size(); ++k) {
    SECTION("case " + std::to_string(k)) { check_positive(cases[k]); }
  }
}

TEST_CASE("unicode: mojibake positives", "[unicode][mojibake]") {
  const std::vector<Positive> cases = {
      {"It\u00e2\u20ac\u2122s here", "It\u2019s here", "mojibake"},                        // â€™
      {"caf\u00c3\u00a9 cr\u00c3\u00a8me", "caf\u00e9 cr\u00e8me", "mojibake"},            // Ã© Ã¨
      {"\u00e2\u20ac\u0153Hello\u00e2\u20ac\u009D", "\u201cHello\u201d", "mojibake"},      // â€œ â€ + U+009D
      {"\u00c2\u00a9 2024 BBC", "\u00a9 2024 BBC", "mojibake"},                            // Â©
      {"NASA\u00c2\u00ae rockets", "NASA\u00ae rockets", "mojibake"},                      // Â®
      {"CAF\u00c3\u2030 and M\u00c3\u00bcller", "CAF\u00c9 and M\u00fcller", "mojibake"},  // all caps: Ã‰
      {"2010\u00e2\u20ac\u201d2020", "2010\u20142020", "mojibake"},                        // â€”
      {"\u00c3\u2030cole", "\u00c9cole", "mojibake"},                                      // Ã‰
      {"M\u00c3\u00bcller", "M\u00fcller", "mojibake"},                                    // Ã¼
      {"S\u00c3\u00a3o Paulo", "S\u00e3o Paulo", "mojibake"},                              // Ã£
      {"smile \u00f0\u0178\u02dc\u20ac", "smile \U0001F600", "mojibake"},                  // ðŸ˜€
      {"\u00ef\u00bb\u00bfTitle", "Title", "mojibake"},                                    // ï»¿ (BOM)
      {"10\u00c2\u00a0km", "10 km", "mojibake"},                                           // Â + NBSP
      {"10\u00c2\u00a0000", "10\u00a0000", "mojibake"},                                    // kept between digits
      {"It\u00e2\u0080\u0099s", "It\u2019s", "mojibake"},                                  // Latin-1 (C1) variant
      {"\u00d0\u0178\u00d1\u20ac\u00d0\u00b8\u00d0\u00b2\u00d0\u00b5\u00d1\u201a",
       "\u041f\u0440\u0438\u0432\u0435\u0442", "mojibake"},  // Привет: a chain, strong on its own
      // Double encoding is repaired to a fixed point.
      {"It\u00c3\u00a2\u00e2\u201a\u00ac\u00e2\u201e\u00a2s", "It\u2019s", "mojibake"},  // Ã¢â‚¬â„¢
      {"caf\u00c3\u0192\u00c2\u00a9", "caf\u00e9", "mojibake"},                          // ÃƒÂ©
      {"rifles\u00c3\u00a2\u00c2\u0080\u00c2\u009d.", "rifles\u201d.", "mojibake"},      // via C1 controls
      // Weak single sequences are repaired once the document shows strong mojibake.
      {"c\u00c5\u201cur \u00e2\u20ac\u201d caf\u00c3\u00a9", "c\u0153ur \u2014 caf\u00e9", "mojibake"},
      {"Vi\u00e1\u00bb\u2021t Nam \u00c4\u2018\u00c6\u00b0\u00e1\u00bb\u00a3c", "Vi\u1ec7t Nam \u0111\u01b0\u1ee3c",
       "mojibake"},
      // A zero-width space that was itself mis-decoded disappears.
      {"a\u00e2\u20ac\u2039b \u00e2\u20ac\u2122", "ab \u2019", "mojibake"},
  };
  for (std::size_t k = 0; k < cases.size(); ++k) {
    SECTION("case " + std::to_string(k)) { check_positive(cases[k]); }
  }
}

TEST_CASE("unicode: mojibake edits are local", "[unicode][mojibake]") {
  UnicodeStage stage(test_resources());
  const std::string text = "It\u00e2\u20ac\u2122s the caf\u00c3\u00a9.";
  const auto edits = edits_of(stage, text);
  REQUIRE(edits.size() == 2);
  CHECK(text.substr(edits[0].begin, edits[0].end - edits[0].begin) == "\u00e2\u20ac\u2122");
  CHECK(text.substr(edits[1].begin, edits[1].end - edits[1].begin) == "\u00c3\u00a9");
}

TEST_CASE("unicode: clean text is left unchanged", "[unicode][negative]") {
  const std::vector<std::string> cases = {
      // Plain English with ASCII punctuation, tabs and CRLF.
      "The U.S. economy grew 2.5% in 2024, e.g. 10,000 jobs; see openai.com.\tDone.\r\nNext line.\n",
      // Curly and straight quotes, dashes, ellipsis, symbols.
      "\u201cHello,\u201d she said \u2014 \u2018quietly\u2019 \u2013 and \"straight\" 'quotes'\u2026",
      "\u00a3100, \u20ac50, \u00a9 BBC, Acme\u2122, 3\u00d74, 20\u00b0C, \u00bd, \u00a7 12",
      "Home \u00bb News \u00bb World",
      // French, Portuguese, German, Spanish, Vietnamese (precomposed, already NFC).
      "\u00c7a va ? \u00c0 bient\u00f4t, \u00e9l\u00e8ve, gar\u00e7on, o\u00f9, na\u00efve, c\u0153ur, pr\u00eat, "
      "\u00ab d\u00e9j\u00e0 \u00bb, ch\u00e2teau, \u00e2ge",
      "\u00c1gua, \u00c3gua, S\u00c3O PAULO, a\u00e7\u00e3o, n\u00e3o, Jo\u00e3o, \u00abirm\u00e3\u00bb\u2026",
      "Gr\u00f6\u00dfe, \u00fcberm\u00e4\u00dfig, Stra\u00dfe, \u00c4rger, \u201eZitat\u201c, SP\u00d6\u2014Chef",
      "\u00bfQu\u00e9 pasa? \u00a1Espa\u00f1a!",
      "Ti\u1ebfng Vi\u1ec7t, ng\u01b0\u1eddi, \u0111\u01b0\u1ee3c, Nguy\u1ec5n",
      "IRM\u00c3\u00bb AMANH\u00c3\u2014",
      // A lone Â / Ã / â is real text.
      "\u00c2 and \u00c3 and \u00e2 alone",
      // CJK and Korean, including ideographic spaces between CJK characters.
      "\u6771\u4eac\u90fd\u306f\u65e5\u672c\u306e\u9996\u90fd\u3067\u3059\u3002",
      "\u3000\u65e5\u672c\u8a9e\u306e\u6587\u7ae0\u3000\u6771\u4eac",
      "\ud55c\uad6d\uc5b4 \ubb38\uc7a5",
      // Thousands separators: thin, narrow no-break and no-break spaces between digits.
      "10\u2009000 people, 1\u202F000\u202F000 euros, 5\u00a0000 km",
      // Emoji ZWJ sequences and Persian ZWNJ.
      "family \U0001F468\u200D\U0001F469\u200D\U0001F467 and \U0001F3F3\uFE0F\u200D\U0001F308",
      "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
      // ZWJ next to a digit or space is not between two letters.
      "a\u200D1 b \u200Dc",
      // Decomposition-stable compatibility characters are not NFKC-folded.
      "\ufb01le \u2460 \u00b2 \uff21",
      "",
  };
  for (std::size_t k = 0; k < cases.size(); ++k) {
    SECTION("case " + std::to_string(k)) { check_unchanged(cases[k]); }
  }
}

TEST_CASE("unicode: weak mojibake alone is left unchanged", "[unicode][negative][mojibake]") {
  // Single sequences that could be real text, in a document with no strong mojibake.
  const std::vector<std::string> cases = {
      "c\u00c5\u201cur",              // Å“ alone
      "SP\u00d6\u2014die Partei",     // Ö— is German, not U+0597
      "\u00abirm\u00e3\u00bb\u2026",  // ã»… is Portuguese, not U+3EC5
      "Vi\u00e1\u00bb\u2021t",        // á»‡ alone
  };
  for (std::size_t k = 0; k < cases.size(); ++k) {
    SECTION("case " + std::to_string(k)) { check_unchanged(cases[k]); }
  }
}

TEST_CASE("unicode: long lines are processed in one linear pass", "[unicode][long]") {
  UnicodeStage stage(test_resources());

  SECTION("mixed damage, several MB") {
    const std::string unit = "It\u00e2\u20ac\u2122s caf\u00c3\u00a9\u00a0time e\u0301 zero\u200Bwidth. ";
    const std::string fixed = "It\u2019s caf\u00e9 time \u00e9 zerowidth. ";
    const std::size_t copies = 150000;  // about 6 MB
    std::string text;
    std::string expected;
    text.reserve(unit.size() * copies);
    for (std::size_t k = 0; k < copies; ++k) {
      text += unit;
      expected += fixed;
    }
    const auto edits = edits_of(stage, text);
    CHECK(edits.size() == 5 * copies);
    CHECK(copydesk::apply_edits(text, edits) == expected);
  }

  SECTION("one long mojibake run") {
    std::string text;
    std::string expected;
    for (std::size_t k = 0; k < 1000000; ++k) {
      text += "\u00c3\u00a9";
      expected += "\u00e9";
    }
    CHECK(run_stage(stage, text) == expected);
  }

  SECTION("leads without continuations, combining marks, CJK") {
    std::string leads;
    std::string marks = "a";
    std::string cjk;
    for (std::size_t k = 0; k < 1000000; ++k) {
      leads += "\u00c3";
      marks += "\u0301";
      cjk += "\u6771";
    }
    CHECK(edits_of(stage, leads).empty());
    CHECK(edits_of(stage, marks).empty());  // Zalgo-length sequences are not normalised
    CHECK(edits_of(stage, cjk).empty());
  }
}

TEST_CASE("unicode: one run reaches the fixed point around removed controls", "[unicode]") {
  copydesk::UnicodeStage stage(copydesk::testing::test_resources());
  // A joiner next to a control that goes, and a combining mark after one: the
  // output is decided as it will read without the control.
  for (const std::string_view text :
       {"bo\x01\xe2\x80\x8cok shelf\n", "ma\x7f\xe2\x80\x8d\x02rk\n", "in\xe2\x80\x8d\x0b\x0bto the hall\n",
        "two\x0c\x0cwords\n", "the re\x1c\xcc\x81sume\xcc\x81 arrived\n", "na\xc2\x85\xcc\x88ive\n"}) {
    const std::string once = copydesk::testing::run_stage(stage, text);
    INFO(once);
    CHECK(once != text);
    CHECK(copydesk::testing::edits_of(stage, once).empty());
  }
}
