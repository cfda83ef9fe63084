#include "stages/structure.h"

#include <array>
#include <cstring>

#include "pipeline/text.h"

namespace copydesk {

namespace {

// A heading is short; a longer tail is a sentence and belongs to the sentences stage.
constexpr std::size_t kMaxHeadingWords = 12;
// The paragraph a heading was glued to must be more than a stray word or two.
constexpr std::size_t kMinHeadWords = 3;
// A markdown separator cell needs three dashes to be recognised by every renderer.
constexpr std::size_t kMinSeparatorDashes = 3;

// Title abbreviations that end in '.' and are directly followed by a capitalised name.
constexpr std::array<std::string_view, 24> kAbbreviations = {"Mr",  "Mrs", "Ms",  "Dr",  "St",   "Jr",  "Sr",   "Prof",
                                                             "Gen", "Sen", "Rep", "Gov", "Lt",   "Col", "Capt", "Sgt",
                                                             "Rev", "Inc", "Ltd", "Co",  "Corp", "No",  "vs",   "Mt"};

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

bool is_closing_mark(char32_t c) {
  return c == '"' || c == '\'' || c == ')' || c == ']' || c == U'\u201D' || c == U'\u2019';
}

bool is_sentence_end(char32_t c) { return c == '.' || c == '!' || c == '?'; }

bool is_dash_like(char32_t c) {
  switch (c) {
    case '-':
    case U'\u2010':
    case U'\u2011':
    case U'\u2012':
    case U'\u2013':
    case U'\u2014':
    case U'\u2015':
    case U'\u2212':
    case U'\u2500':
    case U'\u2501':
    case U'\uFE58':
    case U'\uFF0D':
      return true;
    default:
      return false;
  }
}

// End of the line's content: trailing blanks and a '\r' do not count.
std::size_t content_end(std::string_view text, std::size_t begin, std::size_t end) {
  while (end > begin && is_blank(text[end - 1])) --end;
  return end;
}

std::size_t content_begin(std::string_view text, std::size_t begin, std::size_t end) {
  while (begin < end && is_blank(text[begin])) ++begin;
  return begin;
}

// True when the '.' at `dot` ends an abbreviation: a single letter ("U.S.") or a title ("Mr.").
bool is_abbreviation_dot(std::string_view text, std::size_t begin, std::size_t dot) {
  std::size_t w = dot;
  std::size_t letters = 0;
  while (w > begin && letters < 6) {
    const std::size_t p = prev_start(text, w);
    if (!is_letter(decode_at(text, p))) break;
    w = p;
    ++letters;
  }
  if (letters == 0) return false;
  if (w > begin && is_letter(decode_before(text, w))) return false;  // longer than any abbreviation
  if (letters == 1) return true;
  const std::string_view word = text.substr(w, dot - w);
  for (const auto abbreviation : kAbbreviations) {
    if (word == abbreviation) return true;
  }
  return false;
}

// True when `at` lies between a '<' and the next '>' on [begin, end).
bool inside_angle_brackets(std::string_view text, std::size_t begin, std::size_t end, std::size_t at) {
  const std::size_t open = text.substr(begin, at - begin).rfind('<');
  if (open == std::string_view::npos ||
      text.substr(begin + open, at - begin - open).find('>') != std::string_view::npos)
    return false;
  return text.substr(at, end - at).find('>') != std::string_view::npos;
}

// Byte offset where the n-th word (1-based) of [begin, end) starts, or `end` if there are fewer.
std::size_t nth_word_start(std::string_view text, std::size_t begin, std::size_t end, std::size_t n) {
  bool in_word = false;
  std::size_t words = 0;
  for (std::size_t i = begin; i < end; ++i) {
    const bool blank = is_blank(text[i]);
    if (!blank && !in_word && ++words == n) return i;
    in_word = !blank;
  }
  return end;
}

// Every word of four or more letters starts with a capital: the shape of a
// title ("What Comes Next?"), not of a sentence ("Is anyone there?").
bool title_case(std::string_view span) {
  std::size_t i = 0;
  while (i < span.size()) {
    while (i < span.size() && is_blank(span[i])) ++i;
    const std::size_t start = i;
    std::size_t letters = 0;
    std::size_t len = 0;
    char32_t first = 0;
    while (i < span.size() && !is_blank(span[i])) {
      const char32_t c = decode_at(span, i, &len);
      if (is_letter(c)) {
        if (letters == 0) first = c;
        ++letters;
      }
      i += len;
    }
    if (i > start && letters >= 4 && !is_upper(first)) return false;
  }
  return true;
}

}  // namespace

StructureStage::StructureStage(Resources& /*resources*/) {}

std::string_view StructureStage::description() const {
  return "puts glued headings and table rows on their own lines; repairs table separator rows";
}

std::vector<RuleInfo> StructureStage::rules() const {
  return {
      {"glued-heading",
       "a short heading glued after a sentence end goes on its own line; long tails and abbreviations are left"},
      {"glued-table", "a markdown table row glued to the end of a paragraph goes on its own line"},
      {"table-separator", "a table separator drawn with dashes of any kind becomes |---|---|; valid rows are left"},
  };
}

void StructureStage::propose(std::string_view text, std::vector<Edit>& out) {
  // The lines as split_lines() lists them, found with memchr and no vector.
  for (std::size_t next_line = 0; next_line < text.size();) {
    const void* nl = std::memchr(text.data() + next_line, '\n', text.size() - next_line);
    const Span line{next_line,
                    nl == nullptr ? text.size() : static_cast<std::size_t>(static_cast<const char*>(nl) - text.data())};
    next_line = line.end + 1;
    const std::size_t begin = content_begin(text, line.begin, line.end);
    const std::size_t end = content_end(text, begin, line.end);
    if (begin == end) continue;
    if (text[begin] == '|') {
      table_separator(text, begin, end, out);
      continue;
    }
    const std::size_t before = out.size();
    glued_table(text, begin, end, out);
    if (out.size() == before) {
      glued_heading(text, begin, end, out);
    } else {
      table_separator(text, out.back().end, end, out);  // the row is a line of its own in a second run
    }
  }
}

void StructureStage::glued_table(std::string_view text, std::size_t begin, std::size_t end,
                                 std::vector<Edit>& out) const {
  const void* hit = std::memchr(text.data() + begin, '|', end - begin);
  if (hit == nullptr) return;
  const auto pipe = static_cast<std::size_t>(static_cast<const char*>(hit) - text.data());
  if (text[end - 1] != '|') return;
  std::size_t pipes = 0;
  for (std::size_t i = pipe; i < end; ++i) pipes += text[i] == '|' ? 1 : 0;
  if (pipes < 3) return;
  const std::size_t head_end = content_end(text, begin, pipe);
  if (head_end == begin) return;
  // Only a finished paragraph: "Results | a | b |" in running text is not a glued row.
  const char32_t last = decode_before(text, head_end);
  if (!is_sentence_end(last) && last != ':' && !is_closing_mark(last)) return;
  out.push_back(make_change(head_end, pipe, "\n", "glued-table", "A table row was glued to the paragraph."));
}

bool StructureStage::glued_heading(std::string_view text, std::size_t begin, std::size_t end,
                                   std::vector<Edit>& out) const {
  const char32_t last = decode_before(text, end);
  if (!is_letter(last) && !is_digit(last) && last != '?' && last != ':') return false;

  // Walk back over at most kMaxHeadingWords words, stopping at a sentence end:
  // the heading must start after `min_tail`.
  std::size_t min_tail = begin;
  std::size_t words = 0;
  bool in_word = false;
  for (std::size_t j = end; j > begin; --j) {
    if (!is_blank(text[j - 1])) {
      if (!in_word) ++words;
      in_word = true;
      continue;
    }
    if (in_word && words == kMaxHeadingWords) {
      min_tail = j;
      break;
    }
    in_word = false;
    if (j - 1 > begin) {
      std::size_t p = j - 1;
      char32_t c = decode_before(text, p);
      if (is_closing_mark(c) && p > begin) {
        p = prev_start(text, p);
        c = p > begin ? decode_before(text, p) : 0;
      }
      if (is_sentence_end(c) || c == ';' || decode_before(text, j - 1) == ';') {
        min_tail = j;
        break;
      }
    }
  }

  const std::size_t third_word = nth_word_start(text, begin, end, kMinHeadWords);
  std::size_t len = 0;
  for (std::size_t t = min_tail; t < end; t += len) {
    const char32_t c = decode_at(text, t, &len);
    if (t == begin || !is_upper(c)) continue;
    std::size_t p = t;
    char32_t before = decode_before(text, p);
    if (is_closing_mark(before)) {
      p = prev_start(text, p);
      if (p == begin) continue;
      before = decode_before(text, p);
    }
    if (!is_sentence_end(before)) continue;
    const std::size_t mark = p - 1;
    if (mark <= third_word) continue;
    if (before == '.' && is_abbreviation_dot(text, begin, mark)) continue;
    // A stop inside angle brackets is part of a ticker or tag ("<ABCD.L>",
    // "<a.b>"), never a sentence's end.
    if (inside_angle_brackets(text, begin, end, mark)) continue;
    // A question in sentence case ("...an hour!?Is it coming back?") is a
    // glued sentence, for the sentences stage; a question heading is title
    // case ("What Comes Next?").
    if (last == '?' && !title_case(text.substr(t, end - t))) continue;
    out.push_back(make_change(t, t, "\n", "glued-heading", "A short heading was glued to the paragraph before it."));
    // Both pieces are lines of their own in a second run: look at them now.
    glued_heading(text, t, end, out);
    glued_heading(text, begin, t, out);
    return true;
  }
  return false;
}

bool StructureStage::table_separator(std::string_view text, std::size_t begin, std::size_t end,
                                     std::vector<Edit>& out) {
  row_.clear();
  row_.push_back('|');
  bool changed = false;
  std::size_t cells = 0;
  std::size_t i = begin + 1;
  while (i < end) {
    // One cell: blanks, optional ':', dashes, optional ':', blanks, then '|'.
    const std::size_t cell_begin = i;
    while (i < end && is_blank(text[i])) ++i;
    row_.append(text.substr(cell_begin, i - cell_begin));
    if (i < end && text[i] == ':') row_.push_back(text[i++]);
    std::size_t dashes = 0;
    std::size_t len = 0;
    while (i < end) {
      const char32_t c = decode_at(text, i, &len);
      if (!is_dash_like(c)) break;
      if (c != '-') changed = true;
      ++dashes;
      i += len;
    }
    if (dashes == 0) return false;
    if (dashes < kMinSeparatorDashes) {
      changed = true;
      dashes = kMinSeparatorDashes;
    }
    row_.append(dashes, '-');
    if (i < end && text[i] == ':') row_.push_back(text[i++]);
    const std::size_t blanks = i;
    while (i < end && is_blank(text[i])) ++i;
    row_.append(text.substr(blanks, i - blanks));
    if (i < end) {
      if (text[i] != '|') return false;
      row_.push_back('|');
      ++i;
    }
    ++cells;
  }
  if (cells == 0 || !changed) return false;
  out.push_back(make_change(begin, end, row_, "table-separator",
                            "The table separator row used characters markdown does not accept."));
  return true;
}

}  // namespace copydesk
