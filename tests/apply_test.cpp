#include <catch2/catch.hpp>

#include "pipeline/apply.h"

using namespace copydesk;

TEST_CASE("edits apply in position order", "[apply]") {
  std::vector<Edit> edits = {make_change(5, 5, " ", "r", "x"), make_change(0, 1, "H", "r", "x")};
  normalize_edits("hello,world", edits);
  CHECK(apply_edits("hello,world", edits) == "Hello ,world");
}

TEST_CASE("overlapping and misaligned changes become flags", "[apply]") {
  std::vector<Edit> edits = {make_change(0, 4, "x", "r", "a"), make_change(2, 6, "y", "r", "b"),
                             make_change(7, 8, "z", "r", "c")};
  const std::string text = "abcdefg\xC3\xA9";
  normalize_edits(text, edits);
  CHECK(edits[1].kind == EditKind::kFlag);
  CHECK(edits[2].kind == EditKind::kFlag);  // splits the two bytes of 'é'
  CHECK(apply_edits(text, edits) == "xefg\xC3\xA9");
}

TEST_CASE("flags never change the text", "[apply]") {
  std::vector<Edit> edits = {make_flag(0, 3, "r", "unsure")};
  normalize_edits("abc", edits);
  CHECK(apply_edits("abc", edits) == "abc");
}

TEST_CASE("a change that puts back the same bytes is no edit", "[apply]") {
  std::vector<Edit> edits = {make_change(0, 3, "abc", "r", "same"), make_change(4, 5, "E", "r", "real")};
  normalize_edits("abc de", edits);
  REQUIRE(edits.size() == 1);
  CHECK(edits[0].replacement == "E");
  // An insertion of nothing changes nothing either.
  std::vector<Edit> empty = {make_change(2, 2, "", "r", "nothing")};
  normalize_edits("abc", empty);
  CHECK(empty.empty());
}
