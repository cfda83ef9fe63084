// Small UTF-8 helpers shared by the stages. All offsets are byte offsets into
// valid UTF-8 (the pipeline validates its input before any stage runs).
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
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

// A line of `text` starting at `begin`, cut into pieces of at most `max_bytes`
// when it is longer (for stages that keep one line's tokens at a time: a huge
// line must not hold them all). The end of the piece: the line's '\n' (or the
// text's end) when within reach, else the last space after a sentence stop
// (". ", "! ", "? "), else the last space or tab, else a UTF-8 boundary.
std::size_t piece_end(std::string_view text, std::size_t begin, std::size_t max_bytes);
// Where the piece after one ending at `end` starts: past the '\n' or the space
// it was cut at, else at `end` itself.
inline std::size_t after_piece(std::string_view text, std::size_t end) {
  return end < text.size() && (text[end] == '\n' || text[end] == ' ' || text[end] == '\t') ? end + 1 : end;
}

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

// ---- Eight bytes at a time ------------------------------------------------
// The stages' fast paths test eight bytes of text as one integer whose lowest
// byte is the first, on any byte order: the first byte with a property is then
// the lowest marked byte of a mask (first_marked_byte).

inline constexpr std::uint64_t kEveryByte = 0x0101010101010101ULL;
inline constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;

inline std::uint64_t load_le64(const char* p) {
  std::uint64_t x = 0;
  std::memcpy(&x, p, 8);
  if constexpr (std::endian::native == std::endian::big) x = __builtin_bswap64(x);
  return x;
}

inline void store_le64(char* p, std::uint64_t x) {
  if constexpr (std::endian::native == std::endian::big) x = __builtin_bswap64(x);
  std::memcpy(p, &x, 8);
}

// Bytes [0, n) of p (n <= 8), zero-padded, reading only those bytes: at most
// two overlapping loads (the overlapping bytes land on the same bits).
inline std::uint64_t load_le(const char* p, std::size_t n) {
  if (n >= 8) return load_le64(p);
  const auto le32 = [](const char* q) {
    std::uint32_t x = 0;
    std::memcpy(&x, q, 4);
    if constexpr (std::endian::native == std::endian::big) x = __builtin_bswap32(x);
    return std::uint64_t{x};
  };
  if (n >= 4) return le32(p) | le32(p + n - 4) << (8 * (n - 4));
  if (n == 0) return 0;
  const auto byte = [p](std::size_t i) { return std::uint64_t{static_cast<unsigned char>(p[i])}; };
  return byte(0) | byte(n / 2) << (8 * (n / 2)) | byte(n - 1) << (8 * (n - 1));
}

// Bit 7 of each byte is set where that byte of x is an ASCII letter. The byte
// is lower-cased (| 0x20) and its bit 7 cleared first, so the sums below stay
// under 0x100 and never carry into the next byte; ~x drops non-ASCII bytes.
inline std::uint64_t ascii_letter_bytes(std::uint64_t x) {
  const std::uint64_t low = (x | 0x20 * kEveryByte) & 0x7F * kEveryByte;
  const std::uint64_t at_least_a = low + (0x80 - 'a') * kEveryByte;
  const std::uint64_t beyond_z = low + (0x80 - 'z' - 1) * kEveryByte;
  return at_least_a & ~beyond_z & ~x & kHighBits;
}

// The same for lower-case ASCII letters only.
inline std::uint64_t ascii_lower_bytes(std::uint64_t x) {
  const std::uint64_t low = x & 0x7F * kEveryByte;
  const std::uint64_t at_least_a = low + (0x80 - 'a') * kEveryByte;
  const std::uint64_t beyond_z = low + (0x80 - 'z' - 1) * kEveryByte;
  return at_least_a & ~beyond_z & ~x & kHighBits;
}

// The index (0-7) of the first byte whose bit 7 is set in `mask`, 8 if none.
inline std::size_t first_marked_byte(std::uint64_t mask) {
  return mask == 0 ? 8 : static_cast<std::size_t>(std::countr_zero(mask)) / 8;
}

}  // namespace copydesk
