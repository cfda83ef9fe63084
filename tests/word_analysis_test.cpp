#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/edit.h"
#include "pipeline/io.h"
#include "pipeline/word_analysis.h"
#include "stages/casing.h"
#include "stages/names.h"
#include "stages/spelling.h"
#include "tests/stage_test_util.h"

using copydesk::WordAnalysis;
using copydesk::testing::same_edits;
using copydesk::testing::test_resources;

namespace {

std::vector<std::string> run_texts(const WordAnalysis& a) {
  std::vector<std::string> out;
  for (const auto& r : a.runs()) out.emplace_back(a.text().substr(r.begin, r.end - r.begin));
  return out;
}

// Documents to compare a stage's two paths on: the samples and some of our own.
std::vector<std::string> documents() {
  std::vector<std::string> docs = {
      "",
      "no capitals here at all.\n",
      "The mayor of springfield met Ms. O'Hara in Zürich on monday.\r\nShe said: \"the plan is dead.\"\n",
      "Engineers at Mindbridge and at MindBridge Labs met Okafor emeka; okafor Emeka and Okafor Emeka agreed. "
      "The G7 summit in 2024 had x86 talks with openai.com staff.\n"
      "HEADLINE IN CAPITALS\n\nA line with x86 chips, 4th place and e-mail to someone@example.com.\n",
      "Naïve café owners in São Paulo don't like the new rules; the Café Naïve does.",
      "The comittee recieved teh report on wensday, and the goverment's responce was definately late.\n"
      "Their acommodation was seperate from the libary, said Mr. Smoth of Zürichh.\r and more text\n",
  };
  for (const auto& entry : std::filesystem::directory_iterator(COPYDESK_SOURCE_DIR "/samples")) {
    if (entry.path().extension() == ".txt") docs.push_back(copydesk::read_document(entry.path().string()));
  }
  return docs;
}

// The stage's edits through propose() and through propose_words() with the
// shared analysis are the same.
void check_same_paths(copydesk::Stage& stage) {
  WordAnalysis words;
  for (const std::string& doc : documents()) {
    std::vector<copydesk::Edit> direct;
    stage.propose(doc, direct);
    words.analyse(doc);
    std::vector<copydesk::Edit> shared;
    stage.propose_words(doc, words, shared);
    CHECK(same_edits(direct, shared));
  }
}

}  // namespace

TEST_CASE("word analysis: runs of letters, forms and lines", "[word_analysis]") {
  WordAnalysis a;
  const std::string text = "Don't stop: x86 café, Café\r\nand don't";
  a.analyse(text);
  CHECK(run_texts(a) == std::vector<std::string>{"Don", "t", "stop", "x", "café", "Café", "and", "don", "t"});
  // "t" twice is one form; "Don" and "don", "café" and "Café" are not.
  CHECK(a.forms() == 8);
  CHECK(a.runs()[1].form == a.runs()[8].form);
  CHECK(a.form_info(a.runs()[1].form).count == 2);
  CHECK(a.runs()[0].form != a.runs()[7].form);
  CHECK_FALSE(a.form_info(a.runs()[4].form).ascii);
  CHECK(a.form_info(a.runs()[2].form).ascii);
  CHECK(a.line_starts().size() == 2);
  CHECK(a.runs()[6].line == 1);
  CHECK(a.line_crs()[0] == text.find('\r'));
  CHECK(a.line_crs()[1] == WordAnalysis::kNone);

  // Digits, punctuation and spaces only: no runs.
  a.analyse("12 + 34 = 46\n--\n");
  CHECK(a.runs().empty());
  CHECK(a.forms() == 0);
  CHECK(a.line_starts().size() == 3);

  // A long run (over eight bytes) and one at the very end of the text.
  a.analyse("internationalisation z");
  CHECK(run_texts(a) == std::vector<std::string>{"internationalisation", "z"});
}

TEST_CASE("word analysis: many distinct forms grow the table", "[word_analysis]") {
  std::string text;
  for (int i = 0; i < 5000; ++i) {
    std::string w;
    for (int k = i; k > 0 || w.empty(); k /= 26) w.push_back(static_cast<char>('a' + k % 26));
    text += w + ' ' + w + '\n';
  }
  WordAnalysis a;
  a.analyse(text);
  CHECK(a.forms() == 5000);
  CHECK(a.runs().size() == 10000);
  for (std::size_t i = 0; i < a.runs().size(); i += 2) CHECK(a.runs()[i].form == a.runs()[i + 1].form);
}

namespace {
// Every field of two analyses of the same text agrees.
void check_same_analysis(const WordAnalysis& a, const WordAnalysis& b) {
  REQUIRE(a.runs().size() == b.runs().size());
  for (std::size_t i = 0; i < a.runs().size(); ++i) {
    CHECK(a.runs()[i].begin == b.runs()[i].begin);
    CHECK(a.runs()[i].end == b.runs()[i].end);
    CHECK(a.runs()[i].form == b.runs()[i].form);
    CHECK(a.runs()[i].line == b.runs()[i].line);
  }
  REQUIRE(a.forms() == b.forms());
  for (std::uint32_t f = 0; f < a.forms(); ++f) {
    CHECK(a.form(f) == b.form(f));
    CHECK(a.form_info(f).begin == b.form_info(f).begin);
    CHECK(a.form_info(f).count == b.form_info(f).count);
    CHECK(a.form_info(f).ascii == b.form_info(f).ascii);
  }
  CHECK(std::vector<std::uint32_t>(a.line_starts().begin(), a.line_starts().end()) ==
        std::vector<std::uint32_t>(b.line_starts().begin(), b.line_starts().end()));
  CHECK(std::vector<std::uint32_t>(a.line_crs().begin(), a.line_crs().end()) ==
        std::vector<std::uint32_t>(b.line_crs().begin(), b.line_crs().end()));
}

copydesk::Edit change(std::size_t begin, std::size_t end, std::string after) {
  return copydesk::make_change(begin, end, std::move(after), "test", "test");
}
}  // namespace

TEST_CASE("word analysis: edits that only change letter case", "[word_analysis]") {
  using copydesk::Edit;
  const std::string text = "the river otter met Lorna at 9 in zagreb.\nOtter talk";
  const auto at = [&](std::string_view w) { return text.find(w); };
  // Letters to the same letters in another case, and bytes kept as they are.
  CHECK(WordAnalysis::case_only(text, std::vector<Edit>{change(at("zagreb"), at("zagreb") + 6, "Zagreb")}));
  CHECK(WordAnalysis::case_only(text, std::vector<Edit>{change(at("river"), at("river") + 11, "RIVER Otter"),
                                                        change(at("Lorna"), at("Lorna") + 5, "LORNA")}));
  // A flag changes nothing.
  CHECK(WordAnalysis::case_only(text, std::vector<Edit>{copydesk::make_flag(0, 3, "test", "test")}));
  // Another length, another letter, a letter for a digit or a space, a
  // punctuation mark for a letter: not case changes.
  CHECK_FALSE(WordAnalysis::case_only(text, std::vector<Edit>{change(at("otter"), at("otter") + 5, "otters")}));
  CHECK_FALSE(WordAnalysis::case_only(text, std::vector<Edit>{change(at("otter"), at("otter") + 5, "attar")}));
  CHECK_FALSE(WordAnalysis::case_only(text, std::vector<Edit>{change(at("9"), at("9") + 1, "g")}));
  CHECK_FALSE(WordAnalysis::case_only(text, std::vector<Edit>{change(at("met"), at("met") + 4, "metA")}));
  CHECK_FALSE(WordAnalysis::case_only(text, std::vector<Edit>{change(at("."), at(".") + 1, "n")}));
  // '@' and '`' differ in the case bit only, but are no letters.
  const std::string marks = "a@b";
  CHECK_FALSE(WordAnalysis::case_only(marks, std::vector<Edit>{change(1, 2, "`")}));
}

TEST_CASE("word analysis: recase() gives the analysis of the recased text", "[word_analysis]") {
  // Case changes that make new forms, merge forms ("Otter" twice), empty a
  // form ("otter" gone), and move a form's first run ("Zagreb" later).
  std::string text = "the river otter met Lorna in zagreb.\nOtter talk in Zagreb, café Café.\r\nend";
  WordAnalysis words;
  words.analyse(text);
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"otter met", "Otter met"}, {"in zagreb", "in ZAGREB"}, {"the river", "The River"}, {"café C", "CAFé c"}}) {
    const std::size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    std::vector<copydesk::Edit> edits{change(at, at + from.size(), to)};
    REQUIRE(WordAnalysis::case_only(text, edits));
    text.replace(at, from.size(), to);
    words.recase(text);
    WordAnalysis fresh;
    fresh.analyse(text);
    check_same_analysis(words, fresh);
  }
}

TEST_CASE("word analysis: casing reads the shared analysis to the same edits", "[word_analysis]") {
  copydesk::CasingStage stage(test_resources());
  check_same_paths(stage);
}

TEST_CASE("word analysis: spelling reads the shared analysis to the same edits", "[word_analysis]") {
  copydesk::SpellingStage stage(test_resources());
  check_same_paths(stage);
}

TEST_CASE("word analysis: names reads the shared analysis to the same edits", "[word_analysis]") {
  copydesk::NamesStage stage(test_resources());
  check_same_paths(stage);
}
