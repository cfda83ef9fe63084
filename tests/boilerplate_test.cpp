#include <catch2/catch.hpp>

#include <algorithm>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "stages/boilerplate.h"
#include "tests/stage_test_util.h"

using copydesk::BoilerplateStage;
using copydesk::testing::edits_of;
using copydesk::testing::rules_of;
using copydesk::testing::run_stage;
using copydesk::testing::test_resources;

namespace {

constexpr const char* kBefore = "The first paragraph of the story.\n";
constexpr const char* kAfter = "The second paragraph of the story.\n";

// `line` between two article paragraphs.
std::string framed(const std::string& line) { return std::string(kBefore) + line + "\n" + kAfter; }

struct Case {
  const char* line;
  const char* rule;
};

}  // namespace

TEST_CASE("boilerplate: known-pattern removes listed furniture lines", "[boilerplate]") {
  BoilerplateStage stage(test_resources());
  const Case cases[] = {
      // Ad labels.
      {"Sponsored", "known-pattern"},
      {"Story continues below advertisement", "known-pattern"},
      {"- PAID CONTENT -", "known-pattern"},
      {"Promoted Stories", "known-pattern"},
      // Comment forms and footers.
      {"Leave a Comment", "known-pattern"},
      {"Add a comment", "known-pattern"},
      {"You must be logged in to post a comment.", "known-pattern"},
      {"Notify me of follow-up comments by email.", "known-pattern"},
      {"Notify me of new posts by email.", "known-pattern"},
      // Navigation.
      {"Back to the top", "known-pattern"},
      {"Return to top", "known-pattern"},
      {"Skip to main content", "known-pattern"},
      {"Jump to navigation", "known-pattern"},
      {"Previous Article", "known-pattern"},
      // Share, subscribe, newsletter.
      {"Sign up to our newsletter", "known-pattern"},
      {"Follow us on social media", "known-pattern"},
      {"Get our newsletter", "known-pattern"},
      {"Editor's picks", "known-pattern"},
      {"Editor\u2019s picks", "known-pattern"},  // curly apostrophe
      {"Share this post", "known-pattern"},
      // Cookies.
      {"Cookie settings", "known-pattern"},
      {"Accept all cookies", "known-pattern"},
      // Related and read-more lines, prefixes.
      {"Related Content", "known-pattern"},
      {"You might also like", "known-pattern"},
      {"Most viewed", "known-pattern"},
      {"Read more: Ten walks for a wet weekend", "known-pattern"},
      {"See also: Why ferry fares keep rising", "known-pattern"},
      {"\u00BB Read next: Ten walks for a wet weekend", "known-pattern"},
      {"Related: Oil prices fall again", "known-pattern"},
      // Taxonomy.
      {"Tags: farming, weather, rural life", "known-pattern"},
      {"Filed under: Local Politics", "known-pattern"},
      {"Posted in Community", "known-pattern"},
      {"Suggest a correction", "known-pattern"},
      // Calls to action.
      {"Join the discussion", "known-pattern"},
      {"Let us know what you think", "known-pattern"},
      // Case and spacing do not matter.
      {"  sign UP   for our NEWSLETTER  ", "known-pattern"},
  };
  for (const auto& c : cases) {
    SECTION(c.line) {
      CHECK(run_stage(stage, framed(c.line)) == std::string(kBefore) + kAfter);
      CHECK(rules_of(stage, framed(c.line)) == std::vector<std::string>{c.rule});
    }
  }
}

TEST_CASE("boilerplate: furniture catches wording not in the list", "[boilerplate]") {
  BoilerplateStage stage(test_resources());
  const char* lines[] = {
      "Join our mailing list",
      "Click here to join",
      "Share this article with your friends",
      "Comments are now closed.",
      "\u00A9 2024 Example Media. All rights reserved.",
      "Copyright 2023 The Daily Example",
      "Click to share on Reddit (Opens in new window)",
      "Click to share on LinkedIn (Opens in new window)",
      "Subscribe to our YouTube channel",
      "Find us on Threads and Bluesky",
      "Get the latest headlines delivered straight to your inbox.",
      "Never miss a story: sign up for breaking news alerts.",
      "Tap here to download our app",
      "Read the full story here",
      "More Articles",
      "Share via WhatsApp",
      "Tweet this",
      "Print Email Share",
      "Add your comment",
      "What's your take? Drop a comment below.",
      "Did you enjoy this article? Share it with your friends!",
      "This site uses cookies to give you a better browsing experience.",
      "By continuing to use this site, you agree to our use of cookies.",
      "Cookie preferences",
      "Privacy Policy | Terms of Use | Contact Us",
      "Home > Sport > Football",
      "News \u203A Politics \u203A Europe",
      "Home \u203A Culture \u203A Film and TV \u203A Reviews",
      "Topics covered: Economy, Trade",
      "Don't forget to subscribe!",
      "Become a member today",
      "Support independent journalism: subscribe today.",
      "Tell us what you think",
  };
  for (const char* line : lines) {
    SECTION(line) {
      CHECK(run_stage(stage, framed(line)) == std::string(kBefore) + kAfter);
      CHECK(rules_of(stage, framed(line)) == std::vector<std::string>{"furniture"});
    }
  }
}

TEST_CASE("boilerplate: cookie and consent notices are known by their words, not one fixed phrase", "[boilerplate]") {
  BoilerplateStage stage(test_resources());
  // A consent word, a word of the site or the reader's browser, the site's voice.
  const char* notices[] = {
      "Our website saves small cookies in your browser so that it remembers your settings.",
      "Cookies let us keep track of your preferences between visits.",
      "We place cookies on your device to measure traffic and personalise ads.",
      "Our portal relies on cookies; you can change your privacy choices at any time.",
      "Some cookies on this site are strictly necessary and cannot be switched off in our settings.",
  };
  for (const char* line : notices) {
    SECTION(line) {
      CHECK(run_stage(stage, framed(line)) == std::string(kBefore) + kAfter);
      CHECK(rules_of(stage, framed(line)) == std::vector<std::string>{"furniture"});
    }
  }
  // Article text: cookies to eat, or a website's cookies told about rather
  // than the site speaking, or reported speech.
  const char* article[] = {
      "We shared warm cookies with the neighbours after the storm.",
      "Our cookies won first prize at the county show.",
      "Under the new rules a website must ask before it stores cookies on a reader's computer.",
      "Most browsers now block third-party cookies by default.",
      "Our survey found that cookies follow shoppers across websites, the report said.",
      "\u201CWe never sell cookies data to advertisers,\u201D a spokeswoman told us.",
  };
  for (const char* line : article) {
    SECTION(line) {
      CHECK(run_stage(stage, framed(line)) == framed(line));
      CHECK(edits_of(stage, framed(line)).empty());
    }
  }
}

TEST_CASE("boilerplate: counter removes bare counters", "[boilerplate]") {
  BoilerplateStage stage(test_resources());
  const char* lines[] = {"420", "1.2K views", "35 Comments", "1,024 shares", "3.4M", "12 likes"};
  for (const char* line : lines) {
    SECTION(line) {
      CHECK(run_stage(stage, framed(line)) == std::string(kBefore) + kAfter);
      CHECK(rules_of(stage, framed(line)) == std::vector<std::string>{"counter"});
    }
  }
}

TEST_CASE("boilerplate: the edit covers the line and its newline", "[boilerplate]") {
  BoilerplateStage stage(test_resources());
  SECTION("middle line") {
    const std::string text = "Para one.\nPromoted Content\nPara two.\n";
    const auto edits = edits_of(stage, text);
    REQUIRE(edits.size() == 1);
    CHECK(text.substr(edits[0].begin, edits[0].end - edits[0].begin) == "Promoted Content\n");
    CHECK(!edits[0].reason.empty());
  }
  SECTION("last line without a newline: the line goes, the newline before it stays as the final one") {
    const std::string text = "Para one.\nArticle continues below advertisement";
    const auto edits = edits_of(stage, text);
    REQUIRE(edits.size() == 1);
    CHECK(text.substr(edits[0].begin, edits[0].end - edits[0].begin) == "Article continues below advertisement");
    CHECK(run_stage(stage, text) == "Para one.\n");
  }
  SECTION("several furniture lines at the end without a newline") {
    CHECK(run_stage(stage, "Para one.\nLeave a Comment\nBack to top") == "Para one.\n");
  }
  SECTION("first line") { CHECK(run_stage(stage, "Skip to main content\nHeadline\nBody.\n") == "Headline\nBody.\n"); }
  SECTION("blank-line separated paragraphs keep one gap") {
    CHECK(run_stage(stage, "Para one.\n\nContinue reading below\n\nPara two.\n") == "Para one.\n\nPara two.\n");
    CHECK(run_stage(stage,
                    "Para one.\n\nLeave a Comment\n\nYou must be logged in to post a "
                    "comment.\n\nBack to top") == "Para one.\n");
    CHECK(run_stage(stage, "Para one.\n\nBack to top\n") == "Para one.\n");
  }
  SECTION("single-spaced text keeps an existing gap") {
    CHECK(run_stage(stage, "Para one.\nContent continues below\n\nPara two.\n") == "Para one.\n\nPara two.\n");
  }
  SECTION("consecutive furniture lines") {
    CHECK(run_stage(stage, "Para.\nTags: a, b\nOlder Posts\nNewer Posts\nBody text.\n") == "Para.\nBody text.\n");
  }
  SECTION("a text that is all furniture") { CHECK(run_stage(stage, "Promoted Stories\nRelated Content\n").empty()); }
}

TEST_CASE("boilerplate: timestamp removes the page's own timestamps", "[boilerplate]") {
  BoilerplateStage stage(test_resources());
  const char* lines[] = {"Updated 14:32 GMT, 12 February 2005",
                         "Published 3 hours ago",
                         "Last updated on 2 May 2024",
                         "Posted 5 minutes ago",
                         "First published 09:15 BST",
                         "Last Updated: Friday, 9 March 2012, 08:15 BST",
                         "Published: 6 June 2019"};
  for (const char* line : lines) {
    SECTION(line) {
      CHECK(run_stage(stage, framed(line)) == std::string(kBefore) + kAfter);
      CHECK(rules_of(stage, framed(line)) == std::vector<std::string>{"timestamp"});
    }
  }
  SECTION("headlines and prose that open with the same words stay") {
    for (const char* line : {"Published accounts show losses", "Updated forecasts cut growth to 2%",
                             "Posted by John Smith", "Published in 2004, the report found a gap.",
                             "Updated figures show that 3 million people lost jobs in the region last year."}) {
      CAPTURE(line);
      CHECK(edits_of(stage, framed(line)).empty());
    }
  }
}

TEST_CASE("boilerplate: leaves article text alone", "[boilerplate]") {
  BoilerplateStage stage(test_resources());
  const char* lines[] = {
      // One trigger word in real prose.
      "He urged fans to subscribe to the club's TV channel, the chairman said.",
      "He urged fans to subscribe to the club's TV channel.",
      "The company declined to comment.",
      "The company declined to comment on the report.",
      "The minister's comments drew criticism from our correspondent.",
      "Bake the cookies for 12 minutes until golden.",
      "The cookies sold out within hours at the village fair.",
      "The service now has 2 million subscribers.",
      "Its newsletter business grew quickly last year.",
      "You can subscribe to the service for free.",
      "Readers can follow the debate on our website.",
      "Related to fraud, the charges were dropped.",
      "Share prices fell sharply on Monday.",
      "The newsletter, sent to 40,000 readers, was scrapped.",
      "You have to follow the rules, he told reporters.",
      "Follow the instructions carefully.",
      "Join us in Paris next year for the summit.",
      "The site uses cookies to track users, regulators said.",
      "\u201CSubscribe to our newsletter,\u201D the advert read.",
      // Headlines with trigger words.
      "Facebook shares fall",
      "Share prices plunge on Facebook news",
      "Netflix adds subscribers",
      "Newsletter publisher Substack raises funds",
      "Why your company needs a newsletter",
      "Why your pension is at risk",
      "Check your pension now",
      "Is your inbox a mess?",
      "Click and collect boosts retailer",
      "Tap water safe to drink, say officials",
      "EU leaders sign up to climate deal",
      "Sign up to the euro, Blair urged",
      "Twitter and Facebook face EU fines",
      "Google shares surge 5%",
      "Sponsored walk raises money for charity",
      "Sponsored content rules tightened by regulator",
      "Cookie maker Mondelez posts profit",
      "Privacy groups attack cookie law",
      "Copyright row hits music industry",
      "Copyright law",
      "Next steps",
      "Back home",
      "Home Office faces questions",
      "Post Office boss quits",
      "Follow the money",
      "Join the club",
      "Watch out for your wallet",
      "Like father, like son",
      "Login problems hit bank customers",
      // Headings and labels of real articles.
      "Growth",
      "Cookies",
      "Conclusion",
      "What We Know",
      "Reporting by: Tomas Ferro",
      "Conclusion: A New Season for the Harbour",
      "Comment: Why the Tories must change",
      "Analysis: Facebook newsletter push",
      "Next up: the Budget",
      "Privacy: the new battleground",
      "The Council\u2019s Role in the Port\u2019s Revival",
      "Sport > Football > Premier League takes the lead after a dramatic weekend of results",
      "Profits > forecasts",
      "Posted in Kabul, he said",
      // Numbers that are not counters.
      "14/03 2019",
      "2025",
      "10:30",
      "1.",
      // Table rows.
      "| a | b |",
      "| Share | Price |",
      // Questions in prose without an invitation to answer.
      "Will the harbour reopen before winter? Engineers are not yet sure, and the port authority has asked for "
      "another survey of the sea wall.",
  };
  for (const char* line : lines) {
    SECTION(line) { CHECK(edits_of(stage, framed(line)).empty()); }
  }
}

TEST_CASE("boilerplate: long lines are never furniture", "[boilerplate]") {
  BoilerplateStage stage(test_resources());
  std::string line = "Sign up to our newsletter";
  for (int i = 0; i < 30; ++i) line += " and more words";
  CHECK(edits_of(stage, framed(line)).empty());
  // A very long line costs no more than a scan.
  const std::string huge(5'000'000, 'a');
  CHECK(edits_of(stage, huge).empty());
}

TEST_CASE("boilerplate: clean text is unchanged", "[boilerplate]") {
  BoilerplateStage stage(test_resources());
  const std::string text =
      "Coastal towns expect a busier summer\n"
      "Seaside resorts in the south-west expect more visitors in 2006, according to a survey of hotel "
      "owners.\n"
      "The twelve largest resorts saw bookings rise by 3.2% last year.\n"
      "\n"
      "\"We are hopeful,\" the chair of the tourist board said.\n";
  CHECK(edits_of(stage, text).empty());
  CHECK(edits_of(stage, "").empty());
  CHECK(edits_of(stage, "\n\n\n").empty());
}

TEST_CASE("boilerplate: describes its rules", "[boilerplate]") {
  BoilerplateStage stage(test_resources());
  CHECK(stage.name() == "boilerplate");
  std::vector<std::string> ids;
  for (const auto& r : stage.rules()) ids.emplace_back(r.id);
  CHECK(ids ==
        std::vector<std::string>{"known-pattern", "furniture", "counter", "timestamp", "call-to-action", "unsure"});
}

// Phrases are found by their first word anywhere on the line, also when the
// first word occurs earlier without the rest of the phrase, and in a label.
TEST_CASE("boilerplate: phrases are matched at any word of the line", "[boilerplate]") {
  BoilerplateStage stage(test_resources());
  const char* removed[] = {
      "Mailing news: join our mailing list",
      "Cookie policy: this website uses cookies",
      "Sign in or sign up for our newsletter",
  };
  for (const char* line : removed) {
    SECTION(line) { CHECK(run_stage(stage, framed(line)) == std::string(kBefore) + kAfter); }
  }
  const char* kept[] = {
      "The mailing of ballots began on Monday",
      "The list of signs grew longer in the spring",
  };
  for (const char* line : kept) {
    SECTION(line) { CHECK(run_stage(stage, framed(line)) == framed(line)); }
  }
}

// Article prose long enough to mark the body of a page.
constexpr const char* kProse1 =
    "The council approved the new budget on Tuesday after a debate that lasted most of the afternoon.\n";
constexpr const char* kProse2 =
    "Members argued over the cost of repairing the old bridge, which has been closed to lorries since spring.\n";
constexpr const char* kProse3 =
    "A final vote on the bridge repairs is expected next month, once the engineers have reported back.\n";

std::string page(const std::string& top, const std::string& bottom) {
  return top + "Council backs budget after long bridge debate\n" + kProse1 + kProse2 + kProse3 + bottom;
}

TEST_CASE("boilerplate: call-to-action paragraphs are removed whole", "[boilerplate]") {
  BoilerplateStage stage(test_resources());
  const char* removed[] = {
      "Should the town have waited? Is the money well spent? Tell us your views below.",
      "Where do you stand on the new tax? Leave your comments and join the discussion.",
      "Have you been affected by the closures? Tell us in the comments.",
  };
  for (const char* line : removed) {
    SECTION(line) {
      const std::string text = std::string(kProse1) + kProse2 + line + "\n" + kProse3;
      CHECK(run_stage(stage, text) == std::string(kProse1) + kProse2 + kProse3);
      // Removed whole, by the call-to-action rule or the furniture score.
      const auto rules = rules_of(stage, text);
      REQUIRE(rules.size() == 1);
      CHECK((rules.front() == "call-to-action" || rules.front() == "furniture"));
    }
  }
  const char* kept[] = {
      // Questions without an invitation to the reader.
      "Should the town have waited? Is the money well spent? Nobody on the council would say.",
      // A quotation that happens to invite.
      "\"Tell us your views,\" the mayor said to the crowd. \"Is the money well spent?\"",
      // An invitation reported as news.
      "The club asked fans to share their views on the new kit in an online survey last week.",
  };
  for (const char* line : kept) {
    SECTION(line) {
      const std::string text = std::string(kProse1) + kProse2 + line + "\n" + kProse3;
      CHECK(run_stage(stage, text) == text);
    }
  }
}

TEST_CASE("boilerplate: a call to action glued to prose or a heading is cut at the join", "[boilerplate]") {
  BoilerplateStage stage(test_resources());
  SECTION("glued to the end of a paragraph") {
    const std::string para = "The repairs will take two years and cost more than the council had planned";
    const std::string text =
        std::string(kProse1) + para + "How do you feel about the delay? Tell us your thoughts below.\n" + kProse3;
    CHECK(run_stage(stage, text) == std::string(kProse1) + para + "\n" + kProse3);
    CHECK(rules_of(stage, text) == std::vector<std::string>{"call-to-action"});
  }
  SECTION("after a sentence of the paragraph") {
    const std::string para = "The repairs will take two years and cost more than the council had planned.";
    const std::string text = std::string(kProse1) + para + " Tell us your views below.\n" + kProse3;
    CHECK(run_stage(stage, text) == std::string(kProse1) + para + "\n" + kProse3);
  }
  SECTION("glued to the start of a heading") {
    const std::string text = std::string(kProse1) + kProse2 +
                             "Where do you stand on this? Drop us a comment!Bridges Across the Region\n" + kProse3;
    CHECK(run_stage(stage, text) == std::string(kProse1) + kProse2 + "Bridges Across the Region\n" + kProse3);
  }
  SECTION("a paragraph ending in a real question stays") {
    const std::string text =
        std::string(kProse1) + "The engineers must now answer one question: can the old bridge be saved?\n" + kProse3;
    CHECK(run_stage(stage, text) == text);
  }
  SECTION("inner capitals are not a join") {
    const std::string text =
        std::string(kProse1) +
        "Analysts at McKinsey and PwC said the YouTube channel of the council drew few viewers. Do you agree?\n" +
        kProse3;
    CHECK(run_stage(stage, text) == text);
  }
}

TEST_CASE("boilerplate: a call to action never takes article sentences on its line with it", "[boilerplate]") {
  BoilerplateStage stage(test_resources());
  // An article sentence followed by a call to the reader, on a line after the
  // body, where the model reads the whole line as furniture: only the call
  // goes, cut at the sentence boundary, or the line is flagged.
  const char* sentence = "Lorries will be diverted through the village.";
  const char* calls[] = {
      " Tell us your views.",
      " Fair price? Drop us your comments.",
      " What do you think?",
      " Right call? Share your views below.",
  };
  for (const char* call : calls) {
    SECTION(call) {
      const std::string text = page("", std::string(sentence) + call + "\n");
      const auto edits = edits_of(stage, text);
      REQUIRE(edits.size() == 1);
      const std::string out = run_stage(stage, text);
      if (edits.front().kind == copydesk::EditKind::kFlag) {
        CHECK(out == text);
      } else {
        CHECK(edits.front().rule == "call-to-action");
        CHECK(out == page("", std::string(sentence) + "\n"));
      }
    }
  }
  SECTION("the sentence is cut off inside the body too, the paragraph stays") {
    const std::string para = "Shops on the high street fear the loss of passing trade.";
    const std::string text = std::string(kProse1) + para + " Right decision? Drop us your comments.\n" + kProse3;
    CHECK(run_stage(stage, text) == std::string(kProse1) + para + "\n" + kProse3);
  }
  SECTION("a standalone call-to-action paragraph is still removed whole") {
    for (const char* line :
         {"Tell us your views on the new route below.", "Good news? Drop us your comments.",
          // Sentences of site wording are no article prose.
          "Sign up for our newsletter. Share your thoughts below.",
          "Cookies help us deliver our services. By using our site you agree to our use of cookies."}) {
      CAPTURE(line);
      const std::string text = page("", std::string(line) + "\n");
      CHECK(run_stage(stage, text) == page("", ""));
    }
  }
  SECTION("article lines that address the reader or ask a question stay") {
    for (const char* line : {"If you drive a lorry, you will need a new route from Monday.",
                             "Why does the bridge matter so much? It carries the only road to the coast.",
                             "Did you know the bridge is older than the town hall? It opened in 1821."}) {
      CAPTURE(line);
      const std::string text = page("", std::string(line) + "\n");
      CHECK(run_stage(stage, text) == text);
    }
  }
}

TEST_CASE("boilerplate: the model judges lines around the article body", "[boilerplate]") {
  BoilerplateStage stage(test_resources());
  SECTION("a share bar, byline and credit before the body; related links after it") {
    const std::string top = "Print\nMail\nRepost\nBy Ada Quill, City Reporter\nPicture: Jon Marsh/Alamy\n";
    const std::string bottom = "More to explore\nReport an error\n";
    const std::string out = run_stage(stage, page(top, bottom));
    CHECK(out == page("", ""));
    // Every removal names its signals.
    for (const auto& e : edits_of(stage, page(top, bottom))) CHECK(e.reason.find("p ") != std::string::npos);
  }
  SECTION("the headline and the body stay") {
    const std::string text = page("", "");
    CHECK(run_stage(stage, text) == text);
  }
  SECTION("a subheading sharing words with its paragraph stays") {
    const std::string text = std::string(kProse1) + "Bridge repairs\n" + kProse2 + kProse3;
    CHECK(run_stage(stage, text) == text);
  }
  SECTION("a list of figures after the body stays (numbers need furniture wording)") {
    const std::string bottom = "Roads: 4.2 million\nSchools: 3.1 million\nParks: 0.8 million\n";
    const std::string text = page("", bottom);
    CHECK(run_stage(stage, text).find("Schools: 3.1 million") != std::string::npos);
  }
  SECTION("a dateline stays") {
    const std::string text = page("14 March 2024\n", "");
    CHECK(run_stage(stage, text) == text);
  }
  SECTION("a date with a clock time outside the body is the page's timestamp") {
    CHECK(run_stage(stage, page("Thursday 7 October 2021 16:05 BST\n", "")) == page("", ""));
    CHECK(run_stage(stage, page("Sept. 14, 2017, 6:40 p.m.\n", "")) == page("", ""));
  }
  SECTION("bylines outside the body go, with or without an agency") {
    CHECK(run_stage(stage, page("by Tomasz Wierzbicki\n", "")) == page("", ""));
    CHECK(run_stage(stage, page("By Lena Hartmann, Reuters\n", "")) == page("", ""));
    CHECK(run_stage(stage, page("", "(Reporting by Ines Duarte; Editing by Karl Voss)\n")) == page("", ""));
  }
  SECTION("a news-style dateline opening a paragraph keeps its text") {
    const std::string text = std::string("OSLO, June 4 (Reuters) - ") + kProse1 + kProse2 + kProse3;
    CHECK(run_stage(stage, text) == text);
  }
  SECTION("a likely menu item between two furniture lines goes; one sharing the article's words stays") {
    const std::string out =
        run_stage(stage, page("Sign up to our newsletter\nAllotment diaries\nShare this article\n", ""));
    CHECK(out == page("", ""));
    const std::string kept =
        run_stage(stage, page("Sign up to our newsletter\nBridge closures explained\nShare this article\n", ""));
    CHECK(kept == page("Bridge closures explained\n", ""));
    // A sentence or a figure between them needs wording of its own.
    const std::string figure =
        run_stage(stage, page("Sign up to our newsletter\nAllotments 2024 to 2026\nShare this article\n", ""));
    CHECK(figure.find("Allotments 2024 to 2026") != std::string::npos);
  }
  SECTION("an agency credit goes; a headline naming an agency stays") {
    CHECK(run_stage(stage, page("Marta Lindgren, AP\n", "")) == page("", ""));
    CHECK(run_stage(stage, page("", "Associated Press\n")) == page("", ""));
    for (const char* headline : {"Reuters cuts jobs in London newsroom\n", "AP poll finds most back the plan\n"}) {
      const std::string text = std::string(headline) + kProse1 + kProse2 + kProse3;
      CHECK(run_stage(stage, text) == text);
    }
  }
  SECTION("a headline shaped like a byline, sharing the article's words, is not removed") {
    const std::string text = std::string("By Bridge or by Ferry\n") + kProse1 + kProse2 + kProse3 +
                             "Ferry operators said a bridge closure would double their trade this summer.\n";
    CHECK(run_stage(stage, text) == text);
  }
  SECTION("a list the article introduces with a colon stays (flagged); one under a furniture label goes") {
    const std::string list =
        "Solar Street Lamps Along the Harbour Road\nA New Cycle Lane Through the Market Square\n"
        "Extra Benches Near the Library Garden\n";
    const std::string text = page("", "The budget also pays for:\n" + list);
    CHECK(run_stage(stage, text) == text);
    CHECK(rules_of(stage, text) == std::vector<std::string>{"unsure", "unsure", "unsure"});
    CHECK(run_stage(stage, page("", "Related stories:\n" + list)) == page("", ""));
  }
  SECTION("a heading that opens with By stays inside the body") {
    const std::string text = std::string(kProse1) + "By The Harbour Wall\n" + kProse2 + kProse3;
    CHECK(run_stage(stage, text) == text);
  }
}

TEST_CASE("boilerplate: batch evidence counts short lines across documents", "[boilerplate]") {
  copydesk::RecurringLines lines;
  for (int i = 0; i < 6; ++i) lines.add_document("Body text " + std::to_string(i) + "\nMore from the Ledger\n");
  lines.add_document("more  FROM the ledger\nmore from the ledger\n");  // once per document, case and spaces folded
  CHECK(lines.documents() == 7);
  CHECK(lines.documents_with("More from the Ledger") == 7);
  CHECK(lines.documents_with("Body text 1") == 1);
  CHECK(lines.documents_with("never seen") == 0);
  // A long line is not counted.
  CHECK(copydesk::RecurringLines::key("one two three four five six seven eight nine ten eleven twelve thirteen "
                                      "fourteen fifteen sixteen seventeen") == 0);

  BoilerplateStage stage(test_resources());
  const std::string line = "Weekend picks\n";  // short, no furniture wording of its own
  const std::string text = page(line, "");
  auto batch = std::make_shared<copydesk::RecurringLines>();
  for (int i = 0; i < 40; ++i) batch->add_document(i < 10 ? text : std::string(kProse1));
  SECTION("without the batch") { CHECK(run_stage(stage, text) == text); }
  SECTION("a line in many documents that the model leans towards goes") {
    stage.use_batch_evidence(batch);
    const auto edits = edits_of(stage, text);
    REQUIRE(edits.size() == 1);
    CHECK(edits.front().reason.find("recurs verbatim in 10 documents of the batch") != std::string::npos);
    CHECK(run_stage(stage, text) == page("", ""));
  }
  SECTION("a quoted sentence repeated in two documents stays") {
    const std::string quote = "\"We will rebuild the bridge,\" the mayor said.\n";
    auto two = std::make_shared<copydesk::RecurringLines>();
    two->add_document(quote);
    two->add_document(quote);
    stage.use_batch_evidence(two);
    const std::string with_quote = std::string(kProse1) + quote + kProse2;
    CHECK(run_stage(stage, with_quote) == with_quote);
  }
}

TEST_CASE("boilerplate: a long line's features come from its own words, whatever came before", "[boilerplate]") {
  // A line too long for the furniture rules (21 to 30 words) and not a
  // sentence: its reader and veto features read its own words, never those
  // of the line (or the document) the stage looked at before.
  const auto& names = copydesk::BoilerplateStage::feature_names();
  const auto reader = static_cast<std::size_t>(std::find(names.begin(), names.end(), "reader") - names.begin());
  const auto vetoed = static_cast<std::size_t>(std::find(names.begin(), names.end(), "vetoed") - names.begin());
  REQUIRE(reader < names.size());
  REQUIRE(vetoed < names.size());
  const std::string long_line =
      "Harbour boats, river barges, canal locks, ferry piers, lighthouse keepers, tide tables, fishing nets, "
      "dock cranes, pilot boats, cargo sheds and more";
  const std::string before = "Tell us your view\n\nHe said so, officials said\n";
  copydesk::BoilerplateStage fresh(copydesk::testing::test_resources());
  copydesk::BoilerplateStage used(copydesk::testing::test_resources());
  used.score_lines(before);
  const auto a = fresh.score_lines(long_line + "\n");
  const auto b = used.score_lines(long_line + "\n");
  REQUIRE(a.size() == 1);
  REQUIRE(b.size() == 1);
  REQUIRE(a[0].features.size() == names.size());
  CHECK(a[0].features == b[0].features);
  CHECK(b[0].features[reader] == 0.0f);
  CHECK(b[0].features[vetoed] == 0.0f);
  // The same words said by someone are a veto of its own.
  const auto c = used.score_lines(
      "Harbour boats, river barges, canal locks, ferry piers, lighthouse keepers, tide tables, "
      "fishing nets, dock cranes, pilot boats, the mayor said on Monday\n");
  REQUIRE(c.size() == 1);
  CHECK(c[0].features[vetoed] == 1.0f);
}

TEST_CASE("boilerplate: article text at the edges of the body is not taken for furniture", "[boilerplate]") {
  BoilerplateStage stage(test_resources());
  const std::string list = "Weatherproof canvas hood\nTwo spare tent pegs\nFolding aluminium frame\n";
  SECTION("a long line without a sentence ending carries the body on past a short list") {
    const std::string blurb =
        "Each kit ships with a carry bag, a repair patch and printed instructions for putting up the frame in "
        "under ten minutes\n";
    const std::string text = page("", list + blurb);
    CHECK(run_stage(stage, text) == text);
    // Without it, the same short lines after the body are judged as a link list.
    CHECK(run_stage(stage, page("", list)) == page("", ""));
  }
  SECTION("a menu with separators or a teaser ending in a link carries nothing on") {
    const std::string menu =
        "Home | Local | Sport | Weather | Travel | Jobs | Homes | Motors | Puzzles | Letters | Obituaries | "
        "Archive\n";
    CHECK(run_stage(stage, page("", list + menu)).find("Two spare tent pegs") == std::string::npos);
    const std::string teaser =
        "Ferry fares on the northern route will rise for the third time this year, the operator said on "
        "Monday. Full coverage\n";
    CHECK(run_stage(stage, page("", list + teaser)).find("Two spare tent pegs") == std::string::npos);
  }
  SECTION("a place dateline right above the first paragraph stays, flagged") {
    const std::string text = std::string("GDANSK, POLAND\n") + kProse1 + kProse2 + kProse3;
    CHECK(run_stage(stage, text) == text);
    CHECK(rules_of(stage, text) == std::vector<std::string>{"unsure"});
  }
  SECTION("a republication notice stays, flagged") {
    for (const char* notice : {"This article was originally published on our partner site.\n",
                               "This story first appeared on the Harbour Gazette website.\n"}) {
      const std::string text = page("", notice);
      CHECK(run_stage(stage, text) == text);
      CHECK(rules_of(stage, text) == std::vector<std::string>{"unsure"});
    }
  }
  SECTION("furniture glued to the end of a sentence is cut at the join") {
    const std::string sentence = "Members say the bridge will reopen to lorries by the end of summer.";
    CHECK(run_stage(stage, page("", sentence + "Continue reading\n")) == page("", sentence + "\n"));
    CHECK(run_stage(stage, page("", sentence + "Tap here to share\n")) == page("", sentence + "\n"));
    // A long tail is no glued link: the line is judged whole, never cut there.
    const std::string long_tail = sentence + "Continue reading the rest of this report\n";
    const std::string text = page("", long_tail);
    const std::size_t line_begin = text.find(sentence);
    for (const auto& e : edits_of(stage, text)) CHECK(e.begin <= line_begin);
  }
}

// The value of the model's feature `name` for `line` alone.
static float feature_of(BoilerplateStage& stage, const std::string& line, std::string_view name) {
  const auto& names = BoilerplateStage::feature_names();
  const auto at = static_cast<std::size_t>(std::find(names.begin(), names.end(), name) - names.begin());
  REQUIRE(at < names.size());
  const auto scores = stage.score_lines(line + "\n");
  REQUIRE(!scores.empty());
  REQUIRE(scores[0].features.size() == names.size());
  return scores[0].features[at];
}

TEST_CASE("boilerplate: separators are told from currency signs, list markers and emoji", "[boilerplate]") {
  BoilerplateStage stage(test_resources());
  auto separated = [&](const std::string& line) { return feature_of(stage, line, "symbols") > 0; };
  CHECK(separated("Local | Sport | Weather"));
  CHECK(separated("Home \u00BB Travel \u00BB Rail"));
  CHECK(separated("\u2022 Newsletters \u2022 Podcasts"));
  CHECK_FALSE(separated("Season tickets rise by \u00A340 to \u20AC210"));
  CHECK_FALSE(separated("* Prices exclude delivery"));
  CHECK_FALSE(separated("Doors open at seven \u2B07\uFE0F"));
}

TEST_CASE("boilerplate: a line of words ending in a closing quote, straight or curly, ends a sentence",
          "[boilerplate]") {
  BoilerplateStage stage(test_resources());
  auto ends = [&](const std::string& line) { return feature_of(stage, line, "end_sentence") > 0; };
  CHECK(ends("The keeper called the save \"the best of my life.\""));
  CHECK(ends("The keeper called the save \u201Cthe best of my life.\u201D"));
  CHECK(ends("She said it was \u2018a fair result.\u2019"));
  CHECK(ends("Il a dit \u00ABc'est fini.\u00BB"));
  CHECK_FALSE(ends("Match report"));
  // As with a straight quote, a quoted single word is no sentence.
  CHECK_FALSE(ends("\u201COpinion\u201D"));
}

TEST_CASE("boilerplate: interface words alone are menus; in a headline they are not", "[boilerplate]") {
  BoilerplateStage stage(test_resources());
  CHECK(run_stage(stage, page("", "Slideshow\nLarger font\nPrintable page\n")) == page("", ""));
  CHECK(run_stage(stage, page("Bookmark\nRSS\n", "")) == page("", ""));
  for (const char* headline :
       {"Printer makers face new recycling rules\n", "Font designers revive a 1920s typeface\n"}) {
    const std::string text = std::string(headline) + kProse1 + kProse2 + kProse3;
    CHECK(run_stage(stage, text) == text);
  }
}

// The value of the model's feature `name` for each line of `text` (0 for a line the model does not score).
static std::vector<float> features_in(BoilerplateStage& stage, const std::string& text, std::string_view name) {
  const auto& names = BoilerplateStage::feature_names();
  const auto at = static_cast<std::size_t>(std::find(names.begin(), names.end(), name) - names.begin());
  REQUIRE(at < names.size());
  std::vector<float> out;
  for (const auto& score : stage.score_lines(text)) out.push_back(score.features.empty() ? 0 : score.features[at]);
  return out;
}

TEST_CASE("boilerplate: place on the page: closing paragraphs, runs of short lines, distance above the body",
          "[boilerplate]") {
  BoilerplateStage stage(test_resources());
  SECTION("short closing paragraphs after the last long one stay, unflagged") {
    for (const char* ending :
         {"The bridge stays shut until then.\n", "Nobody on the committee objected.\nThe meeting closed at six.\n",
          "Was it worth the wait?\n"}) {
      const std::string text = page("", ending);
      CHECK(edits_of(stage, text).empty());
    }
  }
  SECTION("closing_sentence: after the body and ending like a sentence; not above it, not without the ending") {
    const auto closing =
        features_in(stage, page("Weekend edition.\n", "Lorries use the ring road.\nFerry times\n"), "closing_sentence");
    REQUIRE(closing.size() == 7);
    CHECK(closing[0] == 0.0f);  // above the body
    CHECK(closing[5] == 1.0f);
    CHECK(closing[6] == 0.0f);  // no sentence ending
  }
  SECTION("short_run: the share of one- to three-word lines in a run of three or more") {
    const auto share = features_in(stage, page("Gardens\nMotoring\nPets\n", "Weather in your area\n"), "short_run");
    REQUIRE(share.size() == 8);
    CHECK(share[0] == Approx(3.0 / 4));  // three short lines and the headline
    CHECK(share[3] == Approx(3.0 / 4));
    CHECK(share[7] == 0.0f);  // a run of one line
  }
  SECTION("distance: lines between a line above the body and the first paragraph; nothing below the body") {
    const auto distance = features_in(stage, page("Gardens\nMotoring\nPets\nSchools\n", "Road closures\n"), "distance");
    REQUIRE(distance.size() == 9);
    CHECK(distance[4] == 0.0f);  // the headline, right above the first paragraph
    CHECK(distance[0] > distance[3]);
    CHECK(distance[3] > 0.0f);
    CHECK(distance[8] == 0.0f);
  }
  SECTION("a menu far above the headline goes; the headline and the article stay") {
    const std::string menu = "Gardens\nMotoring\nPets\nSchools\nPuzzles\nAllotments\n";
    CHECK(run_stage(stage, page(menu, "")) == page("", ""));
  }
}

TEST_CASE("boilerplate: inside a body of long paragraphs the hand rules still decide every short line",
          "[boilerplate]") {
  // Lines between the first and last paragraphs that the hand rules keep
  // are not scored, and ordinary prose skips the rules: the furniture among
  // them must still go (a known line of one word, of two, or of a sentence;
  // a prefix; a counter; a timestamp), and prose that only shares words with
  // the lists ("more from", "related") must stay.
  BoilerplateStage stage(test_resources());
  const std::string text =
      "The council met on a wet evening to weigh the plan for the new harbour wall.\n"
      "Advertisement\n"
      "Residents who spoke at the meeting asked for more detail on the cost and the timetable.\n"
      "Harbour works\n"
      "More from the quarry was carted down to the shore in the autumn of that year.\n"
      "1,204 views\n"
      "We related the story of the storm to the engineers, who had seen far worse before.\n"
      "Read more: the harbour plan explained\n"
      "In 1998 the old wall failed after three days of gales from the east and the north.\n"
      "Updated 09:41 GMT\n"
      "Tell the committee what you think of the plan, the chair said at the close of the meeting.\n"
      "Skip to main content\n"
      "Next Post\n"
      "The tide tables for the coming month were pinned to the door of the harbour office.\n"
      "You must be logged in to post a comment.\n"
      "A final vote is expected before the end of the summer, officials in the town hall said.\n";
  const auto edits = edits_of(stage, text);
  std::vector<std::pair<std::string, std::string>> got;
  for (const auto& e : edits) got.emplace_back(text.substr(e.begin, e.end - e.begin), e.rule);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"Advertisement\n", "known-pattern"},
      {"1,204 views\n", "counter"},
      {"Read more: the harbour plan explained\n", "known-pattern"},
      {"Updated 09:41 GMT\n", "timestamp"},
      {"Skip to main content\n", "known-pattern"},
      {"Next Post\n", "known-pattern"},
      {"You must be logged in to post a comment.\n", "known-pattern"},
  };
  CHECK(got == expected);
}

TEST_CASE("boilerplate: every known line of the list is removed between two long paragraphs", "[boilerplate]") {
  // The ordinary-prose test clears lines by the first two words of the known
  // lines (or the one word): none of the list's own lines may get through.
  auto& resources = test_resources();
  BoilerplateStage stage(resources);
  const std::string before = "The council met on a wet evening to weigh the plan for the new harbour wall.\n";
  const std::string after = "A final vote is expected before the end of the summer, officials in the town hall said.\n";
  std::size_t lines = 0;
  for (const auto& entry : resources.dictionary("boilerplate.txt")) {
    std::string line = entry.text;
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      const std::string kind = line.substr(0, colon);
      if (kind == "prefix" || kind == "term" || kind == "social" || kind == "strong" || kind == "self" ||
          kind == "verb" || kind == "ui" || kind == "consent" || kind == "consent-with")
        continue;
      if (kind == "exact") line = line.substr(line.find_first_not_of(' ', colon + 1));
    }
    ++lines;
    INFO(line);
    CHECK(run_stage(stage, before + line + "\n" + after) == before + after);
  }
  CHECK(lines > 100);
}

TEST_CASE("boilerplate: a long line's furniture phrase is found wherever it stands in the line", "[boilerplate]") {
  // The ordinary-prose test stops its walk at the first phrase: a phrase at
  // the end, the start or in the middle of a long line sends it to the full
  // rules all the same; prose sharing single words with the lists stays.
  BoilerplateStage stage(test_resources());
  const std::string before = "The council met on a wet evening to weigh the plan for the new harbour wall.\n";
  const std::string after = "A final vote is expected before the end of the summer, officials in the town hall said.\n";
  for (const std::string line : {
           "Get the best harbour stories of the week delivered straight to you, subscribe to our newsletter today.",
           "Subscribe to our newsletter for the best of the harbour town, delivered to you every single week.",
           "Love the harbour as much as we do? Follow us on social media for the latest pictures and news.",
       }) {
    INFO(line);
    CHECK(run_stage(stage, before + line + "\n" + after) == before + after);
  }
  for (const std::string line : {
           "The yacht club newsletter, which the members printed each month, reported the vote in full that spring.",
           "She said the harbour master would follow the storm closely and share the tide readings with the crews.",
       }) {
    INFO(line);
    const std::string text = before + line + "\n" + after;
    CHECK(run_stage(stage, text) == text);
  }
}

TEST_CASE("boilerplate: a call to action is found whatever word of the line carries it", "[boilerplate]") {
  // The walk over each line lets a line skip the call-to-action test only
  // when it holds none of the words a call is made of as words of their
  // own: a reader's word glued to the paragraph's last word (a capital
  // inside a word), or the site's own phrase, still goes to the test.
  BoilerplateStage stage(test_resources());
  SECTION("a question to the reader glued to the last word of a paragraph") {
    const std::string para = "The ferry timetable for the islands changes again on the first Monday of the spring";
    const std::string text = std::string(kProse1) + para + "Your verdict?\n" + kProse3;
    CHECK(run_stage(stage, text) == std::string(kProse1) + para + "\n" + kProse3);
    CHECK(rules_of(stage, text) == std::vector<std::string>{"call-to-action"});
  }
  SECTION("the same question after a full stop and a space stays: nothing is glued") {
    const std::string text =
        std::string(kProse1) +
        "The ferry timetable for the islands changes again on the first Monday of the spring. Your verdict?\n" +
        kProse3;
    CHECK(run_stage(stage, text) == text);
  }
  SECTION("the site promoting itself (a phrase of the lists)") {
    const std::string para = "The lifeboat crew rescued four walkers cut off by the tide near the old lighthouse.";
    const std::string text =
        std::string(kProse1) + para + " For the full story of the rescue, read our coverage of the coast.\n" + kProse3;
    CHECK(run_stage(stage, text) == std::string(kProse1) + para + "\n" + kProse3);
  }
  SECTION("prose with the same words, none of them a call, stays") {
    for (const std::string line : {
             "Our correspondent on the islands said the ferry would keep its winter timetable until the end of May.",
             "The lifeboat crew said they would read the report on the rescue closely before the next winter.",
             "Walkers asked what the tide tables said, and the crew told them the causeway floods twice a day.",
         }) {
      INFO(line);
      const std::string text = std::string(kProse1) + line + "\n" + kProse3;
      CHECK(run_stage(stage, text) == text);
    }
  }
}

TEST_CASE("boilerplate: furniture runs between two removed lines", "[boilerplate]") {
  BoilerplateStage stage(test_resources());
  const std::string head = "Council backs budget after long bridge debate\n";
  const std::string body = std::string(kProse1) + kProse2 + kProse3;
  auto top = [&](const std::string& item) {
    return "Sign in\n" + item + "Subscribe\nWeather\nTraffic\n" + head + body;
  };
  SECTION("a headline of another story far above the body, sharing a word or two, goes with its run") {
    const std::string text = top("Budget Vote Delayed Again Downtown\n");
    CHECK(run_stage(stage, text) == head + body);
    const auto edits = edits_of(stage, text);
    REQUIRE(edits.size() == 5);
    CHECK(text.substr(edits[1].begin, edits[1].end - edits[1].begin) == "Budget Vote Delayed Again Downtown\n");
    CHECK(edits[1].reason.find("Between two furniture lines, in a run of such lines.") != std::string::npos);
  }
  SECTION("two items in a row go together") {
    // Neither goes alone (p 0.92 and 0.88, below the remove threshold).
    const std::string text =
        "Sign in\nBudget Vote Delayed Again Downtown\nBridge Vote Delayed Again Uptown\n"
        "Subscribe\nWeather\n" +
        head + body;
    // "Weather" (flagged on its own) goes too: it lies in the same run of
    // furniture as the removed lines above it.
    CHECK(run_stage(stage, text) == head + body);
  }
  SECTION("a line half made of the article's words stays, flagged") {
    const std::string text = top("Budget Vote Delayed Again\n");
    CHECK(run_stage(stage, text) == "Budget Vote Delayed Again\n" + head + body);
    CHECK(rules_of(stage, text) ==
          std::vector<std::string>{"furniture", "unsure", "known-pattern", "furniture", "furniture"});
  }
  SECTION("a sentence between furniture lines stays") {
    const std::string text = top("Budget talks went on late into the night.\n");
    CHECK(run_stage(stage, text) == "Budget talks went on late into the night.\n" + head + body);
  }
  SECTION("the page's last line bounds a run as a removed line does") {
    CHECK(run_stage(stage, head + body + "Sign in\nBudget Vote Delayed Again Downtown\n") == head + body);
    CHECK(run_stage(stage, head + body + "Share on Facebook\nBudget talks resume\n") == head + body);
  }
  SECTION("a short line right after the last paragraph, with no furniture before it, stays") {
    const std::string text = head + body + "Budget talks resume\n";
    CHECK(run_stage(stage, text) == text);
  }
  SECTION("the article's headline right above the body stays") {
    const std::string text = "Sign in\n" + head + "Subscribe\n" + body;
    CHECK(run_stage(stage, text) == head + body);
  }
}

TEST_CASE("boilerplate: the article's headline above the body stays, furniture above it goes", "[boilerplate]") {
  BoilerplateStage stage(test_resources());
  const std::string body =
      "Marlow Textiles Inc said a federal appeals court upheld its patent on a dyeing process, ending a "
      "two-year dispute with a rival mill.\n"
      "The company said the appeal ruling lets it collect royalties from three licensees this year.\n"
      "Marlow shares rose 40 cts to 12.10 dlrs in over-the-counter trading after the announcement.\n";
  SECTION("an all-caps headline with a ticker in angle brackets, its words in the body") {
    const std::string text = "MARLOW TEXTILES <MTX> WINS PATENT APPEAL\n" + body;
    CHECK(run_stage(stage, text) == text);
    CHECK(edits_of(stage, text).empty());
  }
  SECTION("a title-case headline, its words in the body") {
    const std::string text = "Marlow Textiles Wins Patent Appeal Against Rival Mill\n" + body;
    CHECK(run_stage(stage, text) == text);
    CHECK(edits_of(stage, text).empty());
  }
  SECTION("a headline over a table of figures, far above the first paragraph, is at most flagged") {
    // Its words are not the body's; the line of figures under it is the
    // article's table of results, not a menu.
    const std::string text =
        "BRANDON OPTICAL CORP 2ND QTR NET\nShr 14 cts vs 11 cts\nNet 1,210,000 vs 940,000\n"
        "Revs 15.6 mln vs 12.3 mln\nAvg shrs 4,100,000 vs 3,900,000\n" +
        body;
    CHECK(run_stage(stage, text) == text);
  }
  SECTION("a menu and a share bar above the headline still go") {
    const std::string text = "Sign in\nSubscribe\nWeather\nTraffic\nMARLOW TEXTILES <MTX> WINS PATENT APPEAL\n" + body;
    CHECK(run_stage(stage, text) == "MARLOW TEXTILES <MTX> WINS PATENT APPEAL\n" + body);
  }
  SECTION("a line of menu words at the top shares no words with the body and is not kept as a headline") {
    const std::string text = "Home | Business | Markets | Opinion\nMarlow Textiles Wins Patent Appeal\n" + body;
    CHECK(run_stage(stage, text) == "Marlow Textiles Wins Patent Appeal\n" + body);
  }
  SECTION("a line sharing a single word of the body is no headline by that alone") {
    // "appeal" recurs, "Sunday Supplement Puzzle" does not: the share of the
    // body's words is below half, so the model decides as before.
    const std::string line = "Sunday Supplement Puzzle Appeal Corner\n";
    const auto edits = edits_of(stage, "Sign in\nSubscribe\n" + line + "Weather\nTraffic\n" + body);
    CHECK(std::any_of(edits.begin(), edits.end(),
                      [&](const copydesk::Edit& e) { return e.begin == std::string("Sign in\nSubscribe\n").size(); }));
  }
}

TEST_CASE("boilerplate: a name in angle brackets is no separator", "[boilerplate]") {
  BoilerplateStage stage(test_resources());
  const std::string body =
      "Marlow Textiles Inc said a federal appeals court upheld its patent on a dyeing process, ending a "
      "two-year dispute with a rival mill.\n"
      "The company said the appeal ruling lets it collect royalties from three licensees this year.\n";
  SECTION("a closing sentence naming a company in brackets stays") {
    const std::string text = body + "The buyer is owned by <Harcourt Mills Holdings Ltd>. Reuter\n";
    CHECK(run_stage(stage, text) == text);
  }
  SECTION("a breadcrumb with '>' still goes") {
    const std::string text = "Home > Business > Companies\n" + body;
    CHECK(run_stage(stage, text) == body);
  }
}

TEST_CASE("boilerplate: a flagged line in a run of furniture with removed lines goes with the run", "[boilerplate]") {
  BoilerplateStage stage(test_resources());
  const std::string head = "Council backs budget after long bridge debate\n";
  const std::string body = std::string(kProse1) + kProse2 + kProse3;
  const std::string run_reason = "In a run of furniture lines with removed ones; only flagged on its own.";
  auto reason_of = [&](const std::string& text, const std::string& line) {
    for (const auto& e : edits_of(stage, text))
      if (text.substr(e.begin, e.end - e.begin).find(line) != std::string::npos) return e.reason;
    return std::string();
  };
  SECTION("a story's headline below the body, between a share bar and a legal line") {
    // Half its words are the article's: the run between two removed lines
    // alone does not take it.
    const std::string text = head + body + "Share this article\nThe afternoon debate in pictures\nPrivacy policy\n";
    CHECK(run_stage(stage, text) == head + body);
    CHECK(reason_of(text, "The afternoon debate in pictures").find(run_reason) != std::string::npos);
  }
  SECTION("a menu item right above the headline, under removed ones") {
    const std::string text = "Sign in\nHarbour Pilots Vote On New Rota\nSubscribe\nWeather\n" + head + body;
    CHECK(run_stage(stage, text) == head + body);
    CHECK(reason_of(text, "Weather").find(run_reason) != std::string::npos);
  }
  SECTION("a date alone beside a byline or a credit above the body") {
    for (const std::string credit : {"By Marta Lindgren\n", "Photo: Ines Halvorsen\n"}) {
      INFO(credit);
      const std::string text = "Sign in\nSubscribe\n" + head + credit + "3 June 2021\n" + body;
      CHECK(run_stage(stage, text) == head + body);
      CHECK(reason_of(text, "3 June 2021").find(run_reason) != std::string::npos);
    }
  }
  SECTION("a date beside a line removed for its shape alone stays, flagged") {
    const std::string text = "Sign in\nSubscribe\nWeather\n" + head + "Harbour Works\n3 June 2021\n" + body;
    CHECK(run_stage(stage, text).find("3 June 2021\n") != std::string::npos);
    CHECK(reason_of(text, "3 June 2021").find("Maybe site furniture") != std::string::npos);
  }
  SECTION("a figure beside a byline above the body needs wording of its own") {
    const std::string text = "Sign in\nSubscribe\n" + head + "By Marta Lindgren\nAllotments 2024 to 2026\n" + body;
    CHECK(run_stage(stage, text).find("Allotments 2024 to 2026\n") != std::string::npos);
  }
  SECTION("a closing sentence right under the last paragraph stays") {
    for (const std::string closing :
         {"Engineers report back in June.\n", "Members wanted a vote before the summer.\n"}) {
      INFO(closing);
      const std::string text = head + body + closing + "Share this article\nPrivacy policy\n";
      CHECK(run_stage(stage, text) == head + body + closing);
    }
  }
  SECTION("a wire story's table rows under its headline stay, figures in words or not") {
    for (const std::string table : {
             "Six mths\nShr nine cts vs four cts\nNet 1,204,000 vs 988,000\n",
             "Shr not disclosed\nNet 1,204,000 vs 988,000\nRevs 14.2 mln vs 12.9 mln\n",
             "Oper shr two cts vs one ct\nOper net 310,000 vs 122,000\n",
         }) {
      INFO(table);
      const std::string text = "HARBOUR MILLS INC <HBM> YEAR NET\n" + table + kProse1 + kProse2;
      CHECK(run_stage(stage, text).find(table) != std::string::npos);
    }
  }
  SECTION("a flagged line with no removed line in its run stays") {
    const std::string text = head + body + "The afternoon debate in pictures\n";
    CHECK(run_stage(stage, text).find("The afternoon debate in pictures\n") != std::string::npos);
  }
}

TEST_CASE("boilerplate: the walk reads long words, digits and uneven spacing as the full rules do", "[boilerplate]") {
  // The walk reads a word eight bytes at a time and takes a single space
  // after a word itself: a capital deep inside a long glued word, a phrase
  // split by several spaces or a tab, still reach the full rules; digits
  // inside a word are no capitals.
  BoilerplateStage stage(test_resources());
  SECTION("a question to the reader glued to a long last word") {
    const std::string para = "The lighthouse keepers counted the boats sheltering behind the breakwaters";
    const std::string text = std::string(kProse1) + para + "Your thoughts?\n" + kProse3;
    CHECK(run_stage(stage, text) == std::string(kProse1) + para + "\n" + kProse3);
    CHECK(rules_of(stage, text) == std::vector<std::string>{"call-to-action"});
  }
  SECTION("a phrase of the lists with several spaces or a tab between its words") {
    const std::string before = "The council met on a wet evening to weigh the plan for the new harbour wall.\n";
    const std::string after =
        "A final vote is expected before the end of the summer, officials in the town hall said.\n";
    for (const std::string line : {
             "Get the best harbour stories of the week delivered to you, subscribe  to   our newsletter today.",
             "Get the best harbour stories of the week delivered to you, subscribe to our\tnewsletter today.",
         }) {
      INFO(line);
      CHECK(run_stage(stage, before + line + "\n" + after) == before + after);
    }
  }
  SECTION("prose with digits and capitals only at the start of its words stays") {
    for (const std::string line : {
             "The 4x4 trucks of the B2 crew left the depot at 6am and reached the flooded A30 by the late morning.",
             "Readers of the 1990s timetable will recall that the 7pm ferry once ran twice a day in the summer.",
         }) {
      INFO(line);
      const std::string text = std::string(kProse1) + line + "\n" + kProse3;
      CHECK(run_stage(stage, text) == text);
    }
  }
}
