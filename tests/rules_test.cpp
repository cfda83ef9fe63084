#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <memory>

#include "pipeline/config.h"
#include "pipeline/error.h"
#include "pipeline/pipeline.h"

using namespace copydesk;

namespace {

// A stage with two rules: "upper" capitalises every word "tide", "dash" turns
// every " - " into " – ".
class TwoRuleStage : public Stage {
 public:
  std::string_view name() const override { return "spacing"; }
  std::string_view description() const override { return "test stage"; }
  std::vector<RuleInfo> rules() const override { return {{"upper", "test"}, {"dash", "test"}}; }
  void propose(std::string_view text, std::vector<Edit>& out) override {
    for (auto p = text.find("tide"); p != std::string_view::npos; p = text.find("tide", p + 4))
      out.push_back(make_change(p, p + 1, "T", "upper", "test"));
    for (auto p = text.find(" - "); p != std::string_view::npos; p = text.find(" - ", p + 3))
      out.push_back(make_change(p + 1, p + 2, "\u2013", "dash", "test"));
  }
};

Pipeline make(const RuleOptions& rules) {
  std::vector<std::unique_ptr<Stage>> stages;
  stages.push_back(std::make_unique<TwoRuleStage>());
  Pipeline p(std::move(stages));
  p.set_rules(rules);
  return p;
}

std::string clean(const RuleOptions& rules, std::string_view text) { return make(rules).run(text).text; }

}  // namespace

TEST_CASE("without rule options every edit is kept", "[rules]") {
  CHECK(clean({}, "tide - low tide") == "Tide \u2013 low Tide");
}

TEST_CASE("a disabled rule's edits are dropped, the other rule's kept", "[rules]") {
  RuleOptions r;
  r.disable = {"spacing/upper"};
  CHECK(clean(r, "tide - low tide") == "tide \u2013 low tide");
  r.disable = {"spacing/dash"};
  CHECK(clean(r, "tide - low tide") == "Tide - low Tide");
}

TEST_CASE("disabling a rule of a stage that is not running is accepted", "[rules]") {
  RuleOptions r;
  r.disable = {"casing/sentence-start"};
  CHECK(clean(r, "tide") == "Tide");
}

TEST_CASE("unknown rules and malformed ids are errors", "[rules]") {
  RuleOptions r;
  r.disable = {"spacing/nope"};
  CHECK_THROWS_WITH(make(r), Catch::Contains("has no rule 'nope'"));
  r.disable = {"nostage/upper"};
  CHECK_THROWS_WITH(make(r), Catch::Contains("unknown stage 'nostage'"));
  r.disable = {"spacing"};
  CHECK_THROWS_WITH(make(r), Catch::Contains("is not STAGE/RULE"));
}

TEST_CASE("a protected word is never changed; other words are", "[rules]") {
  RuleOptions r;
  r.protect = {"tidewater"};
  // "tidewater" is protected as a whole word; the bare "tide" is not.
  CHECK(clean(r, "tidewater and tide") == "tidewater and Tide");
  // Inside a longer word the protected word is not matched.
  CHECK(clean(r, "tidewaters") == "Tidewaters");
}

TEST_CASE("protected words match case-sensitively and literally", "[rules]") {
  RuleOptions r;
  r.protect = {"tide.x"};
  CHECK(clean(r, "tide.x tideAx") == "tide.x TideAx");  // the dot is not a wildcard
  r.protect = {"Tide"};
  CHECK(clean(r, "tide") == "Tide");
}

TEST_CASE("a protected pattern keeps its matches", "[rules]") {
  RuleOptions r;
  r.protect_patterns = {"\\d+ - \\d+"};
  CHECK(clean(r, "scores 3 - 2, tide - out") == "scores 3 - 2, Tide \u2013 out");
}

TEST_CASE("a change right beside a protected word is allowed", "[rules]") {
  // The dash rule replaces one byte inside " - "; protecting the words around it
  // does not block a change beside them.
  RuleOptions r;
  r.protect = {"low", "high"};
  CHECK(clean(r, "low - high") == "low \u2013 high");
}

TEST_CASE("a bad pattern is an error naming it", "[rules]") {
  RuleOptions r;
  r.protect_patterns = {"(unclosed"};
  CHECK_THROWS_WITH(make(r), Catch::Contains("(unclosed"));
}

TEST_CASE("ignore markers leave their lines alone", "[rules]") {
  const std::string doc =
      "tide one\n<!-- copydesk: ignore-start -->\ntide two - kept\n<!-- copydesk: ignore-end -->\ntide three\n";
  CHECK(clean({}, doc) ==
        "Tide one\n<!-- copydesk: ignore-start -->\ntide two - kept\n<!-- copydesk: ignore-end -->\nTide three\n");
  RuleOptions off;
  off.ignore_markers = false;
  CHECK(clean(off, doc).find("Tide two \u2013 kept") != std::string::npos);
}

TEST_CASE("an ignore-start without an end reaches the end of the document", "[rules]") {
  CHECK(clean({}, "tide\ncopydesk: ignore-start\ntide\ntide") == "Tide\ncopydesk: ignore-start\ntide\ntide");
}

TEST_CASE("filtered edits keep the change log's offsets right", "[rules]") {
  RuleOptions r;
  r.protect = {"tidal"};
  auto p = make(r);
  const auto result = p.run("tidal tide");
  REQUIRE(result.stages[0].edits.size() == 1);
  CHECK(result.stages[0].original[0].begin == 6);
  CHECK(result.text == "tidal Tide");
}

namespace {
std::string write_temp(const std::string& name, const std::string& text) {
  const std::string path = std::string(COPYDESK_BINARY_DIR) + "/" + name;
  std::ofstream(path) << text;
  return path;
}
}  // namespace

TEST_CASE("config [rules] is read", "[rules][config]") {
  Config c = default_config();
  load_config_file(write_temp("rules_ok.toml",
                              "[rules]\ndisable = [\"spelling/unsure\"]\nprotect = [\"WordPerfect\"]\n"
                              "protect_patterns = [\"[A-Z]{3}-\\\\d+\"]\nignore_markers = false\n"),
                   c);
  CHECK(c.rules.disable == std::vector<std::string>{"spelling/unsure"});
  CHECK(c.rules.protect == std::vector<std::string>{"WordPerfect"});
  CHECK(c.rules.protect_patterns == std::vector<std::string>{"[A-Z]{3}-\\d+"});
  CHECK_FALSE(c.rules.ignore_markers);
}

TEST_CASE("config [rules] errors name the file and line", "[rules][config]") {
  Config c = default_config();
  CHECK_THROWS_WITH(load_config_file(write_temp("rules_bad1.toml", "[rules]\n\ndisable = [\"spelling\"]\n"), c),
                    Catch::Contains("rules_bad1.toml:3") && Catch::Contains("STAGE/RULE"));
  CHECK_THROWS_WITH(load_config_file(write_temp("rules_bad2.toml", "[rules]\nprotect = \"x\"\n"), c),
                    Catch::Contains("rules_bad2.toml:2"));
  CHECK_THROWS_WITH(load_config_file(write_temp("rules_bad3.toml", "[rules]\nprotekt = []\n"), c),
                    Catch::Contains("unknown key 'rules.protekt'"));
}

TEST_CASE("skip takes stages and STAGE/RULE ids", "[rules][config]") {
  Config c = default_config();
  select_stages(c, {}, {"dedupe", "spelling/misspelling"});
  CHECK(std::find(c.stages.begin(), c.stages.end(), "dedupe") == c.stages.end());
  CHECK(std::find(c.stages.begin(), c.stages.end(), "spelling") != c.stages.end());
  CHECK(c.rules.disable == std::vector<std::string>{"spelling/misspelling"});
  CHECK_THROWS_WITH(select_stages(c, {}, {"nope/rule"}), Catch::Contains("unknown stage 'nope'"));
}
