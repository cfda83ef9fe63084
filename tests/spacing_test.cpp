#include <catch2/catch.hpp>

#include "stages/spacing.h"
#include "tests/stage_test_util.h"

using namespace copydesk;
using namespace copydesk::testing;

namespace {

struct Case {
  const char* input;
  const char* expected;
  const char* rule;
};

void check_case(SpacingStage& stage, const Case& c) {
  CAPTURE(c.input);
  CHECK(run_stage(stage, c.input) == c.expected);
  const auto rules = rules_of(stage, c.input);
  REQUIRE_FALSE(rules.empty());
  for (const auto& rule : rules) CHECK(rule == c.rule);
}

}  // namespace

TEST_CASE("spacing: repairs", "[spacing]") {
  SpacingStage stage(test_resources());
  SECTION("comma-space") {
    const auto c = GENERATE(values<Case>({
        {"the rise of Ferrylink,a local firm", "the rise of Ferrylink, a local firm", "comma-space"},
        {"in 1998,after heavy rain", "in 1998, after heavy rain", "comma-space"},
        {"Mara Quint,a ferry captain,compared this", "Mara Quint, a ferry captain, compared this", "comma-space"},
        {"said \"no\",then left", "said \"no\", then left", "comma-space"},
        {"Since 2016,the timetable", "Since 2016, the timetable", "comma-space"},
    }));
    check_case(stage, c);
  }
  SECTION("currency-space") {
    const auto c = GENERATE(values<Case>({
        {"that $ 100 billion project", "that $100 billion project", "currency-space"},
        {"costing about € 3 million", "costing about €3 million", "currency-space"},
        {"a £ 35bn cut", "a £35bn cut", "currency-space"},
        {"US$ 5 each", "US$5 each", "currency-space"},
    }));
    check_case(stage, c);
  }
  SECTION("hyphen-space") {
    const auto c = GENERATE(values<Case>({
        {"talented Chinese -educated technologists", "talented Chinese-educated technologists", "hyphen-space"},
        {"Council -run ferries", "Council-run ferries", "hyphen-space"},
        // Two spaces as well: space-run would leave one for a second run to join.
        {"a family  -run bakery", "a family-run bakery", "hyphen-space"},
        {"the state -owned -backed lender", "the state-owned-backed lender", "hyphen-space"},
        {"in anti -fraud laws", "in anti-fraud laws", "hyphen-space"},
        {"store\" high -speed (5G)", "store\" high-speed (5G)", "hyphen-space"},
        {"Post -punk and soul", "Post-punk and soul", "hyphen-space"},
    }));
    check_case(stage, c);
  }
  SECTION("space-before-punct") {
    const auto c = GENERATE(values<Case>({
        {"in the meantime , is", "in the meantime, is", "space-before-punct"},
        {"year. Renault , which", "year. Renault, which", "space-before-punct"},
        {"\"We hope , and", "\"We hope, and", "space-before-punct"},
        {"first ; second", "first; second", "space-before-punct"},
        {"It ended .", "It ended.", "space-before-punct"},
        {"Is it over ? Yes", "Is it over? Yes", "space-before-punct"},
        {"Conclusion : a new era", "Conclusion: a new era", "space-before-punct"},
        {"in 1998 , after", "in 1998, after", "space-before-punct"},
        {"meantime ,is", "meantime, is", "space-before-punct"},
        {"he said \"yes\" .", "he said \"yes\".", "space-before-punct"},
    }));
    check_case(stage, c);
  }
  SECTION("duplicate-comma") {
    const auto c = GENERATE(values<Case>({
        {"kept under review, , Then the board", "kept under review, Then the board", "duplicate-comma"},
        {"one,, two", "one, two", "duplicate-comma"},
        {"one,,two", "one, two", "duplicate-comma"},
        // A run collapses whole, so a second run has nothing left to do.
        {"apples,,,, pears", "apples, pears", "duplicate-comma"},
        {"apples, , ,pears", "apples, pears", "duplicate-comma"},
    }));
    check_case(stage, c);
  }
  SECTION("space-run") {
    const auto c = GENERATE(values<Case>({
        {"two  spaces", "two spaces", "space-run"},
        {"many     spaces here", "many spaces here", "space-run"},
        {"trailing   ", "trailing", "space-run"},
        {"line one  \nline two", "line one\nline two", "space-run"},
    }));
    check_case(stage, c);
  }
  SECTION("quote-space") {
    const auto c = GENERATE(values<Case>({
        {"“Not yet,”wrote Hu.", "“Not yet,” wrote Hu.", "quote-space"},
        {"Du Yijin explained.“This suggests it.”", "Du Yijin explained. “This suggests it.”", "quote-space"},
        {"He said,“Go.”", "He said, “Go.”", "quote-space"},
        // An opening quote glued to the word before it.
        {"the tanker“Aurora” sailed", "the tanker “Aurora” sailed", "quote-space"},
        {"a vow of“quiet resolve” was made", "a vow of “quiet resolve” was made", "quote-space"},
        // An opening single quote glued to the word before it.
        {"the choir sang‘Dark river flowing’ at noon", "the choir sang ‘Dark river flowing’ at noon", "quote-space"},
        {"the slogan‘forward’, printed in red", "the slogan ‘forward’, printed in red", "quote-space"},
    }));
    check_case(stage, c);
  }
  SECTION("quote-direction") {
    const auto c = GENERATE(values<Case>({
        {"“The nation must protect him at all costs! Seriously! “Wrote another user in Shanghai.",
         "“The nation must protect him at all costs! Seriously!” wrote another user in Shanghai.", "quote-direction"},
        {"“Why is it so innovative? Begins with the courage to try. “He said. Mr. Liang agreed. “From investors "
         "to companies, many thought the gap was wide,” he said.",
         "“Why is it so innovative? Begins with the courage to try.” he said. Mr. Liang agreed. “From investors "
         "to companies, many thought the gap was wide,” he said.",
         "quote-direction"},
        {"wrote Zhang, “every company is under control, then it may be fully embedded. “",
         "wrote Zhang, “every company is under control, then it may be fully embedded.”", "quote-direction"},
        {"“It is over. “The rest is history.", "“It is over.” The rest is history.", "quote-direction"},
    }));
    check_case(stage, c);
  }
  SECTION("reference-marker") {
    const auto c = GENERATE(values<Case>({
        {"through ports like Rotterdam [[1]]. These routes", "through ports like Rotterdam. These routes",
         "reference-marker"},
        {"against the “new harbour” [[2]].", "against the “new harbour”.", "reference-marker"},
        {"The claim was made[3] in March.", "The claim was made in March.", "reference-marker"},
        {"text [1] more", "text more", "reference-marker"},
        {"cited twice.[1][2] Then", "cited twice. Then", "reference-marker"},
    }));
    check_case(stage, c);
  }
}

TEST_CASE("spacing: leaves alone", "[spacing]") {
  SpacingStage stage(test_resources());
  const auto* input = GENERATE(values<const char*>({
      // comma-space
      "from 10,000 to 50,000 chips",
      "a 1,2-dichloro compound",
      "see http://example.com/a,b and www.site.com/x,y",
      "write to a,b@example.com",
      "The AI landscape, as a whole, is changing.",
      "he said,“",  // nothing after the quote
      // quote-space after a word: closing quotes, apostrophes, straight
      // quotes (their direction is unknown) and a quote with no word after it
      "she called it “fair” and moved on",
      "the firm’s plan and the workers’ union",
      "the tanker\"Aurora\" sailed",
      "a word“ then",
      "N,N-dimethyl and x,y pairs",
      // currency-space
      "$100 and €3 and 5 $ 3",
      "a $ sign",
      // hyphen-space
      "prices fell - sharply - on Monday",
      "temperatures of -5 degrees",
      "run ls -v to see",
      "compile with gcc -Wall now",
      "- a bullet item",
      "The results -surprisingly- were good",
      "run tar -x -vzf now",
      // space-before-punct
      "the .NET framework",
      "and so on ...",
      "a smile :) here",
      "the final was 3 : 1 to them",
      "files ending in .txt are fine",
      "he said \"yes\" and left",
      "| Key Points , with | Details |",
      "wait . . . for it",
      "press the ? key and the ! key",
      "the . operator",
      // duplicate-comma
      "the values 1,,000 are odd",
      // space-run
      "    indented line",
      "| a  |  b |   ",
      // quote-space: ’ is also the apostrophe.
      "Ferrylink’s rise",
      // ‘ typed for an apostrophe, a one-letter word before it, a short quoted word.
      "we couldn‘t say ‘never’ then",
      "a rock‘n’roll band",
      "at six o‘clock’s bell",
      "the band‘s fans",
      "his pal‘Jo’ left",
      "the ”odd” one",  // a ” with nothing open: unclear, leave it
      // quote-direction: paired quotes, nesting, straight and single quotes.
      "“A nation like China cannot be printed,” wrote Hujin. “US sanctions will only promote progress”",
      "“He said “no” to me.”",
      "\"Seriously! \"Wrote another user.",
      "‘Seriously! ‘Wrote another user.",
      "“First part. “Second part” and more",
      // reference-marker: a reference list makes markers meaningful; code-like indexes stay.
      "Claimed here.[1]\nReferences\n[1] A source.",
      "Claimed here.[1]\n^ A source.",
      "the array x[1] and f([2])",
      "in [2019] it",
      "the note [1]a stays",
      // Clean prose.
      "The fishing town has been changed by the sudden rise of Ferrylink, a local company.",
      "“When the stock plummeted, the advantage was gone,” Du noted.",
      "",
  }));
  CAPTURE(input);
  CHECK(edits_of(stage, input).empty());
}

TEST_CASE("spacing: one pass, no overlaps", "[spacing]") {
  SpacingStage stage(test_resources());
  // Several rules on one line, next to each other.
  const std::string input = "Seriously,the cost  was $ 100 , , Then  “Wow! “He said.  ";
  CHECK(run_stage(stage, input) == "Seriously, the cost was $100, Then “Wow!” he said.");
  for (const auto& e : edits_of(stage, input)) CHECK(e.kind == EditKind::kChange);
  std::vector<std::string> ids;
  for (const auto& rule : stage.rules()) ids.emplace_back(rule.id);
  CHECK(ids.size() == 9);
}

// The scan skips ordinary bytes in bulk: constructs right after a long run,
// at the end of the line and next to a quote edit must still be seen.
TEST_CASE("spacing: constructs after long plain runs", "[spacing]") {
  SpacingStage stage(test_resources());
  const std::string run(500, 'a');
  CHECK(run_stage(stage, run + " , b") == run + ", b");
  CHECK(run_stage(stage, run + ",b") == run + ", b");
  CHECK(run_stage(stage, run + "   ") == run);
  CHECK(run_stage(stage, run + " costs $ 5") == run + " costs $5");
  CHECK(run_stage(stage, "He said “" + run + "”and left") == "He said “" + run + "” and left");
  CHECK(run_stage(stage, run + " x") == run + " x");
}

TEST_CASE("spacing: one run reaches the fixed point", "[spacing]") {
  SpacingStage stage(test_resources());
  // Each repair decided as the stage's own other repairs leave the text: a
  // run of commas, a hyphen just joined, a word split off by comma-space.
  for (const std::string_view text : {"figures,,,,, sales", "the state -owned -backed lender",
                                      "-q,market -driven rally", "a city  -run  -funded zoo"}) {
    const std::string once = run_stage(stage, text);
    INFO(once);
    CHECK(once != text);
    CHECK(edits_of(stage, once).empty());
  }
}

TEST_CASE("spacing: trailing spaces around a carriage return go in one run", "[spacing]") {
  SpacingStage stage(test_resources());
  // A lone carriage return with spaces on both sides at a line's end: once the
  // spaces after it go, it ends the line and the spaces before it trail.
  CHECK(run_stage(stage, "Q \r  ") == "Q\r");
  CHECK(run_stage(stage, "total  \r \nnext line") == "total\r\nnext line");
  CHECK(run_stage(stage, "a word\t \r\t ") == "a word\t \r\t");  // tabs are not space-run's
  for (const std::string_view text : {"Q \r  ", "total  \r \nnext line", "x \r \r ", "  \r "}) {
    const std::string once = run_stage(stage, text);
    INFO(once);
    CHECK(edits_of(stage, once).empty());
  }
  // Blank lines keep their indentation; a carriage return inside a line is no line end.
  CHECK(run_stage(stage, "  \r ") == "  \r");
  CHECK(run_stage(stage, "a \rb ") == "a \rb");
}
