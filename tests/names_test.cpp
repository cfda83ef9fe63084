#include <catch2/catch.hpp>

#include <filesystem>
#include <memory>
#include <string>

#include "pipeline/io.h"
#include "stages/names.h"
#include "tests/stage_test_util.h"

using copydesk::EditKind;
using copydesk::NameEvidence;
using copydesk::NamesStage;
using copydesk::testing::edits_of;
using copydesk::testing::rules_of;
using copydesk::testing::run_stage;
using copydesk::testing::test_resources;

namespace {

struct Case {
  const char* input;
  const char* expected;
  const char* rule;
};

// Long enough to be a prose line (the document rule reads evidence from prose only).
const std::string kProse = " The company said on Tuesday that it would keep working with partners in the region.";

}  // namespace

TEST_CASE("names: name-table fixes", "[names]") {
  NamesStage stage(test_resources());
  const Case cases[] = {
      {"Spacex is here.", "SpaceX is here.", "name-table"},
      {"A video from bytedance appeared.", "A video from ByteDance appeared.", "name-table"},
      {"Bytedance-owned apps grew.", "ByteDance-owned apps grew.", "name-table"},
      {"It rivals Openai in tests.", "It rivals OpenAI in tests.", "name-table"},
      {"It used openai’s model.", "It used OpenAI’s model.", "name-table"},
      {"When Openai’s Midjourny came out.", "When OpenAI’s Midjourney came out.", "name-table"},
      {"said Mercedesbenz, the maker", "said Mercedes-Benz, the maker", "name-table"},
      {"said Mercedes benz, the maker", "said Mercedes-Benz, the maker", "name-table"},
      {"he studied at Carnegie Mello in the 1980s", "he studied at Carnegie Mellon in the 1980s", "name-table"},
      {"a blog on Wechat said", "a blog on WeChat said", "name-table"},
      {"he met with satya Nadella, the chief", "he met with Satya Nadella, the chief", "name-table"},
      {"leader xi jinping said", "leader Xi Jinping said", "name-table"},
      {"traders on wall Street said", "traders on Wall Street said", "name-table"},
      {"during the Chinese new Year holiday", "during the Chinese New Year holiday", "name-table"},
      {"in the United states' economy", "in the United States' economy", "name-table"},
      {"a firm called High Flyer after", "a firm called High-Flyer after", "name-table"},
      {"sales of Gpus rose", "sales of GPUs rose", "name-table"},
      {"in ukraine, he said", "in Ukraine, he said", "name-table"},
      {"the bill in the House of commons after", "the bill in the House of Commons after", "name-table"},
      {"a visit to Abu dhabi this week", "a visit to Abu Dhabi this week", "name-table"},
  };
  for (const auto& c : cases) {
    SECTION(c.input) {
      CHECK(run_stage(stage, c.input) == c.expected);
      for (const auto& r : rules_of(stage, c.input)) CHECK(r == c.rule);
    }
  }
}

TEST_CASE("names: name-table leaves these alone", "[names]") {
  NamesStage stage(test_resources());
  const char* negatives[] = {
      "DeepSeek, OpenAI, ChatGPT and WeChat are already right.",
      "iPhone, YouTube, eBay and macOS are names.",
      "She baked an apple pie in the amazon rainforest.",
      "The china cabinet was made in the united states.",
      "He walked along the wall street of the old town.",
      "Visit openai.com or deepseek.com for details.",
      "The startup 01.ai was founded in Beijing.",
      "Write to press@deepseek.com or see https://github.com/deepseek-ai/deepseek-v3 today.",
      "Follow @openai and #deepseek on social media.",
      "DEEPSEEK SHAKES WALL STREET",
      "The handle 'deepseek' was taken.",
      "The word \"wechat\" was searched for.",
      "The Nato summit and the Nasa launch went ahead.",
      "He is a high flyer in the firm.",
      "Ten Cent coins were found.",
      "They met Zhang Wei and Wang Fang in Qingdao.",
      "Vincent van Gogh and Ludwig van Beethoven were artists.",
      "He said: «Je suis à Paris» and left.",
      "David Sachs spoke.",
  };
  for (const char* text : negatives) {
    SECTION(text) { CHECK(run_stage(stage, text) == text); }
  }
}

TEST_CASE("names: one letter off a different name is only flagged", "[names]") {
  NamesStage stage(test_resources());
  const std::string text = "He studied at Carnegie Melon in Pittsburgh.";
  const auto edits = edits_of(stage, text);
  // "Melon" is an English word, so it is not even a candidate.
  CHECK(edits.empty());
  const std::string swapped = "Executives at Supermirco said.";
  for (const auto& e : edits_of(stage, swapped)) CHECK(e.kind == EditKind::kFlag);
  CHECK(run_stage(stage, swapped) == swapped);
}

TEST_CASE("names: a dropped letter counts against the name's length, not the span's", "[names]") {
  NamesStage stage(test_resources());
  // Seven letters written as six: the name is long enough to be matched.
  CHECK(run_stage(stage, "Sales of Samsng phones rose.") == "Sales of Samsung phones rose.");
  // Six-letter names stay below the bound, written either way.
  for (const char* text : {"A letter from Googe came.", "Shares of Nvida fell.", "Shares of Nvidiaa fell."}) {
    SECTION(text) { CHECK(edits_of(stage, text).empty()); }
  }
}

TEST_CASE("names: document-name fixes", "[names]") {
  NamesStage stage(test_resources());
  const Case cases[] = {
      // An inner-capital spelling elsewhere in the document.
      {"The Zorblax model from ZorbLabs is new. Rivals of Zorblabs reacted.",
       "The Zorblax model from ZorbLabs is new. Rivals of ZorbLabs reacted.", "document-name"},
      {"It uses a Mixture of Experts (MoE) design. The moe model is cheap.",
       "It uses a Mixture of Experts (MoE) design. The MoE model is cheap.", "document-name"},
      // A capitalised pair.
      {"The analyst Du Yijin said it was new and that there was a lot more to come.\nLater du Yijin added more.",
       "The analyst Du Yijin said it was new and that there was a lot more to come.\nLater Du Yijin added more.",
       "document-name"},
      {"The analyst Du Yijin said it was new and that there was a lot more to come.\nDu yijin added more.",
       "The analyst Du Yijin said it was new and that there was a lot more to come.\nDu Yijin added more.",
       "document-name"},
      {"Speaking to the press, Greta Halvorsen said she was happy with the results.\nA spokeswoman, Greta "
       "halvorsen, told them.",
       "Speaking to the press, Greta Halvorsen said she was happy with the results.\nA spokeswoman, Greta "
       "Halvorsen, told them.",
       "document-name"},
      // A capitalised word used mid-sentence in prose.
      {"The film was shown at the Tribeca festival last week before it opened in cinemas.\nAt this year's "
       "tribeca event it won.",
       "The film was shown at the Tribeca festival last week before it opened in cinemas.\nAt this year's "
       "Tribeca event it won.",
       "document-name"},
      {"The coach praised Okafor after the match and said he was the best player in the team.\nAnd okafor, "
       "nicknamed the rock, won.",
       "The coach praised Okafor after the match and said he was the best player in the team.\nAnd Okafor, "
       "nicknamed the rock, won.",
       "document-name"},
      // Only at a sentence start elsewhere, but inside a run of capitalised words here.
      {"Other speakers included Ana Lucia vargas, who spoke about her work in the valley.\nVargas is also "
       "standing for a seat on the council.",
       "Other speakers included Ana Lucia Vargas, who spoke about her work in the valley.\nVargas is also "
       "standing for a seat on the council.",
       "document-name"},
  };
  for (const auto& c : cases) {
    SECTION(c.input) {
      CHECK(run_stage(stage, c.input) == c.expected);
      for (const auto& r : rules_of(stage, c.input)) CHECK(r == c.rule);
    }
  }
}

TEST_CASE("names: document-name leaves these alone", "[names]") {
  NamesStage stage(test_resources());
  const char* negatives[] = {
      // Common words that are also names.
      "Shares of Apple rose after the launch of the new phone and the apple harvest was good.",
      "The group met at Bath Abbey on a cold day and later took a hot bath in the hotel.",
      "The company BlackBerry said it would cut jobs, and the blackberry bushes grew in the yard.",
      // Lower-case only at a sentence start elsewhere, and not inside a name here.
      "Zorblax is a new tool made by a small team.\nThey say zorblax will be free for all users next year.",
      // More lower-case than capitalised uses: the capital is the odd one out.
      "The new blorfin tool and the blorfin app were shown to the press by the team yesterday.\nUsers of "
      "Blorfin said blorfin was fast.",
      // Name particles after a given name.
      "The painter Vincent Van Gogh was shown in the museum with many of his famous works.\nLater Vincent van "
      "Gogh was sold.",
      // Months belong to the casing stage.
      "The report was published in January by the team and it was read by many people.\nIn the second week "
      "of january it sold out.",
      // Function words before a name.
      "He told The Guardian that the plan was dead and he would not change his mind again.\nHe also told the "
      "Guardian more.",
      // Headings and quoted words.
      "The Zorblax Launch Event In Pictures\nThe team said the zorblax launch went well for everyone involved.",
      "The company ZorbLabs said it would release the software to all of its users next week.\nThe "
      "string 'zorblabs' is the handle.",
      // URLs and domains.
      "The company ZorbLabs said it would release the software to all of its users next week.\nSee "
      "zorblabs.com for more.",
      // Two inner-capital spellings: flagged at most, never changed.
      "The company ZorbLabs said it would release the software, and ZorBlabs agreed to it.\nThe "
      "zorblabs team waited.",
  };
  for (const char* text : negatives) {
    SECTION(text) { CHECK(run_stage(stage, text) == text); }
  }
}

TEST_CASE("names: batch evidence", "[names]") {
  NamesStage stage(test_resources());
  const std::string doc = "Rivals of Zorblabs reacted to the news on Monday.";
  CHECK(run_stage(stage, doc) == doc);  // no evidence in the document itself

  NameEvidence batch;
  batch.collect("The Zorblax model from ZorbLabs is new and many people are using it already.");
  stage.set_batch_evidence(std::make_shared<const NameEvidence>(batch));
  CHECK(run_stage(stage, doc) == "Rivals of ZorbLabs reacted to the news on Monday.");
  CHECK(rules_of(stage, doc) == std::vector<std::string>{"document-name"});

  SECTION("the pairs and capitalised words of a batch count too") {
    NameEvidence more;
    more.collect("The talks were led by the analyst Qorvin Yijin and the team from the city.");
    NameEvidence merged;
    merged.merge(batch);
    merged.merge(more);
    REQUIRE(merged.word("zorblabs") != nullptr);
    REQUIRE(merged.pair("qorvin yijin") != nullptr);
    CHECK(merged.pair("qorvin yijin")->form == "Qorvin Yijin");
    stage.set_batch_evidence(std::make_shared<const NameEvidence>(merged));
    CHECK(run_stage(stage, "He met qorvin Yijin on Monday at the office.") ==
          "He met Qorvin Yijin on Monday at the office.");
  }
  SECTION("cleared evidence stops counting") {
    stage.set_batch_evidence(nullptr);
    CHECK(run_stage(stage, doc) == doc);
  }
}

TEST_CASE("names: edits never overlap and describe themselves", "[names]") {
  NamesStage stage(test_resources());
  const std::string text = "Bytedance and openai met satya Nadella." + kProse;
  const auto edits = edits_of(stage, text);  // edits_of checks for overlaps
  REQUIRE(edits.size() == 3);
  for (const auto& e : edits) {
    CHECK(!e.reason.empty());
    CHECK(e.kind == EditKind::kChange);
  }
  CHECK(stage.rules().size() == 2);
}

TEST_CASE("names: a large document tokenized in blocks gives the same edits", "[names]") {
  // Every sample article in one document, twice over, with a name written
  // once in the first article's evidence and once wrong far later.
  std::string text;
  for (const auto& entry : std::filesystem::directory_iterator(COPYDESK_SOURCE_DIR "/samples"))
    if (entry.path().extension() == ".txt") text += copydesk::read_document(entry.path().string()) + "\n";
  text = "The fund was led by Marisol Okonkwo-Hale since the spring of last year.\n" + text + text +
         "A spokesman for marisol Okonkwo-Hale declined to comment on the plan.\n";
  NamesStage whole(test_resources());
  const auto expected = edits_of(whole, text);
  REQUIRE(expected.size() > 3);
  const std::size_t saved_whole = NamesStage::whole_document_bytes;
  const std::size_t saved_block = NamesStage::block_bytes;
  NamesStage::whole_document_bytes = 0;
  NamesStage::block_bytes = 4096;  // many blocks
  NamesStage split(test_resources());
  const auto got = edits_of(split, text);
  NamesStage::whole_document_bytes = saved_whole;
  NamesStage::block_bytes = saved_block;
  CHECK(got.size() == expected.size());
  CHECK(copydesk::testing::same_edits(got, expected));
}

TEST_CASE("names: a stage that has let a large document's buffers go gives the same edits", "[names]") {
  // More than 2^16 tokens: the token buffers are released when the next
  // document starts.
  std::string samples;
  for (const auto& entry : std::filesystem::directory_iterator(COPYDESK_SOURCE_DIR "/samples"))
    if (entry.path().extension() == ".txt") samples += copydesk::read_document(entry.path().string()) + "\n";
  std::string large;
  while (large.size() < (std::size_t{1} << 20)) large += samples;
  const std::string small = "The board was chaired by Teodora Brightwater-Sosa since the autumn of the year before.\n" +
                            kProse.substr(1) +
                            "\nA lawyer for teodora Brightwater-Sosa declined to comment on the case that week.\n";
  NamesStage fresh(test_resources());
  const auto expected_small = edits_of(fresh, small);
  REQUIRE(!expected_small.empty());
  NamesStage used(test_resources());
  const auto first_large = edits_of(used, large);
  CHECK(copydesk::testing::same_edits(edits_of(used, small), expected_small));
  CHECK(copydesk::testing::same_edits(edits_of(used, large), first_large));
  CHECK(copydesk::testing::same_edits(edits_of(used, small), expected_small));
}
