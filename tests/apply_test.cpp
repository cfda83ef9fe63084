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

TEST_CASE("edits applied in place give the same text as a new copy", "[apply]") {
  const std::string base = "The quick brown fox jumps over the lazy dog; a second clause follows it here.";
  // Growth first then shrinking, shrinking then growth, insertions at both
  // ends, a whole-text replacement, flags among the changes.
  const std::vector<std::vector<Edit>> cases = {
      {make_change(0, 0, "Well, ", "r", "a"), make_change(4, 9, "slow", "r", "b"), make_change(40, 76, "", "r", "c")},
      {make_change(0, 10, "", "r", "a"), make_flag(20, 25, "r", "f"), make_change(30, 31, "LONGER TEXT", "r", "b"),
       make_change(77, 77, "!!", "r", "c")},
      {make_change(3, 4, "\n\n\n\n", "r", "a"), make_change(9, 10, "   ", "r", "b"), make_change(15, 16, "", "r", "c"),
       make_change(50, 60, "x", "r", "d"), make_change(70, 71, "abcdefgh", "r", "e")},
      {make_change(0, 77, "short", "r", "a")},
      {make_change(0, 77, base + " and more words at the end", "r", "a")},
  };
  for (auto edits : cases) {
    normalize_edits(base, edits);
    const std::string expected = apply_edits(base, edits);
    std::string roomy = base;
    roomy.reserve(base.size() + 64);
    const char* buffer = roomy.data();
    REQUIRE(apply_edits_in_place(roomy, edits));
    CHECK(roomy == expected);
    CHECK(roomy.data() == buffer);  // the same buffer: the text was never held twice
  }
}

TEST_CASE("edits that do not fit in the capacity are not applied in place", "[apply]") {
  std::string text(100, 'a');
  text.shrink_to_fit();
  const std::string before = text;
  std::vector<Edit> grow = {make_change(0, 0, std::string(text.capacity(), 'b'), "r", "too big")};
  normalize_edits(text, grow);
  CHECK_FALSE(apply_edits_in_place(text, grow));
  CHECK(text == before);
  // Shrinking always fits.
  std::vector<Edit> shrink = {make_change(10, 90, "", "r", "cut")};
  normalize_edits(text, shrink);
  REQUIRE(apply_edits_in_place(text, shrink));
  CHECK(text == std::string(20, 'a'));
}
