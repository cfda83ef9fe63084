#include "stages/dedupe.h"

#include "pipeline/text.h"

namespace copydesk {

namespace {

constexpr std::string_view kRule = "repeated-line";
constexpr std::size_t kMinLetters = 3;

bool is_ascii_letter(char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

bool ascii_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

// Skips one run of white space (ASCII or Unicode) starting at `i`; returns the
// index after it, or `i` when there is none.
std::size_t skip_space(std::string_view s, std::size_t i) {
  while (i < s.size()) {
    if (ascii_space(s[i])) {
      ++i;
      continue;
    }
    if (static_cast<unsigned char>(s[i]) < 0x80) break;
    std::size_t n = 0;
    if (!is_space(decode_at(s, i, &n))) break;
    i += n;
  }
  return i;
}

bool is_blank(std::string_view line) { return skip_space(line, 0) == line.size(); }

// True if `a` and `b` are equal once runs of white space are collapsed, the
// ends trimmed and ASCII letters compared without case (the casing stage runs
// later: "china talks" and "China talks" are one line printed twice, and a
// second run would find them so). Linear, no allocation: lines may be
// megabytes long.
bool equal_collapsed(std::string_view a, std::string_view b) {
  std::size_t i = skip_space(a, 0);
  std::size_t j = skip_space(b, 0);
  while (i < a.size() && j < b.size()) {
    const std::size_t i2 = skip_space(a, i);
    const std::size_t j2 = skip_space(b, j);
    const bool sa = i2 != i;
    const bool sb = j2 != j;
    if (sa != sb) return false;  // a space run must meet a space run
    if (sa) {
      i = i2;
      j = j2;
      continue;
    }
    const char ca = is_ascii_letter(a[i]) ? static_cast<char>(a[i] | 0x20) : a[i];
    const char cb = is_ascii_letter(b[j]) ? static_cast<char>(b[j] | 0x20) : b[j];
    if (ca != cb) return false;
    ++i;
    ++j;
  }
  return skip_space(a, i) == a.size() && skip_space(b, j) == b.size();
}

bool has_min_letters(std::string_view line) {
  std::size_t letters = 0;
  for (std::size_t i = 0; i < line.size();) {
    std::size_t n = 0;
    if (is_letter(decode_at(line, i, &n)) && ++letters >= kMinLetters) return true;
    i += n;
  }
  return false;
}

bool is_table_row(std::string_view line) {
  const std::size_t i = skip_space(line, 0);
  return i < line.size() && line[i] == '|';
}

bool eligible(std::string_view line) { return !is_blank(line) && !is_table_row(line) && has_min_letters(line); }

}  // namespace

DedupeStage::DedupeStage(Resources& /*resources*/) {}

std::string_view DedupeStage::description() const {
  return "Removes a line repeated right after itself (a headline printed twice), keeping the first copy.";
}

std::vector<RuleInfo> DedupeStage::rules() const {
  return {{kRule,
           "a line equal to the previous non-blank line (white space collapsed, ASCII case ignored) is removed with "
           "the blank "
           "lines between; blank lines, table rows, very short lines and non-adjacent repeats are left alone"}};
}

void DedupeStage::propose(std::string_view text, std::vector<Edit>& out) {
  const std::vector<Span> lines = split_lines(text);
  std::size_t i = 0;
  while (i < lines.size()) {
    const std::string_view first = text.substr(lines[i].begin, lines[i].size());
    if (!eligible(first)) {
      ++i;
      continue;
    }
    // Extend over the run of copies of `first`, blank lines between them included.
    std::size_t last_copy = i;
    std::size_t j = i + 1;
    while (j < lines.size()) {
      const std::string_view line = text.substr(lines[j].begin, lines[j].size());
      if (is_blank(line)) {
        ++j;
        continue;
      }
      if (!equal_collapsed(first, line)) break;
      last_copy = j;
      ++j;
    }
    if (last_copy != i) {
      // Cut from the first copy's '\n' to the last copy's '\n': the copies and the
      // blank lines between them go, the line after the run keeps its place. When
      // the last copy ends the text without a newline, the first copy's '\n'
      // becomes the text's final newline.
      const std::size_t begin = lines[i].end + 1;
      const std::size_t end = std::min(lines[last_copy].end + 1, text.size());
      out.push_back(make_change(begin, end, "", std::string(kRule),
                                last_copy - i == 1 ? "Line repeated right after itself; the first copy is kept."
                                                   : "Line repeated several times in a row; the first copy is kept."));
    }
    i = last_copy + 1;
  }
}

}  // namespace copydesk
