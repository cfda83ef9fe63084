#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "stages/sentences.h"
#include "tests/stage_test_util.h"

using copydesk::SentencesStage;
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

SentencesStage& stage() {
  static SentencesStage s(test_resources());
  return s;
}

// The output must match and every edit must come from the rule under test
// (glue positives end in '.', so final-period never joins in).
void check_positive(const Case& c) {
  INFO("input: " << c.input);
  CHECK(run_stage(stage(), c.input) == c.expected);
  const auto rules = rules_of(stage(), c.input);
  REQUIRE(!rules.empty());
  for (const auto& r : rules) CHECK(r == c.rule);
}

std::string describe(const std::vector<copydesk::Edit>& edits) {
  std::string d;
  for (const auto& e : edits) d += e.rule + " at " + std::to_string(e.begin) + " -> '" + e.replacement + "'; ";
  return d;
}

void check_unchanged(const std::string& text) {
  INFO("input: " << text);
  const auto edits = edits_of(stage(), text);
  INFO("edits: " << describe(edits));
  CHECK(edits.empty());
}

// Weak evidence: the text stays as it is, and a reviewer gets a flag.
void check_flagged_only(const std::string& text) {
  INFO("input: " << text);
  const auto edits = edits_of(stage(), text);
  INFO("edits: " << describe(edits));
  CHECK(!edits.empty());
  for (const auto& e : edits) CHECK(e.kind == copydesk::EditKind::kFlag);
}

void check_no_final_period(const std::string& text) {
  INFO("input: " << text);
  const auto edits = edits_of(stage(), text);
  INFO("edits: " << describe(edits));
  for (const auto& e : edits) CHECK(e.rule != "final-period");
}

}  // namespace

TEST_CASE("sentences: glued-camel splits glued sentences", "[sentences]") {
  const std::vector<Case> cases = {
      {"It has captured global attentionIts rise is comparable.",
       "It has captured global attention. Its rise is comparable.", "glued-camel"},
      {"The campaign against HuaweiHowever, times have changed.",
       "The campaign against Huawei. However, times have changed.", "glued-camel"},
      {"The cast includes Tom Hanks and Emma ThompsonJulia Roberts joins them later.",
       "The cast includes Tom Hanks and Emma Thompson. Julia Roberts joins them later.", "glued-camel"},
      {"The album came out in Ireland in OctoberGuitarist Tom Hale wrote most of it.",
       "The album came out in Ireland in October. Guitarist Tom Hale wrote most of it.", "glued-camel"},
      {"The dinner took place a week before the GrammysSeveral nominees attended.",
       "The dinner took place a week before the Grammys. Several nominees attended.", "glued-camel"},
      {"She spoke at the motor show in GenevaShe added: \"We are ready.\"",
       "She spoke at the motor show in Geneva. She added: \"We are ready.\"", "glued-camel"},
      {"You can hear a lot of French-language radioBut what you cannot hear is jazz.",
       "You can hear a lot of French-language radio. But what you cannot hear is jazz.", "glued-camel"},
      {"It is the busiest season for the shops at the momentMost queues are long.",
       "It is the busiest season for the shops at the moment. Most queues are long.", "glued-camel"},
      {"We simply couldn't stop themOur legs were tired and they ran harder.",
       "We simply couldn't stop them. Our legs were tired and they ran harder.", "glued-camel"},
      {"Output rose by 3% in the same quarterWhile imports fell, exports held.",
       "Output rose by 3% in the same quarter. While imports fell, exports held.", "glued-camel"},
      {"It is experiencing enthusiasm worldwideEverywhere you look, it grows.",
       "It is experiencing enthusiasm worldwide. Everywhere you look, it grows.", "glued-camel"},
      {"It was driven by this technologyTherefore, even the slightest advance counts.",
       "It was driven by this technology. Therefore, even the slightest advance counts.", "glued-camel"},
  };
  for (const auto& c : cases) check_positive(c);
}

TEST_CASE("sentences: glued-period adds the missing space", "[sentences]") {
  const std::vector<Case> cases = {
      {"The status quo has been profoundly challenged.The defection of Nvidia followed.",
       "The status quo has been profoundly challenged. The defection of Nvidia followed.", "glued-period"},
      {"The effects were felt immediately in the U.S.On January 27, stocks fell.",
       "The effects were felt immediately in the U.S. On January 27, stocks fell.", "glued-period"},
      {"It was backed by the Chinese Communist Party (CCP).On the day of the release, he met.",
       "It was backed by the Chinese Communist Party (CCP). On the day of the release, he met.", "glued-period"},
      {"It was built on others, Du Yijin explained.\xE2\x80\x9CThis suggests a lot.\xE2\x80\x9D",
       "It was built on others, Du Yijin explained. \xE2\x80\x9CThis suggests a lot.\xE2\x80\x9D", "glued-period"},
      {"Tell us what you think below!The answer may surprise you.",
       "Tell us what you think below! The answer may surprise you.", "glued-period"},
      {"Who will win?Nobody knows yet.", "Who will win? Nobody knows yet.", "glued-period"},
      {"The vote is on 3 March.Should it fail, the bill will lapse.",
       "The vote is on 3 March. Should it fail, the bill will lapse.", "glued-period"},
      {"It shrank under the Conservatives.In her speech, Ms Reed spoke.",
       "It shrank under the Conservatives. In her speech, Ms Reed spoke.", "glued-period"},
      {"They called it a \"reckless gamble\".Anna Price said so.",
       "They called it a \"reckless gamble\". Anna Price said so.", "glued-period"},
      {"He said it would \xE2\x80\x9Cnever happen.\xE2\x80\x9DThe firm disagreed.",
       "He said it would \xE2\x80\x9Cnever happen.\xE2\x80\x9D The firm disagreed.", "glued-period"},
      {"The museum was opened in 1964.Foreign visitors will come.",
       "The museum was opened in 1964. Foreign visitors will come.", "glued-period"},
      {"He met Mr.Smith on Monday.", "He met Mr. Smith on Monday.", "glued-period"},
      // Straight quotes: an even count before it opens a quote, an odd one closes.
      {"He said he was hoping for more.\"I am happy,\" she said.",
       "He said he was hoping for more. \"I am happy,\" she said.", "glued-period"},
      {"They said the target was way too optimistic.\"It's going to be hard,\" he said.",
       "They said the target was way too optimistic. \"It's going to be hard,\" he said.", "glued-period"},
      {"The point is that the answer is there.Don't worry about it, he said.",
       "The point is that the answer is there. Don't worry about it, he said.", "glued-period"},
  };
  for (const auto& c : cases) check_positive(c);
}

TEST_CASE("sentences: glued-lowercase splits and capitalises", "[sentences]") {
  const std::vector<Case> cases = {
      {"AI companies suffered significant losses.microsoft fell by 4%.",
       "AI companies suffered significant losses. Microsoft fell by 4%.", "glued-lowercase"},
      {"The bank can cope without its Irish unit.on Friday, a regulator said.",
       "The bank can cope without its Irish unit. On Friday, a regulator said.", "glued-lowercase"},
      {"Others are less convinced.toyota has licensed the design.",
       "Others are less convinced. Toyota has licensed the design.", "glued-lowercase"},
      {"It does not mean closure, she said.mr Grant's reply was short.",
       "It does not mean closure, she said. Mr Grant's reply was short.", "glued-lowercase"},
      {"Such plans would push up rents.labour spokesman Tom Reid said.",
       "Such plans would push up rents. Labour spokesman Tom Reid said.", "glued-lowercase"},
      {"The change is small, said an Amazon manager.amazon Prime costs more.",
       "The change is small, said an Amazon manager. Amazon Prime costs more.", "glued-lowercase"},
      {"It came after Peter Hale's departure.in a letter, he thanked the staff.",
       "It came after Peter Hale's departure. In a letter, he thanked the staff.", "glued-lowercase"},
      {"The chief executive was Anil Mehta.local papers had said so.",
       "The chief executive was Anil Mehta. Local papers had said so.", "glued-lowercase"},
      {"Pop singer Lena Ray won, said critics and listeners.pop singer Lena Ray won.",
       "Pop singer Lena Ray won, said critics and listeners. Pop singer Lena Ray won.", "glued-lowercase"},
      {"We need to stay calm.we need to be patient.", "We need to stay calm. We need to be patient.",
       "glued-lowercase"},
  };
  for (const auto& c : cases) check_positive(c);
}

TEST_CASE("sentences: final-period ends prose paragraphs", "[sentences]") {
  const std::vector<Case> cases = {
      {"The bank is not, in fact, the only lender exposed to the mill",
       "The bank is not, in fact, the only lender exposed to the mill.", "final-period"},
      {"Paulo Ferreira has fuelled talk of a move from Benfica to AC Milan after admitting that he was unsettled "
       "by a long row over his contract",
       "Paulo Ferreira has fuelled talk of a move from Benfica to AC Milan after admitting that he was unsettled "
       "by a long row over his contract.",
       "final-period"},
      {"Jane Porter is science editor for The Courier, a weekly paper published in Bristol and Bath since 1990",
       "Jane Porter is science editor for The Courier, a weekly paper published in Bristol and Bath since 1990.",
       "final-period"},
      {"Prices rose. She said: \"We expect a steady rise in demand for cheaper tickets this winter",
       "Prices rose. She said: \"We expect a steady rise in demand for cheaper tickets this winter.", "final-period"},
      {"The figure was up 4% on last year. Sales rose to 500 units in 2004",
       "The figure was up 4% on last year. Sales rose to 500 units in 2004.", "final-period"},
      {"First line.\nObserving the rise, Western powers have reacted defensively, initiating countermeasures\n",
       "First line.\nObserving the rise, Western powers have reacted defensively, initiating countermeasures.\n",
       "final-period"},
  };
  for (const auto& c : cases) check_positive(c);
}

TEST_CASE("sentences: protected forms are left unchanged", "[sentences]") {
  const std::vector<std::string> cases = {
      // Names with inner capitals, listed or not.
      "DeepSeek, OpenAI, iPhone, McDonald, YouTube and PhD students use ChatGPT.",
      "WeChat, LinkedIn, PlayStation, PowerPoint and JavaScript are products.",
      "MasterCard, SoftBank, PayPal, TikTok, eBay, iOS and macOS are names.",
      "GlaxoSmithKline and AstraZeneca make drugs.",
      "He uses CrowdStrike and DoorDash at work.",
      "The BlackRock fund grew.",
      "He watched it on YouTube. Later he posted it on LinkedIn.",
      "A ZenBook and a MacBook were on the desk.",
      "He joined HarperCollins as an editor.",
      "The DeepSeek-R1 model and DeepSeek-V3 are out.",
      "Mr McEnroe and Mr McAllister spoke.",
      "A WhatsApp message was sent.",
      "She read TheStreet daily.",
      "Call getName or isOpen in the code.",
      "Add vim.List to it.",
      "Rename configure.in now.",
      "In the menu, choose File.Open\" to see it.",
      "The ToolBar.Open entry and MyMenu.Hello items are new.",
      "The FooBar tool is used. FooBar is free.",
      "Ms AnnaSophia Robb starred.",
      "The Mixture of Experts (MoE) model is cheap.",
      // URLs, e-mails, domains, files.
      "Visit openai.com, 01.ai, bbc.co.uk or news.google.com today.",
      "See www.x.org and bit.ly for more.",
      "It runs on Node.js and ASP.NET servers.",
      "Read https://example.com/News.Today now.",
      "Write to press@company.com for details.",
      "Open report.pdf or data.csv to see it.",
      "Shop at amazon.in now.",
      "Portals such as Rediff.com and Naver.com list the news.",
      "The site latinohiphopradio.com is popular.",
      // Numbers and versions.
      "The cost was $5.576 million.",
      "Update to v1.2 or 3.0.1 first.",
      "Growth was 1.8%. Prices rose 2.5%.",
      "He lives at No.1 Downing Street.",
      // Abbreviations and initials.
      "Made in the U.S.A. and sold in the U.K. too.",
      "She has a Ph.D. in physics.",
      "Bring fruit, e.g. apples, i.e. food.",
      "Use fruit, e.g.apples, for this.",
      "We met at 9 a.m. and left.",
      "J.R.R. Tolkien wrote it.",
      "It was Arsenal vs.the rest.",
      "The U.S.-China tech war goes on.",
      "The x.AI team and the U.S.ARMY met.",
      // Other punctuation.
      "Wait...The answer came.",
      "He said.\"We go.\"",
      "He said it.",
      "Dr. Smith, Mr. Jones and St. Louis.",
      // Ordinary news prose.
      "Canada's second-largest rail operator, Northern Freight Lines (NFL), says it plans to buy two small "
      "regional carriers in Ontario.",
      "Ms Ortiz went on to thank her staff and to promise voters a cleaner and safer city.",
      "Hewitt won the final by beating Ferrero 6-3 4-6 7-6 (7-4) 6-2 in just under four hours.",
      "Manchester indie band The Lanterns have topped the station's list of new acts to watch in 2006.",
      "The scheme, which was designed with Western buses, Route Link (who supply the software), "
      "starts with a free month on 20 routes.",
  };
  for (const auto& c : cases) check_unchanged(c);
}

TEST_CASE("sentences: headings and fragments get no final period", "[sentences]") {
  const std::vector<std::string> cases = {
      "Local films will be shown at the same",
      "The mayor has launched a review of",
      "Leeds folk-pop duo The Marrows have",
      "Dutch bank eyes Polish lender",
      "How are growers coping with the drought by changing the crop",
      "The River Treaty and the U.S.-mexico Water Row: A New Round in the Canal Dispute",
      "Brazil\xE2\x80\x99s Export Surge: Soybean Growers Challenge US Farm Dominance",
      "Which of these plans would you back for the U.K.-EU fishing talks? Tell us in the replies!"
      "The Long Road: U.K.-EU Fishing Rights",
      "Crowded wards have been criticised, she said, in a report.Hospitals must improve the standard of",
      "| Season Opened | Route-9 ferry, March 3, 2024 |",
      "Tags: farming, weather, rural life",
      "See also: Why ferry fares keep rising",
      "Comments are checked before they appear. Mandatory fields are marked *",
      "- Prices rose sharply in the first quarter, analysts said, across the sector",
      "1. Prices rose sharply in the first quarter, analysts said, across the sector",
      "Posted by John Smith, Senior Editor at The Times, on January 5 2025",
      "He said the move was a mistake, and that the company (which had lost money",
      "Read more at example.com, where the company said it posted its results at news.example.com",
      "He said the result was fine, and the team was happy with it.",
      "He asked whether the team, which had lost, would play again?",
      "",
      "\n\n",
  };
  for (const auto& c : cases) check_no_final_period(c);
  // Headings on their own line get no edit at all.
  check_unchanged("Local films will be shown at the same");
  check_unchanged("The mayor has launched a review of");
  check_unchanged("The River Treaty and the U.S.-mexico Water Row: A New Round in the Canal Dispute");
}

TEST_CASE("sentences: a name used again in the document is not split", "[sentences]") {
  check_unchanged("The rise of SkyWhat is fast. SkyWhat is a new app.");
  // The same token once only is split.
  CHECK(run_stage(stage(), "He said it was the pastThe rest is history.") ==
        "He said it was the past. The rest is history.");
}

TEST_CASE("sentences: edits are insertions or one-letter changes", "[sentences]") {
  const auto edits = edits_of(stage(), "Shares of the firm fell.microsoft said so, and the attentionIts rise went on.");
  REQUIRE(edits.size() == 2);
  CHECK(edits[0].rule == "glued-lowercase");
  CHECK(edits[0].end - edits[0].begin == 1);
  CHECK(edits[0].replacement == " M");
  CHECK(edits[1].rule == "glued-camel");
  CHECK(edits[1].begin == edits[1].end);
  CHECK(edits[1].replacement == ". ");
}

TEST_CASE("sentences: a long line is scanned in linear time", "[sentences]") {
  std::string text;
  for (int i = 0; i < 200000; ++i) text += "word.Word harbourIts Ferrylink ";
  const auto edits = edits_of(stage(), text);
  // The camel token repeats, so only the stops split; the first one opens
  // the line, with no sentence before it.
  CHECK(edits.size() == 199999);
}

TEST_CASE("sentences: a code character anywhere on the line protects its tokens", "[sentences]") {
  // The candidate comes before the code character: it must be dropped too.
  check_unchanged("He said it was the pastThe rest is history, x = 1, and then some more words.");
  check_unchanged("Shares of the firm fell.microsoft said so | and the rest of the table row is here");
  CHECK(run_stage(stage(), "He said it was the pastThe rest is history.") ==
        "He said it was the past. The rest is history.");
}

TEST_CASE("sentences: the document index grows past its first table", "[sentences]") {
  // Thousands of distinct words before the repeated token: the count must
  // survive the index growing. (The word list itself may get a final period.)
  std::string words;
  for (int i = 0; i < 3000; ++i) {
    words += 'w';
    words += std::to_string(i);
    words += ' ';
  }
  const std::string repeated = words + "\nThe rise of SkyWhat is fast. SkyWhat is a new app.\n";
  for (const auto& r : rules_of(stage(), repeated)) CHECK(r != "glued-camel");
  const std::string once = words + "\nHe said it was the pastThe rest is history.\n";
  CHECK(run_stage(stage(), once).find("past. The rest") != std::string::npos);
}

TEST_CASE("sentences: corpus evidence decides glues the old lists missed", "[sentences]") {
  const std::vector<Case> cases = {
      // A lower-case word glued to a word that opens sentences far more
      // often than it stands capitalised inside one.
      {"The vote came after a long delayLet nobody pretend otherwise.",
       "The vote came after a long delay. Let nobody pretend otherwise.", "glued-camel"},
      {"We counted every ballot in the boxPassing laws takes time.",
       "We counted every ballot in the box. Passing laws takes time.", "glued-camel"},
      // An ellipsis, a closing straight quote, an amount, an abbreviation.
      {"She paused at the open door....The hall was empty.", "She paused at the open door.... The hall was empty.",
       "glued-period"},
      {"He read the sign \"Closed for repairs.\"Then he left the shop.",
       "He read the sign \"Closed for repairs.\" Then he left the shop.", "glued-period"},
      {"The ticket for the show cost $12.50.It was cheap enough.",
       "The ticket for the show cost $12.50. It was cheap enough.", "glued-period"},
      {"The long meeting ended at 4 p.m.Dr. Grant left first.",
       "The long meeting ended at 4 p.m. Dr. Grant left first.", "glued-period"},
      // A word that is also a domain ending, after a common word that ends sentences.
      {"The team took real pride in their work.it showed in every detail.",
       "The team took real pride in their work. It showed in every detail.", "glued-lowercase"},
      {"The full list is posted at cityparks.org.The city updates it weekly.",
       "The full list is posted at cityparks.org. The city updates it weekly.", "glued-period"},
      // A short document: one word of sentence before the glue is enough
      // before a strong opener.
      {"Nice morning.My bike is fixed.", "Nice morning. My bike is fixed.", "glued-period"},
      {"Really sorry!?Are you hurt?", "Really sorry!? Are you hurt?", "glued-period"},
      {"The whole village argued about it for weeks.No one expected the vote to be so close.",
       "The whole village argued about it for weeks. No one expected the vote to be so close.", "glued-period"},
  };
  for (const auto& c : cases) check_positive(c);
}

TEST_CASE("sentences: weak evidence is flagged or left alone", "[sentences]") {
  // Identifiers in prose; a word that often stands capitalised inside a
  // sentence after an ellipsis or a domain: flagged, never changed.
  check_flagged_only("Type your loginName in the box.");
  check_flagged_only("Read the statusCode value and go on.");
  check_flagged_only("He kept on waiting for...Monday to come round again.");
  // Three dots may be an elision inside a quoted sentence: a flag.
  check_flagged_only("She said the plan was sound...But the costs kept rising.");
  // A lower-case word after a quote; a domain whose name is no common
  // English word; a function word before the hump.
  check_unchanged("He typed the code \"v2.\"and pressed the enter key.");
  check_unchanged("You can order them from bookhaven.in a few clicks.");
  // A function word before the hump never ends a sentence: at most the space
  // comes back ("Alliance" is capitalised in a third of Brown's mid-sentence uses).
  CHECK(run_stage(stage(), "They both joined theAlliance for the summer.") ==
        "They both joined the Alliance for the summer.");
  // One word before the glue and a right piece that is no strong opener, or a
  // capitalised camel-case left piece: code notation.
  check_unchanged("Press Menu.Save now.");
  check_unchanged("Open vim.List now.");
}

TEST_CASE("sentences: the trigram model must agree before a camel glue is split", "[sentences]") {
  // Both the corpus odds and the trigram odds are high: split.
  check_positive({"The committee met on Monday to review the budgetMembers agreed that more cuts were needed.",
                  "The committee met on Monday to review the budget. Members agreed that more cuts were needed.",
                  "glued-camel"});
  // The corpus odds are in the flag band, the trigram model is sure: split.
  check_positive({"Farmers across the region fear the droughtGrain prices have risen for a third month.",
                  "Farmers across the region fear the drought. Grain prices have risen for a third month.",
                  "glued-camel"});
  // "said Halliburton shares": reported speech runs on without "that"; the
  // corpus odds alone would split, the trigram model does not agree: a flag.
  check_flagged_only("Two traders on the floor saidHalliburton shares were in demand all morning long.");
  check_flagged_only("Brokers in the city saidRenault stock had been sold heavily by foreign funds.");
  // A lower-case word glued to a name that mostly stands inside sentences:
  // neither model separates "saw Helena" from "saw. Helena".
  check_flagged_only("The jury was told that the witness sawHelena twice in the weeks before.");
  // The flag names both readings: a stop or only a space.
  const auto edits = edits_of(stage(), "The jury was told that the witness sawHelena twice in the weeks before.");
  REQUIRE(edits.size() == 1);
  CHECK(edits[0].reason.find("only a space") != std::string::npos);
}

TEST_CASE("sentences: a sentence ending in an e-mail address or URL", "[sentences]") {
  const std::vector<Case> cases = {
      {"Send your photos to tips@harbour-news.org.Readers who win get a prize.",
       "Send your photos to tips@harbour-news.org. Readers who win get a prize.", "glued-period"},
      {"Tickets are sold online at www.citytheatre.com.Prices start at ten pounds.",
       "Tickets are sold online at www.citytheatre.com. Prices start at ten pounds.", "glued-period"},
      {"The full report can be read at https://stats.example.gov/.The figures cover May.",
       "The full report can be read at https://stats.example.gov/. The figures cover May.", "glued-period"},
      {"Questions go to help@mail.example.co.uk.Staff reply within a day.",
       "Questions go to help@mail.example.co.uk. Staff reply within a day.", "glued-period"},
      // A domain before a word that often stands inside sentences: after a
      // lower-case top-level domain only a two-letter label could go on.
      {"The full list is posted at cityparks.org.Monday is the usual day.",
       "The full list is posted at cityparks.org. Monday is the usual day.", "glued-period"},
      // "I" or "A" before a lower-case word: no host name goes on so.
      {"You can read all of it at harbourtimes.net.I think it helps a lot.",
       "You can read all of it at harbourtimes.net. I think it helps a lot.", "glued-period"},
      {"Mail your questions to desk@harbourtimes.net.I will answer them all.",
       "Mail your questions to desk@harbourtimes.net. I will answer them all.", "glued-period"},
      {"The new store is at shopnow.co.uk.A new branch opens soon.",
       "The new store is at shopnow.co.uk. A new branch opens soon.", "glued-period"},
  };
  for (const auto& c : cases) check_positive(c);
  // A path may hold the capitalised word: a flag.
  check_flagged_only("The guide is at https://example.org/docs/setup.Install it before the class starts.");
  // Addresses inside sentences, written correctly; an address as the last
  // word; a capitalised piece that is no word, or nothing after it.
  check_unchanged("Write to tips@harbour-news.org for the full rules of the contest.");
  check_unchanged("Tickets are sold online at www.citytheatre.com, and at the door.");
  check_unchanged("Questions go to the desk at help@mail.example.org.Xqzt now.");
  check_unchanged("Our new site is https://example.com.Shop");
  check_unchanged("Contact the staff at team@Example.Com today.");
  check_unchanged("We keep the backup at files.example.org.A1 for now.");
  check_unchanged("It was filed under Plan A.I think it worked.");
}

TEST_CASE("sentences: glued-list-item separates items in order", "[sentences]") {
  const std::vector<Case> cases = {
      {"1) Preheat the oven2) Whisk the eggs3) Pour the batter",
       "1) Preheat the oven 2) Whisk the eggs 3) Pour the batter", "glued-list-item"},
      {"1.) Sort the mail.2.) File the letters.", "1.) Sort the mail. 2.) File the letters.", "glued-list-item"},
      {"a) Check the brakesb) Fill the tank", "a) Check the brakes b) Fill the tank", "glued-list-item"},
      {"A. Open the account.B. Deposit the money.", "A. Open the account. B. Deposit the money.", "glued-list-item"},
      // A number glued to a name: the sequence is the evidence.
      {"1) Call Mrs Patel2) Book the hall", "1) Call Mrs Patel 2) Book the hall", "glued-list-item"},
  };
  for (const auto& c : cases) check_positive(c);
  // Lists written correctly; no first item at the line start; a number after
  // a digit; a letter whose word with it is a word ("herb. ").
  check_unchanged("1) Preheat the oven 2) Whisk the eggs 3) Pour the batter\n");
  check_unchanged("Sales of model2) rose sharply in the spring, the firm said.");
  check_unchanged("1. Costs rose to 42. Prices fell again in the autumn.");
  check_unchanged("a. Add salt and a herb. Stir it well and serve.");
  check_unchanged("A. Lee and B. Khan met in the hall before the vote.");
}

TEST_CASE("sentences: a closing straight quote in a line of paired quotes", "[sentences]") {
  // The line's quotes pair up, so this one closes: the space goes after it
  // before any word.
  check_positive({"He called the plan \"a waste of money.\"Critics in the council disagree.",
                  "He called the plan \"a waste of money.\" Critics in the council disagree.", "glued-period"});
  // An odd number on the line: a quote may have been lost, so the side of
  // the space is uncertain before a word that is no strong opener.
  check_flagged_only("Residents said \"enough.\"Council members \"agreed to meet.");
}

TEST_CASE("sentences: headlines, captions and list items get no final period", "[sentences]") {
  check_no_final_period(
      "Farmers count the cost of a dry summer, with harvests down by a third\n"
      "The harvest was poor this year, and the farmers in the valley said so at length.\n");
  check_no_final_period(
      "Intro.\nFactory output rises again in the north, new figures show - Daily Herald\nMore text follows.\n");
  check_no_final_period("Intro.\nPicture: Workers repair the bridge over the river near the old mill, last week\n");
  check_no_final_period("Intro.\nb) Ask the council to publish the full budget before the end of the month\n");
  check_no_final_period("Intro.\n(c) Ask the council to publish the full budget before the end of the month\n");
  check_no_final_period("Intro.\nd.) Ask the council to publish the full budget before the end of the month\n");
  // A prose line after the first still gets its period.
  CHECK(run_stage(stage(), "Intro.\nThe harvest was poor this year, and the farmers in the valley said so\n") ==
        "Intro.\nThe harvest was poor this year, and the farmers in the valley said so.\n");
}

TEST_CASE("sentences: final-period follows the document's own habit", "[sentences]") {
  // The document's other prose lines end in stops: the lost one is restored.
  CHECK(run_stage(stage(),
                  "Repairs begin.\n"
                  "The council met on Monday, and the mayor spoke first about the state of the roads.\n"
                  "The budget for repairs was raised, though not by as much as residents had hoped\n"
                  "A vote on the rest is planned for the spring, officials said.\n") ==
        "Repairs begin.\n"
        "The council met on Monday, and the mayor spoke first about the state of the roads.\n"
        "The budget for repairs was raised, though not by as much as residents had hoped.\n"
        "A vote on the rest is planned for the spring, officials said.\n");
  // The sentence goes on in the next line (a hard wrap).
  check_no_final_period(
      "Schools.\nThe committee said on Friday that the new rules, which take effect\nin March, would apply to every "
      "school.\n");
  check_no_final_period(
      "Schools.\nThe committee said on Friday that the new rules, which take effect\n(in March) would apply to "
      "every school.\n");
  // The sentence began in the line before, which ends in a comma.
  check_no_final_period(
      "Ballad.\nWhen the ferry left the harbour,\nThe keeper of the light, his lamp in hand, stood by the door\n"
      "And waved.\n");
  // A signature glued to its dashes.
  check_no_final_period("Mail.\nI never did find out who left the kettle, or the cat, in the server room --ken\n");
  // A chat-log turn.
  check_no_final_period("Log.\n<maple> did anyone try the new build yet, it crashes on my laptop every time\n");
  // A quotation with its attribution on the next line or at its end.
  check_no_final_period(
      "Sayings.\nA long journey begins, so they tell us, with one careless step on a wet stair\n"
      "-- Old proverb\n");
  check_no_final_period(
      "Sayings.\nNothing is so hard, in the end, as a plain answer to a plain question -- Mary Holt\n");
  // Verse: the document's comparable lines end without a stop.
  check_no_final_period(
      "Song.\n\n"
      "The river runs past the mill, and the miller sings along all day\n"
      "The wheel turns slow, the wheel turns fast, the flour falls like snow\n"
      "He counts his sacks, he counts his coins, and never counts the hours\n"
      "The night comes down, the lamps are lit, and still the miller sings\n");
  // Half of them end in a stop: unsure, a flag only.
  check_flagged_only(
      "Notes.\n\n"
      "The river runs past the mill, and the miller sings along all day.\n"
      "The wheel turns slow, the wheel turns fast, the flour falls like snow\n"
      "He counts his sacks, he counts his coins, and never counts the hours.\n"
      "The night comes down, the lamps are lit, and still the miller sings\n"
      "The cart goes by, the driver waves, the dog runs out to bark.\n"
      "The baker calls, the children run, the bell rings in the square\n");
  // At the end of a block of short lines that mostly end without a stop: verse, flagged.
  check_flagged_only(
      "Night.\n\nThe lamps go out\nThe road is still\nA fox goes by\nThe owl calls twice\n"
      "Beneath the hill, the sleeping farms lie quiet under a cold white moon tonight\n");
  // Between two short lines that end without a stop either: verse, flagged.
  check_flagged_only(
      "Rain.\nSoft falls the rain\nOn rooftops, hills and fields, and on the old grey harbour wall\n"
      "The gulls sit still\n");
}

TEST_CASE("sentences: one run reaches the fixed point", "[sentences]") {
  // The final period is decided on the line as the stage's own splits leave
  // it, so the output gives a second run nothing to do.
  for (const std::string_view text :
       {"The central bank held its rates steady through the whole spring and summer, officials said.Analysts expect "
        "a cut before the end of the year\n",
        "Dockworkers returned to the port on Tuesday after a long strike over pay, the union said.Talks will resume "
        "next week in the capital\n",
        "Farmers in the north reported a poor harvest after weeks of heavy rain this autumn, the agency said. Prices "
        "may rise again soon\n"}) {
    const std::string once = run_stage(stage(), text);
    INFO(once);
    CHECK(edits_of(stage(), once).empty());
  }
}

TEST_CASE("sentences: glued-name restores a space lost before a name", "[sentences]") {
  // A word that never ends a sentence ("to", "in", "the") glued to a name:
  // the sentence goes on, so only a space is inserted, never a stop.
  const std::vector<Case> cases = {
      {"The delegation flew back toBrussels after the talks had ended.",
       "The delegation flew back to Brussels after the talks had ended.", "glued-name"},
      {"Most of the grain went to farmers inNebraska and Kansas last year.",
       "Most of the grain went to farmers in Nebraska and Kansas last year.", "glued-name"},
      {"A spokesman for theSenate declined to comment on the vote.",
       "A spokesman for the Senate declined to comment on the vote.", "glued-name"},
      // A name neither the lexicon nor the corpus knows, written on its own
      // elsewhere in the article.
      {"Shares of Kelvrano rose. Analysts said that demand forKelvrano products was strong.",
       "Shares of Kelvrano rose. Analysts said that demand for Kelvrano products was strong.", "glued-name"},
  };
  for (const auto& c : cases) check_positive(c);
  // A word the corpus often capitalises inside sentences (part of a name).
  check_positive({"Staff at theMinistry worked late into the night on the figures.",
                  "Staff at the Ministry worked late into the night on the figures.", "glued-name"});
  // Identifiers: the right piece is a word the corpus writes in lower case.
  check_unchanged("The script calls toString on each value and then isReady.");
  check_unchanged("Set the option inPlace before you sort the rows.");
  // The glued form used again: a spelling of its own (a product, a handle).
  check_unchanged("We reviewed the app myLondon last week, and myLondon did well.");
  // An unknown right piece the article never writes on its own.
  check_unchanged("The tool ofQorvanth was released in spring.");
}

TEST_CASE("sentences: the article's own words count as evidence for a camel glue", "[sentences]") {
  // A lower-case piece the lexicon lacks, written on its own elsewhere.
  check_positive(
      {"Profit rose to 40 mln dlrs in the quarter. Costs were 12 mln dlrsThe company said sales also rose.",
       "Profit rose to 40 mln dlrs in the quarter. Costs were 12 mln dlrs. The company said sales also rose.",
       "glued-camel"});
  // Not written elsewhere and not after a figure (a unit): nothing to go on.
  check_unchanged("Costs were listed as qzxvThe company said sales also rose.");
  // A capitalised piece the article writes on its own, then a strong opener.
  check_positive(
      {"Our reporter spent a week in Lisbon last spring. The hotels were full across LisbonThe city had "
       "never seen so many visitors.",
       "Our reporter spent a week in Lisbon last spring. The hotels were full across Lisbon. The city had "
       "never seen so many visitors.",
       "glued-camel"});
  // PascalCase with a right piece that is no strong opener stays a brand,
  // even when the article writes the left piece on its own.
  for (const char* text : {"The Stone family founded StoneBridge in the spring of that year.",
                           "Harbor staff answered questions about HarborLink all morning."}) {
    INFO("input: " << text);
    for (const auto& e : edits_of(stage(), text)) CHECK(e.kind == copydesk::EditKind::kFlag);
  }
}

TEST_CASE("sentences: four dots end a sentence before any capitalised word", "[sentences]") {
  // The ellipsis and the sentence's own stop: the next word opens a sentence
  // even when it often stands capitalised inside one.
  check_positive({"The river kept rising all through the week....Farmers moved their cattle to higher ground.",
                  "The river kept rising all through the week.... Farmers moved their cattle to higher ground.",
                  "glued-period"});
  // Three dots may be an elision inside a sentence: still only a flag.
  check_flagged_only("The river kept rising all through the week...Farmers moved their cattle.");
  // Four dots before a lower-case word: left alone.
  check_unchanged("The river kept rising all through the week....and then it stopped.");
}

TEST_CASE("sentences: sentence lengths on either side of a camel glue", "[sentences]") {
  // Two sentences of ordinary length on either side: the lengths tip a glue
  // the trigram model finds likely but not sure into a break.
  check_positive(
      {"Output at the group's three mills in the north of the country fell by almost a fifth compared with "
       "the level it reached last yearFederal inspectors blamed the drop on a shortage of spare parts and "
       "on repeated power cuts.",
       "Output at the group's three mills in the north of the country fell by almost a fifth compared with "
       "the level it reached last year. Federal inspectors blamed the drop on a shortage of spare parts "
       "and on repeated power cuts.",
       "glued-camel"});
  // The same glue with three words before it and three after: one short
  // sentence is as likely, so only a flag.
  check_flagged_only("Output fell last yearFederal inspectors blamed it.");
}

TEST_CASE("sentences: a month the corpus also counts as a verb", "[sentences]") {
  // "May" capitalised before a strong opener is a date ending a sentence,
  // though the lower-case "may" almost never ends one.
  check_positive({"The vote was held in early MayThe results were announced a week later.",
                  "The vote was held in early May. The results were announced a week later.", "glued-camel"});
  // Before a word that is no strong opener it may be a name of its own.
  check_unchanged("Visitors crowd the shops of MayFair every weekend in summer.");
}

TEST_CASE("sentences: a misspelt left piece before a strong opener", "[sentences]") {
  // One edit from a dictionary word: a typo of that word, which ends the
  // sentence as the word would.
  check_positive({"The council rejected the propsalThe mayor said she would try again next year.",
                  "The council rejected the propsal. The mayor said she would try again next year.", "glued-camel"});
  // A string near no word, or too short to tell, is no evidence.
  check_unchanged("The council rejected the qzxvThe mayor said she would try again next year.");
  check_unchanged("The council rejected the wrdsThe mayor said she would try again next year.");
  // A typo-like identifier before a word that stands inside sentences.
  check_unchanged("The script stores the valeuName field and exits.");
}

TEST_CASE("sentences: a place name Hunspell knows before a strong opener", "[sentences]") {
  check_positive({"Our correspondent spent the week in KenyaThe rains came late this year, farmers said.",
                  "Our correspondent spent the week in Kenya. The rains came late this year, farmers said.",
                  "glued-camel"});
  // A place name before a word that is no strong opener: a title or brand.
  check_unchanged("He bought a copy of ChinaDaily at the station on his way home.");
}

TEST_CASE("sentences: a name only the trigram model knows is flagged, never split", "[sentences]") {
  // Hunspell lacks the surname, the trigram model has it: a sentence break
  // and a lost space before a name are as likely after a word that ends
  // sentences, so the reviewer decides.
  check_flagged_only("The talks with the union ended late last weekKowalczyk said he expected a new offer soon.");
  check_flagged_only("The firm's results were weak, analysts saidKowalczyk and his team would stay on.");
}

TEST_CASE("sentences: glued-name leaves particles of names alone", "[sentences]") {
  // "de" (like "du", "van") is capitalised in Brown as often as not: part of a
  // name, not a word before one.
  check_unchanged("The role went to actor Jean deMarco in the end, his agent said.");
  check_unchanged("The chef trained under Louis deLyon for two years before he opened his own place.");
}

TEST_CASE("sentences: glued-lowercase leaves dotted names alone", "[sentences]") {
  // The left piece heads other dotted names in the document: a hierarchy of
  // names (news groups, packages), not sentence ends.
  check_unchanged("Questions about the new cluster went to comp.clusters first and then to comp.storage for weeks.");
  // Nothing follows the right piece on the line: no sentence goes on there.
  check_unchanged("Most replies were posted by readers of the group, who wrote in misc.gardening");
  // A lost break with prose going on is still repaired.
  check_positive({"The minister left the meeting early.in a statement she thanked the staff.",
                  "The minister left the meeting early. In a statement she thanked the staff.", "glued-lowercase"});
}

TEST_CASE("sentences: a place name before a strong opener inside a longer name", "[sentences]") {
  // A capitalised word after the right piece: the glue may sit inside a
  // name spelt with an inner capital; flagged at most.
  for (const char* text : {"The team signed forward JamesOn Barrow after the trial week ended."}) {
    INFO("input: " << text);
    for (const auto& e : edits_of(stage(), text)) CHECK(e.kind == copydesk::EditKind::kFlag);
  }
}

TEST_CASE("sentences: a figure with a percent sign or a unit ends a sentence", "[sentences]") {
  check_positive({"Turnout in the by-election reached 58%.Voters queued in the rain.",
                  "Turnout in the by-election reached 58%. Voters queued in the rain.", "glued-period"});
  check_positive({"The museum's roof repairs will cost $1.8m.Donors have pledged most of it.",
                  "The museum's roof repairs will cost $1.8m. Donors have pledged most of it.", "glued-period"});
  check_positive({"The village had no doctor until the 1950s.Mothers walked to the next town.",
                  "The village had no doctor until the 1950s. Mothers walked to the next town.", "glued-period"});
  check_positive({"The yacht crossed the line in 3rd.Its crew blamed the wind.",
                  "The yacht crossed the line in 3rd. Its crew blamed the wind.", "glued-period"});
  // A plural possessive opens the next sentence.
  check_positive({"The rent went up to 900.Farmers' markets closed early.",
                  "The rent went up to 900. Farmers' markets closed early.", "glued-period"});
  // Letters before the digits, a dotted version, or a long word glued to a figure are no amount.
  check_unchanged("Flash the board with fw2b.Then reboot it twice.");
  check_unchanged("Install release 4.2.1rc.Then restart the server.");
  check_unchanged("The code is 77hotel.Next to it was another.");
}

TEST_CASE("sentences: a short document with one word before the glue", "[sentences]") {
  // The trigram model finds the break likely after a lower-case word or a name.
  check_positive(
      {"Happy birthday.Your present is in the post.", "Happy birthday. Your present is in the post.", "glued-period"});
  check_positive({"Dear Maria.Thanks for the lovely card.", "Dear Maria. Thanks for the lovely card.", "glued-period"});
  check_positive({"Hey folks.I found the lost dog.", "Hey folks. I found the lost dog.", "glued-period"});
  // A capitalised common word is a menu or button label.
  check_unchanged("Choose Edit.Copy the cell.");
  check_unchanged("Tap Settings.Privacy and security.");
}

TEST_CASE("sentences: a list whose first item follows a short lead-in", "[sentences]") {
  check_positive({"To do: 1) call the plumber2) pay the gas bill3) buy stamps",
                  "To do: 1) call the plumber 2) pay the gas bill 3) buy stamps", "glued-list-item"});
  check_positive({"Packing list: a) a warm coatb) boots", "Packing list: a) a warm coat b) boots", "glued-list-item"});
  // A long lead-in, or one that holds a sentence end, is prose.
  check_unchanged("The report that the committee finally published last week says: 1) the plan2) fails");
  check_unchanged("He left. Then: 1) the car2) the keys");
}

TEST_CASE("sentences: a capital code on a figure ends a sentence before a strong opener", "[sentences]") {
  check_positive({"Exports slowed sharply in H2.The outlook is no better.",
                  "Exports slowed sharply in H2. The outlook is no better.", "glued-period"});
  check_positive({"Ministers will gather at the next G20.They will discuss food prices.",
                  "Ministers will gather at the next G20. They will discuss food prices.", "glued-period"});
  // Before another capitalised word it may be a model or part name; dotted or glued to a word it is no code.
  check_unchanged("The plane was a B737.Boeing made it.");
  check_unchanged("Set the flag on rev3B2.The board restarts.");
  check_unchanged("Run the tool on X1.2.The log follows.");
}

TEST_CASE("sentences: a unit written after a figure ends a sentence before a strong opener", "[sentences]") {
  check_positive({"The bonds were sold at 98.75 ctsThe issue closed early.",
                  "The bonds were sold at 98.75 cts. The issue closed early.", "glued-camel"});
  check_positive({"Output reached 12 bln kwhIt was a record for the grid.",
                  "Output reached 12 bln kwh. It was a record for the grid.", "glued-camel"});
  // No figure before, a weak opener, or a piece glued to a word before it.
  check_unchanged("The fee was paid in kwhThe way it always was.");
  check_unchanged("Output reached 12 bln kwhAverage prices fell.");
  check_unchanged("Output reached 12 bln x-kwhThe grid held.");
}

TEST_CASE("sentences: a closing straight single quote glued to the next sentence", "[sentences]") {
  check_positive({"The note on the door said 'Back in ten minutes.'Customers waited outside.",
                  "The note on the door said 'Back in ten minutes.' Customers waited outside.", "glued-period"});
  // No single quote opened the quotation: an apostrophe, or nothing known.
  check_unchanged("The club was founded by the firm's owners.'Tis said they met at sea.");
  check_unchanged("It was the workers' choice.'Tis true.");
}

TEST_CASE("sentences: final-period is only flagged where the sentence goes on into a capitalised line", "[sentences]") {
  const std::string before =
      "The harbour was quiet that morning, and most of the boats stayed in.\n"
      "The nets were mended on the quay, and the gulls waited for scraps.\n"
      "A few of the younger crews, tired of waiting, went out in the afternoon.\n";
  // Verse capitalises every line: "the sea" / "Was kinder" reads as one sentence.
  check_flagged_only(before + "The old men said, as they always did, that the sea\nWas kinder in the old days.\n");
  // A new sentence on the next line: the period is added.
  CHECK(run_stage(stage(), before + "The boats came back at dusk, and the nets were full of herring\nNobody "
                                    "went out again that week.\n") ==
        before + "The boats came back at dusk, and the nets were full of herring.\nNobody went out again that week.\n");
  // A short label after the line is no sentence going on.
  CHECK(run_stage(stage(), before + "The old men said, as they always did, that the sea\nRelated stories\n") ==
        before + "The old men said, as they always did, that the sea.\nRelated stories\n");
}

TEST_CASE("sentences: a common word in lower-case use opens the sentence after a code or a short name", "[sentences]") {
  // Brown writes the right piece in lower case inside sentences, and prose goes on after it.
  check_positive({"Margins improved in Q3.Shipments grew for the first time in a year.",
                  "Margins improved in Q3. Shipments grew for the first time in a year.", "glued-period"});
  check_positive({"The carrier grounded its last B747.Pilots were told on Monday.",
                  "The carrier grounded its last B747. Pilots were told on Monday.", "glued-period"});
  check_positive({"Thanks Olek.Soup was wonderful.", "Thanks Olek. Soup was wonderful.", "glued-period"});
  // Brown capitalises "Supper" inside sentences too often (the Last Supper): no evidence.
  check_unchanged("Thanks Olek.Supper was wonderful.");
  check_positive({"See you soon.Weather permitting we sail at six.", "See you soon. Weather permitting we sail at six.",
                  "glued-period"});
  check_positive({"Wow!?Anyone else awake at this hour?", "Wow!? Anyone else awake at this hour?", "glued-period"});
  // A label or heading does not go on in lower case; a name or code-like word on the right is no evidence;
  // a left piece that is a capitalised common word is a menu label; a left word that rarely ends sentences
  // is code notation.
  check_unchanged("Margins improved in Q3.Shipments");
  check_unchanged("The carrier flew a B747.Lufthansa bought it.");
  check_unchanged("Press Menu.Settings are below.");
  check_unchanged("Use lib.Strings for this.");
}

TEST_CASE("sentences: no final period on a line among short lines without a stop", "[sentences]") {
  // A timetable or list block: every other line is a short line without a stop.
  check_unchanged(
      "Library hours\nTuesday to Thursday from 10 am to 7 pm\nFriday 10 am to 5 pm, with late opening in exam weeks"
      "\nMondays closed\n");
  // A long entry there is only flagged.
  check_flagged_only(
      "Library hours\nTuesday to Thursday from 10 am to 7 pm\nFriday from ten in the morning until five in the "
      "afternoon, with a late opening in the weeks before exams\nMondays closed\n");
  // A block with a prose line ending in a stop is not a list: the period is added.
  CHECK(run_stage(stage(),
                  "Library hours\nThe library opens at ten on weekdays, the council said.\nFriday 10 am to "
                  "5 pm, with late opening in exam weeks for students\n") ==
        "Library hours\nThe library opens at ten on weekdays, the council said.\nFriday 10 am to 5 pm, with late "
        "opening in exam weeks for students.\n");
}

TEST_CASE("sentences: a camel glue before a name after a word that ends a noun phrase", "[sentences]") {
  // "works" ends a noun phrase (the model finds a sentence end far likelier than "the" or "that" after it),
  // and the trigram odds with the sentence lengths are high enough.
  check_positive(
      {"The new budget sets aside about 900 mln dlrs for dams, canals and other irrigation worksEgypt "
       "expects the spending to raise farm output within five years.",
       "The new budget sets aside about 900 mln dlrs for dams, canals and other irrigation works. Egypt "
       "expects the spending to raise farm output within five years.",
       "glued-camel"});
  // A verb takes an object or a clause: "saying Peru would", "urged Japan to" stay (at most flagged).
  check_flagged_only("The minister was quoted by the radio as sayingPeru would pay its debts on time this year.");
  check_unchanged("Several trade officials in the capital urgedJapan to open its markets to more farm goods.");
}
