#include "pipeline/text.h"

#include <utf8proc.h>

namespace copydesk {

std::vector<Span> split_lines(std::string_view text) {
  std::vector<Span> lines;
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t nl = text.find('\n', begin);
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back({begin, nl});
    begin = nl + 1;
  }
  return lines;
}

char32_t decode_at(std::string_view s, std::size_t i, std::size_t* len) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    if (len) *len = 1;
    return c;
  }
  utf8proc_int32_t cp = 0;
  const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                  static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
  if (n <= 0) {
    if (len) *len = 1;
    return 0xFFFD;
  }
  if (len) *len = static_cast<std::size_t>(n);
  return static_cast<char32_t>(cp);
}

std::size_t prev_start(std::string_view s, std::size_t i) {
  std::size_t j = i - 1;
  int steps = 0;
  while (j > 0 && steps < 3 && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) {
    --j;
    ++steps;
  }
  return j;
}

char32_t decode_before(std::string_view s, std::size_t i) {
  return i == 0 ? 0 : decode_at(s, prev_start(s, i));
}

void append_utf8(std::string& out, char32_t c) {
  utf8proc_uint8_t buf[4];
  const auto n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(c), buf);
  out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
}

namespace {
utf8proc_category_t category(char32_t c) { return utf8proc_category(static_cast<utf8proc_int32_t>(c)); }
}  // namespace

bool is_letter(char32_t c) {
  if (c < 0x80) return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
  const auto k = category(c);
  return k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO;
}

bool is_upper(char32_t c) {
  if (c < 0x80) return c >= 'A' && c <= 'Z';
  return category(c) == UTF8PROC_CATEGORY_LU || category(c) == UTF8PROC_CATEGORY_LT;
}

bool is_lower(char32_t c) {
  if (c < 0x80) return c >= 'a' && c <= 'z';
  return category(c) == UTF8PROC_CATEGORY_LL;
}

bool is_digit(char32_t c) {
  if (c < 0x80) return c >= '0' && c <= '9';
  return category(c) == UTF8PROC_CATEGORY_ND;
}

bool is_space(char32_t c) {
  if (c < 0x80) return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  const auto k = category(c);
  return k == UTF8PROC_CATEGORY_ZS || k == UTF8PROC_CATEGORY_ZL || k == UTF8PROC_CATEGORY_ZP;
}

namespace {
template <typename F>
std::string map_code_points(std::string_view s, F f) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = 0;
    append_utf8(out, f(decode_at(s, i, &n)));
    i += n;
  }
  return out;
}
}  // namespace

std::string to_lower(std::string_view s) {
  return map_code_points(s, [](char32_t c) { return static_cast<char32_t>(utf8proc_tolower(static_cast<int>(c))); });
}

std::string to_upper(std::string_view s) {
  return map_code_points(s, [](char32_t c) { return static_cast<char32_t>(utf8proc_toupper(static_cast<int>(c))); });
}

std::string capitalize(std::string_view s) {
  if (s.empty()) return {};
  std::size_t n = 0;
  const char32_t first = decode_at(s, 0, &n);
  std::string out;
  append_utf8(out, static_cast<char32_t>(utf8proc_toupper(static_cast<int>(first))));
  out.append(s.substr(n));
  return out;
}

std::size_t count_words(std::string_view s) {
  std::size_t words = 0;
  bool in_word = false;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = 0;
    const bool space = is_space(decode_at(s, i, &n));
    if (!space && !in_word) ++words;
    in_word = !space;
    i += n;
  }
  return words;
}

bool valid_utf8(std::string_view s, std::size_t* bad_offset) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    utf8proc_int32_t cp = 0;
    const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                    static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    if (n <= 0) {
      if (bad_offset) *bad_offset = i;
      return false;
    }
    i += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace copydesk
