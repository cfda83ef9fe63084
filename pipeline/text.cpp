#include "pipeline/text.h"

#include <cstdint>
#include <cstring>

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

std::size_t piece_end(std::string_view text, std::size_t begin, std::size_t max_bytes) {
  const std::size_t reach = text.size() - begin <= max_bytes ? text.size() : begin + max_bytes;
  const void* nl = std::memchr(text.data() + begin, '\n', reach - begin);
  if (nl != nullptr) return static_cast<std::size_t>(static_cast<const char*>(nl) - text.data());
  if (reach == text.size()) return reach;
  std::size_t space = std::string_view::npos;
  for (std::size_t i = reach; i > begin + 1; --i) {
    const char c = text[i - 1];
    if (c != ' ' && c != '\t') continue;
    if (space == std::string_view::npos) space = i - 1;
    const char before = text[i - 2];
    if (before == '.' || before == '!' || before == '?') return i - 1;
    if (reach - i > max_bytes / 4) break;  // no sentence stop near the end: the last space will do
  }
  if (space != std::string_view::npos) return space;
  std::size_t cut = reach;
  while (cut > begin + 1 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return cut;
}

char32_t text_detail::decode_multibyte(std::string_view s, std::size_t i, std::size_t* len) {
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

char32_t decode_before(std::string_view s, std::size_t i) { return i == 0 ? 0 : decode_at(s, prev_start(s, i)); }

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {  // most text is ASCII: skip the encoder
    out.push_back(static_cast<char>(c));
    return;
  }
  utf8proc_uint8_t buf[4];
  const auto n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(c), buf);
  out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
}

namespace {
utf8proc_category_t category(char32_t c) { return utf8proc_category(static_cast<utf8proc_int32_t>(c)); }
}  // namespace

bool text_detail::is_letter_slow(char32_t c) {
  const auto k = category(c);
  return k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO;
}

bool text_detail::is_upper_slow(char32_t c) {
  return category(c) == UTF8PROC_CATEGORY_LU || category(c) == UTF8PROC_CATEGORY_LT;
}

bool text_detail::is_lower_slow(char32_t c) { return category(c) == UTF8PROC_CATEGORY_LL; }

bool text_detail::is_digit_slow(char32_t c) { return category(c) == UTF8PROC_CATEGORY_ND; }

bool text_detail::is_space_slow(char32_t c) {
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
  // ASCII bytes map to themselves or their lower case (utf8proc agrees); only
  // multi-byte code points need the case table.
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      out.push_back(b >= 'A' && b <= 'Z' ? static_cast<char>(b + ('a' - 'A')) : static_cast<char>(b));
      ++i;
      continue;
    }
    std::size_t n = 0;
    append_utf8(out, static_cast<char32_t>(utf8proc_tolower(static_cast<int>(decode_at(s, i, &n)))));
    i += n;
  }
  return out;
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
    // Eight ASCII bytes at a time: news text is mostly ASCII.
    if (i + 8 <= s.size()) {
      std::uint64_t word = 0;
      std::memcpy(&word, s.data() + i, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
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

std::string to_valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = 0;
    const char32_t c = decode_at(s, i, &n);
    if (c == 0xFFFD && n == 1 && static_cast<unsigned char>(s[i]) >= 0x80) {
      out.append("\xEF\xBF\xBD");
    } else {
      out.append(s.substr(i, n));
    }
    i += n;
  }
  return out;
}

}  // namespace copydesk
