#include <catch2/catch.hpp>

#include <string>

#include "stages/dedupe.h"
#include "tests/stage_test_util.h"

using copydesk::DedupeStage;
using copydesk::testing::edits_of;
using copydesk::testing::rules_of;
using copydesk::testing::run_stage;
using copydesk::testing::test_resources;

namespace {

struct Case {
  const char* input;
  const char* expected;
};

}  // namespace

TEST_CASE("dedupe: repeated-line removes the second copy", "[dedupe]") {
  DedupeStage stage(test_resources());
  const Case cases[] = {
      // A headline printed twice, back to back.
      {"Dutch bank eyes Polish lender\nDutch bank eyes Polish lender\nThe body text.\n",
       "Dutch bank eyes Polish lender\nThe body text.\n"},
      // Blank lines between the copies do not separate them; they go too.
      {"Museum to open new wing\n\nMuseum to open new wing\nBody.\n", "Museum to open new wing\nBody.\n"},
      {"Title here\n\n\nTitle here\n\nBody paragraph.\n", "Title here\n\nBody paragraph.\n"},
      // White space differences do not matter.
      {"Mayor attacks  rival housing plans\nMayor attacks rival housing plans \nBody.\n",
       "Mayor attacks  rival housing plans\nBody.\n"},
      {"Tab\tseparated words\nTab separated words\n", "Tab\tseparated words\n"},
      // Three copies keep one.
      {"Same line\nSame line\nSame line\nNext.\n", "Same line\nNext.\n"},
      // The repeat is the last line, without a newline: the newline before it goes.
      {"Body.\nClosing line\nClosing line", "Body.\nClosing line\n"},
      {"Closing line\n\nClosing line", "Closing line\n"},
      // A long paragraph repeated is a repeat too.
      {"He said the plan would cost more than expected.\nHe said the plan would cost more than expected.\n",
       "He said the plan would cost more than expected.\n"},
      // Non-ASCII text.
      // ASCII case aside: the casing stage, later, would make them equal and a
      // second run would find the repeat.
      {"port strike ends after talks\nPort strike ends after talks\nBody.\n", "port strike ends after talks\nBody.\n"},
      {"Harbour Towns Look to the Sea\nHarbour Towns Look to the Sea\nBody.\n",
       "Harbour Towns Look to the Sea\nBody.\n"},
  };
  for (const auto& c : cases) {
    SECTION(c.input) {
      CHECK(run_stage(stage, c.input) == c.expected);
      for (const auto& rule : rules_of(stage, c.input)) CHECK(rule == "repeated-line");
    }
  }
}

TEST_CASE("dedupe: the removed span shows the copy", "[dedupe]") {
  DedupeStage stage(test_resources());
  const std::string text = "Headline\nHeadline\nBody.\n";
  const auto edits = edits_of(stage, text);
  REQUIRE(edits.size() == 1);
  CHECK(text.substr(edits[0].begin, edits[0].end - edits[0].begin) == "Headline\n");
  CHECK(edits[0].replacement.empty());
  CHECK(!edits[0].reason.empty());
}

TEST_CASE("dedupe: leaves alone", "[dedupe]") {
  DedupeStage stage(test_resources());
  const char* negatives[] = {
      // Blank lines repeated.
      "Para one.\n\n\n\nPara two.\n",
      // Table rows repeated (a separator row, equal data rows).
      "| a | b |\n| a | b |\n",
      "|---|---|\n|---|---|\n",
      "  | x | y |\n  | x | y |\n",
      // Fewer than 3 letters: separators, bullets, numbers.
      "***\n***\n",
      "--\n--\n",
      "12\n12\n",
      "OK\nOK\n",
      // Non-adjacent repeat: a sentence repeated later.
      "Key line.\nSomething else.\nKey line.\n",
      "Heading\n\nText in between.\n\nHeading\n",
      // Lines that differ in a word, or in a letter's case beyond ASCII.
      "Markets rise again\nMarkets rise again today\n",
      "\xc3\x89lan vital returns\n\xc3\xa9lan vital returns\n",
      // Different inner spacing that is not white space only.
      "a-b test\na b test\n",
      // Empty text and a single line.
      "",
      "One line only",
  };
  for (const char* text : negatives) {
    SECTION(text) { CHECK(edits_of(stage, text).empty()); }
  }
}

TEST_CASE("dedupe: describes its rule", "[dedupe]") {
  DedupeStage stage(test_resources());
  CHECK(stage.name() == "dedupe");
  REQUIRE(stage.rules().size() == 1);
  CHECK(stage.rules()[0].id == "repeated-line");
}
