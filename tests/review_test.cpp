#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>

#include <nlohmann/json.hpp>

#include "pipeline/apply.h"
#include "pipeline/diff.h"
#include "pipeline/error.h"
#include "pipeline/pipeline.h"
#include "pipeline/registry.h"
#include "pipeline/review.h"
#include "review/report.h"
#include "stage_test_util.h"

using namespace copydesk;

namespace {

// Replaces every occurrence of `from` with `to` (`from` empty: inserts `to`
// before the last character of every occurrence of `at`, so that a second run
// finds nothing to do).
class ReplaceStage : public Stage {
 public:
  ReplaceStage(std::string name, std::string from, std::string to, std::string at = {})
      : name_(std::move(name)), from_(std::move(from)), to_(std::move(to)), at_(std::move(at)) {}
  std::string_view name() const override { return name_; }
  std::string_view description() const override { return "test stage"; }
  std::vector<RuleInfo> rules() const override { return {{"replace", "test rule"}}; }
  void propose(std::string_view text, std::vector<Edit>& out) override {
    const std::string& needle = from_.empty() ? at_ : from_;
    for (auto pos = text.find(needle); pos != std::string_view::npos; pos = text.find(needle, pos + needle.size())) {
      const std::size_t begin = from_.empty() ? pos + needle.size() - 1 : pos;
      const std::size_t end = from_.empty() ? begin : pos + from_.size();
      out.push_back(make_change(begin, end, to_, "replace", "test"));
    }
  }

 private:
  std::string name_, from_, to_, at_;
};

Pipeline stages(std::vector<std::unique_ptr<Stage>> list) { return Pipeline(std::move(list)); }

Pipeline two(std::unique_ptr<Stage> a, std::unique_ptr<Stage> b) {
  std::vector<std::unique_ptr<Stage>> list;
  list.push_back(std::move(a));
  list.push_back(std::move(b));
  return stages(std::move(list));
}

std::unique_ptr<Stage> replace(std::string name, std::string from, std::string to) {
  return std::make_unique<ReplaceStage>(std::move(name), std::move(from), std::move(to));
}

std::unique_ptr<Stage> insert(std::string name, std::string what, std::string before) {
  return std::make_unique<ReplaceStage>(std::move(name), "", std::move(what), std::move(before));
}

std::set<std::string> all_changes(const Result& r) {
  std::set<std::string> ids;
  for (const auto& run : r.stages)
    for (std::size_t k = 0; k < run.edits.size(); ++k)
      if (run.edits[k].kind == EditKind::kChange) ids.insert(edit_id(run.label(), k));
  return ids;
}

using Ids = std::vector<std::string>;

}  // namespace

TEST_CASE("rejecting nothing gives the cleaned text, everything the input", "[review]") {
  auto p = two(replace("a", "cat", "dog"), replace("b", "dog", "wolf"));
  const auto r = p.run("a cat and a dog");
  REQUIRE(r.text == "a wolf and a wolf");
  CHECK(apply_review(r, {}).text == r.text);
  const auto all = apply_review(r, all_changes(r));
  CHECK(all.text == "a cat and a dog");
  CHECK(all.skipped.empty());
}

TEST_CASE("rejecting one edit undoes exactly it", "[review]") {
  auto p = two(replace("a", "cat", "dog"), replace("b", "dog", "wolf"));
  const auto r = p.run("a cat and a dog, a cat");
  REQUIRE(r.text == "a wolf and a wolf, a wolf");
  SECTION("a later stage's edit") {
    const auto o = apply_review(r, {"b-2"});
    CHECK(o.text == "a wolf and a dog, a wolf");
    CHECK(o.skipped.empty());
  }
  SECTION("an earlier stage's edit, where no later edit touches its text") {
    auto q = two(replace("a", "cat", "kitten"), replace("b", "dog", "wolf"));
    const auto r2 = q.run("a cat and a dog, a cat");
    const auto o = apply_review(r2, {"a-2"});
    CHECK(o.text == "a kitten and a wolf, a cat");
    CHECK(o.skipped.empty());
  }
}

TEST_CASE("a later edit inside text a rejected edit inserted is skipped", "[review]") {
  SECTION("a change of replaced text") {
    auto p = two(replace("a", "cat", "dog"), replace("b", "dog", "wolf"));
    const auto r = p.run("a cat and a dog");
    const auto o = apply_review(r, {"a-1"});
    CHECK(o.text == "a cat and a wolf");
    CHECK(o.skipped == Ids{"b-1"});
  }
  SECTION("an insertion touching inserted text") {
    auto p = two(insert("a", "X", "ab"), insert("b", "!", "Xb"));
    const auto r = p.run("ab ab");
    REQUIRE(r.text == "aX!b aX!b");
    const auto o = apply_review(r, {"a-1"});
    CHECK(o.text == "ab aX!b");
    CHECK(o.skipped == Ids{"b-1"});
  }
  SECTION("a change across a rejected deletion") {
    auto p = two(replace("a", "zz", ""), replace("b", "ab", "AB"));
    const auto r = p.run("azzb zzab");
    REQUIRE(r.text == "AB AB");
    const auto o = apply_review(r, {"a-1", "a-2"});
    CHECK(o.text == "azzb zzAB");  // the first "ab" only exists once "zz" is gone
    CHECK(o.skipped == Ids{"b-1"});
  }
}

TEST_CASE("CRLF is restored and unknown ids are reported", "[review]") {
  auto p = two(replace("a", "cat", "dog"), replace("b", "zzz", "q"));
  const auto r = p.run("one cat\r\ntwo cat\r\n");
  const auto o = apply_review(r, {"a-2", "spacing-9"});
  CHECK(o.text == "one dog\r\ntwo cat\r\n");
  CHECK(o.unknown == Ids{"spacing-9"});
  CHECK(apply_review(r, all_changes(r)).text == "one cat\r\ntwo cat\r\n");
}

TEST_CASE("the stage inputs are required", "[review]") {
  auto p = two(replace("a", "cat", "dog"), replace("b", "dog", "wolf"));
  const auto r = p.run("a cat", RunOptions{false, false});
  CHECK_THROWS_AS(apply_review(r, {}), Error);
}

namespace {
const std::string kHashA(64, 'a');
const std::string kHashB(64, 'b');

std::string rejected_file(const std::string& documents, const std::string& config = kHashA) {
  return R"({"copydesk_rejected": 2, "config": ")" + config + R"(", "documents": {)" + documents + "}}";
}
}  // namespace

TEST_CASE("rejected-ids files", "[review]") {
  const auto rej = parse_rejections(rejected_file(R"("in/a.txt": {"input": ")" + kHashB +
                                                  R"(", "rejected": ["spacing-3", "unicode-1"]},
                                                   "b.txt": {"input": ")" +
                                                  kHashA + R"(", "rejected": []})"));
  CHECK(rej.config == kHashA);
  REQUIRE(rejections_for(rej, "in/a.txt") != nullptr);
  CHECK(rejections_for(rej, "in/a.txt")->ids == std::set<std::string>{"spacing-3", "unicode-1"});
  CHECK(rejections_for(rej, "in/a.txt")->input_hash == kHashB);
  REQUIRE(rejections_for(rej, "other/a.txt") != nullptr);  // matched by file name
  CHECK(rejections_for(rej, "other/a.txt")->ids.size() == 2);
  CHECK(rejections_for(rej, "c.txt") == nullptr);  // no entry: the caller says so
  CHECK_THROWS_AS(parse_rejections("[1]"), Error);
  CHECK_THROWS_AS(parse_rejections("not json"), Error);
  // Version 1 files carry no hashes: refused with a message saying to re-export.
  CHECK_THROWS_WITH(parse_rejections(R"({"copydesk_rejected": 1, "documents": {"a": ["x-1"]}})"),
                    Catch::Contains("older report"));
  // Hashes are required, in the file and per document.
  CHECK_THROWS_AS(parse_rejections(R"({"copydesk_rejected": 2, "documents": {}})"), Error);
  CHECK_THROWS_AS(parse_rejections(rejected_file(R"("a": {"rejected": []})")), Error);
  CHECK_THROWS_AS(parse_rejections(rejected_file(R"("a": {"input": "abc", "rejected": []})")), Error);
  CHECK_THROWS_AS(parse_rejections(rejected_file(R"("a": {"input": ")" + kHashA + R"(", "rejected": [3]})")), Error);
  CHECK_THROWS_AS(parse_rejections(rejected_file(R"("a": ["x-1"])")), Error);
  const auto dup = parse_rejections(rejected_file(R"("x/a.txt": {"input": ")" + kHashA + R"(", "rejected": []},
                                                   "y/a.txt": {"input": ")" +
                                                  kHashA + R"(", "rejected": []})"));
  CHECK_THROWS_AS(rejections_for(dup, "z/a.txt"), Error);
}

TEST_CASE("rejected-ids files of one report's pages merge", "[review]") {
  auto one = parse_rejections(rejected_file(R"("a.txt": {"input": ")" + kHashA + R"(", "rejected": ["s-1"]})"));
  merge_rejections(one, parse_rejections(rejected_file(R"("b.txt": {"input": ")" + kHashB + R"(", "rejected": []})")));
  CHECK(one.documents.size() == 2);
  CHECK_THROWS_AS(merge_rejections(one, parse_rejections(rejected_file(
                                            R"("c.txt": {"input": ")" + kHashA + R"(", "rejected": []})", kHashB))),
                  Error);  // another configuration
  CHECK_THROWS_AS(merge_rejections(one, parse_rejections(rejected_file(R"("a.txt": {"input": ")" + kHashA +
                                                                       R"(", "rejected": []})"))),
                  Error);  // the same document twice
}

TEST_CASE("hashes of texts and configurations", "[review]") {
  CHECK(content_hash("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");  // SHA-256 of ""
  CHECK(content_hash("a text\n") != content_hash("a text\r\n"));
  const auto dir = std::filesystem::temp_directory_path() / "copydesk_review_fingerprint";
  std::filesystem::create_directories(dir);
  { std::ofstream(dir / "words.txt") << "alpha\n"; }
  ResourcePaths paths{dir.string(), dir.string(), {}};
  const auto base = config_fingerprint("1.0", {"spacing", "names"}, paths);
  CHECK(base.size() == 64);
  CHECK(config_fingerprint("1.0", {"spacing", "names"}, paths) == base);
  CHECK(config_fingerprint("1.1", {"spacing", "names"}, paths) != base);  // another version
  CHECK(config_fingerprint("1.0", {"names", "spacing"}, paths) != base);  // another order
  CHECK(config_fingerprint("1.0", {"spacing"}, paths) != base);           // a stage fewer
  { std::ofstream(dir / "words.txt") << "alpha\nbeta\n"; }
  CHECK(config_fingerprint("1.0", {"spacing", "names"}, paths) != base);  // other data
  { std::ofstream(dir / "words.txt") << "alpha\n"; }
  const auto moved = std::filesystem::temp_directory_path() / "copydesk_review_fingerprint_2";
  std::filesystem::remove_all(moved);
  std::filesystem::copy(dir, moved);
  CHECK(config_fingerprint("1.0", {"spacing", "names"}, ResourcePaths{moved.string(), moved.string(), {}}) ==
        base);  // the same data elsewhere
  paths.extra_names = {(dir / "missing.txt").string()};
  CHECK_THROWS_AS(config_fingerprint("1.0", {"spacing"}, paths), Error);
  std::filesystem::remove_all(dir);
  std::filesystem::remove_all(moved);
}

TEST_CASE("the report embeds its data so article text cannot close the script", "[review][report]") {
  auto p = two(replace("a", "cat", "dog"), replace("b", "dog", "wolf"));
  const std::string input = "a cat </script><script>alert(1)</script> <!-- & x\n\xE2\x80\xA8 cat\xE2\x80\xA9";
  const auto r = p.run(input);
  ReportWriter report("test", kHashA);
  report.add("doc</script>.txt", input, r);
  std::ostringstream out;
  report.finish(out);
  const std::string html = out.str();
  const auto data = html.find("id=\"copydesk-data\">");
  REQUIRE(data != std::string::npos);
  const auto close = html.find("</script>", data);
  const std::string json = html.substr(data + 19, close - data - 19);
  CHECK(json.find('<') == std::string::npos);
  CHECK(json.find("\xE2\x80\xA8") == std::string::npos);  // U+2028 and U+2029 escaped
  CHECK(json.find("\xE2\x80\xA9") == std::string::npos);
  CHECK(json.find("\\u2028") != std::string::npos);
  CHECK(json.find("\\u003c/script\\u003e") != std::string::npos);
  const auto parsed = nlohmann::json::parse(json);
  CHECK(parsed["config"] == kHashA);
  CHECK(parsed["documents"][0]["input"] == input);
  CHECK(parsed["documents"][0]["hash"] == content_hash(input));
  const auto& edits = parsed["documents"][0]["stages"][0]["edits"];
  CHECK(edits[0][2] == "dog");
  CHECK(edits[0][6] == "cat");  // before
  CHECK(edits[0][7] == 1);      // line of the original input
  CHECK(edits[1][7] == 2);
  CHECK(html.find("http://") == std::string::npos);  // no external assets
  CHECK(html.find("https://") == std::string::npos);
}

TEST_CASE("edit lines in the report count lines of the original input", "[review][report]") {
  // The first stage removes a line, so the second stage's text is a line short.
  auto p = two(replace("a", "drop me\n", ""), replace("b", "dog", "wolf"));
  const std::string input = "one\r\ndrop me\r\nthree dog\r\n";
  const auto r = p.run(input);
  ReportWriter report("test", kHashA);
  report.add("d.txt", input, r);
  const auto json = nlohmann::json::parse(report_data_json("test", kHashA, {}, ""));
  CHECK(json["documents"].empty());
  std::ostringstream out;
  report.finish(out);
  const std::string html = out.str();
  const auto data = html.find("id=\"copydesk-data\">") + 19;
  const auto parsed = nlohmann::json::parse(html.substr(data, html.find("</script>", data) - data));
  CHECK(parsed["documents"][0]["stages"][0]["edits"][0][7] == 2);
  CHECK(parsed["documents"][0]["stages"][1]["edits"][0][7] == 3);  // line 2 of the second stage's input
}

TEST_CASE("diff hunks number lines of the original input when given", "[review][diff]") {
  // A later stage's input where an earlier stage removed two lines: the
  // change on its line 2 is on line 4 of the input the user has.
  const std::string input = "first\nsecond, line\nthird\n";
  std::vector<Edit> edits = {make_change(13, 13, " ", "comma-space", "space after a comma")};
  normalize_edits(input, edits);
  std::string own, original;
  render_stage_diff(own, "d.txt", "spacing", input, edits, DiffStyle{false});
  render_stage_diff(original, "d.txt", "spacing", input, edits, DiffStyle{false}, {4});
  CHECK(own.find("@@ -2,1 +2,1 @@\n") != std::string::npos);
  CHECK(original.find("@@ -4,1 +4,1 @@\n") != std::string::npos);
  // A hunk that removes a line: the new side starts a line earlier.
  std::vector<Edit> removal = {make_change(6, 19, "", "drop", "furniture")};
  normalize_edits(input, removal);
  std::string gone;
  render_stage_diff(gone, "d.txt", "boilerplate", input, removal, DiffStyle{false}, {7});
  CHECK(gone.find("@@ -7,1 +6,0 @@\n") != std::string::npos);
}

TEST_CASE("a report folder has an index and one page per document", "[review][report]") {
  auto p = two(replace("a", "cat", "dog"), replace("b", "dog", "wolf"));
  ReportWriter report("test", kHashA);
  report.add("x/<one>.txt", "a cat", p.run("a cat"));
  report.add("two.txt", "no change", p.run("no change"));
  const auto dir = std::filesystem::temp_directory_path() / "copydesk_report_dir_test";
  std::filesystem::remove_all(dir);
  report.finish_dir(dir.string());
  std::ifstream in(dir / "index.html");
  std::stringstream index;
  index << in.rdbuf();
  CHECK(index.str().find("href=\"docs/00001.html\">x/&lt;one&gt;.txt</a>") != std::string::npos);
  CHECK(index.str().find("href=\"docs/00002.html\">two.txt</a>") != std::string::npos);
  CHECK(std::filesystem::exists(dir / "docs" / "00002.html"));
  CHECK(!std::filesystem::exists(dir / "docs" / "00003.html"));
  std::ifstream page(dir / "docs" / "00001.html");
  std::stringstream html;
  html << page.rdbuf();
  CHECK(html.str().find("\"index\":\"../index.html\"") != std::string::npos);
  CHECK(html.str().find("wolf") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("dev set: replay properties over the real pipeline", "[review][devset]") {
  const std::filesystem::path dir = COPYDESK_SOURCE_DIR "/../shared/eval/dev";
  if (!std::filesystem::exists(dir)) {
    WARN("no dev set at " << dir.string());
    return;
  }
  const auto names = stage_names();
  Pipeline pipeline = Pipeline::build(std::vector<std::string>(names.begin(), names.end()), testing::test_resources());
  std::mt19937 rng(20240601);
  int documents = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.size() < 12 || name.substr(name.size() - 12) != ".garbled.txt") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    const std::string doc = buf.str();
    const Result r = pipeline.run(doc);
    INFO(name);
    ++documents;
    CHECK(apply_review(r, {}).text == r.text);
    CHECK(apply_review(r, all_changes(r)).text == doc);
    // Rejecting every edit of stages k.. gives stage k's input.
    for (std::size_t k = 0; k < r.stages.size(); ++k) {
      std::set<std::string> ids;
      for (std::size_t s = k; s < r.stages.size(); ++s)
        for (std::size_t i = 0; i < r.stages[s].edits.size(); ++i) ids.insert(edit_id(r.stages[s].label(), i));
      CHECK(apply_review(r, ids).text == r.stages[k].input);
    }
    // Rejecting one edit of the last stage with changes removes exactly it.
    for (auto run = r.stages.rbegin(); run != r.stages.rend(); ++run) {
      if (run->edits.empty()) continue;
      for (std::size_t i = 0; i < run->edits.size(); ++i) {
        if (run->edits[i].kind != EditKind::kChange) continue;
        std::vector<Edit> kept = run->edits;
        kept.erase(kept.begin() + static_cast<std::ptrdiff_t>(i));
        std::string expected = apply_edits(run->input, kept);
        for (auto later = run.base(); later != r.stages.end(); ++later) expected = apply_edits(expected, later->edits);
        // later stages made no edit (this is the last stage with edits)
        CHECK(apply_review(r, {edit_id(run->label(), i)}).text == expected);
      }
      break;
    }
    // Random rejection sets: deterministic, skipped ids are accepted ones.
    const auto ids = all_changes(r);
    const std::vector<std::string> list(ids.begin(), ids.end());
    for (int t = 0; t < 5; ++t) {
      std::set<std::string> rejected;
      for (const auto& id : list)
        if (rng() % 3 == 0) rejected.insert(id);
      const auto a = apply_review(r, rejected);
      const auto b = apply_review(r, rejected);
      CHECK(a.text == b.text);
      CHECK(a.skipped == b.skipped);
      CHECK(a.unknown.empty());
      for (const auto& id : a.skipped) CHECK(!rejected.count(id));
    }
  }
  CHECK(documents > 0);
}

namespace {

DocumentQuality made_quality(std::vector<double> scores, std::vector<bool> headings = {}) {
  DocumentQuality q;
  std::size_t at = 0;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    SentenceQuality s;
    s.begin = at;
    s.end = at + 10;
    at += 11;
    s.score = scores[i];
    s.heading = i < headings.size() && headings[i];
    q.sentences.push_back(s);
  }
  q.score = 55;
  q.band = "fair";
  q.reasons = {"tg_mean"};
  return q;
}

}  // namespace

TEST_CASE("the worst sentences the report highlights", "[review][report]") {
  // The lowest first, under the good band, at most a fifth (at least one) and three.
  CHECK(report_worst_sentences(made_quality({70, 50, 60, 45, 66})) == std::vector<std::size_t>{3});
  CHECK(report_worst_sentences(made_quality({70, 50, 60, 45, 66, 58, 61, 64, 69, 40})) ==
        std::vector<std::size_t>{9, 3});
  CHECK(report_worst_sentences(made_quality(std::vector<double>(30, 50.0))).size() == 3);
  CHECK(report_worst_sentences(made_quality({44})) == std::vector<std::size_t>{0});
  // Nothing under the good band: nothing to highlight.
  CHECK(report_worst_sentences(made_quality({70, 64, 66})).empty());
  // Headings are scored but never highlighted.
  CHECK(report_worst_sentences(made_quality({30, 60, 65}, {true, false, false})) == std::vector<std::size_t>{1});
}

TEST_CASE("a report with quality carries the badge and the worst sentences; one without carries none",
          "[review][report]") {
  auto p = two(replace("a", "cat", "dog"), replace("b", "dog", "wolf"));
  const std::string input = "a cat\r\nsat\r\n";
  const auto r = p.run(input);
  auto q = made_quality({40, 70});
  q.sentences[1].begin = 8;  // "sat", after "a wolf\r\n" in the run's CRLF text
  q.sentences[1].end = 11;
  q.sentences[0].end = 6;
  q.sentences[0].score = 75;
  q.sentences[1].score = 41;
  ReportWriter with("test", kHashA), without("test", kHashA);
  with.add("d.txt", input, r, &q);
  without.add("d.txt", input, r);
  auto data = [](const ReportWriter& w) {
    std::ostringstream out;
    w.finish(out);
    const std::string html = out.str();
    const auto b = html.find("id=\"copydesk-data\">") + 19;
    return nlohmann::json::parse(html.substr(b, html.find("</script>", b) - b));
  };
  const auto a = data(with)["documents"][0];
  REQUIRE(a.contains("quality"));
  CHECK(a["quality"]["score"] == 55);
  CHECK(a["quality"]["band"] == "fair");
  CHECK(a["quality"]["reasons"][0][0] == "tg_mean");
  CHECK(!a["quality"]["reasons"][0][1].get<std::string>().empty());
  // Offsets in the page's LF text ("a wolf\nsat"): the CR before "sat" is not counted.
  CHECK(r.text == "a wolf\r\nsat\r\n");
  CHECK(a["quality"]["worst"] == nlohmann::json::array({nlohmann::json::array({7, 10, 41.0})}));
  CHECK(!data(without)["documents"][0].contains("quality"));

  const auto dir = std::filesystem::temp_directory_path() / "copydesk_report_quality_test";
  std::filesystem::remove_all(dir);
  with.add("e.txt", "no change", p.run("no change"), &q);
  with.finish_dir(dir.string());
  CHECK(std::filesystem::exists(dir / "index-by-score.html"));
  without.finish_dir((dir / "plain").string());
  CHECK(!std::filesystem::exists(dir / "plain" / "index-by-score.html"));
  std::filesystem::remove_all(dir);
}
