#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "stages/spelling.h"
#include "tests/stage_test_util.h"

using copydesk::EditKind;
using copydesk::SpellingStage;
using copydesk::testing::edits_of;
using copydesk::testing::rules_of;
using copydesk::testing::run_stage;
using copydesk::testing::test_resources;

namespace {

SpellingStage& stage() {
  static SpellingStage s(test_resources());
  return s;
}

struct Case {
  const char* input;
  const char* expected;
  const char* rule;
};

// Every flag-free, change-free text: the stage must propose nothing at all.
void require_untouched(const std::string& text) {
  INFO(text);
  const auto edits = edits_of(stage(), text);
  for (const auto& e : edits) INFO(e.rule << ": '" << text.substr(e.begin, e.end - e.begin) << "'");
  CHECK(edits.empty());
}

}  // namespace

TEST_CASE("spelling: typos are corrected when one candidate clearly wins", "[spelling]") {
  const std::vector<Case> cases = {
      {"The economy willl slow, the minister said.", "The economy will slow, the minister said.", "misspelling"},
      // Real articles use the common words they need; the tests give the same evidence.
      {"Sales fell duting the quarter and rose during May.", "Sales fell during the quarter and rose during May.",
       "misspelling"},
      {"Exports to countries inclusing Vietnam rose.", "Exports to countries including Vietnam rose.", "misspelling"},
      {"Prices rose in tne US and the rest of the world, the bank said on the day.",
       "Prices rose in the US and the rest of the world, the bank said on the day.", "misspelling"},
      {"The minister said hsi plan would work.", "The minister said his plan would work.", "misspelling"},
      {"It was ihs day, his coach said of his win.", "It was his day, his coach said of his win.", "misspelling"},
      {"The firm said the governemnt had acted.", "The firm said the government had acted.", "misspelling"},
      {"She was verry happy with the result.", "She was very happy with the result.", "misspelling"},
      {"He \"totally condemmed\" the attack.", "He \"totally condemned\" the attack.", "misspelling"},
      {"The service costs $5 a monthe for the user.", "The service costs $5 a month for the user.", "misspelling"},
      {"Firms are starting itheir own services, as their rivals did.",
       "Firms are starting their own services, as their rivals did.", "misspelling"},
      {"The films were fololwed by a party.", "The films were followed by a party.", "misspelling"},
      {"The rise was seen in diffrent countries.", "The rise was seen in different countries.", "misspelling"},
      {"It was the USA's challnge in the final.", "It was the USA's challenge in the final.", "misspelling"},
      {"They are seeing incraesing take-up.", "They are seeing increasing take-up.", "misspelling"},
      // Sentence starts: only into a very common word.
      {"He went to the shop. Thge shop was closed.", "He went to the shop. The shop was closed.", "misspelling"},
      {"The court ruled. \"Tne detainees must go,\" he told the judge, the jury and the state.",
       "The court ruled. \"The detainees must go,\" he told the judge, the jury and the state.", "misspelling"},
      {"The tests ended. Resulst of the tests were good.", "The tests ended. Results of the tests were good.",
       "misspelling"},
      // Machine-translation stutter.
      {"He had learnedned to play the game.", "He had learned to play the game.", "garble"},
      {"The spending propoposals would cost more.", "The spending proposals would cost more.", "garble"},
      {"They will be prosecututed and fined.", "They will be prosecuted and fined.", "garble"},
      {"Sales rose globalbally from the start.", "Sales rose globally from the start.", "garble"},
      {"Controls on gateteways are strict.", "Controls on gateways are strict.", "garble"},
      {"The bands were virtuatually unknown.", "The bands were virtually unknown.", "garble"},
      {"The deficiicit is large, and the deficit grows.", "The deficit is large, and the deficit grows.", "garble"},
      {"It was a time of Technological Rivalality with the US. The rivalry grew.",
       "It was a time of Technological Rivalry with the US. The rivalry grew.", "garble"},
  };
  for (const auto& c : cases) {
    SECTION(c.input) {
      CHECK(run_stage(stage(), c.input) == c.expected);
      CHECK(rules_of(stage(), c.input) == std::vector<std::string>{c.rule});
    }
  }
}

TEST_CASE("spelling: doubtful non-words are flagged, not changed", "[spelling]") {
  // Without the article's evidence "tne" could be "the" or "ten": a reviewer decides.
  const std::string text = "It was tne.";
  const auto edits = edits_of(stage(), text);
  REQUIRE(edits.size() == 1);
  CHECK(edits[0].kind == EditKind::kFlag);
  CHECK(edits[0].rule == "unsure");
  CHECK(text.substr(edits[0].begin, edits[0].end - edits[0].begin) == "tne");
  CHECK(run_stage(stage(), text) == text);
}

TEST_CASE("spelling: a list letter glued to a word is kept", "[spelling]") {
  // Deleting the last letter before "." or ")" would lose the list marker:
  // at most a flag.
  for (const std::string text :
       {"Choose one:\na. Pack the red bagb. Pack the green one.", "Options: (a) Paint the wallb) Paint the door."}) {
    INFO(text);
    CHECK(run_stage(stage(), text) == text);
    for (const auto& e : edits_of(stage(), text)) CHECK(e.kind == EditKind::kFlag);
  }
  // A word that is only misspelt is still corrected before a period.
  CHECK(run_stage(stage(), "He could not beleive it.") == "He could not believe it.");
}

TEST_CASE("spelling: what looks odd but is right is left alone", "[spelling]") {
  const std::vector<std::string> negatives = {
      // Names the dictionary does not know, mid-sentence and at sentence starts.
      "Fanceiju said the plan would work, and Hujin agreed at Tsinghua.",
      "Butragueno scored twice. Yugansk was sold to Musselman.",
      "The minister met Liang Wenfeng and Du Yijin in Shenzhen.",
      // Products with inner capitals, URLs, e-mails, domains.
      "DeepSeek, iPhone and ChatGPT sold well; see openai.com or mail info@example.com today.",
      "Visit https://www.example.org/path/to/pagee or 01.ai for more.",
      // British spellings.
      "The colour of the centre was grey, the organisation said, and it apologised.",
      // ALL CAPS and abbreviations.
      "The GOVERMENT said the BBC and NATO agreed with the U.S. and e.g. a Ph.D.",
      // Words in quotes and foreign phrases.
      "He used the word 'hutong' for the alley, and the \xE2\x80\x9Csiheyuan\xE2\x80\x9D courtyard.",
      "They enjoyed the dolce vita, a pain au chocolat and the joie de vivre.",
      "Les Bleus sang \xC2\xABla vie en rose\xC2\xBB and the crowd cheered Butrague\xC3\xB1o.",
      // Digits, hyphenated compounds.
      "The H20 and B200 chips, the 3GSM fair, mp3s and 10,000 units.",
      "A well-known, state-led, low-cost, tech-savvy plan with a co-founder.",
      // Technical terms and rare but correct words.
      "The tokenizer uses backpropagation, dropout and a transformer with embeddings.",
      "The quixotic, lugubrious and perspicacious sesquipedalian spoke.",
      "Netizens, cryptocurrency, blockchain, chatbots, fintech, livestreaming and smartwatches.",
      "The policy of reshoring factories outshined the rest.",
      // A non-word used twice is intended.
      "The recieve button and the recieve screen were broken.",
      // A lower-case name is the casing stage's business.
      "Experts are gathered in cannes, France, for the fair.",
      // Short tokens.
      "It is ok, the xx and the zz were fine.",
  };
  for (const auto& text : negatives) {
    SECTION(text) { require_untouched(text); }
  }
}

TEST_CASE("spelling: the case pattern of the original is kept", "[spelling]") {
  CHECK(run_stage(stage(), "The team. Thge team won.") == "The team. The team won.");
  CHECK(run_stage(stage(), "the firm said the governemnt had acted.") == "the firm said the government had acted.");
}

TEST_CASE("spelling: running twice changes nothing more", "[spelling]") {
  const std::string text =
      "The economy willl slow duting the year, the minister said.\n"
      "He had learnedned that the governemnt would act. Thge plan was fololwed by the board.\n"
      "Fanceiju met the team at openai.com in the colour room.\n";
  const std::string once = run_stage(stage(), text);
  CHECK(once != text);
  CHECK(run_stage(stage(), once) == once);
  CHECK(edits_of(stage(), once).empty());
}

TEST_CASE("spelling: a word corrected in the same run is no foreign neighbour", "[spelling]") {
  // Two misspellings a few words apart: the second is judged with the first
  // as this run corrects it (a word), not as a non-word that would make the
  // pair look like a foreign phrase, so one run corrects both.
  for (const auto& [text, expected] : std::vector<std::pair<std::string, std::string>>{
           {"Its governmnet policy. Thereofre the plan was dropped.\n",
            "Its government policy. Therefore the plan was dropped.\n"},
           {"the ecnomy grew. Howevr, prices fell.\n", "the economy grew. However, prices fell.\n"},
       }) {
    const std::string once = run_stage(stage(), text);
    CHECK(once == expected);
    CHECK(edits_of(stage(), once).empty());
  }
}

TEST_CASE("spelling: lines without letters and empty text", "[spelling]") {
  CHECK(edits_of(stage(), "").empty());
  CHECK(edits_of(stage(), "\n\n| 1 | 2 |\n").empty());
  CHECK(edits_of(stage(), "'\"()").empty());
}

TEST_CASE("spelling: a chunk that starts with a vertical tab, form feed or Unicode space ends", "[spelling]") {
  // Such a character after a blank once made the chunk scan stand still (a
  // hang); the words after it are still checked.
  for (const std::string sep : {"\v", "\f", "\xC2\xA0", "\xE2\x80\x83"}) {
    INFO("separator bytes " << sep.size());
    const std::string text = "The rise was seen in " + sep + "diffrent countries.";
    CHECK(run_stage(stage(), text) == "The rise was seen in " + sep + "different countries.");
  }
}

TEST_CASE("spelling: a reduplicated name is never a stutter", "[spelling]") {
  // "Mingming" is one syllable twice, not a garbled "mine".
  require_untouched("Reporter Zhou Mingming said the thing was done in the mine.\n");
  require_untouched("Correspondent Wu Xiaoxiao and Xiao Lin filed the story.\n");
  // A stutter inside a longer word is still repaired.
  CHECK(run_stage(stage(), "The officials announcedced the new rules on Monday.\n") ==
        "The officials announced the new rules on Monday.\n");
}

TEST_CASE("spelling: a lower-case name that is likely a slip for a common word is checked", "[spelling]") {
  // "bess" is known only as a name, and "less"/"best" are far more common: not accepted as a word.
  const std::string text = "The report said there was bess time for the answer.\n";
  const std::size_t at = text.find("bess");
  bool flagged_or_changed = false;
  for (const auto& e : edits_of(stage(), text))
    flagged_or_changed = flagged_or_changed || (e.begin == at && e.end == at + 4);
  CHECK(flagged_or_changed);
  // Written capitalised it is a name: left alone.
  require_untouched("The report said Bess Smith gave the answer.\n");
}
