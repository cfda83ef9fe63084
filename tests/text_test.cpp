#include <catch2/catch.hpp>

#include "pipeline/text.h"

using namespace copydesk;

TEST_CASE("split_lines", "[text]") {
  CHECK(split_lines("").empty());
  CHECK(split_lines("a\n").size() == 1);
  const auto lines = split_lines("ab\n\ncd");
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].begin == 0);
  CHECK(lines[0].end == 2);
  CHECK(lines[1].size() == 0);
  CHECK(lines[2].begin == 4);
}

TEST_CASE("decoding and classes", "[text]") {
  const std::string s = "aÉ’";
  std::size_t n = 0;
  CHECK(decode_at(s, 1, &n) == U'É');
  CHECK(n == 2);
  CHECK(decode_before(s, s.size()) == U'’');
  CHECK(prev_start(s, s.size()) == 3);
  CHECK(is_upper(U'É'));
  CHECK(is_lower(U'é'));
  CHECK(is_letter(U'中'));
  CHECK_FALSE(is_letter(U'’'));
  CHECK(is_space(U'\u00A0'));
  CHECK(is_digit(U'7'));
}

TEST_CASE("case mapping", "[text]") {
  CHECK(capitalize("microsoft") == "Microsoft");
  CHECK(capitalize("élan") == "Élan");
  CHECK(to_lower("WeChat") == "wechat");
  CHECK(to_upper("moe") == "MOE");
}

TEST_CASE("utf-8 validation", "[text]") {
  std::size_t bad = 99;
  CHECK(valid_utf8("plain ascii"));
  CHECK(valid_utf8("caf\xC3\xA9"));
  CHECK_FALSE(valid_utf8("ab\xC3(", &bad));
  CHECK(bad == 2);
  CHECK_FALSE(valid_utf8("\xFF", &bad));
  CHECK(bad == 0);
  CHECK(count_words("  two\twords ") == 2);
}
