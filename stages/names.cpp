#include "stages/names.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

#include "pipeline/text.h"

namespace copydesk {

using names_detail::Shape;
using names_detail::Token;

namespace {

constexpr std::string_view kTableRule = "name-table";
constexpr std::string_view kDocumentRule = "document-name";

constexpr std::size_t kMaxSpanTokens = 6;
constexpr std::size_t kFuzzySingleLetters = 7;  // one letter off: one-word names this long
constexpr std::size_t kFuzzyMultiLetters = 10;  // ... and several-word names this long
constexpr std::size_t kFuzzyMaxTokens = 3;

// Lower-case name particles: correct in lower case after a given name
// ("Vincent van Gogh", "Ursula von der Leyen"), so never capitalised there.
constexpr std::array<std::string_view, 24> kParticles = {"al",  "bin", "da",  "das", "de",  "del", "della", "der",
                                                         "di",  "do",  "dos", "du",  "el",  "ibn", "la",    "le",
                                                         "les", "lo",  "los", "van", "ver", "von", "y",     "zu"};

// Function words that name pairs often start with ("The Guardian", "the
// Guardian"): both spellings are in use, so a document's choice is not evidence.
constexpr std::array<std::string_view, 20> kStopWords = {"a",    "an", "and",  "as",  "at",   "by", "for",
                                                         "from", "in", "into", "of",  "on",   "or", "so",
                                                         "the",  "to", "up",   "via", "with", "but"};

// Months and weekdays are the casing stage's: it knows them without evidence.
constexpr std::array<std::string_view, 19> kCalendar = {"january",  "february", "march",     "april",     "june",
                                                        "july",     "august",   "september", "october",   "november",
                                                        "december", "monday",   "tuesday",   "wednesday", "thursday",
                                                        "friday",   "saturday", "sunday",    "may"};

template <std::size_t N>
constexpr std::size_t longest(const std::array<std::string_view, N>& list) {
  std::size_t n = 0;
  for (const auto& w : list) n = std::max(n, w.size());
  return n;
}

// Bit n of entry c: the list holds a word of n bytes starting with byte c.
template <std::size_t N>
constexpr std::array<std::uint32_t, 256> first_byte_sizes(const std::array<std::string_view, N>& list) {
  std::array<std::uint32_t, 256> t{};
  for (const auto& w : list) t[static_cast<unsigned char>(w[0])] |= std::uint32_t{1} << w.size();
  return t;
}

// (Asked for every new lower-case word: the length guard spares the scan for
// long ones, the first byte and length for almost all others.)
template <const auto& kList>
bool contains(std::string_view w) {
  static constexpr std::size_t kLongest = longest(kList);
  static_assert(kLongest < 32 &&
                std::none_of(kList.begin(), kList.end(), [](std::string_view x) { return x.empty(); }));
  static constexpr std::array<std::uint32_t, 256> kSizes = first_byte_sizes(kList);
  if (w.size() > kLongest || w.empty()) return false;
  if (!(kSizes[static_cast<unsigned char>(w[0])] >> w.size() & 1)) return false;
  return std::find(kList.begin(), kList.end(), w) != kList.end();
}

// The bit of an ASCII digit or lower-case letter in Lower::next; -1 for
// other bytes.
int continuation_bit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return 10 + (c - 'a');
  return -1;
}

bool is_quote(char32_t c) {
  return c == '"' || c == '\'' || c == '`' || c == U'\u201C' || c == U'\u201D' || c == U'\u2018' || c == U'\u2019';
}

bool is_opening(char32_t c) { return is_quote(c) || c == '(' || c == '[' || c == '{' || c == '*' || c == U'\u2022'; }

bool is_alnum(char32_t c) { return is_letter(c) || is_digit(c); }

// Appends `word` lower-cased (ASCII fast path: one resize, no per-byte push_back).
void append_lower(std::string& out, std::string_view word) {
  bool ascii = true;
  for (char ch : word) {
    if (static_cast<unsigned char>(ch) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    const std::size_t at = out.size();
    out.resize(at + word.size());
    char* dst = out.data() + at;
    for (std::size_t i = 0; i < word.size(); ++i) {
      const char ch = word[i];
      dst[i] = ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch;
    }
  } else {
    out += to_lower(word);
  }
}

Shape shape_of(std::string_view w) {
  std::size_t upper = 0, lower = 0, letters = 0, len = 0;
  bool first_upper = false, later_upper = false;
  for (std::size_t i = 0; i < w.size(); i += len) {
    const char32_t c = decode_at(w, i, &len);
    if (!is_letter(c)) continue;
    const bool up = is_upper(c);
    if (letters == 0)
      first_upper = up;
    else if (up)
      later_upper = true;
    ++letters;
    upper += up ? 1 : 0;
    lower += is_lower(c) ? 1 : 0;
  }
  if (letters == 0) return Shape::kOther;
  if (upper == 0) return Shape::kLower;
  if (lower == 0) return letters >= 2 ? Shape::kUpper : Shape::kCapital;
  if (first_upper && !later_upper) return Shape::kCapital;
  return Shape::kInner;
}

// decode_before / prev_start with the ASCII case inline: tokenize looks back
// from every word, and almost every byte there is ASCII.
std::size_t back_start(std::string_view s, std::size_t i) {
  return static_cast<unsigned char>(s[i - 1]) < 0x80 ? i - 1 : prev_start(s, i);
}
char32_t back_char(std::string_view s, std::size_t i) {
  if (i == 0) return 0;
  const auto c = static_cast<unsigned char>(s[i - 1]);
  return c < 0x80 ? c : decode_before(s, i);
}

// Bytes that mark a chunk as code, a path, an e-mail or a handle.
constexpr std::array<bool, 256> kBlockingBytes = [] {
  std::array<bool, 256> table{};
  for (const char c : std::string_view("@/\\_#=~<>")) table[static_cast<unsigned char>(c)] = true;
  return table;
}();

// A chunk (run of non-space) that is, or holds, a URL, e-mail, domain, path,
// handle or code: its words are nobody's name to fix.
bool blocked_chunk(std::string_view c) {
  // One pass over the bytes (find / find_first_of would scan the chunk three
  // times and the byte set once per byte).
  for (std::size_t i = 0; i < c.size(); ++i) {
    const auto b = static_cast<unsigned char>(c[i]);
    if (kBlockingBytes[b]) return true;
    if (b == ':' && c.compare(i, 3, "://") == 0) return true;
    if (b == 'w' && c.compare(i, 4, "www.") == 0) return true;
    if (b != '.' || i == 0 || i + 1 >= c.size()) continue;
    const char32_t before = back_char(c, i);
    const char32_t after = decode_at(c, i + 1);
    if (is_alnum(before) && is_alnum(after)) return true;  // openai.com, 01.ai, U.S.
  }
  return false;
}

bool is_space_byte(char ch) { return ch == ' ' || ch == '\t' || ch == '\r'; }

// Byte classes for the tokenizer's ASCII fast path.
enum : std::uint8_t {
  kUpperByte = 1,
  kLowerByte = 2,
  kDigitByte = 4,
  kAlnumByte = kUpperByte | kLowerByte | kDigitByte,
  kSpaceByte = 8,  // separates chunks: is_space_byte()
  // Every chunk that blocked_chunk() accepts holds one of these bytes
  // (kBlockingBytes, the ':' of "://", the '.' of "www." and "openai.com"):
  // chunks without any are not blocked, without asking.
  kMarkByte = 16,
};
constexpr std::array<std::uint8_t, 256> kByteClass = [] {
  std::array<std::uint8_t, 256> table{};
  for (int c = 'A'; c <= 'Z'; ++c) table[static_cast<std::size_t>(c)] = kUpperByte;
  for (int c = 'a'; c <= 'z'; ++c) table[static_cast<std::size_t>(c)] = kLowerByte;
  for (int c = '0'; c <= '9'; ++c) table[static_cast<std::size_t>(c)] = kDigitByte;
  for (const char c : std::string_view(" \t\r")) table[static_cast<unsigned char>(c)] = kSpaceByte;
  for (std::size_t c = 0; c < 256; ++c) {
    if (kBlockingBytes[c]) table[c] = kMarkByte;
  }
  table[':'] = kMarkByte;
  table['.'] = kMarkByte;
  return table;
}();

// ASCII characters for tokenize()'s look-back from a word: those skipped
// (spaces, opening quotes and brackets: is_opening()) and the stops that make
// the word sentence-initial.
enum : std::uint8_t { kSkipBack = 1, kStopBack = 2 };
constexpr std::array<std::uint8_t, 128> kLookBack = [] {
  std::array<std::uint8_t, 128> table{};
  for (const char c : std::string_view(" \t\"'`([{*")) table[static_cast<unsigned char>(c)] = kSkipBack;
  for (const char c : std::string_view(".!?:|")) table[static_cast<unsigned char>(c)] = kStopBack;
  return table;
}();

// The number of lower-case ASCII letters (0-8) that p[0, 8) starts with.
std::size_t lower_run8(const char* p) { return first_marked_byte(~ascii_lower_bytes(load_le64(p)) & kHighBits); }

// Appends the words of text[lb, le), with their context, to `out`.
//
// One pass over the bytes: chunks (runs of non-space bytes) and words (runs of
// letters and digits, which never hold a space byte) are found together; a
// chunk's words are marked blocked once its end is known. ASCII bytes are
// classified by table and the word's shape counted on the way; words with
// other characters decode them and take shape_of().
void tokenize(std::string_view text, std::size_t lb, std::size_t le, std::vector<Token>& out) {
  const auto byte = [&](std::size_t at) { return static_cast<unsigned char>(text[at]); };
  bool in_chunk = false;
  bool marked = false;
  std::size_t chunk_begin = 0;
  std::size_t chunk_first = 0;
  auto end_chunk = [&](std::size_t chunk_end) {
    if (in_chunk && marked && blocked_chunk(text.substr(chunk_begin, chunk_end - chunk_begin))) {
      for (std::size_t k = chunk_first; k < out.size(); ++k) out[k].blocked = true;
    }
    in_chunk = false;
  };
  // The sentence-start look-back's answer for a word starting at j, carried
  // forward over the bytes since the previous word (or the line start): the
  // end of the last of them that the look-back would not skip. Kept only while
  // those bytes are ASCII (the look-back decodes other characters backwards):
  // after any other, the word looks back itself.
  std::size_t back_k = lb;
  bool back_ascii = true;
  // The end of the line's previous word, if it has one (out.back().end,
  // kept here so the common test below reads no vector).
  bool have_prev = false;
  std::size_t prev_end = 0;
  std::size_t j = lb;
  while (j < le) {
    const unsigned char b = byte(j);
    const std::uint8_t cls = kByteClass[b];
    if (cls & kSpaceByte) {
      end_chunk(j);
      if (!(kLookBack[b] & kSkipBack)) back_k = j + 1;  // '\r'
      ++j;
      continue;
    }
    if (!in_chunk) {
      in_chunk = true;
      marked = false;
      chunk_begin = j;
      chunk_first = out.size();
    }
    if (cls & kMarkByte) marked = true;
    if (b < 0x80) {
      if (!(cls & kAlnumByte)) {
        if (!(kLookBack[b] & kSkipBack)) back_k = j + 1;
        ++j;
        continue;
      }
    } else {
      std::size_t len = 0;
      if (!is_alnum(decode_at(text, j, &len))) {
        back_ascii = false;
        j += len;
        continue;
      }
    }
    // The word is built in place: every word found here is appended.
    Token& t = out.emplace_back();
    t.begin = j;
    std::uint8_t seen = 0;     // the classes of the word's ASCII bytes
    std::size_t upper = 0;     // its ASCII capitals
    bool first_upper = false;  // its first ASCII letter is a capital
    while (j < le) {
      if (le - j >= 8) {
        // Runs of lower-case ASCII letters (most of a word's bytes), 8 bytes
        // at a time: they only add kLowerByte to `seen` and do not change
        // `first_upper` unless no letter came before them.
        const std::size_t run = lower_run8(text.data() + j);
        if (run != 0) {
          if (!(seen & (kUpperByte | kLowerByte))) first_upper = false;
          seen |= kLowerByte;
          j += run;
          if (run == 8) continue;
        }
      }
      const unsigned char c = byte(j);
      if (c < 0x80) {
        const std::uint8_t k = kByteClass[c];
        if (!(k & kAlnumByte)) break;
        if ((k & (kUpperByte | kLowerByte)) && !(seen & (kUpperByte | kLowerByte))) first_upper = (k & kUpperByte) != 0;
        upper += (k & kUpperByte) ? 1 : 0;
        seen |= k;
        ++j;
      } else {
        std::size_t len = 0;
        const char32_t d = decode_at(text, j, &len);
        if (!is_alnum(d)) break;
        if (is_digit(d)) t.letters = false;
        t.ascii = false;
        j += len;
      }
    }
    t.end = j;
    if (seen & kDigitByte) t.letters = false;
    if (!t.ascii) {
      t.shape = shape_of(text.substr(t.begin, t.end - t.begin));
    } else if (seen & kUpperByte) {
      // ascii_shape(), from the counts taken on the way.
      if (!(seen & kLowerByte))
        t.shape = upper >= 2 ? Shape::kUpper : Shape::kCapital;
      else
        t.shape = first_upper && upper == 1 ? Shape::kCapital : Shape::kInner;
    } else {
      t.shape = (seen & kLowerByte) ? Shape::kLower : Shape::kOther;
    }
    if (have_prev && prev_end + 1 == t.begin && byte(t.begin - 1) == ' ') {
      // The common case, one space after the previous word: joined by ' ',
      // after no apostrophe, and the look-back stops at the previous word's
      // last character (a letter or digit: no stop), so not initial.
      t.sep_before = ' ';
    } else {
      if (have_prev) {
        if (t.begin == prev_end + 1 && (text[prev_end] == ' ' || text[prev_end] == '-')) t.sep_before = text[prev_end];
      }
      // The piece after an apostrophe ("O'Brien", "Deepseek's"): not a word of
      // its own. (Only an ASCII '\'' or a multi-byte character can be one.)
      if (t.begin > lb && (byte(t.begin - 1) == '\'' || byte(t.begin - 1) >= 0x80)) {
        const std::size_t q = back_start(text, t.begin);
        const char32_t qc = decode_at(text, q);
        if ((qc == '\'' || qc == U'\u2019') && q > lb && is_letter(back_char(text, q))) t.blocked = true;
      }
      // Sentence-initial: only spaces, opening quotes or brackets back to the
      // line start or to a stop. (ASCII by table; other characters decoded.)
      // (Carried forward in back_k when the bytes since the previous word are ASCII.)
      std::size_t k = back_ascii ? back_k : t.begin;
      while (!back_ascii && k > lb) {
        const unsigned char pb = byte(k - 1);
        if (pb < 0x80) {
          if (!(kLookBack[pb] & kSkipBack)) break;
          --k;
          continue;
        }
        const char32_t pc = back_char(text, k);
        if (!(pc == ' ' || pc == '\t' || is_opening(pc))) break;
        k = back_start(text, k);
      }
      if (k == lb) {
        t.initial = true;
      } else {
        const unsigned char pb = byte(k - 1);
        if (pb < 0x80) {
          t.initial = (kLookBack[pb] & kStopBack) != 0;
        } else {
          const char32_t pc = back_char(text, k);
          t.initial = pc == U'\u2014' || pc == U'\u2013' || pc == U'\u2026';
        }
        if (pb == '-') {
          // A list bullet at the line start (looked for near the start only: linear time).
          const std::size_t m = k - 1;
          bool only_space = m - lb <= 8;
          for (std::size_t x = lb; only_space && x < m; ++x) only_space = is_space_byte(text[x]);
          t.initial = only_space;
        }
      }
    }
    have_prev = true;
    prev_end = t.end;
    back_k = t.end;  // a letter or digit: never skipped
    back_ascii = true;
  }
  end_chunk(le);
}

// Prose, not a title-case heading or a table header: most longer words lower case.
bool is_prose(std::string_view text, const Token* first, const Token* last) {
  std::size_t lower = 0, capital = 0;
  for (const Token* it = first; it != last; ++it) {
    const Token& t = *it;
    if (t.end - t.begin < 4 || !t.letters) continue;
    if (t.shape == Shape::kLower)
      ++lower;
    else if (t.shape == Shape::kCapital || t.shape == Shape::kUpper)
      ++capital;
  }
  (void)text;
  return lower >= 3 && lower > capital;
}

std::string_view word_of(std::string_view text, const Token& t) { return text.substr(t.begin, t.end - t.begin); }

// The token lower-cased: a view of the lowered text when it is ASCII (most
// words; no copy), else lower-cased into `scratch`.
std::string_view lower_of(std::string_view text, std::string_view lowered, const Token& t, std::string& scratch) {
  if (t.ascii) return lowered.substr(t.begin, t.end - t.begin);
  scratch.clear();
  append_lower(scratch, word_of(text, t));
  return scratch;
}

// Letters and digits of a name, lower-cased, without spaces and hyphens; false
// if the name holds any other character (such entries are not matched).
bool name_key(std::string_view name, std::string& key, std::size_t* tokens) {
  key.clear();
  std::size_t count = 0;
  bool in_word = false;
  std::size_t len = 0;
  for (std::size_t i = 0; i < name.size(); i += len) {
    const char32_t c = decode_at(name, i, &len);
    if (c == ' ' || c == '-') {
      in_word = false;
      continue;
    }
    if (!is_alnum(c)) return false;
    if (!in_word) ++count;
    in_word = true;
    append_lower(key, name.substr(i, len));
  }
  if (tokens) *tokens = count;
  return !key.empty();
}

// Optimal-string-alignment distance, capped: true if a and b are at most one
// edit (insertion, deletion, substitution, adjacent swap) apart.
bool within_one(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1) return false;
  std::size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (i == a.size()) return true;
  if (a.size() == b.size()) {
    if (a.substr(i + 1) == b.substr(i + 1)) return true;
    return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] && a.substr(i + 2) == b.substr(i + 2);
  }
  return a.substr(i) == b.substr(i + 1);
}

bool all_upper_span(const Token* toks, std::size_t i, std::size_t k) {
  bool any = false;
  for (std::size_t j = i; j < i + k; ++j) {
    const Shape s = toks[j].shape;
    if (s == Shape::kUpper)
      any = true;
    else if (s != Shape::kOther)
      return false;
  }
  return any;
}

// Wrapped in quotes: "'deepseek'" is a mention of the string, not a use of the name.
bool quoted(std::string_view text, std::size_t b, std::size_t e) {
  if (b == 0 || e >= text.size()) return false;
  if (!is_quote(back_char(text, b))) return false;
  std::size_t len = 0;
  if (!is_quote(decode_at(text, e, &len))) return false;
  return e + len >= text.size() || !is_letter(decode_at(text, e + len));
}

}  // namespace

// ---------------------------------------------------------------- NameEvidence

void names_detail::tokenize_lines(std::string_view text, std::vector<Token>& tokens, std::vector<LineTokens>& lines) {
  tokenize_some_lines(text, 0, text.size(), tokens, lines);
}

std::size_t names_detail::tokenize_some_lines(std::string_view text, std::size_t begin, std::size_t bytes,
                                              std::vector<Token>& tokens, std::vector<LineTokens>& lines,
                                              std::size_t max_line) {
  tokens.clear();
  lines.clear();
  // The lines of split_lines(), without building its vector; a line longer
  // than max_line in pieces (piece_end()).
  const std::size_t from = begin;
  while (begin < text.size() && begin - from < bytes) {
    std::size_t nl = 0, next = 0;
    if (max_line == std::string_view::npos) {
      nl = text.find('\n', begin);
      if (nl == std::string_view::npos) nl = text.size();
      next = nl + 1;
    } else {
      nl = piece_end(text, begin, max_line);
      next = after_piece(text, nl);
    }
    const std::size_t first = tokens.size();
    tokenize(text, begin, nl, tokens);
    lines.push_back({begin, nl, first, tokens.size()});
    begin = next;
  }
  return std::min(begin, text.size());
}

void names_detail::tokenize_document(std::string_view text, std::vector<Token>& tokens, std::vector<LineTokens>& lines,
                                     std::string& lowered) {
  lowered.resize(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    lowered[i] = ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch;
  }
  tokenize_lines(text, tokens, lines);
}

void NameEvidence::collect(std::string_view text) {
  names_detail::tokenize_document(text, tokens_, lines_, lowered_);
  collect(text, tokens_, lines_, lowered_);
}

void NameEvidence::collect(std::string_view text, const std::vector<Token>& tokens,
                           const std::vector<names_detail::LineTokens>& lines, std::string_view lowered) {
  for (const auto& line : lines) {
    const Token* toks = tokens.data() + line.first;
    const std::size_t n = line.last - line.first;
    const bool prose = is_prose(text, toks, toks + n);
    for (std::size_t i = 0; i < n; ++i) {
      const Token& t = toks[i];
      if (t.blocked || !t.letters || t.end - t.begin < 2) continue;
      const std::string_view w = word_of(text, t);
      if (t.shape == Shape::kInner) {
        key_.clear();
        append_lower(key_, w);
        ++words_[key_].inner[std::string(w)];
      } else if (t.shape == Shape::kCapital && prose) {
        key_.clear();
        append_lower(key_, w);
        ++(t.initial ? words_[key_].initial : words_[key_].capitalised);
      }
      if (prose && i > 0 && t.sep_before == ' ' && (t.shape == Shape::kCapital || t.shape == Shape::kInner)) {
        const Token& p = toks[i - 1];
        if (p.blocked || !p.letters || p.end - p.begin < 2) continue;
        if (p.shape != Shape::kCapital && p.shape != Shape::kInner) continue;
        key_.clear();
        append_lower(key_, word_of(text, p));
        key_.push_back(' ');
        append_lower(key_, w);
        auto& pf = pairs_[key_];
        const std::string_view form = text.substr(p.begin, t.end - p.begin);
        if (pf.form.empty()) pf.form = std::string(form);
        if (pf.form == form) {
          ++pf.count;
          if (!p.initial) ++pf.mid_sentence;
        }
      }
    }
  }
  // Lower-case uses of the words seen capitalised: the second pass keeps the
  // map to names instead of the whole vocabulary.
  if (words_.empty()) return;
  for (const auto& t : tokens) {
    if (t.blocked || t.shape != Shape::kLower || !t.letters) continue;
    if (auto it = words_.find(lower_of(text, lowered, t, key_)); it != words_.end()) ++it->second.lower;
  }
}

void NameEvidence::merge(const NameEvidence& other) {
  for (const auto& [k, f] : other.words_) {
    auto& mine = words_[k];
    for (const auto& [form, n] : f.inner) mine.inner[form] += n;
    mine.capitalised += f.capitalised;
    mine.initial += f.initial;
    mine.lower += f.lower;
  }
  for (const auto& [k, p] : other.pairs_) {
    auto& mine = pairs_[k];
    if (mine.form.empty()) mine.form = p.form;
    if (mine.form == p.form) {
      mine.count += p.count;
      mine.mid_sentence += p.mid_sentence;
    }
  }
}

void NameEvidence::clear() {
  words_.clear();
  pairs_.clear();
}

const NameEvidence::Forms* NameEvidence::word(std::string_view lower) const {
  auto it = words_.find(lower);
  return it == words_.end() ? nullptr : &it->second;
}

const NameEvidence::PairForm* NameEvidence::pair(std::string_view lower_pair) const {
  auto it = pairs_.find(lower_pair);
  return it == pairs_.end() ? nullptr : &it->second;
}

// ---------------------------------------------------------------- FormIndex

namespace {

constexpr std::uint64_t kMul1 = 0x9E3779B97F4A7C15ULL;
constexpr std::uint64_t kMul2 = 0xBF58476D1CE4E5B9ULL;

}  // namespace

// (inline: one call per token; names.cpp is the only user.)
inline names_detail::FormIndex::Probe names_detail::FormIndex::probe(std::string_view form) {
  const char* p = form.data();
  const std::size_t n = form.size();
  Probe r;
  r.a = load_le(p, std::min<std::size_t>(n, 8));
  r.b = n > 8 ? load_le(p + 8, std::min<std::size_t>(n - 8, 8)) : 0;
  std::uint64_t h = (n * kMul1) ^ r.a;
  h *= kMul2;
  h ^= h >> 32;
  h = (h ^ r.b) * kMul1;
  for (std::size_t i = 16; i < n; i += 8) {
    h ^= h >> 32;
    h = (h ^ load_le(p + i, std::min<std::size_t>(n - i, 8))) * kMul1;
  }
  h ^= h >> 29;
  h *= kMul2;
  r.hash = h ^ (h >> 32);
  return r;
}

inline std::uint32_t names_detail::FormIndex::find(std::string_view form, const Probe& p) const {
  if (slots_.empty()) return kAbsent;
  const std::uint16_t tag = tag_of(p.hash);
  const std::uint16_t size = size_of(form.size());
  for (std::size_t i = p.hash & mask_;; i = (i + 1) & mask_) {
    const Slot& s = slots_[i];
    if (s.id == kAbsent) return kAbsent;
    if (s.tag != tag || s.size != size) continue;
    if (form.size() <= 16) {
      if (s.a == p.a && s.b == p.b) return s.id;  // the whole form, padded
    } else if (s.b == form.size() && std::memcmp(long_forms_.data() + s.a, form.data(), form.size()) == 0) {
      return s.id;
    }
  }
}

void names_detail::FormIndex::insert(std::string_view form, const Probe& p, std::uint32_t id) {
  // At most half full, as WordMap: most probes end at the first slot.
  if ((size_ + 1) * 2 > slots_.size()) grow();
  std::size_t i = p.hash & mask_;
  while (slots_[i].id != kAbsent) i = (i + 1) & mask_;
  Slot& s = slots_[i];
  s.tag = tag_of(p.hash);
  s.size = size_of(form.size());
  s.id = id;
  if (form.size() <= 16) {
    s.a = p.a;
    s.b = p.b;
  } else {
    s.a = long_forms_.size();
    s.b = form.size();
    long_forms_.append(form);
  }
  ++size_;
}

void names_detail::FormIndex::grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
  mask_ = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.id == kAbsent) continue;
    // The hash again from the form: a short one is its padded bytes a and b.
    std::uint64_t hash = 0;
    if (s.size <= 16) {
      char bytes[16];
      for (std::size_t k = 0; k < 8; ++k) {
        bytes[k] = static_cast<char>(s.a >> (8 * k));  // (load_le: the first byte lowest)
        bytes[8 + k] = static_cast<char>(s.b >> (8 * k));
      }
      hash = probe(std::string_view(bytes, s.size)).hash;
    } else {
      hash = probe(std::string_view(long_forms_).substr(s.a, s.b)).hash;
    }
    std::size_t i = hash & mask_;
    while (slots_[i].id != kAbsent) i = (i + 1) & mask_;
    slots_[i] = s;
  }
}

// ---------------------------------------------------------------- NamesStage

namespace {
// The vocabulary is emptied (between documents) past this many written forms
// (for the process: each of N pipelines keeps 1/N of them, Resources::budget),
// so that memory stays flat on endless streams (about 10 MB at most: forms,
// lower-case forms and their indexes); a pair table grown by a huge document
// is not kept either.
constexpr std::size_t kMaxWords = std::size_t{1} << 16;
constexpr std::size_t kMaxPairSlots = std::size_t{1} << 16;
// ... and past this many bytes of lower-case forms (Lower's 32-bit offsets).
constexpr std::size_t kMaxLowerText = std::size_t{1} << 30;
}  // namespace

NamesStage::Tables NamesStage::build_tables(Resources& resources) {
  Tables t;
  std::unordered_map<std::string, std::vector<std::size_t>> by_key;
  std::string key;
  for (const auto& entry : resources.names()) {
    std::size_t tokens = 0;
    if (!name_key(entry.canonical, key, &tokens)) continue;
    Entry e;
    e.canonical = entry.canonical;
    e.key = key;
    e.tokens = tokens;
    e.acronym = tokens == 1 && shape_of(entry.canonical) == Shape::kUpper;
    const std::size_t index = t.entries.size();
    auto add_key = [&t, index, &by_key](const std::string& k, std::size_t n) {
      auto& list = by_key[k];
      if (std::find(list.begin(), list.end(), index) == list.end()) list.push_back(index);
      t.max_tokens = std::max(t.max_tokens, std::min(n, kMaxSpanTokens));
    };
    add_key(key, tokens);
    if (key.size() >= (tokens == 1 ? kFuzzySingleLetters : kFuzzyMultiLetters)) {
      if (tokens > 1) {
        // Its words as match_fuzzy splits the canonical form (on spaces and hyphens).
        std::size_t ci = 0;
        const std::string_view canon = entry.canonical;
        while (ci < canon.size()) {
          while (ci < canon.size() && (canon[ci] == ' ' || canon[ci] == '-')) ++ci;
          std::size_t ce = ci;
          while (ce < canon.size() && canon[ce] != ' ' && canon[ce] != '-') ++ce;
          if (ce > ci) t.multi_name_words.insert(canon.substr(ci, ce - ci), 1);
          ci = ce;
        }
      }
      for (std::size_t d = 0; d <= key.size(); ++d) {
        std::string del = key;
        if (d < key.size()) {
          if (static_cast<unsigned char>(key[d]) >= 0x80) continue;  // keep deletions on ASCII letters
          del.erase(d, 1);
        }
        const auto [slot, inserted] = t.by_deletion.insert(del, static_cast<std::uint32_t>(t.deletion_lists.size()));
        if (inserted) t.deletion_lists.emplace_back();
        auto& list = t.deletion_lists[*slot];
        if (std::find(list.begin(), list.end(), index) == list.end()) list.push_back(index);
      }
    }
    for (const auto& v : entry.variants) {
      std::size_t vt = 0;
      if (!name_key(v, key, &vt)) continue;
      e.variants.push_back(v);
      add_key(key, vt);
    }
    t.entries.push_back(std::move(e));
  }
  for (auto& [k, list] : by_key) {
    for (std::size_t n = 1; n < k.size(); ++n) {
      // Also which characters follow the part (see KeyPart::next).
      const int bit = continuation_bit(k[n]);
      t.key_prefixes.insert(std::string_view(k).substr(0, n), KeyPart{}).first->next |=
          bit >= 0 ? std::uint64_t{1} << bit : kOtherContinuation;
    }
  }
  for (auto& [k, list] : by_key) {
    t.key_prefixes.insert(k, KeyPart{}).first->list = static_cast<std::int32_t>(t.key_lists.size());
    t.key_lists.push_back(std::move(list));
  }
  return t;
}

NamesStage::NamesStage(Resources& resources)
    : lexicon_(resources.lexicon()),
      tables_(resources.shared<Tables>("names.tables", [&] { return build_tables(resources); })),
      entries_(tables_->entries),
      key_prefixes_(tables_->key_prefixes),
      key_lists_(tables_->key_lists),
      by_deletion_(tables_->by_deletion),
      deletion_lists_(tables_->deletion_lists),
      multi_name_words_(tables_->multi_name_words),
      max_tokens_(tables_->max_tokens),
      vocabulary_budget_(resources.budget(kMaxWords)) {}

std::string_view NamesStage::description() const {
  return "Restores the canonical spelling of names (Deepseek -> DeepSeek, li Qiang -> Li Qiang) from "
         "dictionaries/names.txt and from the document's own spelling";
}

std::vector<RuleInfo> NamesStage::rules() const {
  return {
      {kTableRule,
       "\"Deepseek\" -> \"DeepSeek\", \"Kaifu Lee\" -> \"Kai-Fu Lee\", \"Carnegie Mello\" -> \"Carnegie "
       "Mellon\" from names.txt; leaves English words (apple, amazon), all-caps headings, URLs and domains "
       "(openai.com) and quoted words alone"},
      {kDocumentRule,
       "\"sundance\" -> \"Sundance\", \"du Yijin\" -> \"Du Yijin\" when the document writes the name so "
       "elsewhere; leaves English words, sentence starts and name particles (van, de) alone"},
  };
}

void NamesStage::start_document() {
  ++epoch_;
  if (words_.size() > vocabulary_budget_.share() || lower_text_.size() > kMaxLowerText || epoch_ == 0) {
    // Fresh containers, not clear(): the memory goes too. The facts come
    // back as the words do.
    word_ids_ = names_detail::FormIndex();
    words_ = std::vector<Word>();
    lower_slots_ = std::vector<std::uint64_t>();
    lower_mask_ = 0;
    lowers_ = std::vector<Lower>();
    lower_text_ = std::string();
    pairs_ = std::vector<PairSlot>();
    epoch_ = 1;
  }
  if (pairs_.size() > kMaxPairSlots) pairs_ = std::vector<PairSlot>();
  pair_count_ = 0;
  inner_spans_.clear();
  if (inner_spans_.capacity() > kMaxPairSlots) std::vector<std::pair<std::size_t, std::size_t>>().swap(inner_spans_);
  // A large document's token buffers are not kept for the next ones (each
  // pipeline would hold the largest it has seen).
  if (doc_tokens_.capacity() > kMaxPairSlots) std::vector<names_detail::Token>().swap(doc_tokens_);
  if (doc_lines_.capacity() > kMaxPairSlots) std::vector<names_detail::LineTokens>().swap(doc_lines_);
  if (doc_words_.capacity() > kMaxPairSlots) std::vector<std::uint32_t>().swap(doc_words_);
  if (form_words_.capacity() > kMaxPairSlots) std::vector<std::uint32_t>().swap(form_words_);
}

std::uint32_t NamesStage::add_word(std::string_view form, const names_detail::FormIndex::Probe& probe) {
  scratch_.clear();
  append_lower(scratch_, form);
  const std::uint64_t h = WordMap<char>::hash(scratch_);
  std::size_t slot = 0;
  Word w;
  w.lower = find_lower(scratch_, h, slot);
  if (w.lower == kNone) {
    w.lower = static_cast<std::uint32_t>(lowers_.size());
    Lower l;
    l.offset = static_cast<std::uint32_t>(lower_text_.size());
    l.size = static_cast<std::uint32_t>(scratch_.size());
    l.first_bit = static_cast<std::int8_t>(scratch_.empty() ? -1 : continuation_bit(scratch_[0]));
    lower_text_ += scratch_;
    if (const KeyPart* part = key_prefixes_.find(scratch_)) {
      l.prefix = part->list;
      l.next = part->next;
    }
    l.particle = contains<kParticles>(scratch_);
    l.stop = contains<kStopWords>(scratch_);
    l.calendar = contains<kCalendar>(scratch_);
    lowers_.push_back(l);
    index_lower(h, slot, w.lower);
  }
  w.name_word = multi_name_words_.find(form) != nullptr;
  const auto id = static_cast<std::uint32_t>(words_.size());
  word_ids_.insert(form, probe, id);
  words_.push_back(w);
  return id;
}

std::uint32_t NamesStage::find_lower(std::string_view lower, std::uint64_t h, std::size_t& slot) const {
  if (lower_slots_.empty()) return kNone;
  const std::uint64_t tag = h >> 32;
  std::size_t i = h & lower_mask_;
  for (;; i = (i + 1) & lower_mask_) {
    const std::uint64_t s = lower_slots_[i];
    if (s == 0) break;
    if (s >> 32 != tag) continue;
    const auto id = static_cast<std::uint32_t>(s) - 1;
    const Lower& l = lowers_[id];
    if (l.size == lower.size() && same_bytes(lower_text_.data() + l.offset, lower.data(), lower.size())) return id;
  }
  slot = i;
  return kNone;
}

void NamesStage::index_lower(std::uint64_t h, std::size_t slot, std::uint32_t id) {
  // At most half full, as WordMap; a new table re-indexes every form (their
  // hashes recomputed from lower_text_), this one included.
  if (lowers_.size() * 2 > lower_slots_.size()) {
    lower_slots_.assign(lower_slots_.empty() ? 1024 : lower_slots_.size() * 2, 0);
    lower_mask_ = lower_slots_.size() - 1;
    for (std::size_t k = 0; k < lowers_.size(); ++k) {
      const std::uint64_t hk = WordMap<char>::hash(lower_text(lowers_[k]));
      std::size_t i = hk & lower_mask_;
      while (lower_slots_[i] != 0) i = (i + 1) & lower_mask_;
      lower_slots_[i] = (hk >> 32) << 32 | (std::uint64_t{k} + 1);
    }
    return;
  }
  lower_slots_[slot] = (h >> 32) << 32 | (std::uint64_t{id} + 1);
}

bool NamesStage::known_lower(Lower& l) {
  if (l.known < 0) l.known = lexicon_.known(lower_text(l)) ? 1 : 0;
  return l.known != 0;
}

bool NamesStage::known_form(Word& w, std::string_view form) {
  if (w.known < 0) w.known = lexicon_.known(form) ? 1 : 0;
  return w.known != 0;
}

NamesStage::Lower& NamesStage::touch(std::uint32_t lower) {
  Lower& l = lowers_[lower];
  if (l.epoch != epoch_) {
    l.epoch = epoch_;
    l.inner_word = kNone;
    l.inner_multi = false;
    l.capitalised = 0;
    l.initial = 0;
    l.lowered = 0;
    l.paired = false;
  }
  return l;
}

// The document's evidence for a lower-case form, as NameEvidence::word()
// would give it: nullptr unless the document writes the word with a capital.
const NamesStage::Lower* NamesStage::evidence(std::uint32_t lower) const {
  const Lower& l = lowers_[lower];
  if (l.epoch != epoch_) return nullptr;
  if (l.inner_word == kNone && l.capitalised == 0 && l.initial == 0) return nullptr;
  return &l;
}

NamesStage::PairSlot* NamesStage::pair_slot(std::uint64_t key, bool insert) {
  if (insert && (pair_count_ + 1) * 2 > pairs_.size()) {
    // Grow, keeping this document's slots (the others are free).
    std::vector<PairSlot> old = std::move(pairs_);
    pairs_.assign(old.empty() ? 64 : old.size() * 2, PairSlot{});
    const std::size_t mask = pairs_.size() - 1;
    for (const PairSlot& s : old) {
      if (s.epoch != epoch_) continue;
      std::size_t i = static_cast<std::size_t>(
                          WordMap<int>::hash(std::string_view(reinterpret_cast<const char*>(&s.key), sizeof s.key))) &
                      mask;
      while (pairs_[i].epoch == epoch_) i = (i + 1) & mask;
      pairs_[i] = s;
    }
  }
  if (pairs_.empty()) return nullptr;
  const std::size_t mask = pairs_.size() - 1;
  std::size_t i =
      static_cast<std::size_t>(WordMap<int>::hash(std::string_view(reinterpret_cast<const char*>(&key), sizeof key))) &
      mask;
  for (;; i = (i + 1) & mask) {
    PairSlot& s = pairs_[i];
    if (s.epoch != epoch_) {
      if (!insert) return nullptr;
      s = PairSlot{};
      s.key = key;
      s.epoch = epoch_;
      ++pair_count_;
      return &s;
    }
    if (s.key == key) return &s;
  }
}

namespace {
// How many tokens ahead word_ids() asks for the slots it will read: enough
// look-ups in flight to hide a cache miss each.
constexpr std::size_t kLookAhead = 8;
}  // namespace

void NamesStage::prefetch_lower(std::uint32_t word) const {
  __builtin_prefetch(&lowers_[words_[word].lower]);  // one cache line
}

void NamesStage::propose_words(std::string_view text, const WordAnalysis& words, std::vector<Edit>& out) {
  if (text.size() > whole_document_bytes || words.text().data() != text.data() || words.text().size() != text.size()) {
    propose(text, out);
    return;
  }
  using names_detail::FormIndex;
  start_document();
  // The Word of every distinct form of the analysis first, with the slots of
  // the forms kLookAhead places ahead prefetched (a large vocabulary's cache
  // misses overlap), so the tokens that are runs of letters read their Word
  // from form_words_.
  const std::size_t forms = words.forms();
  form_words_.resize(forms);
  std::array<FormIndex::Probe, kLookAhead> ring;
  const std::size_t ahead = std::min(forms, kLookAhead);
  for (std::size_t f = 0; f < ahead; ++f) {
    ring[f] = FormIndex::probe(words.form(static_cast<std::uint32_t>(f)));
    word_ids_.prefetch(ring[f]);
  }
  for (std::size_t f = 0; f < forms; ++f) {
    const FormIndex::Probe probe = ring[f % kLookAhead];
    if (f + kLookAhead < forms) {
      FormIndex::Probe& next = ring[f % kLookAhead];
      next = FormIndex::probe(words.form(static_cast<std::uint32_t>(f + kLookAhead)));
      word_ids_.prefetch(next);
    }
    const std::string_view form = words.form(static_cast<std::uint32_t>(f));
    const std::uint32_t id = word_ids_.find(form, probe);
    form_words_[f] = id != FormIndex::kAbsent ? id : add_word(form, probe);
    // The Word now, and the Lower collect_document() touches once the Word
    // has arrived (a few forms later): the document's entries are in cache
    // when its tokens are read, instead of one memory wait per token.
    __builtin_prefetch(&words_[form_words_[f]]);
    if (f >= kLookAhead) prefetch_lower(form_words_[f - kLookAhead]);
  }
  for (std::size_t f = forms > kLookAhead ? forms - kLookAhead : 0; f < forms; ++f) prefetch_lower(form_words_[f]);
  analysis_ = &words;
  run_ = words.runs().data();
  runs_end_ = run_ + words.runs().size();
  names_detail::tokenize_lines(text, doc_tokens_, doc_lines_);
  doc_words_.resize(doc_tokens_.size());
  collect_document(text);
  analysis_ = nullptr;
  for (const auto& line : doc_lines_) propose_line(text, line, out);
}

void NamesStage::propose(std::string_view text, std::vector<Edit>& out) {
  start_document();
  if (text.size() <= whole_document_bytes) {
    names_detail::tokenize_lines(text, doc_tokens_, doc_lines_);
    doc_words_.resize(doc_tokens_.size());
    collect_document(text);
    for (const auto& line : doc_lines_) propose_line(text, line, out);
    return;
  }
  // A large document is tokenized a block of lines at a time, twice: the
  // first pass collects the whole document's evidence, the second proposes
  // from it. The same tokens, in the same order, as in one piece; memory
  // stays bounded by the block.
  for (std::size_t pos = 0; pos < text.size();) {
    pos = names_detail::tokenize_some_lines(text, pos, block_bytes, doc_tokens_, doc_lines_, block_bytes);
    doc_words_.resize(doc_tokens_.size());
    collect_document(text);
  }
  for (std::size_t pos = 0; pos < text.size();) {
    pos = names_detail::tokenize_some_lines(text, pos, block_bytes, doc_tokens_, doc_lines_, block_bytes);
    doc_words_.resize(doc_tokens_.size());
    word_ids(text, doc_tokens_.data(), doc_tokens_.size(), doc_words_.data());
    for (const auto& line : doc_lines_) propose_line(text, line, out);
  }
  // Blocks' buffers are not kept for the next documents.
  std::vector<Token>().swap(doc_tokens_);
  std::vector<names_detail::LineTokens>().swap(doc_lines_);
  std::vector<std::uint32_t>().swap(doc_words_);
}

// ids[i] = the vocabulary id of token i's form (added if new), in order (new forms get their
// ids in the same order), with the vocabulary slots of the tokens kLookAhead
// ahead prefetched: most look-ups of a large vocabulary miss the cache.
void NamesStage::word_ids(std::string_view text, const Token* toks, std::size_t n, std::uint32_t* ids) {
  using names_detail::FormIndex;
  if (analysis_) {
    // A token that is a run of letters of the shared analysis has its
    // form's Word already; the others (letters and digits) are looked up.
    for (std::size_t i = 0; i < n; ++i) {
      const Token& t = toks[i];
      while (run_ != runs_end_ && run_->begin < t.begin) ++run_;
      if (run_ != runs_end_ && run_->begin == t.begin && run_->end == t.end) {
        ids[i] = form_words_[run_->form];
        continue;
      }
      const std::string_view form = word_of(text, t);
      const FormIndex::Probe probe = FormIndex::probe(form);
      const std::uint32_t id = word_ids_.find(form, probe);
      ids[i] = id != FormIndex::kAbsent ? id : add_word(form, probe);
    }
    return;
  }
  std::array<FormIndex::Probe, kLookAhead> ring;
  const std::size_t ahead = std::min(n, kLookAhead);
  for (std::size_t j = 0; j < ahead; ++j) {
    ring[j] = FormIndex::probe(word_of(text, toks[j]));
    word_ids_.prefetch(ring[j]);
  }
  for (std::size_t i = 0; i < n; ++i) {
    const FormIndex::Probe probe = ring[i % kLookAhead];
    if (i + kLookAhead < n) {
      FormIndex::Probe& next = ring[i % kLookAhead];
      next = FormIndex::probe(word_of(text, toks[i + kLookAhead]));
      word_ids_.prefetch(next);
    }
    const std::string_view form = word_of(text, toks[i]);
    const std::uint32_t id = word_ids_.find(form, probe);
    ids[i] = id != FormIndex::kAbsent ? id : add_word(form, probe);
  }
}

// Looks up the Word of every token and does NameEvidence::collect() for
// the document, into the vocabulary.
void NamesStage::collect_document(std::string_view text) {
  for (const auto& line : doc_lines_) {
    const Token* toks = doc_tokens_.data() + line.first;
    std::uint32_t* ids = doc_words_.data() + line.first;
    const std::size_t n = line.last - line.first;
    const bool prose = is_prose(text, toks, toks + n);
    word_ids(text, toks, n, ids);
    for (std::size_t i = 0; i < n; ++i) {
      const Token& t = toks[i];
      const std::uint32_t id = ids[i];
      if (i + kLookAhead < n) {
        // The Lower touched below, a few tokens ahead (its Word is in cache by now).
        __builtin_prefetch(&lowers_[words_[ids[i + kLookAhead]].lower]);
      }
      if (t.blocked || !t.letters) continue;
      const std::uint32_t lower = words_[id].lower;
      // Lower-case uses are counted for every word (NameEvidence counts them
      // for the words seen capitalised only): evidence() reads them for
      // those only, once the whole document is collected.
      if (t.shape == Shape::kLower) ++touch(lower).lowered;
      if (t.end - t.begin < 2) continue;
      if (t.shape == Shape::kInner) {
        Lower& l = touch(lower);
        if (l.inner_word == kNone) {
          l.inner_word = id;
          l.inner_span = static_cast<std::uint32_t>(inner_spans_.size());
          inner_spans_.emplace_back(t.begin, t.end);
        } else if (l.inner_word != id) {
          l.inner_multi = true;
        }
      } else if (t.shape == Shape::kCapital && prose) {
        Lower& l = touch(lower);
        ++(t.initial ? l.initial : l.capitalised);
      }
      if (prose && i > 0 && t.sep_before == ' ' && (t.shape == Shape::kCapital || t.shape == Shape::kInner)) {
        const Token& p = toks[i - 1];
        if (p.blocked || !p.letters || p.end - p.begin < 2) continue;
        if (p.shape != Shape::kCapital && p.shape != Shape::kInner) continue;
        const std::uint64_t key = std::uint64_t{words_[ids[i - 1]].lower} << 32 | lower;
        PairSlot& pf = *pair_slot(key, true);
        touch(words_[ids[i - 1]].lower).paired = true;
        touch(lower).paired = true;
        if (pf.count == 0) {
          // New: its first form is this one ("Du Yijin": one space, so the
          // same two written words are the same form).
          pf.first = ids[i - 1];
          pf.second = id;
          pf.begin = p.begin;
          pf.end = t.end;
        }
        if (pf.first == ids[i - 1] && pf.second == id) {
          ++pf.count;
          if (!p.initial) ++pf.mid_sentence;
        }
      }
    }
  }
}

void NamesStage::propose_line(std::string_view text, const names_detail::LineTokens& line, std::vector<Edit>& out) {
  const Token* toks = doc_tokens_.data() + line.first;
  const std::uint32_t* ids = doc_words_.data() + line.first;
  const std::size_t n = line.last - line.first;
  std::size_t i = 0;
  while (i < n) {
    // match_table and match_fuzzy find nothing at a word that starts no
    // name's key (alone or with the next word) / is no capitalised word:
    // they are not called for those.
    const Token& t = toks[i];
    std::size_t used = 0;
    const Lower& l = lowers_[words_[ids[i]].lower];
    bool table = l.prefix >= 0;  // the word alone is a name's key
    if (l.prefix == -1 && max_tokens_ > 1 && i + 1 < n && toks[i + 1].sep_before != 0) {
      // Only the start of a key: match_table widens the span to the next
      // word unless its first character follows the word in no key.
      const int bit = lowers_[words_[ids[i + 1]].lower].first_bit;
      table = bit < 0 || (l.next >> bit & 1) != 0;
    }
    if (table) used = match_table(text, toks, ids, n, i, out);
    if (used == 0 && !t.blocked && t.letters && (t.shape == Shape::kCapital || t.shape == Shape::kInner)) {
      // match_fuzzy finds nothing for a known word that no capitalised word
      // joins: its one-word span is known and there is no wider one. (The
      // same known_form / known_lower questions, in the same order, as its
      // first step asks.)
      const Token* next = i + 1 < n ? &toks[i + 1] : nullptr;
      const bool joined = next && next->sep_before != 0 && !next->blocked && next->letters &&
                          (next->shape == Shape::kCapital || next->shape == Shape::kInner);
      Word& w = words_[ids[i]];
      if (joined || !(known_form(w, word_of(text, t)) || known_lower(lowers_[w.lower]))) {
        used = match_fuzzy(text, toks, ids, n, i, out);
      }
    }
    if (used == 0) {
      if (document_candidate(toks, ids, n, i)) match_document(text, toks, ids, n, i, out);
      used = 1;
    }
    i += used;
  }
}

std::size_t NamesStage::match_table(std::string_view text, const Token* toks, const std::uint32_t* ids, std::size_t n,
                                    std::size_t i, std::vector<Edit>& out) {
  // Longest span of words joined by one space or hyphen whose key is a name's.
  // The one-word span's answer is in the vocabulary; wider spans build their
  // key in key_.
  std::size_t best_k = 0;
  const std::vector<std::size_t>* best = nullptr;
  for (std::size_t k = 1; k <= max_tokens_ && i + k <= n; ++k) {
    const Token& t = toks[i + k - 1];
    if (k > 1 && t.sep_before == 0) break;
    std::int32_t found = kNoPrefix;
    if (k == 1) {
      found = lowers_[words_[ids[i]].lower].prefix;
    } else {
      const std::string_view next = lower_text(lowers_[words_[ids[i + k - 1]].lower]);
      if (k == 2) {
        // Every leading part of a key is in key_prefixes_: if the first
        // word and the next one's first character are no name's start, the
        // two words are not either.
        const int bit = lowers_[words_[ids[i + k - 1]].lower].first_bit;
        if (bit >= 0 && !(lowers_[words_[ids[i]].lower].next >> bit & 1)) break;
        key_.assign(lower_text(lowers_[words_[ids[i]].lower]));
      }
      key_ += next;
      if (const KeyPart* part = key_prefixes_.find(key_)) found = part->list;
    }
    if (found == kNoPrefix) break;  // no name's key starts so: no longer span can match either
    if (found >= 0) {
      best_k = k;
      best = &key_lists_[static_cast<std::size_t>(found)];
    }
  }
  if (best_k == 0) return 0;
  const std::size_t b = toks[i].begin;
  const std::size_t e = toks[i + best_k - 1].end;
  const std::string_view span = text.substr(b, e - b);

  const Entry* listed = nullptr;
  const Entry* target = nullptr;
  bool ambiguous = false;
  for (std::size_t idx : *best) {
    const Entry& entry = entries_[idx];
    if (entry.canonical == span) return best_k;  // already right
    for (const auto& v : entry.variants) {
      if (v == span) listed = &entry;
    }
    if (target && target->canonical != entry.canonical) ambiguous = true;
    target = &entry;
  }
  for (std::size_t j = i; j < i + best_k; ++j) {
    if (toks[j].blocked) return best_k;
  }
  if (quoted(text, b, e)) return best_k;

  if (listed) {
    // A listed all-caps variant inside an all-caps run is a heading's style.
    if (all_upper_span(toks, i, best_k)) {
      const bool prev_upper = i > 0 && toks[i - 1].shape == Shape::kUpper;
      const bool next_upper = i + best_k < n && toks[i + best_k].shape == Shape::kUpper;
      if (prev_upper || next_upper) return best_k;
    }
    out.push_back(make_change(b, e, listed->canonical, std::string(kTableRule),
                              "Listed variant of the name " + listed->canonical + "."));
    return best_k;
  }
  if (ambiguous || !target) return best_k;
  if (all_upper_span(toks, i, best_k)) return best_k;
  if (best_k > target->tokens) return best_k;  // never split one word into several

  bool unknown_word = false;
  bool capital_evidence = false;
  for (std::size_t j = i; j < i + best_k; ++j) {
    if (toks[j].letters && !known_lower(lowers_[words_[ids[j]].lower])) unknown_word = true;
    if (toks[j].shape != Shape::kLower && toks[j].shape != Shape::kOther && !(j == i && toks[j].initial)) {
      capital_evidence = true;
    }
  }
  if (best_k == 1 && target->acronym) {
    return best_k;  // "Nato", "Nasa": house styles for acronyms, not slips
  }
  if (best_k == 1) {
    // One word: only when its lower-case form is no English word ("apple").
    if (known_lower(lowers_[words_[ids[i]].lower])) return best_k;
  } else if (!unknown_word && !capital_evidence) {
    return best_k;  // "united states", "wall street": plain words
  }
  out.push_back(make_change(b, e, target->canonical, std::string(kTableRule),
                            "Canonical spelling of the name " + target->canonical + "."));
  return best_k;
}

const NamesStage::Entry* NamesStage::fuzzy_candidate(std::string_view key, std::size_t k) {
  // Candidates share a one-letter deletion (or the whole key) with the span.
  const Entry* candidate = nullptr;
  bool ambiguous = false;
  auto consider = [&](std::string_view probe) {
    const std::uint32_t* list = by_deletion_.find(probe);
    if (!list) return;
    for (std::size_t idx : deletion_lists_[*list]) {
      const Entry& entry = entries_[idx];
      if (entry.tokens != k) continue;
      const std::string_view ckey = entry.key;
      if (ckey == key || !within_one(ckey, key) || ckey[0] != key[0]) continue;
      // A plural or possessive "s" is grammar, not a typo.
      if (ckey.size() + 1 == key.size() && key.back() == 's' && key.compare(0, ckey.size(), ckey) == 0) continue;
      if (candidate && candidate->canonical != entry.canonical) ambiguous = true;
      candidate = &entry;
    }
  };
  consider(key);
  std::string probe;
  for (std::size_t d = 0; d < key.size(); ++d) {
    if (static_cast<unsigned char>(key[d]) >= 0x80) continue;
    probe.assign(key);
    probe.erase(d, 1);
    consider(probe);
  }
  return ambiguous ? nullptr : candidate;
}

std::size_t NamesStage::match_fuzzy(std::string_view text, const Token* toks, const std::uint32_t* ids, std::size_t n,
                                    std::size_t i, std::vector<Edit>& out) {
  if (by_deletion_.empty()) return 0;
  std::size_t found_k = 0;
  std::size_t found_key_size = 0;
  const Entry* found = nullptr;
  // The span's key (its lower-case words joined) is only built in key_ when
  // asked for: most spans are known words or too short.
  std::size_t key_size = 0;
  std::size_t name_words = 0;  // words of the span in multi_name_words_
  bool unknown = false;
  for (std::size_t k = 1; k <= kFuzzyMaxTokens && i + k <= n; ++k) {
    const Token& t = toks[i + k - 1];
    if (k > 1 && t.sep_before == 0) break;
    if (t.blocked || !t.letters || (t.shape != Shape::kCapital && t.shape != Shape::kInner)) break;
    Word& word = words_[ids[i + k - 1]];
    Lower& lower = lowers_[word.lower];
    if (!known_form(word, word_of(text, t)) && !known_lower(lower)) unknown = true;
    key_size += lower.size;
    if (word.name_word) ++name_words;
    if (!unknown) continue;
    // The length bounds are the name's: a span one letter short of a long
    // name ("dropped letter") is tried, and the candidate checked below.
    if (key_size + 1 < (k == 1 ? kFuzzySingleLetters : kFuzzyMultiLetters)) continue;
    const Entry* candidate = nullptr;
    if (k == 1) {
      // The one-word answer depends on the word alone: asked once.
      if (lower.fuzzy == kUnset) {
        const Entry* c = fuzzy_candidate(lower_text(lower), 1);
        lower.fuzzy = c ? static_cast<std::int32_t>(c - entries_.data()) : -1;
      }
      if (lower.fuzzy >= 0) candidate = &entries_[static_cast<std::size_t>(lower.fuzzy)];
    } else {
      // A candidate needs all but one of the span's words (checked below),
      // so a span with fewer name words has none.
      if (name_words + 1 < k) continue;
      key_.clear();
      for (std::size_t j = i; j < i + k; ++j) key_ += lower_text(lowers_[words_[ids[j]].lower]);
      candidate = fuzzy_candidate(key_, k);
    }
    if (candidate && candidate->key.size() < (k == 1 ? kFuzzySingleLetters : kFuzzyMultiLetters)) candidate = nullptr;
    if (candidate) {
      // Several words: all but one must be the name's own words.
      if (k > 1) {
        std::size_t same = 0;
        std::size_t ci = 0;
        const std::string_view canon = candidate->canonical;
        for (std::size_t j = i; j < i + k; ++j) {
          while (ci < canon.size() && (canon[ci] == ' ' || canon[ci] == '-')) ++ci;
          std::size_t ce = ci;
          while (ce < canon.size() && canon[ce] != ' ' && canon[ce] != '-') ++ce;
          if (canon.substr(ci, ce - ci) == word_of(text, toks[j])) ++same;
          ci = ce;
        }
        if (same + 1 < k) continue;
      }
      found_k = k;
      found = candidate;
      found_key_size = key_size;
    }
  }
  if (!found) return 0;
  const std::size_t b = toks[i].begin;
  const std::size_t e = toks[i + found_k - 1].end;
  if (quoted(text, b, e)) return 0;
  // A dropped or doubled letter is a slip; another letter may be another name
  // ("Jenson", "Sachs"): flag those.
  if (found->key.size() == found_key_size) {
    out.push_back(make_flag(b, e, std::string(kTableRule), "Perhaps the name " + found->canonical + "."));
  } else {
    out.push_back(make_change(b, e, found->canonical, std::string(kTableRule),
                              "One letter off the name " + found->canonical + "."));
  }
  return found_k;
}

namespace {
bool capitalised_shape(const Token& t) { return t.shape == Shape::kCapital || t.shape == Shape::kInner; }
}  // namespace

// False when match_document() has nothing to do at `i` (most words): the
// same conditions as match_document's, checked first. Without batch
// evidence: rule 1 needs an inner-capital form of the word in the document;
// rules 2 and 3 a lower-case word mid-sentence, and rule 2 then a capitalised
// neighbour and a capitalised pair of the document holding the word (none:
// no pair is found), rule 3 capitalised uses of the word in the document and
// no common word, particle, stop word or calendar word of 3+ letters.
inline bool NamesStage::document_candidate(const Token* toks, const std::uint32_t* ids, std::size_t n, std::size_t i) {
  const Token& t = toks[i];
  if (t.blocked || !t.letters) return false;
  if (t.shape != Shape::kLower && t.shape != Shape::kCapital) return false;
  if (batch_) return true;
  Lower& l = lowers_[words_[ids[i]].lower];
  if (l.epoch != epoch_) return false;
  if (l.inner_word != kNone) return true;
  if (t.shape != Shape::kLower || t.initial) return false;
  if (l.paired && ((i + 1 < n && toks[i + 1].sep_before == ' ' && capitalised_shape(toks[i + 1])) ||
                   (i > 0 && t.sep_before == ' ' && capitalised_shape(toks[i - 1])))) {
    return true;
  }
  return (l.capitalised != 0 || l.initial != 0) && !l.particle && !l.stop && !l.calendar && t.end - t.begin >= 3 &&
         !known_lower(l);
}

void NamesStage::match_document(std::string_view text, const Token* toks, const std::uint32_t* ids, std::size_t n,
                                std::size_t i, std::vector<Edit>& out) {
  const Token& t = toks[i];
  if (t.blocked || !t.letters) return;
  if (t.shape != Shape::kLower && t.shape != Shape::kCapital) return;
  const std::string_view w = word_of(text, t);
  if (w.size() < 2) return;
  const std::uint32_t lower_id = words_[ids[i]].lower;
  Lower& lower_entry = lowers_[lower_id];
  const std::string_view lower = lower_text(lower_entry);
  const Lower* doc = evidence(lower_id);
  const NameEvidence::Forms* batch = batch_ ? batch_->word(lower) : nullptr;

  // 1. An inner-capital spelling ("DeepSeek") in the document or the batch.
  std::string_view inner;
  bool have_inner = false;
  bool inner_ambiguous = false;
  if (doc && doc->inner_word != kNone) {  // the document's own spelling first
    const auto [inner_begin, inner_end] = inner_spans_[doc->inner_span];
    inner = text.substr(inner_begin, inner_end - inner_begin);
    have_inner = true;
    inner_ambiguous = doc->inner_multi;
  } else if (batch) {
    for (const auto& [form, count] : batch->inner) {
      if (have_inner && inner != form) inner_ambiguous = true;
      inner = form;
      have_inner = true;
    }
  }
  if (have_inner) {
    if (quoted(text, t.begin, t.end)) return;
    const bool common = known_lower(lower_entry);
    if (inner_ambiguous) {
      if (!common) {
        out.push_back(make_flag(t.begin, t.end, std::string(kDocumentRule),
                                "The document spells this name with inner capitals in more than one way."));
      }
      return;
    }
    if (common) {
      // "Blackberry" beside "BlackBerry": the company or the fruit.
      if (t.shape == Shape::kCapital && !t.initial) {
        out.push_back(make_flag(t.begin, t.end, std::string(kDocumentRule),
                                "Perhaps the name " + std::string(inner) + ", as the document writes it elsewhere."));
      }
      return;
    }
    out.push_back(make_change(t.begin, t.end, std::string(inner), std::string(kDocumentRule),
                              "The document writes this name " + std::string(inner) + " elsewhere."));
    return;
  }
  if (t.shape != Shape::kLower || t.initial) return;  // sentence starts belong to the casing stage
  if (quoted(text, t.begin, t.end)) return;
  const bool particle = lower_entry.particle;
  const bool stop = lower_entry.stop;
  const bool common = known_lower(lower_entry);

  // 2. A capitalised pair ("Du Yijin") written with one word in lower case.
  auto try_pair = [&](std::size_t first) -> bool {
    const Token& a = toks[first];
    const Token& b = toks[first + 1];
    if (b.sep_before != ' ' || a.blocked || b.blocked || !a.letters || !b.letters) return false;
    const std::size_t other = first == i ? first + 1 : first;
    const Token& o = toks[other];
    if (o.shape != Shape::kCapital && o.shape != Shape::kInner) return false;
    // The document's pair first, then the batch's.
    std::string_view form;
    std::size_t count = 0;
    const std::uint32_t la = words_[ids[first]].lower;
    const std::uint32_t lb = words_[ids[first + 1]].lower;
    if (const PairSlot* s = pair_slot(std::uint64_t{la} << 32 | lb, false)) {
      if (s->mid_sentence == 0) return false;
      form = text.substr(s->begin, s->end - s->begin);
      count = s->count;
    } else {
      if (!batch_) return false;
      key_.assign(lower_text(lowers_[la]));
      key_.push_back(' ');
      key_ += lower_text(lowers_[lb]);
      const NameEvidence::PairForm* p = batch_->pair(key_);
      if (!p || p->mid_sentence == 0) return false;
      form = p->form;
      count = p->count;
    }
    const std::size_t space = form.find(' ');
    const std::string_view want = first == i ? form.substr(0, space) : form.substr(space + 1);
    const std::string_view keep = first == i ? form.substr(space + 1) : form.substr(0, space);
    if (keep != word_of(text, o) || want == w) return false;
    if (first == i) {
      // "Vincent van Gogh": a particle after a given name stays lower case.
      if (particle && i > 0 && toks[i].sep_before == ' ' && !toks[i - 1].initial &&
          (toks[i - 1].shape == Shape::kCapital || toks[i - 1].shape == Shape::kInner)) {
        return true;
      }
      if (stop) return true;
      if (common && count < 2) {
        out.push_back(
            make_flag(t.begin, t.end, std::string(kDocumentRule),
                      "Perhaps part of the name " + std::string(form) + ", as the document writes it elsewhere."));
        return true;
      }
    } else if (common || stop || particle) {
      out.push_back(
          make_flag(t.begin, t.end, std::string(kDocumentRule),
                    "Perhaps part of the name " + std::string(form) + ", as the document writes it elsewhere."));
      return true;
    }
    out.push_back(make_change(t.begin, t.end, std::string(want), std::string(kDocumentRule),
                              "The document writes the name " + std::string(form) + " elsewhere."));
    return true;
  };
  if (i + 1 < n && try_pair(i)) return;
  if (i > 0 && try_pair(i - 1)) return;

  // 3. A capitalised word used mid-sentence in prose at least as often as in lower case.
  if (common || particle || stop || w.size() < 3 || lower_entry.calendar) return;
  std::size_t capitalised = 0, lowered = 0, initial = 0;
  if (doc) {
    capitalised += doc->capitalised;
    lowered += doc->lowered;
    initial += doc->initial;
  }
  if (batch) {
    capitalised += batch->capitalised;
    lowered += batch->lower;
    initial += batch->initial;
  }
  if (capitalised == 0) {
    // "Catalina Sandino moreno" with "Moreno" only at a sentence start: the
    // lower-case word breaks a run of capitalised words mid-sentence.
    const bool in_name = i > 0 && t.sep_before == ' ' && toks[i - 1].shape == Shape::kCapital && !toks[i - 1].initial &&
                         !toks[i - 1].blocked;
    if (initial == 0 || !in_name || initial < lowered) return;
  } else if (capitalised < lowered) {
    return;
  }
  const std::string fixed = capitalize(w);
  out.push_back(make_change(t.begin, t.end, fixed, std::string(kDocumentRule),
                            "The document writes this name " + fixed + " elsewhere."));
}

}  // namespace copydesk

namespace copydesk {

namespace {

// The names stage's side of the batch pre-pass: NameEvidence over every document.
class NameCollector : public BatchCollector {
 public:
  void collect(std::string_view text) override {
    if (valid_utf8(text)) evidence_->collect(text);
  }
  std::shared_ptr<const BatchEvidence> finish() override { return std::move(evidence_); }

 private:
  std::shared_ptr<NameEvidence> evidence_ = std::make_shared<NameEvidence>();
};

}  // namespace

std::unique_ptr<BatchCollector> NamesStage::batch_collector() const { return std::make_unique<NameCollector>(); }

}  // namespace copydesk
