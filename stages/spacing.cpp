#include "stages/spacing.h"

#include <algorithm>
#include <array>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "pipeline/text.h"

namespace copydesk {

namespace {

// The "hyphen-space" word after '-' must be this long, so flags like "-v" stay.
constexpr std::size_t kMinHyphenWord = 3;
// How far back the scan looks for the word before " -": longer tokens are left alone.
constexpr std::size_t kMaxTokenLookBack = 64;
constexpr std::size_t kMaxMarkerDigits = 3;

// Attribution verbs that follow a closing quote in lower case: “...try.” he said.
constexpr std::array<std::string_view, 34> kAttributionVerbs = {
    "said",      "says",      "wrote",    "writes",   "added",     "adds",      "told",     "tells",    "asked",
    "asks",      "explained", "explains", "noted",    "notes",     "continued", "replied",  "stated",   "states",
    "insisted",  "argued",    "argues",   "claimed",  "claims",    "warned",    "warns",    "declared", "remarked",
    "commented", "posted",    "tweeted",  "recalled", "concluded", "admitted",  "responded"};
constexpr std::array<std::string_view, 5> kPronouns = {"he", "she", "they", "we", "it"};
constexpr std::array<std::string_view, 6> kReferenceHeadings = {"references", "notes",     "sources",
                                                                "footnotes",  "citations", "bibliography"};

constexpr std::string_view kOpenQuote = "\u201C";
constexpr std::string_view kCloseQuote = "\u201D";

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view word) {
  for (const auto item : list) {
    if (item == word) return true;
  }
  return false;
}

bool is_blank(char c) { return c == ' ' || c == '\t'; }

bool is_closing_mark(char32_t c) {
  return c == '"' || c == '\'' || c == ')' || c == ']' || c == U'\u201D' || c == U'\u2019';
}

bool is_quote_mark(char32_t c) {
  return c == '"' || c == '\'' || c == U'\u201D' || c == U'\u2019' || c == U'\u201C' || c == U'\u2018';
}

// Curly double quotes are E2 80 9C (“) and E2 80 9D (”).
bool curly_quote_at(std::string_view text, std::size_t i, std::size_t end) {
  return i + 2 < end && static_cast<unsigned char>(text[i]) == 0xE2 &&
         static_cast<unsigned char>(text[i + 1]) == 0x80 &&
         (static_cast<unsigned char>(text[i + 2]) == 0x9C || static_cast<unsigned char>(text[i + 2]) == 0x9D);
}

bool is_open_quote(std::string_view text, std::size_t i) { return static_cast<unsigned char>(text[i + 2]) == 0x9C; }

// Bytes at which scan_line dispatches to an on_* handler.
constexpr std::array<bool, 256> kScanTrigger = [] {
  std::array<bool, 256> t{};
  for (unsigned char c : {' ', ',', '[', '$'}) t[c] = true;
  t[0xE2] = t[0xC2] = true;
  return t;
}();

// The bytes after a single space that on_space looks at: another space, the
// punctuation it may pull left, a hyphen or a reference marker.
constexpr std::array<bool, 256> kAfterSpaceTrigger = [] {
  std::array<bool, 256> t{};
  for (unsigned char c : {' ', ',', ';', '.', '!', '?', ':', '-', '['}) t[c] = true;
  return t;
}();

// The first offset in [k, stop) where the scan loop must stop: a kScanTrigger
// byte other than a space, or a space followed by a kAfterSpaceTrigger byte.
// With SSE2, 16 bytes are tested per step; the plain loop below finishes the
// tail and is the whole search elsewhere. `end` (>= stop) bounds the look at
// the byte after a space, as in the plain loop.
std::size_t skip_plain(const unsigned char* data, std::size_t k, std::size_t stop, std::size_t end) {
#ifdef __SSE2__
  // A block is tested only when the byte after its last byte is in the line
  // too (k + 16 < stop <= end), so the shifted load never reads past the line.
  const __m128i space = _mm_set1_epi8(' ');
  const __m128i comma = _mm_set1_epi8(',');
  const __m128i bracket = _mm_set1_epi8('[');
  const __m128i dollar = _mm_set1_epi8('$');
  const __m128i lead_e2 = _mm_set1_epi8(static_cast<char>(0xE2));
  const __m128i lead_c2 = _mm_set1_epi8(static_cast<char>(0xC2));
  // kAfterSpaceTrigger: ' ' ',' '[' (shared with the above) and ; . ! ? : -
  const __m128i semicolon = _mm_set1_epi8(';');
  const __m128i period = _mm_set1_epi8('.');
  const __m128i bang = _mm_set1_epi8('!');
  const __m128i question = _mm_set1_epi8('?');
  const __m128i colon = _mm_set1_epi8(':');
  const __m128i hyphen = _mm_set1_epi8('-');
  while (k + 16 < stop) {
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + k));
    const __m128i n = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + k + 1));
    const __m128i other = _mm_or_si128(
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(b, comma), _mm_cmpeq_epi8(b, bracket)), _mm_cmpeq_epi8(b, dollar)),
        _mm_or_si128(_mm_cmpeq_epi8(b, lead_e2), _mm_cmpeq_epi8(b, lead_c2)));
    const __m128i next_trigger =
        _mm_or_si128(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(n, space), _mm_cmpeq_epi8(n, comma)),
                                  _mm_or_si128(_mm_cmpeq_epi8(n, bracket), _mm_cmpeq_epi8(n, semicolon))),
                     _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(n, period), _mm_cmpeq_epi8(n, bang)),
                                  _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(n, question), _mm_cmpeq_epi8(n, colon)),
                                               _mm_cmpeq_epi8(n, hyphen))));
    const __m128i hit = _mm_or_si128(other, _mm_and_si128(_mm_cmpeq_epi8(b, space), next_trigger));
    const int mask = _mm_movemask_epi8(hit);
    if (mask != 0) return k + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
    k += 16;
  }
#endif
  for (;;) {
    while (k < stop && !kScanTrigger[data[k]]) ++k;
    if (k < stop && data[k] == ' ' && k + 1 < end && !kAfterSpaceTrigger[data[k + 1]]) {
      ++k;
      continue;
    }
    return k;
  }
}

// Calls f(Span) for each line, as split_lines() would list them, without
// building the vector.
template <typename F>
void for_each_line(std::string_view text, F&& f) {
  std::size_t begin = 0;
  while (begin < text.size()) {
    const void* nl = std::memchr(text.data() + begin, '\n', text.size() - begin);
    const std::size_t end =
        nl == nullptr ? text.size() : static_cast<std::size_t>(static_cast<const char*>(nl) - text.data());
    f(Span{begin, end});
    begin = end + 1;
  }
}

// End of the run of letters starting at `i`.
std::size_t letters_end(std::string_view text, std::size_t i, std::size_t end) {
  std::size_t len = 0;
  while (i < end && is_letter(decode_at(text, i, &len))) i += len;
  return i;
}

// True when the comma at `comma` sits between two one-letter words: "N,N-dimethyl", "x,y".
bool single_letters_around(std::string_view text, std::size_t begin, std::size_t end, std::size_t comma) {
  const std::size_t before = prev_start(text, comma);
  if (before > begin && is_letter(decode_before(text, before))) return false;
  std::size_t len = 0;
  decode_at(text, comma + 1, &len);
  const std::size_t after = comma + 1 + len;
  return after >= end || !is_letter(decode_at(text, after));
}

bool is_currency(char32_t c) { return c == '$' || c == U'\u20AC' || c == U'\u00A3' || c == U'\u00A5'; }

// "[1]" or "[[12]]" at `i`: returns its end, or `i` if there is none.
std::size_t marker_end(std::string_view text, std::size_t i, std::size_t end) {
  std::size_t j = i;
  if (j >= end || text[j] != '[') return i;
  ++j;
  const bool twice = j < end && text[j] == '[';
  if (twice) ++j;
  const std::size_t digits = j;
  while (j < end && text[j] >= '0' && text[j] <= '9') ++j;
  if (j == digits || j - digits > kMaxMarkerDigits) return i;
  if (j >= end || text[j] != ']') return i;
  ++j;
  if (twice) {
    if (j >= end || text[j] != ']') return i;
    ++j;
  }
  return j;
}

// What may follow a marker: the end, a space, punctuation or another marker, never a word.
bool marker_may_end_at(std::string_view text, std::size_t j, std::size_t end) {
  if (j >= end) return true;
  const char32_t c = decode_at(text, j);
  return is_space(c) || c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == ')' || c == '[' ||
         is_quote_mark(c);
}

// True when the article keeps its own reference list, so the markers point somewhere.
bool has_reference_list(std::string_view text) {
  bool found = false;
  for_each_line(text, [&](const Span line) {
    if (found) return;
    std::size_t b = line.begin;
    std::size_t e = line.end;
    while (b < e && is_blank(text[b])) ++b;
    while (e > b && (is_blank(text[e - 1]) || text[e - 1] == '\r' || text[e - 1] == ':')) --e;
    if (b == e) return;
    if (text[b] == '^' || marker_end(text, b, e) != b) {
      found = true;
      return;
    }
    if (e - b > 16) return;
    if (contains(kReferenceHeadings, to_lower(text.substr(b, e - b)))) found = true;
  });
  return found;
}

}  // namespace

SpacingStage::SpacingStage(Resources& /*resources*/) {}

std::string_view SpacingStage::description() const {
  return "fixes spaces around commas, hyphens, currency signs, punctuation and quotes; drops stray reference markers";
}

std::vector<RuleInfo> SpacingStage::rules() const {
  return {
      {"comma-space", "adds the missing space after a comma between words; leaves numbers and URLs"},
      {"currency-space", "removes the space between a currency sign and its amount: \"$ 100\" -> \"$100\""},
      {"hyphen-space", "joins \"Chinese -educated\"; leaves spaced dashes, negative numbers and flags"},
      {"space-before-punct", "removes a space before , ; and a clause-ending . ! ? :; leaves \".NET\", \" ...\""},
      {"duplicate-comma", "collapses a doubled comma: \"control, , Then\" -> \"control, Then\""},
      {"space-run", "collapses runs of spaces and drops trailing spaces; leaves indentation and table rows"},
      {"quote-space",
       "adds the missing space after a closing ” or before an opening “ glued to a sentence end or a word"},
      {"quote-direction", "turns a “ that can only close the open quote into ” with the space after it"},
      {"reference-marker", "removes [1]-style markers when the article has no reference list"},
  };
}

void SpacingStage::propose(std::string_view text, std::vector<Edit>& out) {
  markers_removable_ = !has_reference_list(text);
  token_begin_ = token_end_ = 0;
  token_is_url_ = false;
  for_each_line(text, [&](const Span span) {
    Line line{span.begin, span.end, false};
    if (line.end > line.begin && text[line.end - 1] == '\r') --line.end;
    std::size_t first = line.begin;
    while (first < line.end && is_blank(text[first])) ++first;
    line.table = first < line.end && text[first] == '|';
    plan_quotes(text, line);
    plan_single_quotes(text, line);
    scan_line(text, line, out);
  });
}

void SpacingStage::plan_quotes(std::string_view text, const Line& line) {
  quotes_.clear();
  quote_edits_.clear();
  const char* data = text.data();
  for (std::size_t i = line.begin; i < line.end;) {
    const void* hit = std::memchr(data + i, 0xE2, line.end - i);
    if (hit == nullptr) break;
    i = static_cast<std::size_t>(static_cast<const char*>(hit) - data);
    if (curly_quote_at(text, i, line.end)) quotes_.push_back(i);
    ++i;
  }

  bool open = false;
  for (std::size_t k = 0; k < quotes_.size(); ++k) {
    const std::size_t q = quotes_[k];
    const std::size_t after = q + kOpenQuote.size();
    if (is_open_quote(text, q)) {
      if (!open) {
        open = true;
        const char32_t before = decode_before(text, q);
        if (q > line.begin && (before == '.' || before == ',' || before == '!' || before == '?') && after < line.end &&
            is_letter(decode_at(text, after))) {
          quote_edits_.push_back(
              make_change(q, q, " ", "quote-space", "An opening quote was glued to the sentence before it."));
        } else if (q > line.begin && is_letter(before) && after < line.end && is_letter(decode_at(text, after))) {
          // "the ship named“Hope”": an opening quote glued to the word before it.
          quote_edits_.push_back(
              make_change(q, q, " ", "quote-space", "An opening quote was glued to the word before it."));
        }
        continue;
      }
      // A second “ while one is open. When a later ” follows, it may be nesting: leave the line.
      if (k + 1 < quotes_.size() && !is_open_quote(text, quotes_[k + 1])) return;
      if (!fix_quote_direction(text, line, q)) return;
      open = false;
      continue;
    }
    if (!open) return;  // a ” with nothing to close: the pairing is unclear
    open = false;
    if (after < line.end) {
      const char32_t next = decode_at(text, after);
      if (is_letter(next) || is_digit(next)) {
        quote_edits_.push_back(
            make_change(after, after, " ", "quote-space", "A closing quote was glued to the next word."));
      }
    }
  }
}

void SpacingStage::plan_single_quotes(std::string_view text, const Line& line) {
  // An opening single quote glued to the word before it: "the poem‘Night
  // fall’ was". ‘ is no apostrophe in edited text, but a slip for one
  // (don‘t, rock‘n’roll) is: the quoted stretch must hold a space and close
  // with ’ before a space, punctuation or the line's end, and the word after
  // ‘ must be no contraction's ending; a single quoted word needs three
  // letters.
  constexpr std::string_view kOpenSingle = "\u2018";
  constexpr std::string_view kCloseSingle = "\u2019";
  const std::size_t before_count = quote_edits_.size();
  std::size_t from = line.begin;
  while (from < line.end) {
    const std::size_t q = text.substr(0, line.end).find(kOpenSingle, from);
    if (q == std::string_view::npos) break;
    from = q + kOpenSingle.size();
    if (q == line.begin || !is_letter(decode_before(text, q)) || from >= line.end) continue;
    std::size_t we = from;
    std::size_t len = 0;
    while (we < line.end && is_letter(decode_at(text, we, &len))) we += len;
    if (we == from) continue;
    const std::string_view first = text.substr(from, we - from);
    if (first == "s" || first == "t" || first == "d" || first == "m" || first == "ll" || first == "re" ||
        first == "ve" || first == "n")
      continue;
    const std::size_t close = text.substr(0, line.end).find(kCloseSingle, from);
    if (close == std::string_view::npos) continue;
    const std::string_view inner = text.substr(from, close - from);
    // One word alone needs three letters and a word of two before: "of‘hope’", not "o‘clock’".
    const bool one_word =
        close == we && first.size() >= 3 && q >= line.begin + 2 && is_letter(decode_before(text, prev_start(text, q)));
    if ((inner.find(' ') == std::string_view::npos && !one_word) || inner.find(kOpenSingle) != std::string_view::npos)
      continue;
    const std::size_t after = close + kCloseSingle.size();
    if (after < line.end) {
      const char32_t c = decode_at(text, after);
      if (is_letter(c) || is_digit(c)) continue;
    }
    quote_edits_.push_back(make_change(q, q, " ", "quote-space", "An opening quote was glued to the word before it."));
    from = after;
  }
  if (quote_edits_.size() > before_count)
    std::stable_sort(quote_edits_.begin(), quote_edits_.end(),
                     [](const Edit& a, const Edit& b) { return a.begin < b.begin; });
}

bool SpacingStage::fix_quote_direction(std::string_view text, const Line& line, std::size_t quote) {
  std::size_t start = quote;
  while (start > line.begin && text[start - 1] == ' ') --start;
  if (start == quote || start == line.begin) return false;
  const char32_t before = decode_before(text, start);
  if (before != '.' && before != '!' && before != '?' && before != ',') return false;

  const std::size_t after = quote + kOpenQuote.size();
  std::size_t rest = after;
  while (rest < line.end && text[rest] == ' ') ++rest;
  if (rest == line.end) {
    quote_edits_.push_back(make_change(start, after, std::string(kCloseQuote), "quote-direction",
                                       "The quote closing this paragraph pointed the wrong way."));
    return true;
  }
  if (rest != after || !is_letter(decode_at(text, after))) return false;

  std::string replacement(kCloseQuote);
  replacement += ' ';
  std::size_t end = after;
  const std::size_t word_end = letters_end(text, after, line.end);
  if (is_upper(decode_at(text, after))) {
    const std::string word = to_lower(text.substr(after, word_end - after));
    bool lower = contains(kAttributionVerbs, word);
    if (!lower && contains(kPronouns, word) && word_end < line.end && text[word_end] == ' ') {
      const std::size_t verb_end = letters_end(text, word_end + 1, line.end);
      lower = contains(kAttributionVerbs, text.substr(word_end + 1, verb_end - word_end - 1));
    }
    if (lower) {
      replacement += word;
      end = word_end;
    }
  }
  quote_edits_.push_back(make_change(start, end, std::move(replacement), "quote-direction",
                                     "A closing quote pointed the wrong way, with its space on the wrong side."));
  return true;
}

void SpacingStage::scan_line(std::string_view text, const Line& line, std::vector<Edit>& out) {
  std::size_t next_quote = 0;
  std::size_t i = line.begin;
  while (i < line.end) {
    while (next_quote < quote_edits_.size() && quote_edits_[next_quote].begin < i) ++next_quote;
    if (next_quote < quote_edits_.size() && quote_edits_[next_quote].begin == i) {
      const Edit& e = quote_edits_[next_quote++];
      out.push_back(e);
      if (e.end > i) {
        i = e.end;
        continue;
      }
    }
    const std::size_t limit = next_quote < quote_edits_.size() ? quote_edits_[next_quote].begin : line.end;
    // Fast path: most bytes start no construct; skip them up to the next
    // pending quote edit (which must be seen at its own offset). A single
    // space before an ordinary character (" word") can start no space rule
    // either: on_space would only step over it.
    {
      const auto* const data = reinterpret_cast<const unsigned char*>(text.data());
      const std::size_t k = skip_plain(data, i, std::min(limit, line.end), line.end);
      if (k > i) {
        i = k;
        continue;
      }
    }
    const char c = text[i];
    if (c == ' ') {
      i = on_space(text, line, i, limit, out);
    } else if (c == ',') {
      i = on_comma(text, line, i, limit, out);
    } else if (c == '[' && markers_removable_) {
      i = on_marker(text, line, i, limit, out);
    } else if (c == '$' || static_cast<unsigned char>(c) == 0xE2 || static_cast<unsigned char>(c) == 0xC2) {
      i = on_currency(text, line, i, limit, out);
    } else {
      ++i;
    }
  }
  // An insertion at the very end of the line (none today) would be left here.
  while (next_quote < quote_edits_.size()) {
    if (quote_edits_[next_quote].begin >= line.end) out.push_back(quote_edits_[next_quote]);
    ++next_quote;
  }
}

std::size_t SpacingStage::on_space(std::string_view text, const Line& line, std::size_t i, std::size_t limit,
                                   std::vector<Edit>& out) const {
  const std::size_t start = i;
  std::size_t end = i;
  while (end < line.end && text[end] == ' ') ++end;
  if (start == line.begin || end > limit) return end;  // indentation, or a quote edit's ground
  if (end == line.end) {
    if (line.table) return end;
    out.push_back(make_change(start, end, "", "space-run", "Trailing spaces at the end of a line."));
    // Spaces before a carriage return these spaces follow ("word \r "): once
    // these go, the carriage return ends the line and they trail it.
    if (text[start - 1] == '\r') {
      std::size_t b = start - 1;
      while (b > line.begin && text[b - 1] == ' ') --b;
      Edit gone = make_change(b, start - 1, "", "space-run", "Trailing spaces at the end of a line.");
      if (b == line.begin || b == start - 1) {
        // indentation of a blank line, or no space before the carriage return
      } else if (out.size() >= 2 && out[out.size() - 2].end > b) {  // "  " collapsed to one space already
        Edit& collapsed = out[out.size() - 2];
        if (collapsed.rule == "space-run" && collapsed.begin == b && collapsed.end == start - 1) collapsed = gone;
      } else {
        out.push_back(std::move(gone));
      }
    }
    return end;
  }
  const char32_t prev = decode_before(text, start);
  const char next = text[end];

  if (!line.table && (is_letter(prev) || is_digit(prev) || is_closing_mark(prev) || prev == '%')) {
    const std::size_t after = end + 1;
    const char32_t follow = after < line.end ? decode_at(text, after) : 0;
    const bool follow_blank = follow == 0 || is_space(follow);
    bool drop = false;
    if (next == ',' || next == ';') {
      if (follow_blank || is_closing_mark(follow) || follow == ',') {
        drop = true;
      } else if (next == ',' && is_letter(follow) && after <= limit) {
        out.push_back(make_change(start, after, ", ", "space-before-punct", "A comma stood apart from its word."));
        return after;
      }
    } else if (next == '.' || next == '!' || next == '?' || next == ':') {
      drop = follow_blank || is_quote_mark(follow);
      if (next == ':' && is_digit(prev)) drop = false;  // a score or ratio: "3 : 1"
      // "the ? key": a clause end is followed by a capital, not by a lower-case word.
      if (drop && next != ':' && follow != 0 && !is_quote_mark(follow)) {
        std::size_t k = after;
        while (k < line.end && text[k] == ' ') ++k;
        if (k < line.end && is_lower(decode_at(text, k))) drop = false;
      }
      if (drop && next == '.' && follow != 0 && after + 1 < line.end) {
        const char32_t far = decode_at(text, after + 1);
        if (far == '.' || (is_digit(prev) && is_digit(far))) drop = false;  // ". . ." and "2 . 0"
      }
    }
    if (drop) {
      out.push_back(make_change(start, end, "", "space-before-punct", "A space stood before punctuation."));
      return end;
    }

    // hyphen-space: "Chinese -educated"; a longer run of spaces too, as space-run
    // would leave one space that a second run would then join.
    if (next == '-' && is_letter(prev)) {
      const std::size_t word = end + 1;
      const std::size_t word_end = letters_end(text, word, line.end);
      std::size_t letters = 0;
      std::size_t len = 0;
      for (std::size_t k = word; k < word_end; k += len) {
        decode_at(text, k, &len);
        ++letters;
      }
      bool ok = letters >= kMinHyphenWord && is_lower(decode_at(text, word));
      // "-surprisingly-" is a dash aside, not a compound.
      if (ok && word_end < line.end && text[word_end] == '-' &&
          (word_end + 1 >= line.end || !is_letter(decode_at(text, word_end + 1)))) {
        ok = false;
      }
      // The word before must not itself be a flag ("-a -rec").
      if (ok) {
        std::size_t t = start;
        // The word, not the token: comma-space may split "-y,te" into "-y, te".
        while (t > line.begin && start - t <= kMaxTokenLookBack && !is_blank(text[t - 1]) && text[t - 1] != ',') --t;
        // A '-' this stage has just joined to the word before it ("a -sha -sha")
        // is no flag's: the output reads "a-sha -sha" and a second run would join it.
        const bool joined = !out.empty() && out.back().rule == "hyphen-space" && out.back().end == t;
        if (start - t > kMaxTokenLookBack || (text[t] == '-' && !joined)) ok = false;
      }
      if (ok) {
        out.push_back(make_change(start, end, "", "hyphen-space", "A space split a hyphenated word."));
        return end;
      }
    }
  }

  // reference-marker standing alone: "text [1] more" -> "text more".
  if (markers_removable_ && next == '[' && !is_space(prev)) {
    const std::size_t m = marker_end(text, end, line.end);
    if (m != end && m <= limit && marker_may_end_at(text, m, line.end)) {
      out.push_back(make_change(start, m, "", "reference-marker", "A reference marker pointed to no reference list."));
      return m;
    }
  }

  if (!line.table && end - start >= 2) {
    out.push_back(make_change(start, end, " ", "space-run", "Several spaces stood between two words."));
  }
  return end;
}

std::size_t SpacingStage::on_comma(std::string_view text, const Line& line, std::size_t i, std::size_t limit,
                                   std::vector<Edit>& out) {
  // The word before may stand a space away ("control , , Then"): space-before-punct takes that space.
  std::size_t w = i;
  while (w > line.begin && text[w - 1] == ' ') --w;
  const char32_t prev = decode_before(text, w);
  const bool word_before = w > line.begin && (is_letter(prev) || is_digit(prev) || is_closing_mark(prev));
  if (!word_before) return i + 1;

  // duplicate-comma: "control, , Then".
  std::size_t j = i + 1;
  while (j < line.end && text[j] == ' ') ++j;
  if (j < line.end && text[j] == ',') {
    // A longer run ("a,,,, b") collapses whole: a second run must find nothing left.
    std::size_t after = j + 1;
    for (std::size_t k = after;;) {
      while (k < line.end && text[k] == ' ') ++k;
      if (k >= line.end || text[k] != ',' || k + 1 > limit) break;
      after = k = k + 1;
    }
    const char32_t follow = after < line.end ? decode_at(text, after) : 0;
    if (!(is_digit(prev) && is_digit(follow)) && after <= limit) {
      out.push_back(make_change(i, after, is_letter(follow) ? ", " : ",", "duplicate-comma", "A comma was doubled."));
      return after;
    }
    return after;
  }

  // comma-space: "DeepSeek,a"; but "N,N-dimethyl" and "x,y" are single letters, not words.
  if (w == i && i + 1 < line.end && is_letter(decode_at(text, i + 1)) &&
      !single_letters_around(text, line.begin, line.end, i) && !in_url_token(text, line, i)) {
    out.push_back(make_change(i + 1, i + 1, " ", "comma-space", "A comma was not followed by a space."));
  }
  return i + 1;
}

std::size_t SpacingStage::on_currency(std::string_view text, const Line& line, std::size_t i, std::size_t limit,
                                      std::vector<Edit>& out) const {
  std::size_t len = 0;
  const char32_t c = decode_at(text, i, &len);
  if (!is_currency(c)) return i + len;
  const std::size_t start = i + len;
  std::size_t end = start;
  while (end < line.end && text[end] == ' ') ++end;
  if (end == start || end >= line.end || end > limit || !is_digit(decode_at(text, end))) return start;
  // "5 $ 3" is not an amount.
  std::size_t b = i;
  if (b > line.begin && text[b - 1] == ' ') --b;
  if (b > line.begin && is_digit(decode_before(text, b))) return start;
  out.push_back(make_change(start, end, "", "currency-space", "A space split a currency sign from its amount."));
  return end;
}

std::size_t SpacingStage::on_marker(std::string_view text, const Line& line, std::size_t i, std::size_t limit,
                                    std::vector<Edit>& out) const {
  if (i == line.begin) return i + 1;
  const char32_t prev = decode_before(text, i);
  // Glued after a word or punctuation; "x[1]" after a digit or bracket may be code.
  if (is_space(prev) || is_digit(prev) || prev == '[' || prev == '(') return i + 1;
  if (is_letter(prev)) {
    const std::size_t p = prev_start(text, i);
    if (p == line.begin || !is_letter(decode_before(text, p))) return i + 1;  // "x[1]": an index
  }
  const std::size_t m = marker_end(text, i, line.end);
  if (m == i || m > limit || !marker_may_end_at(text, m, line.end)) return i + 1;
  out.push_back(make_change(i, m, "", "reference-marker", "A reference marker pointed to no reference list."));
  return m;
}

bool SpacingStage::in_url_token(std::string_view text, const Line& line, std::size_t i) {
  if (i >= token_begin_ && i < token_end_) return token_is_url_;
  std::size_t b = i;
  while (b > line.begin && !is_blank(text[b - 1])) --b;
  std::size_t e = i;
  while (e < line.end && !is_blank(text[e])) ++e;
  const std::string_view token = text.substr(b, e - b);
  token_begin_ = b;
  token_end_ = e;
  token_is_url_ = token.find("://") != std::string_view::npos || token.find('@') != std::string_view::npos ||
                  token.find("www.") != std::string_view::npos;
  return token_is_url_;
}

}  // namespace copydesk
