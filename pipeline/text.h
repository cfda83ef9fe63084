// Small UTF-8 helpers shared by the stages. All offsets are byte offsets into
// valid UTF-8 (the pipeline validates its input before any stage runs).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace copydesk {

struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t size() const { return end - begin; }
};

// The lines of `text` without their '\n'. A trailing newline does not start an
// extra line; an empty text has no lines.
std::vector<Span> split_lines(std::string_view text);

namespace text_detail {
// The out-of-line halves of the inline helpers below: multi-byte UTF-8 and
// non-ASCII code points (utf8proc).
char32_t decode_multibyte(std::string_view s, std::size_t i, std::size_t* len);
bool is_letter_slow(char32_t c);
bool is_upper_slow(char32_t c);
bool is_lower_slow(char32_t c);
bool is_digit_slow(char32_t c);
bool is_space_slow(char32_t c);
}  // namespace text_detail

// The code point at byte `i` and, in `*len`, its length in bytes. Invalid
// sequences decode as U+FFFD of length 1, so a loop always advances.
// Inline with an ASCII fast path: every stage calls it per character.
inline char32_t decode_at(std::string_view s, std::size_t i, std::size_t* len = nullptr) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    if (len) *len = 1;
    return c;
  }
  return text_detail::decode_multibyte(s, i, len);
}

// The byte offset where the code point ending just before `i` starts (i > 0).
std::size_t prev_start(std::string_view s, std::size_t i);

// The code point just before byte `i`, or 0 when i == 0.
char32_t decode_before(std::string_view s, std::size_t i);

void append_utf8(std::string& out, char32_t c);

// Inline ASCII fast paths; other code points ask utf8proc's category table.
inline bool is_letter(char32_t c) {
  if (c < 0x80) return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
  return text_detail::is_letter_slow(c);
}
inline bool is_upper(char32_t c) {
  if (c < 0x80) return c >= 'A' && c <= 'Z';
  return text_detail::is_upper_slow(c);
}
inline bool is_lower(char32_t c) {
  if (c < 0x80) return c >= 'a' && c <= 'z';
  return text_detail::is_lower_slow(c);
}
inline bool is_digit(char32_t c) {
  if (c < 0x80) return c >= '0' && c <= '9';
  return text_detail::is_digit_slow(c);
}
// Any Unicode space separator, tab or line break.
inline bool is_space(char32_t c) {
  if (c < 0x80) return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  return text_detail::is_space_slow(c);
}

// Lower-case / upper-case every code point (simple case mapping).
std::string to_lower(std::string_view s);
std::string to_upper(std::string_view s);
// The first code point upper-cased, the rest unchanged: "microsoft" -> "Microsoft".
std::string capitalize(std::string_view s);

// Words separated by white space.
std::size_t count_words(std::string_view s);

// True if `w` is one of the entries of a fixed word list.
template <std::size_t N>
bool in_list(const std::array<std::string_view, N>& list, std::string_view w) {
  return std::find(list.begin(), list.end(), w) != list.end();
}

// `s` with every byte that is not part of valid UTF-8 replaced by U+FFFD.
std::string to_valid_utf8(std::string_view s);

// True if `s` is valid UTF-8; otherwise false with the offset of the first bad byte.
bool valid_utf8(std::string_view s, std::size_t* bad_offset = nullptr);

}  // namespace copydesk
