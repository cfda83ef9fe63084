#include <catch2/catch.hpp>

#include "pipeline/apply.h"
#include "pipeline/diff.h"

using namespace copydesk;

namespace {
std::string diff_of(std::string_view input, std::vector<Edit> edits) {
  normalize_edits(input, edits);
  std::string out;
  render_stage_diff(out, "doc.txt", "spacing", input, edits, DiffStyle{false});
  return out;
}
}  // namespace

TEST_CASE("a stage without edits renders nothing", "[diff]") { CHECK(diff_of("abc\n", {}).empty()); }

TEST_CASE("header, hunk and word-level markers", "[diff]") {
  const std::string out =
      diff_of("first line\nFerryman,a model\nlast\n", {make_change(20, 20, " ", "comma-space", "space after a comma")});
  CHECK(out.find("=== spacing: 1 edit ===") == 0);
  CHECK(out.find("--- a/doc.txt") != std::string::npos);
  CHECK(out.find("@@ -2,1 +2,1 @@\n") != std::string::npos);
  CHECK(out.find("-[-Ferryman,a-] model\n") != std::string::npos);
  CHECK(out.find("+{+Ferryman, a+} model\n") != std::string::npos);
  CHECK(out.find("# spacing/comma-space \"\" -> \" \": space after a comma\n") != std::string::npos);
  CHECK(out.find("first line") == std::string::npos);  // untouched lines are not shown
}

TEST_CASE("a removed line shows as removed, with later hunks renumbered", "[diff]") {
  const std::string input = "Title\nPromoted links\nBody one\nBody two\n";
  const std::string out =
      diff_of(input, {make_change(6, 21, "", "known-pattern", "ad label"), make_change(29, 29, "!", "x", "y")});
  CHECK(out.find("@@ -2,1 +1,0 @@\n-Promoted links\n") != std::string::npos);
  CHECK(out.find("@@ -3,1 +2,1 @@\n-[-one-]\n") == std::string::npos);
  CHECK(out.find("@@ -3,1 +2,1 @@\n-Body [-one-]\n+Body {+one!+}\n") != std::string::npos);
}

TEST_CASE("a line split in two shows as one old and two new lines", "[diff]") {
  const std::string out = diff_of("end.Heading\n", {make_change(4, 4, "\n", "glued-heading", "heading")});
  CHECK(out.find("@@ -1,1 +1,2 @@\n-[-end.Heading-]\n+{+end.+}\n+{+Heading+}\n") != std::string::npos);
}

TEST_CASE("flags show the line unchanged with the span marked", "[diff]") {
  const std::string out = diff_of("a Cooperatation b\n", {make_flag(2, 15, "unsure", "maybe a typo")});
  CHECK(out.find("=== spacing: 0 edits, 1 flag ===") == 0);
  CHECK(out.find(" a [?Cooperatation?] b\n") != std::string::npos);
  CHECK(out.find("FLAG \"Cooperatation\": maybe a typo") != std::string::npos);
}

TEST_CASE("colour mode uses ANSI escapes, not markers", "[diff]") {
  std::vector<Edit> edits{make_change(0, 1, "A", "r", "why")};
  normalize_edits("a b\n", edits);
  std::string out;
  render_stage_diff(out, "d", "s", "a b\n", edits, DiffStyle{true});
  CHECK(out.find("\x1b[") != std::string::npos);
  CHECK(out.find("[-") == std::string::npos);
}
