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

TEST_CASE("piece_end cuts only lines longer than the limit, after a sentence where it can", "[text]") {
  // A line within reach ends at its newline (or the text's end).
  const std::string short_lines = "One line.\nTwo.";
  CHECK(piece_end(short_lines, 0, 100) == 9);
  CHECK(after_piece(short_lines, 9) == 10);
  CHECK(piece_end(short_lines, 10, 100) == short_lines.size());
  // A long line is cut at the space after a sentence stop near the end of
  // the reach (within a quarter of it)...
  const std::string line = "Rain fell all day. The river rose fast and the bridge closed at noon";
  const std::size_t cut = piece_end(line, 0, 22);
  CHECK(cut == line.find(". The") + 1);
  CHECK(after_piece(line, cut) == cut + 1);
  // ...not at one far back: then at the last space.
  CHECK(piece_end(line, 0, 40) == 38);
  // No stop near the end: the last space.
  const std::string words = "alpha beta gamma delta epsilon zeta eta theta iota kappa";
  const std::size_t at = piece_end(words, 0, 24);
  CHECK(words[at] == ' ');
  CHECK(at <= 24);
  // No space at all: a UTF-8 boundary, and the next piece starts right there.
  const std::string run = "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9";  // twelve bytes, six letters
  const std::size_t hard = piece_end(run, 0, 5);
  CHECK(hard == 4);
  CHECK(after_piece(run, hard) == 4);
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

// The inline ASCII fast paths must agree with the full Unicode answers.
TEST_CASE("ascii fast paths agree with utf8proc", "[text]") {
  for (char32_t c = 0; c < 0x80; ++c) {
    INFO("code point " << static_cast<unsigned>(c));
    CHECK(is_letter(c) == ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')));
    CHECK(is_digit(c) == (c >= '0' && c <= '9'));
    std::string s;
    append_utf8(s, c);
    REQUIRE(s.size() == 1);
    std::size_t n = 0;
    CHECK(decode_at(s, 0, &n) == c);
    CHECK(n == 1);
  }
  // Multi-byte code points still take the slow path.
  CHECK_FALSE(is_letter(U'\u00D7'));   // multiplication sign
  CHECK(is_upper(U'\u01C5') == true);  // title case counts as upper
  CHECK(is_space(U'\u2028'));
  CHECK_FALSE(is_space(U'\u200B'));  // zero width space is a format char
  std::string s;
  append_utf8(s, U'\u20AC');
  CHECK(s == "\xE2\x82\xAC");
  // Lower-casing maps some non-ASCII code points to ASCII ones.
  CHECK(to_lower("\xE2\x84\xAA") == "k");  // KELVIN SIGN
  CHECK(to_lower("ÉCOLE Zürich") == "école zürich");
  CHECK(to_lower("") == "");
  std::size_t n = 0;
  CHECK(decode_at("\xC3(", 0, &n) == 0xFFFD);
  CHECK(n == 1);
}

TEST_CASE("to_valid_utf8 replaces only the bad bytes", "[text]") {
  CHECK(to_valid_utf8("caf\xC3\xA9") == "caf\xC3\xA9");
  CHECK(to_valid_utf8("caf\xE9!") == "caf\xEF\xBF\xBD!");
  CHECK(to_valid_utf8("\xFF\xFE") == "\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(to_valid_utf8("") == "");
  CHECK(valid_utf8(to_valid_utf8("a\xC3(b\xE2\x82")));
}

TEST_CASE("in_list matches whole entries only", "[text]") {
  constexpr std::array<std::string_view, 3> kList = {"mr", "mrs", "dr"};
  CHECK(in_list(kList, "mrs"));
  CHECK_FALSE(in_list(kList, "m"));
  CHECK_FALSE(in_list(kList, "Mr"));
}

TEST_CASE("eight-byte helpers agree with a byte-by-byte reading", "[text]") {
  const std::string s = "Ab\x80z{@`Z9\xC3\xA9 xyzq";
  for (std::size_t n = 0; n <= 8; ++n) {
    std::uint64_t want = 0;
    for (std::size_t i = 0; i < n; ++i) want |= std::uint64_t{static_cast<unsigned char>(s[i])} << (8 * i);
    INFO("n = " << n);
    CHECK(load_le(s.data(), n) == want);
  }
  CHECK(load_le64(s.data() + 3) == load_le(s.data() + 3, 8));
  char out[8];
  store_le64(out, load_le64(s.data() + 2));
  CHECK(std::string_view(out, 8) == s.substr(2, 8));
  // Every byte value at every position: the masks mark exactly the letters.
  for (int b = 0; b < 256; ++b) {
    for (std::size_t pos = 0; pos < 8; ++pos) {
      std::string eight = "12345678";
      eight[pos] = static_cast<char>(b);
      const std::uint64_t x = load_le64(eight.data());
      const bool letter = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
      const bool lower = b >= 'a' && b <= 'z';
      INFO("byte " << b << " at " << pos);
      CHECK(((ascii_letter_bytes(x) >> (8 * pos + 7)) & 1) == (letter ? 1u : 0u));
      CHECK(((ascii_lower_bytes(x) >> (8 * pos + 7)) & 1) == (lower ? 1u : 0u));
      CHECK(first_marked_byte(ascii_letter_bytes(x)) == (letter ? pos : 8u));
    }
  }
}
