#include <catch2/catch.hpp>

#include "stages/structure.h"
#include "tests/stage_test_util.h"

using namespace copydesk;
using namespace copydesk::testing;

namespace {

struct Case {
  const char* input;
  const char* expected;
  const char* rule;
};

}  // namespace

TEST_CASE("structure: repairs", "[structure]") {
  StructureStage stage(test_resources());
  const auto c = GENERATE(values<Case>({
      {"Tell us what you think below!The Quiet Race: How Ports Shape Trade",
       "Tell us what you think below!\nThe Quiet Race: How Ports Shape Trade", "glued-heading"},
      {"The museum was opened by the writer Ann Gray in 1964.Local films will be shown at the same",
       "The museum was opened by the writer Ann Gray in 1964.\nLocal films will be shown at the same", "glued-heading"},
      {"a fine result for a first album\".Leeds folk-pop duo The Marrows have",
       "a fine result for a first album\".\nLeeds folk-pop duo The Marrows have", "glued-heading"},
      {"access to forums thought to be unsafe or offensive.Brazil has been asked to",
       "access to forums thought to be unsafe or offensive.\nBrazil has been asked to", "glued-heading"},
      {"Which route do you take? Tell us below!The Long Commute: Rail Fares Since 2010",
       "Which route do you take? Tell us below!\nThe Long Commute: Rail Fares Since 2010", "glued-heading"},
      {"Will it last? We asked the experts.What Comes Next?", "Will it last? We asked the experts.\nWhat Comes Next?",
       "glued-heading"},
      {"whether the ferry will run through the winter.| Route | Timetable |",
       "whether the ferry will run through the winter.\n| Route | Timetable |", "glued-table"},
      {"through the winter. | Route | Timetable |", "through the winter.\n| Route | Timetable |", "glued-table"},
      {"|——————|————————————————–|", "|------|-----------------|", "table-separator"},
      {"| — | :–: |", "| --- | :---: |", "table-separator"},
      {"|-|--|", "|---|---|", "table-separator"},
      {"|\u2500\u2500\u2500|\u2212\u2212\u2212|", "|---|---|", "table-separator"},
  }));
  CAPTURE(c.input);
  CHECK(run_stage(stage, c.input) == c.expected);
  CHECK(rules_of(stage, c.input) == std::vector<std::string>{c.rule});
}

TEST_CASE("structure: leaves alone", "[structure]") {
  StructureStage stage(test_resources());
  const auto* input = GENERATE(values<const char*>({
      // glued-heading: a long tail is a glued sentence, for the sentences stage.
      "The ripple effects were felt immediately in the economies.The OECD said that the slowdown would "
      "hurt exports to Europe and Asia for many years to come",
      // ... and so is a tail that ends in a period.
      "Growth slowed in most economies.The OECD said it saw difficulties.",
      // ... or that holds a sentence end.
      "Growth slowed in most economies.The OECD agreed. It said more",
      // Abbreviations are not sentence ends.
      "The ripple effects were felt immediately in the U.S.On January 27",
      "We met the chairman of the company, Mr.Smith",
      "The deal was signed in U.S.A",
      // Lower case after the dot: a domain, not a heading.
      "It is also not the only Chinese company: 01.ai",
      // A heading that stands alone, and a short line.
      "The Widening Gap: How Ports Shape Trade",
      "Hello.World",
      // A tail ending in a quote or '!' is not a heading.
      "He told reporters that it was over.\"It is done\"",
      "The crowd shouted as the team arrived.Wow!",
      // A stop inside angle brackets is a ticker's or a tag's, never a sentence end.
      "Marlow Shipping Lines <MRLW.AS> sells two ferries to a Greek operator",
      "LAKEVIEW PAPER <LKVP.N> PLANS NEW MILL IN THE SOUTH",
      // A question in sentence case is a glued sentence, not a heading.
      "We waited at the gate for an hour!?Is the ferry ever coming back today?",
      "The final whistle went at last.Where does the club go from here?",
      // glued-table: pipes in running text.
      "Results | first | second",
      "The site is called News | Tech | Daily and more |",
      // table-separator: valid rows and rows that are not separators.
      "|---|---|",
      "| :---: | ---: |",
      "| Route | Timetable |",
      "| — text |",
      // Clean prose.
      "The fishing town has been changed by the sudden rise of Ferrylink, a local company.",
      "",
  }));
  CAPTURE(input);
  CHECK(edits_of(stage, input).empty());
}

TEST_CASE("structure: several lines and rule list", "[structure]") {
  StructureStage stage(test_resources());
  const std::string input = "Tell us what you think below!The Quiet Race\n| A | B |\n|——|——|\n| 1 | 2 |\nClean line.\n";
  CHECK(run_stage(stage, input) ==
        "Tell us what you think below!\nThe Quiet Race\n| A | B |\n|---|---|\n| 1 | 2 |\nClean line.\n");
  std::vector<std::string> ids;
  for (const auto& rule : stage.rules()) ids.emplace_back(rule.id);
  CHECK(ids == std::vector<std::string>{"glued-heading", "glued-table", "table-separator"});
}

TEST_CASE("structure: one run reaches the fixed point", "[structure]") {
  StructureStage stage(test_resources());
  // A split-off heading that holds another glued heading, and a glued table
  // row whose separator needs normalising: both are finished in one run.
  for (const std::string_view text :
       {"Exports fell for the third month in a row this spring.Trade Desk Weekly Notes.Outlook\n",
        "The figures for the quarter are below:|\xe2\x80\x94\xe2\x80\x94|\xe2\x80\x94\xe2\x80\x94|\n"}) {
    const std::string once = run_stage(stage, text);
    INFO(once);
    CHECK(once != text);
    CHECK(edits_of(stage, once).empty());
  }
}
