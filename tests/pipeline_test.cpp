#include <catch2/catch.hpp>

#include <memory>
#include <thread>

#include "pipeline/changelog.h"
#include "pipeline/error.h"
#include "pipeline/pipeline.h"
#include "pipeline/registry.h"
#include "pipeline/review.h"

using namespace copydesk;

namespace {

// A stage that replaces every occurrence of one string with another.
class ReplaceStage : public Stage {
 public:
  ReplaceStage(std::string name, std::string from, std::string to)
      : name_(std::move(name)), from_(std::move(from)), to_(std::move(to)) {}
  std::string_view name() const override { return name_; }
  std::string_view description() const override { return "test stage"; }
  std::vector<RuleInfo> rules() const override { return {{"replace", "test rule"}}; }
  void propose(std::string_view text, std::vector<Edit>& out) override {
    for (auto pos = text.find(from_); pos != std::string_view::npos; pos = text.find(from_, pos + from_.size()))
      out.push_back(make_change(pos, pos + from_.size(), to_, "replace", "test"));
  }

 private:
  std::string name_, from_, to_;
};

Pipeline two_stages(std::string a_from, std::string a_to, std::string b_from, std::string b_to) {
  std::vector<std::unique_ptr<Stage>> stages;
  stages.push_back(std::make_unique<ReplaceStage>("a", std::move(a_from), std::move(a_to)));
  stages.push_back(std::make_unique<ReplaceStage>("b", std::move(b_from), std::move(b_to)));
  return Pipeline(std::move(stages));
}

}  // namespace

TEST_CASE("stages run in order on each other's output", "[pipeline]") {
  auto p = two_stages("cat", "dog", "dog", "wolf");
  const auto r = p.run("a cat and a dog");
  CHECK(r.text == "a wolf and a wolf");
  REQUIRE(r.stages.size() == 2);
  CHECK(r.stages[0].edits.size() == 1);
  CHECK(r.stages[1].edits.size() == 2);
  CHECK(r.changes() == 3);
}

TEST_CASE("edits map back to offsets in the original input", "[pipeline]") {
  auto p = two_stages("xx", "y", "end", "END");
  const std::string doc = "xx xx end";
  const auto r = p.run(doc);
  CHECK(r.text == "y y END");
  const auto& b = r.stages[1];
  REQUIRE(b.edits.size() == 1);
  CHECK(b.edits[0].begin == 4);  // in stage b's input "y y end"
  CHECK(doc.substr(b.original[0].begin, b.original[0].end - b.original[0].begin) == "end");
}

TEST_CASE("an edit of inserted text maps to the whole span it replaced", "[pipeline]") {
  auto p = two_stages("ab", "XYZ", "Y", "-");
  const auto r = p.run("0ab1");
  CHECK(r.text == "0X-Z1");
  const auto span = r.stages[1].original[0];
  CHECK(span.begin == 1);
  CHECK(span.end == 3);
}

TEST_CASE("OffsetMap insertions and deletions", "[pipeline]") {
  OffsetMap map(10);
  map.apply({make_change(2, 2, "++", "r", ""), make_change(5, 7, "", "r", "")});
  CHECK(map.length() == 10);
  auto s = map.to_original(0, 2);
  CHECK((s.begin == 0 && s.end == 2));
  s = map.to_original(4, 6);  // "23" after the insertion: 2..4 original
  CHECK((s.begin == 2 && s.end == 4));
  s = map.to_original(7, 8);  // first char after the deletion: original 7
  CHECK((s.begin == 7 && s.end == 8));
}

TEST_CASE("CRLF input is cleaned as LF and written back as CRLF", "[pipeline]") {
  auto p = two_stages("cat", "dog", "zzz", "q");
  const std::string doc = "one cat\r\ntwo cat\r\n";
  const auto r = p.run(doc);
  CHECK(r.crlf);
  CHECK(r.text == "one dog\r\ntwo dog\r\n");
  const auto span = r.stages[0].original[1];
  CHECK(doc.substr(span.begin, span.end - span.begin) == "cat");
  CHECK(span.begin == 13);
}

TEST_CASE("mixed line endings are kept line by line", "[pipeline]") {
  auto p = two_stages("cat", "dog", "zzz", "q");
  // A lone LF after a CRLF, and a CRLF after a lone LF: each line keeps its own.
  CHECK(p.run("one cat\r\ntwo\nthree\r\n").text == "one dog\r\ntwo\nthree\r\n");
  CHECK(p.run("one\ntwo cat\r\nthree\n").text == "one\ntwo dog\r\nthree\n");
  CHECK_FALSE(p.run("one\r\ntwo\n").crlf);
  CHECK(p.run("one\r\ntwo\n").input_edits.empty());
  CHECK(p.run("one\r\ntwo\r\n").crlf);
}

TEST_CASE("invalid UTF-8 is an error naming the byte offset", "[pipeline]") {
  auto p = two_stages("a", "b", "c", "d");
  try {
    p.run("ok\xC3(");
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("byte offset 2") != std::string::npos);
  }
}

TEST_CASE("lossy mode replaces invalid bytes and logs them", "[pipeline]") {
  auto p = two_stages("a", "A", "c", "d");
  const std::string doc =
      "ab\xFF"
      "a";
  const auto r = p.run(doc, RunOptions{true, true});
  CHECK(r.text ==
        "Ab\xEF\xBF\xBD"
        "A");
  REQUIRE(r.input_edits.size() == 1);
  CHECK(r.input_edits[0].begin == 2);
  const auto log = changes_to_json("doc", doc, r);
  CHECK(log["edits"][0]["stage"] == "input");
  CHECK(log["edits"][0]["before"] == "\\xff");
  CHECK(r.stages[0].original[1].begin == 3);  // the second 'a', after the bad byte
}

TEST_CASE("binary input is rejected", "[pipeline]") {
  auto p = two_stages("a", "b", "c", "d");
  CHECK_THROWS_AS(p.run(std::string("ab\0cd", 5)), Error);
}

TEST_CASE("empty input gives empty output", "[pipeline]") {
  auto p = two_stages("a", "b", "c", "d");
  const auto r = p.run("");
  CHECK(r.text.empty());
  CHECK(r.changes() == 0);
}

TEST_CASE("the change log lists every edit with original offsets", "[pipeline]") {
  auto p = two_stages("cat", "dog", "dog", "wolf");
  const std::string doc = "cat\nold dog";
  const auto r = p.run(doc);
  const auto log = changes_to_json("d.txt", doc, r);
  REQUIRE(log["edits"].size() == 3);
  CHECK(log["edits"][0]["id"] == "a-1");
  CHECK(log["edits"][2]["stage"] == "b");
  CHECK(log["edits"][2]["begin"] == 8);
  CHECK(log["edits"][2]["line"] == 2);
  CHECK(log["edits"][2]["before"] == "dog");
  CHECK(log["edits"][2]["after"] == "wolf");
}

TEST_CASE("the change log gives offsets in code points beside bytes", "[pipeline]") {
  auto p = two_stages("cat", "dog", "x", "y");
  // "é" is two bytes, "€" three, the emoji four: each one code point.
  const std::string doc = "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 cat";
  const auto r = p.run(doc);
  const auto log = changes_to_json("d.txt", doc, r);
  REQUIRE(log["edits"].size() == 1);
  CHECK(log["edits"][0]["begin"] == 15);
  CHECK(log["edits"][0]["end"] == 18);
  CHECK(log["edits"][0]["begin_cp"] == 9);
  CHECK(log["edits"][0]["end_cp"] == 12);
  // Past the first block of the index too.
  std::string long_doc;
  for (int i = 0; i < 300; ++i) long_doc += "\xc3\xa9";
  long_doc += " cat";
  const auto r2 = p.run(long_doc);
  const auto log2 = changes_to_json("d.txt", long_doc, r2);
  REQUIRE(log2["edits"].size() == 1);
  CHECK(log2["edits"][0]["begin"] == 601);
  CHECK(log2["edits"][0]["begin_cp"] == 301);
}

namespace {

// A stage that flags every occurrence of a string.
class FlagStage : public Stage {
 public:
  explicit FlagStage(std::string what) : what_(std::move(what)) {}
  std::string_view name() const override { return "f"; }
  std::string_view description() const override { return "test stage"; }
  std::vector<RuleInfo> rules() const override { return {{"flag", "test rule"}}; }
  void propose(std::string_view text, std::vector<Edit>& out) override {
    for (auto pos = text.find(what_); pos != std::string_view::npos; pos = text.find(what_, pos + what_.size()))
      out.push_back(make_flag(pos, pos + what_.size(), "flag", "test"));
  }

 private:
  std::string what_;
};

}  // namespace

TEST_CASE("a later stage's change that an earlier stage acts on is cleaned in the same run", "[pipeline]") {
  // Stage a joins "pq" into "R"; stage b writes the "q" that makes the pair.
  auto p = two_stages("pq", "R", "x", "q");
  const std::string doc = "1 px 2";
  const auto r = p.run(doc);
  CHECK(r.text == "1 R 2");
  CHECK(p.run(r.text).changes() == 0);  // the output is a fixed point
  REQUIRE(r.stages.size() == 3);        // a, b, then a again in a second pass
  CHECK(r.stages[2].stage == "a");
  CHECK(r.stages[2].pass == 2);
  CHECK(r.stages[2].index == 0);
  CHECK(r.stages[2].label() == "a@2");
  CHECK(r.stages[2].input == "1 pq 2");
  CHECK(r.stages[2].original[0].begin == 2);  // "px" in the original input
  CHECK(r.stages[2].original[0].end == 4);
  const auto log = changes_to_json("d.txt", doc, r);
  REQUIRE(log["edits"].size() == 2);
  CHECK(log["edits"][1]["id"] == "a@2-1");
  CHECK(log["edits"][1]["stage"] == "a");
  CHECK(log["edits"][1]["pass"] == 2);
  CHECK(log["edits"][1]["before"] == "pq");
  CHECK_FALSE(log["edits"][0].contains("pass"));
  // Replay: every edit, none, or only the later pass's rejected.
  CHECK(apply_review(r, {}).text == r.text);
  CHECK(apply_review(r, {"b-1", "a@2-1"}).text == doc);
  CHECK(apply_review(r, {"a@2-1"}).text == "1 pq 2");
  const auto skipped = apply_review(r, {"b-1"});  // the pair exists only through b-1
  CHECK(skipped.text == doc);
  CHECK(skipped.skipped == std::vector<std::string>{"a@2-1"});
}

TEST_CASE("clean text takes one pass; a pass that changes nothing ends the run", "[pipeline]") {
  auto p = two_stages("pq", "R", "x", "q");
  CHECK(p.run("nothing to do here").stages.size() == 2);
  CHECK(p.run("1 pq 2").stages.size() == 2);  // changed in pass 1, nothing for pass 2
}

TEST_CASE("passes are bounded and a later pass repeats no flag", "[pipeline]") {
  std::vector<std::unique_ptr<Stage>> stages;
  stages.push_back(std::make_unique<FlagStage>("z"));
  stages.push_back(std::make_unique<ReplaceStage>("grow", "o", "oo"));  // never reaches a fixed point
  Pipeline p(std::move(stages));
  const auto r = p.run("z o");
  CHECK(r.text == "z " + std::string(std::size_t{1} << Pipeline::kMaxPasses, 'o'));  // doubled in every pass
  std::size_t flags = 0;
  std::size_t last_pass = 0;
  for (const auto& run : r.stages) {
    last_pass = std::max(last_pass, run.pass);
    for (const auto& e : run.edits) flags += e.kind == EditKind::kFlag;
  }
  CHECK(last_pass == Pipeline::kMaxPasses);
  CHECK(flags == 1);  // "z" flagged once, in the first pass
  CHECK(apply_review(r, {}).text == r.text);
}

TEST_CASE("a document handed over to the pipeline is cleaned as one lent to it", "[pipeline]") {
  // The first stage lengthens the text, the second shortens it: the edits go
  // into the document's own buffer (or a new one when they do not fit).
  const std::string doc = "a dog and a cat and a dog and a bird sat on a dog in a hat";
  for (const bool keep : {false, true}) {
    RunOptions options;
    options.keep_stage_inputs = keep;
    Pipeline lent = two_stages("dog", "large hound", " and", ",");
    Pipeline handed = two_stages("dog", "large hound", " and", ",");
    const Result a = lent.run(doc, options);
    std::string copy = doc;
    const Result b = handed.run_owned(std::move(copy), options);
    CHECK(a.text == "a large hound, a cat, a large hound, a bird sat on a large hound in a hat");
    CHECK(b.text == a.text);
    REQUIRE(b.stages.size() == a.stages.size());
    for (std::size_t i = 0; i < a.stages.size(); ++i) {
      CHECK(b.stages[i].input == a.stages[i].input);
      REQUIRE(b.stages[i].edits.size() == a.stages[i].edits.size());
      for (std::size_t j = 0; j < a.stages[i].edits.size(); ++j) {
        CHECK(b.stages[i].edits[j].begin == a.stages[i].edits[j].begin);
        CHECK(b.stages[i].original[j].begin == a.stages[i].original[j].begin);
        CHECK(b.stages[i].original[j].end == a.stages[i].original[j].end);
      }
    }
  }
}

TEST_CASE("a budget for the process is split among the Resources sharing a store", "[pipeline]") {
  const ResourcePaths paths{COPYDESK_SOURCE_DIR "/dictionaries", "/usr/share/hunspell", {}};
  Resources first(paths);
  const Budget budget = first.budget(1000);
  CHECK(budget.share() == 1000);
  Resources separate(paths);  // another store: not counted
  CHECK(budget.share() == 1000);
  {
    std::unique_ptr<Resources> second = first.share();
    CHECK(budget.share() == 500);
    CHECK(second->budget(1000).share() == 500);
    std::unique_ptr<Resources> third = second->share();
    CHECK(budget.share() == 333);
  }
  CHECK(budget.share() == 1000);  // the others are gone
  // Never less than an eighth of the whole, however many share it.
  std::vector<std::unique_ptr<Resources>> many;
  for (int i = 0; i < 15; ++i) many.push_back(first.share());
  CHECK(budget.share() == 125);
}

TEST_CASE("Resources made with share() load the dictionaries once between them", "[pipeline]") {
  const ResourcePaths paths{COPYDESK_SOURCE_DIR "/dictionaries", "/usr/share/hunspell", {}};
  Resources first(paths);
  std::unique_ptr<Resources> second = first.share();
  Resources separate(paths);
  CHECK(&first.names() == &second->names());
  CHECK(&first.word_frequencies() == &second->word_frequencies());
  CHECK(&first.names() != &separate.names());
  CHECK(&first.word_frequencies() != &separate.word_frequencies());
  CHECK(second->paths().dictionaries == paths.dictionaries);
  // Each has its own lexicon facade (it keeps caches).
  CHECK(&first.lexicon() != &second->lexicon());

  int builds = 0;
  auto build = [&builds] {
    ++builds;
    return std::vector<int>{1, 2, 3};
  };
  const auto a = first.shared<std::vector<int>>("test.table", build);
  const auto b = second->shared<std::vector<int>>("test.table", build);
  const auto c = separate.shared<std::vector<int>>("test.table", build);
  CHECK(a == b);
  CHECK(a != c);
  CHECK(builds == 2);
  // A builder that throws keeps nothing: the next call builds.
  CHECK_THROWS_AS(first.shared<int>("test.failing", []() -> int { throw Error("no"); }), Error);
  CHECK(*second->shared<int>("test.failing", [] { return 7; }) == 7);
}

TEST_CASE("pipelines built at once on two threads from shared Resources clean alike", "[pipeline]") {
  const ResourcePaths paths{COPYDESK_SOURCE_DIR "/dictionaries", "/usr/share/hunspell", {}};
  const std::string doc =
      "the minister said on monday that the goverment would publish its plan.The plan was welcomed by by "
      "businesses in beijing and Shanghai.\n";
  const std::vector<std::string> names(stage_names().begin(), stage_names().end());
  Resources alone(paths);
  const std::string expected = Pipeline::build(names, alone).run(doc).text;
  CHECK(expected != doc);

  Resources first(paths);
  std::vector<std::unique_ptr<Resources>> resources;
  resources.push_back(first.share());
  resources.push_back(first.share());
  std::vector<std::string> out(2);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      Pipeline p = Pipeline::build(names, *resources[t]);
      out[t] = p.run(doc).text;
    });
  }
  for (auto& t : threads) t.join();
  CHECK(out[0] == expected);
  CHECK(out[1] == expected);
}
