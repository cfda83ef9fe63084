#include "stages/boilerplate.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <sstream>

#include <utf8proc.h>

#include "pipeline/error.h"
#include "pipeline/text.h"

namespace copydesk {

namespace {

constexpr std::string_view kFile = "boilerplate.txt";
constexpr std::string_view kKnownRule = "known-pattern";
constexpr std::string_view kFurnitureRule = "furniture";
constexpr std::string_view kCounterRule = "counter";
constexpr std::string_view kTimestampRule = "timestamp";
constexpr std::string_view kUnsureRule = "unsure";
constexpr std::string_view kActionRule = "call-to-action";

// A line ending with a colon introduces an article's own list from this many words.
constexpr std::size_t kMinIntroWords = 4;
// A likely furniture line between two removed ones goes up to this many words.
constexpr std::size_t kMaxBetweenWords = 6;
// The most lines (blank ones included) of a run of items between two removed
// furniture lines that the run rule removes.
constexpr std::size_t kMaxBetweenRun = 12;
// A flagged line in a run of furniture with removed lines goes up to this many
// words (a related story's headline).
constexpr std::size_t kMaxRunWords = 16;
// The distance feature of a line three non-blank lines above the first prose
// line (log2(1 + 3) / 4): further up than an article's headline, standfirst
// and byline.
constexpr float kFarAboveBody = 0.5f;
// A line this long without furniture wording extends the article body past its last
// paragraph, sentence ending or not: longer than any headline (see Line::headline).
constexpr std::size_t kSoftProseWords = 17;
// An article's headline above the body has this many words (see Line::headline).
constexpr std::size_t kMinHeadlineWords = 3;
constexpr std::size_t kMaxHeadlineWords = 16;
// A byline outside the body is removed up to this many words.
constexpr std::size_t kMaxBylineWords = 8;
// Longer lines are article text whatever words they contain.
constexpr std::size_t kMaxLineWords = 30;
// The general score only looks at short lines.
constexpr std::size_t kMaxFurnitureWords = 20;
// Up to this many words a line needs two signals; longer ones need three,
// unless they open with a call to action or a furniture label.
constexpr std::size_t kShortLineWords = 6;
// A prefix pattern without a closing ':' only takes lines this short.
constexpr std::size_t kMaxBarePrefixWords = 6;
// A strong phrase on a line this short is the whole line's meaning.
constexpr std::size_t kTinyLineWords = 4;

// Words that follow an imperative in a call to action ("Share this", "Sign up",
// "Click here", "Subscribe now") but rarely follow the same word used as a noun
// ("Share prices", "Click and collect").
constexpr std::array<std::string_view, 28> kContinuations = {
    "this", "these", "us",   "on",  "via", "with", "to",  "now",   "today", "here", "our",  "your", "my",   "up",
    "in",   "out",   "more", "for", "a",   "an",   "all", "below", "it",    "how",  "free", "me",   "what", "@"};

// Small words a menu or button line may contain besides interface words.
constexpr std::array<std::string_view, 18> kStopWords = {"the", "a",    "an",  "to", "of",  "on",  "in",  "this", "us",
                                                         "our", "your", "and", "or", "now", "all", "for", "with", "up"};

constexpr std::array<std::string_view, 7> kReaderWords = {"you",    "your",   "yours",   "you're",
                                                          "you'll", "you've", "yourself"};

// Reported speech marks article text.
constexpr std::array<std::string_view, 28> kReportingVerbs = {
    "said",      "says",      "told",      "tells",     "according",    "announced", "reported",
    "claimed",   "stated",    "insisted",  "warned",    "urged",        "argued",    "explained",
    "noted",     "wrote",     "added",     "confirmed", "denied",       "revealed",  "admitted",
    "suggested", "predicted", "estimated", "pleaded",   "acknowledged", "vowed",     "pledged"};

// Words that may follow a bare counter: "1.2K views", "35 comments".
constexpr std::array<std::string_view, 26> kCounterWords = {
    "view",    "views",    "like",  "likes", "share",    "shares",    "comment",   "comments", "reply",
    "replies", "read",     "reads", "vote",  "votes",    "follower",  "followers", "reaction", "reactions",
    "retweet", "retweets", "play",  "plays", "download", "downloads", "reader",    "readers"};

bool ascii_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

bool alnum(char32_t c) { return is_letter(c) || is_digit(c); }

// ASCII white space for is_space(): ascii_space() and '\n'.
constexpr std::array<bool, 128> kAsciiWhite = [] {
  std::array<bool, 128> t{};
  for (const char c : {' ', '\t', '\n', '\r', '\f', '\v'}) t[static_cast<std::size_t>(c)] = true;
  return t;
}();

// ASCII letters and digits: alnum() of an ASCII code point, read from a table
// indexed by any byte (a byte of a multi-byte character is none).
constexpr std::array<bool, 256> kAsciiAlnum = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 128; ++c) t[static_cast<std::size_t>(c)] = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = true;
  return t;
}();

// in_list() behind a filter: a word whose (first byte, length) no entry has
// is not in the list, so most words are turned away without a comparison.
template <std::size_t N>
class WordList {
 public:
  explicit constexpr WordList(const std::array<std::string_view, N>& list) : list_(list) {
    for (const std::string_view w : list) {
      if (!w.empty()) shapes_[static_cast<unsigned char>(w[0])] |= length_bit(w.size());
    }
  }
  bool contains(std::string_view w) const {
    if (w.empty() || (shapes_[static_cast<unsigned char>(w[0])] & length_bit(w.size())) == 0) return false;
    return in_list(list_, w);
  }

 private:
  static constexpr std::uint32_t length_bit(std::size_t n) { return 1u << (n < 31 ? n : 31); }
  const std::array<std::string_view, N>& list_;
  std::array<std::uint32_t, 256> shapes_{};
};

bool ascii_digit(char c) { return c >= '0' && c <= '9'; }

// `s` without leading and trailing white space (ASCII or Unicode).
std::string_view trim_space(std::string_view s) {
  std::size_t b = 0;
  while (b < s.size()) {
    std::size_t n = 1;
    if (!ascii_space(s[b]) && !(static_cast<unsigned char>(s[b]) >= 0x80 && is_space(decode_at(s, b, &n)))) break;
    b += n;
  }
  std::size_t e = s.size();
  while (e > b) {
    if (const auto a = static_cast<unsigned char>(s[e - 1]); a < 0x80) {
      // An ASCII byte is a character of its own: is_space() of it, read from a table.
      if (!kAsciiWhite[a]) break;
      --e;
      continue;
    }
    const std::size_t p = prev_start(s, e);
    if (!is_space(decode_at(s, p))) break;
    e = p;
  }
  return s.substr(b, e - b);
}

// `s` without the non-letter, non-digit characters at both ends.
std::string_view trim_to_alnum(std::string_view s) {
  std::size_t b = 0;
  while (b < s.size()) {
    std::size_t n = 0;
    if (alnum(decode_at(s, b, &n))) break;
    b += n;
  }
  std::size_t e = s.size();
  while (e > b) {
    const std::size_t p = prev_start(s, e);
    if (alnum(decode_at(s, p))) break;
    e = p;
  }
  return s.substr(b, e - b);
}

// The number of words in `s`, counting no further than `cap` + 1 so that a
// 50 MB paragraph costs almost nothing.
std::size_t count_words_capped(std::string_view s, std::size_t cap) {
  constexpr std::uint64_t k01 = kEveryByte;
  constexpr std::uint64_t k7F = 0x7F * k01;
  constexpr std::uint64_t k80 = kHighBits;
  std::size_t words = 0;
  bool in_word = false;
  for (std::size_t i = 0; i < s.size();) {
    if (i + 8 <= s.size()) {
      // Eight ASCII bytes at a time (a line is mostly ASCII): the high bit of
      // each byte of `space` / `starts` says whether that byte is white
      // space / starts a word. Bytes are below 0x80, so no sum carries into
      // the next byte.
      const std::uint64_t x = load_le64(s.data() + i);
      if ((x & k80) == 0) {
        auto equal = [x](std::uint64_t b) {
          const std::uint64_t t = x ^ (b * k01);
          return ~(((t & k7F) + k7F) | t) & k80;  // 0x80 where the byte is b
        };
        const std::uint64_t from_tab = (x + (0x80 - '\t') * k01) & k80;  // byte >= '\t'
        const std::uint64_t to_cr = ~(x + (0x7F - '\r') * k01) & k80;    // byte <= '\r'
        // ascii_space(): ' ', '\t', '\v', '\f', '\r' but not '\n'.
        const std::uint64_t space = equal(' ') | (from_tab & to_cr & ~equal('\n'));
        const std::uint64_t starts = ~space & k80 & ((space << 8) | (in_word ? 0 : 0x80));
        // One 0x80 bit per starting byte: moved to bit 0 of each byte, the
        // multiply sums the (at most 8) bytes into the top byte. Cheaper than
        // std::popcount, a library call without a POPCNT target.
        words += static_cast<std::size_t>(((starts >> 7) * k01) >> 56);
        if (words > cap) return cap + 1;
        in_word = (space >> 56) == 0;
        i += 8;
        continue;
      }
    }
    std::size_t n = 1;
    const auto c = static_cast<unsigned char>(s[i]);
    const bool space = c < 0x80 ? ascii_space(s[i]) : is_space(decode_at(s, i, &n));
    if (!space && !in_word && ++words > cap) return words;
    in_word = !space;
    i += n;
  }
  return words;
}

constexpr WordList kReportingVerbList(kReportingVerbs);
constexpr WordList kReaderWordList(kReaderWords);
constexpr WordList kContinuationList(kContinuations);
constexpr WordList kStopWordList(kStopWords);

constexpr std::array<std::string_view, 12> kMonthWords = {"jan", "feb", "mar",  "apr", "jun", "jul",
                                                          "aug", "sep", "sept", "oct", "nov", "dec"};
constexpr std::array<std::string_view, 12> kMonthNames = {"january",   "february", "march",    "april",
                                                          "may",       "june",     "july",     "august",
                                                          "september", "october",  "november", "december"};
constexpr std::array<std::string_view, 7> kWeekdays = {"monday", "tuesday",  "wednesday", "thursday",
                                                       "friday", "saturday", "sunday"};
constexpr WordList kMonthWordList(kMonthWords);
constexpr WordList kMonthNameList(kMonthNames);
constexpr WordList kWeekdayList(kWeekdays);

bool is_year(std::string_view digits) {
  return digits.size() == 4 && (digits.substr(0, 2) == "19" || digits.substr(0, 2) == "20");
}

// A page timestamp: "Updated 14:32 GMT, 12 February 2005", "Published 3 hours
// ago", "Last updated on 2 May". A short line that opens with the label and
// carries a time, a month, a year or "ago"; "Published accounts show losses"
// and "Updated forecasts cut growth to 2%" have none.
bool is_timestamp(std::string_view line) {
  constexpr std::size_t kMaxWords = 8;
  {
    // Only a line opening with one of the labels can be one: look at its first
    // word before splitting the line into strings.
    std::size_t b = 0;
    while (b < line.size() && ascii_space(line[b])) ++b;
    std::size_t e = b;
    while (e < line.size() && !ascii_space(line[e])) ++e;
    const std::string_view first = line.substr(b, e - b);
    auto is = [first](std::string_view label) {
      if (first.size() != label.size()) return false;
      for (std::size_t i = 0; i < label.size(); ++i) {
        const char c = first[i];
        if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != label[i]) return false;
      }
      return true;
    };
    if (!is("last") && !is("first") && !is("updated") && !is("published") && !is("posted") && !is("updated:") &&
        !is("published:") && !is("posted:"))
      return false;
  }
  std::vector<std::string> words;
  std::string word;
  for (std::size_t i = 0; i <= line.size(); ++i) {
    if (i == line.size() || ascii_space(line[i])) {
      if (!word.empty() && word.back() == ':') word.pop_back();  // "Last Updated: ..."
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
      if (words.size() > kMaxWords) return false;
    } else {
      const char c = line[i];
      word.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    }
  }
  if (words.size() < 2) return false;
  std::size_t first = 1;
  if ((words[0] == "last" && words[1] == "updated") || (words[0] == "first" && words[1] == "published")) {
    first = 2;
  } else if (words[0] != "updated" && words[0] != "published" && words[0] != "posted") {
    return false;
  }
  if (first < words.size() && (words[first] == "by" || words[first] == "in")) return false;  // bylines, "Posted in"
  // A time ("14:32"), a month, a year or "ago": a figure alone ("2%") is not enough.
  static constexpr std::string_view kMonths[] = {"january", "february", "march",     "april",   "may",      "june",
                                                 "july",    "august",   "september", "october", "november", "december"};
  for (std::size_t w = first; w < words.size(); ++w) {
    std::string_view t = words[w];
    while (!t.empty() && (t.back() == ',' || t.back() == '.')) t.remove_suffix(1);
    if (t == "ago" || is_year(t)) return true;
    if (std::find(std::begin(kMonths), std::end(kMonths), t) != std::end(kMonths)) return true;
    const auto colon = t.find(':');
    if (colon != std::string_view::npos && colon > 0 && colon + 1 < t.size() && ascii_digit(t[colon - 1]) &&
        ascii_digit(t[colon + 1]))
      return true;
  }
  return false;
}

// A bare counter: "420", "1,024", "1.2K", "1.2K views", "35 Comments".
// A lone year is left alone: it can be a timeline heading.
bool is_counter(std::string_view line) {
  std::size_t i = 0;
  std::size_t digits = 0;
  bool separator = false;
  while (i < line.size() && (ascii_digit(line[i]) || line[i] == ',' || line[i] == '.')) {
    if (ascii_digit(line[i])) {
      ++digits;
    } else {
      if (i == 0 || i + 1 >= line.size() || !ascii_digit(line[i + 1])) return false;
      separator = true;
    }
    ++i;
  }
  if (digits == 0) return false;
  const std::string_view number = line.substr(0, i);
  bool suffix = false;
  if (i < line.size() && std::string_view("kKmMbB").find(line[i]) != std::string_view::npos &&
      (i + 1 == line.size() || ascii_space(line[i + 1]))) {
    suffix = true;
    ++i;
  }
  while (i < line.size() && ascii_space(line[i])) ++i;
  const std::string_view rest = line.substr(i);
  if (rest.empty()) return suffix || separator || !is_year(number);
  std::string word;
  for (char c : rest) word.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  return in_list(kCounterWords, word);
}

// The words of plain ASCII text as tokenize() splits them (runs of letters
// and digits with inner apostrophes and hyphens; '@' alone), each hashed
// from its bytes lower-cased (byte | 0x20: the digits, the apostrophe and the
// hyphen have that bit already): f(hash) in order. For the filters of
// walk_line(); `stop(c)` is called on every byte outside a word and
// ends the walk (false) when it returns true.
constexpr std::uint64_t token_hash_end(std::uint64_t h) { return h * 0x9E3779B97F4A7C15ull; }

template <typename Stop, typename F>
bool for_each_ascii_token(std::string_view s, Stop&& stop, F&& f) {
  for (std::size_t i = 0; i < s.size();) {
    const char c = s[i];
    if (c == '@') {
      f(token_hash_end('@'));
      ++i;
      continue;
    }
    if (!kAsciiAlnum[static_cast<unsigned char>(c)]) {
      if (stop(c)) return false;
      ++i;
      continue;
    }
    std::uint64_t h = 0;
    std::size_t j = i;
    for (;;) {
      const auto b = static_cast<unsigned char>(s[j]);
      h = std::rotl(h, 7) ^ (b | 0x20u);
      ++j;
      if (j == s.size()) break;
      if (kAsciiAlnum[static_cast<unsigned char>(s[j])]) continue;
      if ((s[j] == '\'' || s[j] == '-') && j + 1 < s.size() && kAsciiAlnum[static_cast<unsigned char>(s[j + 1])])
        continue;
      break;
    }
    f(token_hash_end(h));
    i = j;
  }
  return true;
}

// What walk_line() does with a byte between words: white space (ascii_space())
// separates words; a non-ASCII byte, a colon or a separator ends the walk; '('
// may open "(c)"; a question mark may ask the reader.
enum class Gap : std::uint8_t { kOther, kSpace, kStop, kParen, kQuestion };
constexpr std::array<Gap, 256> kGapByte = [] {
  std::array<Gap, 256> t{};
  for (const char c : {' ', '\t', '\r', '\f', '\v'}) t[static_cast<unsigned char>(c)] = Gap::kSpace;
  for (int c = 0x80; c < 0x100; ++c) t[static_cast<std::size_t>(c)] = Gap::kStop;
  for (const char c : {':', '>', '|'}) t[static_cast<unsigned char>(c)] = Gap::kStop;
  t['('] = Gap::kParen;
  t['?'] = Gap::kQuestion;
  return t;
}();

// Bit 7 of each byte is set where that byte of x is an ASCII letter or digit.
std::uint64_t ascii_alnum_bytes(std::uint64_t x) {
  const std::uint64_t low = x & 0x7F * kEveryByte;
  const std::uint64_t digit =
      (low + (0x80 - '0') * kEveryByte) & ~(low + (0x80 - '9' - 1) * kEveryByte) & ~x & kHighBits;
  return ascii_letter_bytes(x) | digit;
}

// The hash of for_each_ascii_token() (h = rotl(h, 7) ^ (byte | 0x20), byte
// by byte) of the first `n` bytes of x (ASCII letters and digits, the rest
// of x zero; `keep` masks the `n` bytes), started from h = 0: byte k of n lands, 7 bits wide, at bit
// 7 * (n - 1 - k), so the bytes are packed 7 bits apart in reverse order.
std::uint64_t ascii_run_hash(std::uint64_t x, std::size_t n, std::uint64_t keep) {
  std::uint64_t y = __builtin_bswap64(x | (0x20 * kEveryByte & keep));
  y = (y & 0x00FF00FF00FF00FFull) | ((y & 0xFF00FF00FF00FF00ull) >> 1);
  y = (y & 0x0000FFFF0000FFFFull) | ((y & 0xFFFF0000FFFF0000ull) >> 2);
  y = (y & 0x00000000FFFFFFFFull) | ((y & 0xFFFFFFFF00000000ull) >> 4);
  return y >> (7 * (8 - n));
}

// The filters of walk_line(): bit sets of 2^16 bits, two bits a hash
// (of a word, or of two words in a row: pair_hash()), so that a line of
// ordinary prose rarely meets an entry by chance. Both bits of a hash lie in
// the same 64-bit word, so a look-up reads memory once.
constexpr std::size_t kFilterBits = std::size_t{1} << 16;
std::uint64_t filter_mask(std::uint64_t h) {
  return (std::uint64_t{1} << ((h >> 20) & 63)) | (std::uint64_t{1} << ((h >> 26) & 63));
}
std::size_t filter_word(std::uint64_t h) { return static_cast<std::size_t>((h >> 40) & (kFilterBits / 64 - 1)); }
void filter_set(std::vector<std::uint64_t>& bits, std::uint64_t h) { bits[filter_word(h)] |= filter_mask(h); }
bool filter_has(const std::vector<std::uint64_t>& bits, std::uint64_t h) {
  const std::uint64_t m = filter_mask(h);
  return (bits[filter_word(h)] & m) == m;
}
std::uint64_t pair_hash(std::uint64_t first, std::uint64_t second) {
  return token_hash_end(first ^ std::rotl(second, 23));
}
// The word "copyright" (a copyright notice), hashed as a word of the filters.
const std::uint64_t kCopyrightHash = [] {
  std::uint64_t h = 0;
  for_each_ascii_token(
      "copyright", [](char) { return false; }, [&](std::uint64_t t) { h = t; });
  return h;
}();

// The leading run of ASCII letters and digits of `s`.
std::string_view ascii_alnum_run(std::string_view s) {
  std::size_t e = 0;
  while (e < s.size() && static_cast<unsigned char>(s[e]) < 0x80 && kAsciiAlnum[static_cast<unsigned char>(s[e])]) ++e;
  return s.substr(0, e);
}

std::string padded(std::string_view s) {
  std::string out = " ";
  out.append(s);
  out.push_back(' ');
  return out;
}

}  // namespace

BoilerplateStage::BoilerplateStage(Resources& resources) {
  for (const auto& entry : resources.dictionary(std::string(kFile))) {
    std::string_view text = entry.text;
    std::string_view kind = "exact";
    // "kind: value" when the word before the first ':' is a known kind.
    if (const auto colon = text.find(':'); colon != std::string_view::npos) {
      const std::string_view head = text.substr(0, colon);
      static constexpr std::array<std::string_view, 10> kKinds = {"exact", "prefix", "term", "social",  "strong",
                                                                  "self",  "verb",   "ui",   "consent", "consent-with"};
      if (in_list(kKinds, head)) {
        kind = head;
        text = trim_space(text.substr(colon + 1));
      }
    }
    normalize(text);
    if (norm_.empty()) {
      throw Error(resources.paths().dictionaries + "/" + std::string(kFile) + ":" + std::to_string(entry.line) +
                  ": empty " + std::string(kind) + " entry (format: KIND: TEXT, see the file's header)");
    }
    auto set_bit = [](std::vector<std::uint64_t>& bits, std::uint64_t h) { filter_set(bits, h); };
    auto word_hash = [](std::string_view w) {
      std::uint64_t h = 0;
      for_each_ascii_token(
          w, [](char) { return false; }, [&](std::uint64_t t) { h = t; });
      return h;
    };
    if (kind == "exact") {
      exact_.insert(trim_to_alnum(norm_));
      // A plain ASCII line equal to the entry has the same words: its first
      // two (a line of one word is never ordinary prose).
      std::array<std::uint64_t, 2> first{};
      std::size_t words = 0;
      for_each_ascii_token(
          trim_to_alnum(norm_), [](char) { return false; },
          [&](std::uint64_t h) {
            if (words < 2) first[words] = h;
            ++words;
          });
      if (words >= 2) set_bit(line_pairs_, pair_hash(first[0], first[1]));
      if (words == 1) set_bit(line_words_, first[0]);
    } else if (kind == "prefix") {
      const bool label = !alnum(decode_before(norm_, norm_.size()));
      // A line starting with the prefix has its first run of letters and
      // digits for first word, or a longer one when the prefix is only that.
      // A prefix with a colon needs a colon in the line: ordinary prose has none.
      const std::string_view run = ascii_alnum_run(norm_);
      if (run.size() == norm_.size()) {
        bare_prefixes_.emplace_back(run);
      } else if (norm_.find(':') == std::string::npos) {
        set_bit(label ? label_starts_ : bare_starts_, word_hash(run));
      }
      prefixes_by_byte_[static_cast<unsigned char>(norm_[0])].push_back(static_cast<std::uint32_t>(prefixes_.size()));
      prefixes_.push_back({norm_, label});
    } else {
      // Vocabulary is matched on words, so store it the way words_ spells a line.
      tokenize();
      const std::string phrase = words_.size() >= 2 ? words_.substr(1, words_.size() - 2) : std::string();
      // A menu is made of interface words, verbs, one-word terms and small
      // words only (is_furniture()).
      auto menu_word = [&] {
        for_each_ascii_token(
            phrase, [](char) { return false; }, [&](std::uint64_t h) { set_bit(menu_words_, h); });
      };
      if (kind == "verb") {
        verbs_.insert(phrase);
        menu_word();
      } else if (kind == "ui") {
        ui_.insert(phrase);
        menu_word();
      } else if (kind == "consent") {
        consent_.insert(phrase);
      } else if (kind == "consent-with") {
        consent_with_.insert(phrase);
      } else {
        auto& list = kind == "term" ? terms_ : kind == "social" ? social_ : kind == "strong" ? strong_ : self_;
        list.push_back(padded(phrase));
        if ((kind == "term" || kind == "social") && phrase.find(' ') == std::string::npos) {
          single_terms_.insert(phrase);
          menu_word();
        }
      }
    }
  }
  for (const std::string_view w : kStopWords) {
    for_each_ascii_token(
        w, [](char) { return false; }, [&](std::uint64_t h) { filter_set(menu_words_, h); });
  }
  index_phrases();
  load_model(resources);
}

const std::vector<std::string>& BoilerplateStage::phrase_list(PhraseList list) const {
  switch (list) {
    case kTerms:
      return terms_;
    case kSocial:
      return social_;
    case kStrong:
      return strong_;
    default:
      return self_;
  }
}

void BoilerplateStage::index_phrases() {
  std::uint32_t id = 0;
  for (int l = 0; l < kPhraseLists; ++l) {
    const auto list = static_cast<PhraseList>(l);
    const auto& phrases = phrase_list(list);
    for (std::size_t i = 0; i < phrases.size(); ++i, ++id) {
      // " first rest " -> "first"; an empty phrase ("  ") never matches words_.
      const std::string_view p = phrases[i];
      const std::size_t space = p.find(' ', 1);
      if (space <= 1) continue;
      phrases_by_first_word_.insert(p.substr(1, space - 1), {})
          .first->push_back({list, static_cast<std::uint32_t>(i), id});
      // A phrase is found only where all its words are words of the line,
      // in a row: the filters of walk_line() hold the one word of a
      // phrase of one, and two words in a row of a longer one (the longest
      // two, "the comments" of "in the comments": the rarest in prose, mostly).
      std::uint64_t previous = 0, pair = 0, second = 0;
      std::size_t words = 0, previous_size = 0, pair_size = 0;
      for (std::size_t w = 1; w < p.size();) {
        const std::size_t e = p.find(' ', w);
        if (e == std::string_view::npos) break;
        std::uint64_t h = 0;
        for (const char c : p.substr(w, e - w)) {
          const auto b = static_cast<unsigned char>(c);
          h = std::rotl(h, 7) ^ (b | 0x20u);
        }
        h = token_hash_end(h);
        if (words == 0) {
          pair = h;  // a phrase of one word
        } else if (previous_size + (e - w) >= pair_size) {
          pair = pair_hash(previous, h);
          second = h;
          pair_size = previous_size + (e - w);
        }
        previous = h;
        previous_size = e - w;
        ++words;
        w = e + 1;
      }
      if (words > 0) filter_set(words == 1 ? phrase_words_ : phrase_pairs_, pair);
      if (words > 1) filter_set(pair_seconds_, second);
    }
  }
  phrase_seen_.assign(id, 0);
}

// Every match of a padded phrase in words_ starts at the space before a token
// that equals the phrase's first word, so looking up each token in order finds
// the same first occurrences as words_.find(phrase) would.
void BoilerplateStage::find_phrases() {
  hits_.clear();
  if (++line_stamp_ == 0) {  // wrapped: forget old stamps
    std::fill(phrase_seen_.begin(), phrase_seen_.end(), 0);
    line_stamp_ = 1;
  }
  const std::string_view all = words_;
  for (std::size_t t = 0; t < tokens_.size(); ++t) {
    const std::vector<PhraseRef>* refs = phrases_by_first_word_.find(token(t));
    if (refs == nullptr) continue;
    const std::size_t at = tokens_[t].pos - 1;
    for (const PhraseRef& ref : *refs) {
      if (phrase_seen_[ref.id] == line_stamp_) continue;
      const std::string& p = phrase_list(ref.list)[ref.index];
      if (all.compare(at, p.size(), p) != 0) continue;
      phrase_seen_[ref.id] = line_stamp_;
      hits_.push_back({ref.list, ref.index, at});
    }
  }
}

// A phrase of `list` found ending within the first `within` bytes of words_.
bool BoilerplateStage::any_hit(PhraseList list, std::size_t within) const {
  for (const PhraseHit& h : hits_) {
    if (h.list == list && h.at + phrase_list(list)[h.index].size() <= within) return true;
  }
  return false;
}

std::string_view BoilerplateStage::description() const {
  return "Removes whole lines that are site furniture (ads, share and comment prompts, navigation, cookie "
         "notices, tags, counters), not article text.";
}

std::vector<RuleInfo> BoilerplateStage::rules() const {
  return {
      {kKnownRule,
       "removes a line that is, or starts like, a known furniture line of dictionaries/boilerplate.txt "
       "(\"Advertisement\", \"Leave a Reply\", \"Read more: ...\", \"Tags: ...\")"},
      {kFurnitureRule,
       "removes a short line that two or more independent signals mark as furniture (call to action, furniture "
       "words, reader address, breadcrumb, menu words); never a line with quotes, reporting verbs or figures"},
      {kCounterRule, "removes a line that is only a number with an optional K/M and views/likes/shares; a year stays"},
      {kTimestampRule,
       "removes a short \"Updated 14:32 GMT\" / \"Published 3 hours ago\" line; needs a time, date or \"ago\""},
      {kActionRule,
       "removes a paragraph of questions to the reader ending in an invitation to comment or share, and cuts such "
       "a call off the end of a paragraph or the start of a heading it is glued to"},
      {kUnsureRule, "flags (changes nothing) a line the model finds likely but not clearly furniture"},
  };
}

// Fills norm_: lower-cased, runs of white space as one space, no space before
// ':', curly quotes and apostrophes straightened, trimmed.
void BoilerplateStage::normalize(std::string_view line) {
  // Lower-cases code point by code point as it goes (as to_lower would, with
  // no intermediate string): ASCII directly, the rest with utf8proc. Written
  // into norm_ sized for the worst case and cut to length at the end: a byte
  // of input gives at most three bytes (an invalid byte becomes U+FFFD; a
  // pending space is paid for by the white space before it).
  const std::string_view trimmed = trim_space(line);
  norm_.resize(3 * trimmed.size());
  char* const out = norm_.data();
  std::size_t size = 0;
  bool pending_space = false;
  for (std::size_t i = 0; i < trimmed.size();) {
    if (auto a = static_cast<unsigned char>(trimmed[i]); a < 0x80) {
      // ASCII: none of the quote mappings below apply, so a run of ASCII
      // bytes other than white space is copied and lower-cased in one go.
      if (kAsciiWhite[a]) {
        pending_space = true;
        ++i;
        continue;
      }
      if (pending_space && a != ':' && size > 0) out[size++] = ' ';
      pending_space = false;
      do {
        out[size++] = static_cast<char>(a >= 'A' && a <= 'Z' ? a - 'A' + 'a' : a);
        if (++i == trimmed.size()) break;
        a = static_cast<unsigned char>(trimmed[i]);
      } while (a < 0x80 && !kAsciiWhite[a]);
      continue;
    }
    std::size_t n = 0;
    char32_t c = decode_at(trimmed, i, &n);
    i += n;
    if (c < 0x80) {
      if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
    } else {
      c = static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(c)));
    }
    if (is_space(c)) {
      pending_space = true;
      continue;
    }
    if (c == U'\u2019' || c == U'\u2018' || c == U'\u02BC' || c == U'\u2032') c = '\'';
    if (c == U'\u201C' || c == U'\u201D' || c == U'\u201E') c = '"';
    if (pending_space && c != ':' && size > 0) out[size++] = ' ';
    pending_space = false;
    if (c < 0x80) {
      out[size++] = static_cast<char>(c);
    } else {
      // As append_utf8() encodes it.
      size += static_cast<std::size_t>(
          utf8proc_encode_char(static_cast<utf8proc_int32_t>(c), reinterpret_cast<utf8proc_uint8_t*>(out + size)));
    }
  }
  norm_.resize(size);
}

// Fills words_ and tokens_ from norm_: words are runs of letters and digits,
// with inner apostrophes and hyphens ("don't", "e-mail"); '@' is kept as a word
// so that "Follow @name" reads as a call to action.
void BoilerplateStage::tokenize() {
  tokenized_ = true;
  words_.assign(1, ' ');
  tokens_.clear();
  bool sentence_start = true;
  std::size_t i = 0;
  while (i < norm_.size()) {
    if (const auto a = static_cast<unsigned char>(norm_[i]); a < 0x80 && !kAsciiAlnum[a] && a != '@') {
      if (a == '.' || a == '!' || a == '?') sentence_start = true;
      ++i;
      continue;
    }
    std::size_t n = 0;
    const char32_t c = decode_at(norm_, i, &n);
    if (!alnum(c) && c != '@') {
      if (c == '.' || c == '!' || c == '?') sentence_start = true;
      i += n;
      continue;
    }
    const std::size_t pos = words_.size();
    const std::size_t src = i;
    if (c == '@') {
      words_.push_back('@');
      i += n;
    } else {
      while (i < norm_.size()) {
        if (const auto a = static_cast<unsigned char>(norm_[i]); a < 0x80 && kAsciiAlnum[a]) {
          // A run of ASCII letters and digits in one append.
          std::size_t j = i + 1;
          while (j < norm_.size() && static_cast<unsigned char>(norm_[j]) < 0x80 &&
                 kAsciiAlnum[static_cast<unsigned char>(norm_[j])])
            ++j;
          words_.append(norm_, i, j - i);
          i = j;
          continue;
        }
        std::size_t m = 0;
        const char32_t d = decode_at(norm_, i, &m);
        if (alnum(d)) {
          words_.append(norm_, i, m);
          i += m;
          continue;
        }
        if ((d == '\'' || d == '-') && i + m < norm_.size() && alnum(decode_at(norm_, i + m))) {
          words_.push_back(static_cast<char>(d));
          i += m;
          continue;
        }
        break;
      }
    }
    tokens_.push_back({pos, words_.size() - pos, src, sentence_start});
    words_.push_back(' ');
    sentence_start = false;
  }
}

bool BoilerplateStage::matches_prefix(std::size_t words) {
  // Decorations before the label ("» Read more: ...") do not count.
  std::size_t b = 0;
  while (b < norm_.size()) {
    std::size_t n = 0;
    if (alnum(decode_at(norm_, b, &n))) break;
    b += n;
  }
  const std::string_view line = std::string_view(norm_).substr(b);
  if (line.empty()) return false;  // no prefix is empty
  // Only the prefixes starting with the line's first byte can match; which
  // one matches does not matter (the checks below are pure).
  for (const std::uint32_t k : prefixes_by_byte_[static_cast<unsigned char>(line[0])]) {
    const Prefix& p = prefixes_[k];
    if (line.size() < p.text.size() || line.compare(0, p.text.size(), p.text) != 0) continue;
    if (p.label) return true;
    if (line.size() > p.text.size() && alnum(decode_at(line, p.text.size()))) continue;  // mid-word
    // A prefix without a colon ("Posted in") must not catch a sentence.
    if (words <= kMaxBarePrefixWords && line.find_first_of(".?!") == std::string_view::npos && !vetoed(line, words)) {
      return true;
    }
  }
  return false;
}

// True when the line carries article content: quoted speech, a reporting verb,
// money or a percentage, or (on a line of some length) a figure that is not a year.
bool BoilerplateStage::vetoed(std::string_view line, std::size_t words) const {
  // A breadcrumb uses » as a separator, so only a « marks a quotation.
  if (norm_.find('"') != std::string::npos || norm_.find("\u00AB") != std::string::npos) return true;
  bool dated = false;  // a month or weekday: its day numbers and clock times are a date, not content
  for (std::size_t t = 0; t < tokens_.size(); ++t) {
    const std::string_view w = token(t);
    if (kReportingVerbList.contains(w)) return true;
    dated = dated || kMonthNameList.contains(w) || kMonthWordList.contains(w) || kWeekdayList.contains(w);
  }
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (!ascii_digit(line[i])) continue;
    std::size_t j = i;
    while (j < line.size() && (ascii_digit(line[j]) || line[j] == ',' || line[j] == '.')) ++j;
    const std::string_view run = line.substr(i, j - i);
    std::size_t k = j;
    while (k < line.size() && line[k] == ' ') ++k;
    if (k < line.size() && line[k] == '%') return true;
    if (i > 0) {
      const char32_t before = decode_before(line, i);
      if (before == '$' || before == U'\u00A3' || before == U'\u20AC' || before == U'\u00A5') return true;
    }
    const bool date_part = dated && (run.size() <= 2 || (j < line.size() && line[j] == ':'));
    if (words > kShortLineWords && !is_year(run) && !date_part) return true;
    i = j;
  }
  return false;
}

// Home » News » World; Sport › Football. 2 for a clear breadcrumb, 1 for a weak one.
int BoilerplateStage::breadcrumb_signal() const {
  if (norm_.find("\u00AB") != std::string::npos) return 0;  // French quotes, not a trail
  // No separator character, no separator: most lines end here.
  // (The last bytes of "\u00BB" and "\u203A" are 0xBB and 0xBA.)
  if (std::none_of(norm_.begin(), norm_.end(), [](char c) {
        const auto b = static_cast<unsigned char>(c);
        return b == '>' || b == '|' || b == 0xBB || b == 0xBA;
      }))
    return 0;
  std::size_t separators = 0;
  std::size_t segment_words = 0;
  std::size_t segment_start = 0;
  bool first_is_home = false;
  bool pipe_only = true;
  auto close_segment = [&](std::size_t end) {
    const std::string_view seg = trim_space(std::string_view(norm_).substr(segment_start, end - segment_start));
    if (separators == 0 && seg == "home") first_is_home = true;
    return !seg.empty() && seg.find_first_of(".?!") == std::string_view::npos && segment_words <= 4;
  };
  bool in_word = false;
  for (std::size_t i = 0; i < norm_.size();) {
    std::size_t n = 0;
    const char32_t c = decode_at(norm_, i, &n);
    const bool sep =
        c == U'\u00BB' || c == U'\u203A' ||
        ((c == '>' || c == '|') && i > 0 && norm_[i - 1] == ' ' && i + 1 < norm_.size() && norm_[i + 1] == ' ');
    if (sep) {
      if (!close_segment(i)) return 0;
      if (c != '|') pipe_only = false;
      ++separators;
      segment_words = 0;
      segment_start = i + n;
      in_word = false;
    } else if (c == ' ') {
      in_word = false;
    } else if (!in_word) {
      in_word = true;
      ++segment_words;
    }
    i += n;
  }
  if (separators == 0 || !close_segment(norm_.size())) return 0;
  if (first_is_home) return 2;
  if (pipe_only) return separators >= 2 ? 1 : 0;
  return separators >= 2 ? 2 : 1;
}

// "Tags: a, b", "Related: ...", "Like this:": a label of 1-3 words that is
// itself furniture, before a colon. 2 when it is, else 0.
int BoilerplateStage::label_signal() const {
  const std::size_t colon = norm_.find(':');
  if (colon == std::string::npos || colon == 0) return 0;
  // A time or a ratio ("10:30") is not a label.
  if (colon + 1 < norm_.size() && ascii_digit(norm_[colon + 1]) && ascii_digit(norm_[colon - 1])) return 0;
  std::size_t label_tokens = 0;
  while (label_tokens < tokens_.size() && tokens_[label_tokens].src < colon) ++label_tokens;
  if (label_tokens == 0 || label_tokens > 3) return 0;
  const std::size_t words_end = tokens_[label_tokens - 1].pos + tokens_[label_tokens - 1].len;
  const std::string_view label_words = std::string_view(words_).substr(0, words_end + 1);
  if (any_hit(kTerms, label_words.size()) || any_hit(kStrong, label_words.size())) return 2;
  // Or a button label: "Share:", "Like this:", "Email:". Navigation words
  // ("Next:", "More:") introduce teasers that may be article text.
  bool any_ui = false;
  for (std::size_t t = 0; t < label_tokens; ++t) {
    const std::string_view w = token(t);
    const bool ui = is_word_in(ui_, w);
    const bool verb = is_word_in(verbs_, w);
    if (ui && (verb || is_word_in(single_terms_, w))) {
      any_ui = true;
    } else if (!ui && !verb && !kStopWordList.contains(w)) {
      return 0;
    }
  }
  return any_ui ? 2 : 0;
}

bool BoilerplateStage::is_furniture(std::string_view line, std::size_t words) {
  const std::string_view all = words_;
  signals_ = {};
  signals_.vetoed = vetoed(line, words) ? 1 : 0;
  // Article content (quotes, reported speech, figures) without a colon has
  // no label (label_signal() needs one): no phrase need be looked up.
  if (signals_.vetoed && norm_.find(':') == std::string::npos) return false;
  find_phrases();
  const int label = label_signal();
  if (label == 0 && signals_.vetoed) return false;
  if (label != 0 && words > 18) return false;

  // A: the reader addressed.
  int reader = 0;
  for (std::size_t t = 0; t < tokens_.size() && reader == 0; ++t) {
    if (kReaderWordList.contains(token(t))) reader = 1;
  }

  // C: a sentence opening with an imperative call to action.
  int action = 0;
  std::string_view action_verb;
  for (std::size_t t = 0; t < tokens_.size() && action == 0; ++t) {
    if (!tokens_[t].sentence_start) continue;
    // "Don't miss out!", "Never miss a story", "Don't forget to subscribe".
    if ((token(t) == "don't" || token(t) == "never") && t + 1 < tokens_.size() &&
        (token(t + 1) == "miss" || token(t + 1) == "forget")) {
      action = 1;
      continue;
    }
    if (!is_word_in(verbs_, token(t))) continue;
    if (t + 1 == tokens_.size()) {
      action = 1;
    } else {
      const std::string_view next = token(t + 1);
      if (kContinuationList.contains(next) || is_word_in(single_terms_, next) || is_word_in(ui_, next)) action = 1;
    }
    if (action) action_verb = token(t);
  }

  // S: unmistakable furniture phrases; on a tiny line one is the whole message.
  // The words they cover are not counted again as vocabulary.
  std::size_t strong_hits = 0;
  covered_.assign(all.size(), false);
  for (const PhraseHit& h : hits_) {
    if (h.list != kStrong) continue;
    ++strong_hits;
    const std::size_t at = h.at;
    std::fill(covered_.begin() + static_cast<std::ptrdiff_t>(at),
              covered_.begin() + static_cast<std::ptrdiff_t>(at + strong_[h.index].size()), true);
  }
  int strong = static_cast<int>(std::min<std::size_t>(strong_hits, 2));
  if (strong > 0 && words <= kTinyLineWords) strong = 2;
  // F: the page naming itself.
  const int self = any_hit(kSelf, all.size()) ? 1 : 0;
  // K: a cookie or consent notice, whatever its wording, counts as one strong
  // phrase: on a longer line it still needs the reader addressed ("your
  // browser") or the page naming itself, so an article's "we asked readers
  // whether they accept cookies on websites" stays.
  if (strong == 0 && consent_notice(self != 0)) strong = 1;

  // B: furniture vocabulary, not counting the imperative itself ("Subscribe")
  // nor the words of a strong phrase ("Sponsored content rules tightened").
  std::size_t term_hits = 0;
  for (const PhraseHit& h : hits_) {
    if ((h.list == kTerms || h.list == kSocial) && !covered_[h.at + 1]) ++term_hits;
  }
  if (action && is_word_in(single_terms_, action_verb) && term_hits > 0) --term_hits;
  const int vocab = term_hits > 0 ? 1 : 0;
  // "© 2024 Example Media", "Copyright 2004-2024": a copyright notice. A bare ©
  // counts as a strong phrase.
  int copyright = 0;
  const bool copyright_mark = norm_.find("\u00A9") != std::string::npos || norm_.find("(c) ") != std::string::npos;
  if (copyright_mark || all.find(" copyright ") != std::string_view::npos) {
    bool year = false;
    for (std::size_t t = 0; t < tokens_.size() && !year; ++t) year = is_year(token(t));
    if (year) {
      copyright = 2;
    } else if (copyright_mark) {
      strong = std::min(2, strong + 1);
    }
  }

  // D: a breadcrumb trail.
  const int crumbs = breadcrumb_signal();

  // G: a short line made only of interface words ("Next Post", "Related", "Cookie settings").
  int menu = 0;
  if (!tokens_.empty() && tokens_.size() <= kTinyLineWords) {
    bool any_ui = false;
    bool only_furniture = true;
    for (std::size_t t = 0; t < tokens_.size() && only_furniture; ++t) {
      const std::string_view w = token(t);
      if (is_word_in(ui_, w)) {
        any_ui = true;
      } else if (!is_word_in(single_terms_, w) && !is_word_in(verbs_, w) && !kStopWordList.contains(w)) {
        only_furniture = false;
      }
    }
    if (only_furniture && any_ui) menu = 2;
  }

  signals_ = {vocab, strong, copyright, self, crumbs, label, menu, reader, action, 0};
  const int core = vocab + strong + copyright + self + crumbs + label + menu;
  if (core == 0) return false;
  const int score = core + reader + action;
  // A clear breadcrumb trail is furniture by its shape whatever its length
  // ("Home › Culture › Film and TV": the separators count as words).
  const int needed = (words <= kShortLineWords || action || label || crumbs == 2) ? 2 : 3;
  // Addressing the reader is common in headlines ("Why your pension is at risk"):
  // it may only complete the score next to an unmistakable phrase.
  if (score - reader >= needed) return true;
  return strong > 0 && score >= needed;
}

bool BoilerplateStage::consent_notice(bool self) const {
  // The site speaking: a self phrase ("this website") or the first person plural.
  static constexpr std::array<std::string_view, 6> kSiteVoice = {"we", "our", "us", "we're", "we'll", "we've"};
  bool subject = false, with = false, voice = self;
  for (std::size_t t = 0; t < tokens_.size(); ++t) {
    const std::string_view w = token(t);
    subject = subject || is_word_in(consent_, w);
    with = with || is_word_in(consent_with_, w);
    voice = voice || in_list(kSiteVoice, w);
  }
  return subject && with && voice;
}

BoilerplateStage::Verdict BoilerplateStage::classify(std::string_view raw) {
  signals_ = {};
  tokenized_ = false;
  const std::string_view line = trim_space(raw);
  if (line.empty() || line.front() == '|') return Verdict::kKeep;
  const std::size_t words = count_words_capped(line, kMaxLineWords);
  if (words > kMaxLineWords) return Verdict::kKeep;
  if (is_counter(line)) return Verdict::kCounter;
  if (is_timestamp(line)) return Verdict::kTimestamp;

  normalize(line);
  if (exact_.contains(trim_to_alnum(norm_))) return Verdict::kKnown;
  // The words of a longer line are not needed: matches_prefix() only looks
  // at them (in vetoed()) on a line of at most kMaxBarePrefixWords words.
  static_assert(kMaxBarePrefixWords <= kMaxFurnitureWords);
  if (words <= kMaxFurnitureWords) tokenize();
  if (matches_prefix(words)) return Verdict::kKnown;
  if (words > kMaxFurnitureWords) return Verdict::kKeep;
  return is_furniture(line, words) ? Verdict::kFurniture : Verdict::kKeep;
}

// ---------------------------------------------------------------------------
// The model: one probability per line from general evidence.

namespace {

constexpr std::string_view kModelFile = "boilerplate_model.txt";

// Lines longer than this are never scored by the model (a call to action inside
// prose is handled apart).
constexpr std::size_t kMaxActionWords = 70;
// A question of at most this many words just before an invitation belongs to
// the call ("Agree?", "Right decision?").
constexpr std::size_t kMaxTailQuestionWords = 6;
// A prose line: at least this many words and a sentence ending.
constexpr std::size_t kProseWords = 12;
// With batch evidence: a line in at least this many documents, and in at least
// this share of them, is strong furniture evidence...
constexpr std::size_t kRecurringDocuments = 5;
constexpr double kRecurringShare = 0.02;
// ...for a line of at most this many words that the model already leans on.
constexpr std::size_t kRecurringWords = 12;
constexpr double kRecurringFloor = 0.3;

// Feature ids, in the model file's order.
enum Feature : std::uint8_t {
  fBias,
  fKnown,
  fCounter,
  fTimestamp,
  fRule,
  fVocab,
  fStrong,
  fCopyright,
  fSelf,
  fCrumbs,
  fLabel,
  fMenu,
  fReader,
  fAction,
  fVetoed,
  fLength,
  fOneWord,
  fShort,
  fLong,
  fEndSentence,
  fEndColon,
  fTitleCase,
  fAllCaps,
  fDigits,
  fSymbols,
  fByline,
  fCredit,
  fDate,
  fReadingTime,
  fImperative,
  fUiShare,
  fQuestion,
  fInvitation,
  fOverlap,
  fNoContent,
  fBefore,
  fAfter,
  fRun,
  fNeighbours,
  fHeading,
  fListMarker,
  fLink,
  fHeadlineRun,
  fClosingSentence,
  fShortRun,
  fDistance,
  fCount
};

constexpr std::array<std::string_view, fCount> kFeatureNames = {
    "bias",         "known",        "counter",      "timestamp",
    "rule",         "vocabulary",   "strong",       "copyright",
    "self",         "breadcrumb",   "label",        "menu",
    "reader",       "action",       "vetoed",       "length",
    "one_word",     "short",        "long",         "end_sentence",
    "end_colon",    "title_case",   "all_caps",     "digits",
    "symbols",      "byline",       "credit",       "date",
    "reading_time", "imperative",   "ui_share",     "question",
    "invitation",   "body_overlap", "no_content",   "before_body",
    "after_body",   "run",          "neighbours",   "heading",
    "list_marker",  "link",         "headline_run", "closing_sentence",
    "short_run",    "distance"};

// What each feature says in a reason, when it pushed the line towards furniture.
constexpr std::array<std::string_view, fCount> kFeatureReasons = {"",
                                                                  "a known furniture line (boilerplate.txt)",
                                                                  "a bare counter",
                                                                  "a page timestamp",
                                                                  "furniture wording",
                                                                  "interface vocabulary",
                                                                  "a furniture phrase",
                                                                  "a copyright notice",
                                                                  "the page naming itself",
                                                                  "a breadcrumb trail",
                                                                  "a furniture label",
                                                                  "only menu words",
                                                                  "addresses the reader",
                                                                  "an imperative call to action",
                                                                  "",
                                                                  "",
                                                                  "a single word",
                                                                  "a few words",
                                                                  "",
                                                                  "",
                                                                  "ends with a colon",
                                                                  "every word capitalised",
                                                                  "all capitals",
                                                                  "mostly digits",
                                                                  "separator symbols",
                                                                  "a byline",
                                                                  "a photo or agency credit",
                                                                  "a date",
                                                                  "a reading time",
                                                                  "opens with an imperative",
                                                                  "mostly interface words",
                                                                  "a question",
                                                                  "an invitation to comment or share",
                                                                  "",
                                                                  "no content word of the article",
                                                                  "before the article body",
                                                                  "after the article body",
                                                                  "in a run of short lines",
                                                                  "furniture-like neighbours",
                                                                  "",
                                                                  "",
                                                                  "a link",
                                                                  "one of a list of headlines",
                                                                  "",
                                                                  "in a run of one- to three-word lines",
                                                                  "far above the article body"};

// Words of a photo credit line: "Photo: Jane Roe/Agency", "Image source, Agency".
constexpr std::array<std::string_view, 12> kCreditWords = {"photo",        "photos",  "photograph", "image",
                                                           "images",       "picture", "pictures",   "credit",
                                                           "illustration", "caption", "courtesy",   "video"};
// News and picture agencies, named in bylines, datelines and credits
// ("Associated Press", "By Jane Roe, Reuters", "Photo: AFP").
constexpr std::array<std::string_view, 16> kAgencies = {"reuters", "ap",    "afp",   "xinhua",   "upi",  "dpa",
                                                        "efe",     "ansa",  "kyodo", "yonhap",   "tass", "ians",
                                                        "pti",     "getty", "epa",   "bloomberg"};
// Nouns a reader is invited to share or leave; verbs that invite.
constexpr std::array<std::string_view, 14> kInviteObjects = {
    "thoughts", "views", "opinion",  "opinions",     "insights",   "comment", "comments",
    "know",     "reply", "feedback", "conversation", "discussion", "take",    "experiences"};
constexpr std::array<std::string_view, 12> kInviteVerbs = {"share", "tell", "leave", "drop",  "post",  "let",
                                                           "join",  "add",  "send",  "weigh", "sound", "write"};
// Function words that are not content words of a line.
constexpr std::array<std::string_view, 40> kFunctionWords = {
    "this",  "that",   "with",  "from",  "have",  "will",  "were", "been", "their", "they",
    "what",  "when",   "which", "about", "would", "there", "more", "also", "into",  "than",
    "your",  "them",   "said",  "after", "over",  "some",  "only", "just", "most",  "other",
    "could", "should", "these", "those", "where", "while", "very", "such", "does",  "here"};

// Staff roles in a credit line.
constexpr std::array<std::string_view, 14> kRoleWords = {
    "editor",      "editors",    "reporter",   "reporting",    "writer",   "author", "correspondent",
    "contributor", "translator", "translated", "photographer", "producer", "edited", "written"};
constexpr WordList kRoleWordList(kRoleWords);
constexpr WordList kCreditWordList(kCreditWords);
constexpr WordList kAgencyList(kAgencies);
// Words of a clock time besides its figures: "6:40 p.m. ET", "09:14 BST", "at 10:02".
constexpr std::array<std::string_view, 18> kClockWords = {
    "am", "pm", "a", "p", "m", "at", "gmt", "utc", "bst", "cet", "cest", "est", "edt", "pst", "pdt", "et", "pt", "ist"};
constexpr WordList kClockWordList(kClockWords);
constexpr WordList kInviteObjectList(kInviteObjects);
constexpr WordList kInviteVerbList(kInviteVerbs);
constexpr WordList kFunctionWordList(kFunctionWords);

constexpr std::size_t kBodyBits = std::size_t{1} << 15;
// Bits of a paragraph's word signature (for the heading feature).
constexpr std::size_t kSigBits = 1024;
// Mixes a word's rotate-xor hash so that every bit depends on every letter.
constexpr std::uint64_t kWordMix = 0x9E3779B97F4A7C15ull;

bool ascii_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool ascii_lower(char c) { return c >= 'a' && c <= 'z'; }

// Per byte: the byte lower-cased when it is part of a word (an ASCII letter or
// any byte of a non-ASCII character), else 0.
constexpr std::array<unsigned char, 256> kLetterFold = [] {
  std::array<unsigned char, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] = static_cast<unsigned char>(c);
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<std::size_t>(c)] = static_cast<unsigned char>(c + 32);
  for (int c = 0x80; c < 256; ++c) t[static_cast<std::size_t>(c)] = static_cast<unsigned char>(c);
  return t;
}();

// Calls f(hash, length, word) for every word of `s` of at least 4 letters
// (runs of kLetterFold bytes), the hash taken over the lower-cased bytes.
// `word` (lower-cased) is only filled for words of at most 8 bytes, enough to
// tell a function word; it is empty for longer ones. No allocation.
template <typename F>
void for_each_word4(std::string_view s, F&& f) {
  std::uint64_t h = 0;
  std::size_t len = 0;
  char small[8];
  for (std::size_t i = 0; i <= s.size(); ++i) {
    const unsigned char folded = i < s.size() ? kLetterFold[static_cast<unsigned char>(s[i])] : 0;
    if (folded != 0) {
      h = std::rotl(h, 5) ^ folded;
      if (len < sizeof small) small[len] = static_cast<char>(folded);
      ++len;
      continue;
    }
    // Mixed once per word, so that every bit depends on every letter.
    if (len >= 4) f((h * kWordMix) >> 16, len, len <= sizeof small ? std::string_view(small, len) : std::string_view());
    h = 0;
    len = 0;
  }
}

// The hashes of the content words of `s`: words of at least 4 letters that are
// not function words.
template <typename F>
void for_each_content_word(std::string_view s, F&& f) {
  for_each_word4(s, [&](std::uint64_t h, std::size_t, std::string_view w) {
    if (w.empty() || !kFunctionWordList.contains(w)) f(h);
  });
}

class RecurringLineCollector : public BatchCollector {
 public:
  void collect(std::string_view text) override { lines_->add_document(text); }
  std::shared_ptr<const BatchEvidence> finish() override { return std::move(lines_); }

 private:
  std::shared_ptr<RecurringLines> lines_ = std::make_shared<RecurringLines>();
};

// The words a call to action is made of (call_to_action()), hashed as the
// words of the filters: the reader's ("you", "your", ...) and "us"; an
// inviting verb and "what" (of "what do you think"). With a table by their
// top bits (kCallWordSlots), which turns most other words away at once.
enum class CallWord : std::uint8_t { kNone, kReader, kInvite };
struct CallWordHash {
  std::uint64_t hash;
  CallWord kind;
};
const std::array<CallWordHash, kReaderWords.size() + kInviteVerbs.size() + 2> kCallWords = [] {
  std::array<CallWordHash, kReaderWords.size() + kInviteVerbs.size() + 2> out{};
  std::size_t n = 0;
  auto add = [&](std::string_view w, CallWord kind) {
    for_each_ascii_token(
        w, [](char) { return false; },
        [&](std::uint64_t t) {
          out[n] = {t, kind};
        });
    ++n;
  };
  for (const std::string_view w : kReaderWords) add(w, CallWord::kReader);
  add("us", CallWord::kReader);
  for (const std::string_view w : kInviteVerbs) add(w, CallWord::kInvite);
  add("what", CallWord::kInvite);
  return out;
}();
// By the top 12 bits of a hash: 1 + the index of the one word in kCallWords
// with those bits, 0 for none, 0xFF for more than one.
const std::array<std::uint8_t, 4096> kCallWordSlots = [] {
  std::array<std::uint8_t, 4096> slots{};
  for (std::size_t i = 0; i < kCallWords.size(); ++i) {
    std::uint8_t& slot = slots[kCallWords[i].hash >> 52];
    slot = slot == 0 ? static_cast<std::uint8_t>(i + 1) : 0xFF;
  }
  return slots;
}();
CallWord call_word(std::uint64_t h) {
  const std::uint8_t slot = kCallWordSlots[h >> 52];
  if (slot == 0) return CallWord::kNone;
  if (slot != 0xFF) return kCallWords[slot - 1].hash == h ? kCallWords[slot - 1].kind : CallWord::kNone;
  for (const CallWordHash& w : kCallWords) {
    if (w.hash == h) return w.kind;
  }
  return CallWord::kNone;
}

// Whether the '>' at `at` closes an angle-bracketed name: a '<' before it on
// the line, neither bracket facing a space ("<ACME>", "<Acme Holdings Inc>"),
// and no other bracket between them. A breadcrumb's "News > World" and an
// arrow ("->", ">>") are not brackets.
bool closes_angle_bracket(std::string_view text, std::size_t at) {
  if (at == 0 || ascii_space(text[at - 1]) || text[at - 1] == '<' || text[at - 1] == '-' || text[at - 1] == '>')
    return false;
  for (std::size_t j = at - 1; j-- > 0;) {
    if (text[j] == '>') return false;
    if (text[j] == '<') return j + 1 < at && !ascii_space(text[j + 1]);
  }
  return false;
}

}  // namespace

const std::vector<std::string_view>& BoilerplateStage::feature_names() {
  static const std::vector<std::string_view> names(kFeatureNames.begin(), kFeatureNames.end());
  return names;
}

std::unique_ptr<BatchCollector> BoilerplateStage::batch_collector() const {
  return std::make_unique<RecurringLineCollector>();
}

void BoilerplateStage::use_batch_evidence(std::shared_ptr<const BatchEvidence> evidence) {
  batch_ = std::move(evidence);
}

void BoilerplateStage::load_model(Resources& resources) {
  static_assert(kFeatures == fCount);
  std::array<bool, fCount> seen{};
  const std::string file = resources.paths().dictionaries + "/" + std::string(kModelFile);
  for (const auto& entry : resources.dictionary(std::string(kModelFile))) {
    std::istringstream in(entry.text);
    std::string kind, name;
    double value = 0;
    in >> kind >> name >> value;
    if (!in)
      throw Error(file + ":" + std::to_string(entry.line) +
                  ": expected \"weight NAME VALUE\" or \"threshold remove|flag VALUE\"");
    if (kind == "threshold" && (name == "remove" || name == "flag")) {
      (name == "remove" ? remove_at_ : flag_at_) = value;
      continue;
    }
    const auto it = std::find(kFeatureNames.begin(), kFeatureNames.end(), name);
    if (kind != "weight" || it == kFeatureNames.end()) {
      throw Error(file + ":" + std::to_string(entry.line) + ": unknown entry \"" + entry.text + "\"");
    }
    const auto f = static_cast<std::size_t>(it - kFeatureNames.begin());
    weights_[f] = value;
    seen[f] = true;
  }
  for (std::size_t f = 0; f < fCount; ++f) {
    if (!seen[f]) throw Error(file + ": no weight for feature \"" + std::string(kFeatureNames[f]) + "\"");
  }
}

// For plain ASCII, normalize() only lower-cases and collapses white space
// (the colon, whose space it drops, is excluded here), and tokenize() splits
// the same words as for_each_ascii_token(). So: no counter or timestamp; no
// known line (a line equal to one has its words, hence its first two, or
// its one); no prefix (a prefix with
// a colon needs one; the others fix the line's first word, which neither
// filter entry nor bare prefix matches; a prefix without closing
// punctuation never takes a line of over six words); and no furniture
// signal, hence no is_furniture(): no phrase of the lists (each needs its
// first two words in a row, or its one word), no copyright mark or word, no
// label (needs a colon), no breadcrumb (needs '>' or '|'), no menu (at
// most four words, each an interface word, verb, one-word term or small
// word). A hash collision only sends a line through the
// full rules.
//
// The same walk counts the line's words (as count_words_capped(line,
// kMaxActionWords) does) and looks for what a call to action needs.
// call_to_action() finds one only in a sentence that asks the reader (a
// word of the reader and a question mark), invites (a word of the reader
// or "us" and an inviting verb, or "what do you think") or promotes the
// site (a phrase of the lists, which ends the walk). Its sentences are
// runs of the line's words, except where it splits a word glued to the
// next sentence at a capital. So a walk to the end that saw no capital
// inside a word, and not a word of the reader or "us" with a question mark,
// an inviting verb or "what", shows the line holds no call ("quiet"); a
// hash collision only sends the line to call_to_action().
BoilerplateStage::LineWalk BoilerplateStage::walk_line(std::string_view line) const {
  LineWalk r;
  // Without a walk to the end: the words counted on their own; a call
  // maybe; not ordinary.
  auto counted = [&] {
    r.words = count_words_capped(line, kMaxActionWords);
    r.ordinary = false;
    r.quiet = false;
    return r;
  };
  auto has = [](const std::vector<std::uint64_t>& bits, std::uint64_t h) { return filter_has(bits, h); };
  std::size_t b = 0;
  while (b < line.size() && !kAsciiAlnum[static_cast<unsigned char>(line[b])]) ++b;
  const std::string_view first = ascii_alnum_run(line.substr(b));
  if (first.empty()) return counted();
  // One walk over the words: the first two (without a leading '@', as
  // trim_to_alnum() drops it) for the known lines, the first for the
  // prefixes; every word and every two in a row for the phrases. The words
  // are hashed as for_each_ascii_token() hashes them; the walk ends at a
  // byte that rules the line out (non-ASCII, a colon, a separator) or at
  // the first phrase. A word (white space apart) starts at a byte other
  // than white space after white space or at the start.
  constexpr std::uint64_t kAt = token_hash_end('@');
  std::size_t tokens = 0, leading = 0, words = 0;
  std::uint64_t previous = 0, first_word = 0;
  bool off_menu = false, after_space = true;
  // What call_to_action() needs (see above).
  bool question = false, reader = false, invite = false;
  std::uint64_t capitals = 0;  // bit 7 of each capital after a word's first byte
  const std::size_t size = line.size();
  const char* const p = line.data();
  for (std::size_t i = 0; i < size;) {
    const auto c = static_cast<unsigned char>(p[i]);
    std::uint64_t h;
    if (!kAsciiAlnum[c] && c == '@') {
      h = kAt;
      ++i;
    } else if (!kAsciiAlnum[c]) {
      const Gap g = kGapByte[c];
      if (g == Gap::kSpace) {
        after_space = true;
        ++i;
        continue;
      }
      if (g == Gap::kStop) return counted();
      if (g == Gap::kParen && i + 2 < size && (p[i + 1] | 0x20) == 'c' && p[i + 2] == ')') return counted();  // "(c)"
      question = question || g == Gap::kQuestion;
      words += after_space;
      after_space = false;
      ++i;
      continue;
    } else {
      // The word, a run of letters and digits eight bytes at a time (a
      // byte past the line reads as 0, no letter), with its inner
      // apostrophes and hyphens; hashed as for_each_ascii_token() hashes
      // it, a run at a time (ascii_run_hash()). `capitals`: a capital
      // after the word's first byte.
      h = 0;
      std::size_t j = i;
      for (;;) {
        const std::uint64_t x = j + 8 <= size ? load_le64(p + j) : load_le(p + j, size - j);
        const std::size_t run = first_marked_byte(~ascii_alnum_bytes(x) & kHighBits);
        const std::uint64_t keep = run == 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * run)) - 1;
        h = std::rotl(h, static_cast<int>(7 * run)) ^ ascii_run_hash(x & keep, run, keep);
        // Every byte of the run is a letter or a digit; of those only a
        // capital has bit 5 clear.
        const std::uint64_t upper = ~(x << 2) & keep & kHighBits;
        capitals |= upper & ~(std::uint64_t{j == i} << 7);
        j += run;
        if (j == size) break;
        if (run == 8) continue;
        const char d = p[j];
        if ((d == '\'' || d == '-') && j + 1 < size && kAsciiAlnum[static_cast<unsigned char>(p[j + 1])]) {
          h = std::rotl(h, 7) ^ (static_cast<unsigned char>(d) | 0x20u);
          ++j;
          continue;
        }
        break;
      }
      h = token_hash_end(h);
      i = j;
      switch (call_word(h)) {
        case CallWord::kNone:
          break;
        case CallWord::kReader:
          reader = true;
          break;
        case CallWord::kInvite:
          invite = true;
          break;
      }
    }
    words += after_space;
    after_space = false;
    if (words > kMaxActionWords) {
      // Too long for any rule that reads the walk's findings.
      r.words = kMaxActionWords + 1;
      r.ordinary = false;
      r.quiet = false;
      return r;
    }
    if (tokens == leading && h == kAt) ++leading;
    if (tokens == leading) first_word = h;
    if (tokens <= kTinyLineWords && !has(menu_words_, h)) off_menu = true;
    if (tokens == leading + 1 && has(line_pairs_, pair_hash(previous, h))) return counted();
    // A word's two filters share its place and bits: one mask, one index.
    // Only a word that ends a pair of the phrases has the pair looked up.
    const std::uint64_t mask = filter_mask(h);
    const std::size_t at = filter_word(h);
    if ((phrase_words_[at] & mask) == mask || h == kCopyrightHash) return counted();
    if (tokens > 0 && (pair_seconds_[at] & mask) == mask && has(phrase_pairs_, pair_hash(previous, h)))
      return counted();
    previous = h;
    ++tokens;
    // The usual gap, one space, taken here rather than by the loop's tests.
    if (i < size && p[i] == ' ') {
      after_space = true;
      ++i;
    }
  }
  r.words = std::min(words, kMaxActionWords + 1);
  r.quiet = capitals == 0 && !(reader && (question || invite));
  if (words > kMaxLineWords || is_counter(line) || is_timestamp(line)) return r;
  // A line of one word (besides a leading '@') may be a known line of one;
  // a line of at most four words a menu, when each is a menu word.
  if (tokens == leading) return r;
  if (tokens == leading + 1 && has(line_words_, first_word)) return r;
  if (tokens <= kTinyLineWords && !off_menu) return r;
  // A prefix without a closing punctuation only takes a short line.
  const bool short_line = words <= kMaxBarePrefixWords;
  if (short_line) {
    for (const std::string& bare : bare_prefixes_) {
      if (first.size() < bare.size()) continue;
      bool same = true;
      for (std::size_t k = 0; k < bare.size() && same; ++k) {
        const char f = first[k];
        same = (f >= 'A' && f <= 'Z' ? static_cast<char>(f + 32) : f) == bare[k];
      }
      if (same) return r;
    }
  }
  const std::uint64_t first_hash = [&] {
    std::uint64_t fh = 0;
    for (const char f : first) {
      const auto u = static_cast<unsigned char>(f);
      fh = std::rotl(fh, 7) ^ (u | 0x20u);
    }
    return token_hash_end(fh);
  }();
  if (has(label_starts_, first_hash) || (short_line && has(bare_starts_, first_hash))) return r;
  r.ordinary = true;
  return r;
}

// The line's shape: blank, its words, whether it is article prose. True when
// the line may be scored (short, not a table row): see line_features().
bool BoilerplateStage::line_shape(std::string_view text, Line& line) {
  line.blank = text.empty();
  if (line.blank) return false;
  // A table row is article text too: it ends no run of furniture.
  if (text.front() == '|') {
    line.words = static_cast<std::uint32_t>(count_words_capped(text, kMaxActionWords));
    line.prose = true;
    return false;
  }
  const LineWalk walk = walk_line(text);
  line.words = static_cast<std::uint32_t>(walk.words);
  line.ordinary = walk.ordinary;
  line.quiet = walk.quiet;
  line.prose = line.words >= kProseWords && std::string_view(".!?\"'”’)").find(text.back()) != std::string_view::npos;
  return line.words <= kMaxLineWords;
}

// Local evidence: the line alone (shape, wording, function), of a short
// line (line_shape() returned true). With
// `classified`, classify() has just read this line and line.verdict is its
// verdict.
void BoilerplateStage::line_features(std::string_view text, Line& line, bool classified) {
  if (!classified) {
    // An ordinary prose line is kept by classify() (see walk_line()) and
    // never scored: nothing more to do.
    if (line.prose && line.ordinary) return;
    line.verdict = classify(text);
  }
  if (line.verdict != Verdict::kKeep) line.prose = false;  // furniture does not mark the body
  // A prose line is part of the body by definition, where the model decides
  // nothing: only the hand rules (classify) can remove it.
  if (line.prose) return;
  line.scored = true;
  features_.emplace_back();
  line.features = static_cast<std::uint32_t>(features_.size());
  auto& x = scored_features(line);
  const Signals s = signals_;
  x[fBias] = 1;
  x[fKnown] = line.verdict == Verdict::kKnown;
  x[fCounter] = line.verdict == Verdict::kCounter;
  x[fTimestamp] = line.verdict == Verdict::kTimestamp;
  x[fRule] = line.verdict == Verdict::kFurniture;
  x[fVocab] = static_cast<float>(s.vocab);
  x[fStrong] = static_cast<float>(s.strong) / 2;
  x[fCopyright] = s.copyright > 0;
  x[fSelf] = static_cast<float>(s.self);
  x[fCrumbs] = static_cast<float>(s.crumbs) / 2;
  x[fLabel] = s.label > 0;
  x[fMenu] = s.menu > 0;
  if (line.verdict == Verdict::kKnown || line.verdict == Verdict::kCounter || line.verdict == Verdict::kTimestamp) {
    // classify() stopped early: the words are still needed.
    normalize(text);
    tokenize();
    find_phrases();
  } else if (!tokenized_) {
    // A line too long for the furniture rules: classify() normalised it but
    // left its words, and the features below read this line's own words
    // (never those of the line, or the document, classified before).
    tokenize();
  }
  // Reader address, imperative and veto, whatever classify() reached.
  bool reader = false;
  for (std::size_t t = 0; t < tokens_.size() && !reader; ++t) reader = kReaderWordList.contains(token(t));
  x[fReader] = reader;
  x[fAction] = s.action > 0;
  bool veto = norm_.find('"') != std::string::npos;
  for (std::size_t t = 0; t < tokens_.size() && !veto; ++t) veto = kReportingVerbList.contains(token(t));
  x[fVetoed] = veto || s.vetoed > 0;

  const auto n = static_cast<float>(line.words);
  x[fLength] = std::log2(1.0f + n) / 5;
  x[fOneWord] = line.words == 1;
  x[fShort] = line.words >= 2 && line.words <= 4;
  x[fLong] = line.words >= 15;
  const char last = text.back();
  // A closing quote after the stop ends a sentence too: straight, or curly
  // (U+2019, U+201D) and guillemet (U+00BB) as UTF-8.
  const bool curly_close = text.ends_with("\u2019") || text.ends_with("\u201D") || text.ends_with("\u00BB");
  x[fEndSentence] =
      last == '.' || last == '!' || last == '?' || (line.words > 1 && (last == '"' || last == '\'' || curly_close));
  x[fEndColon] = last == ':';
  x[fQuestion] = last == '?';

  // Capitalisation and characters, from the line as written.
  std::size_t alpha_words = 0, capital_words = 0, upper = 0, lower = 0, digits = 0, visible = 0;
  bool symbols = false;
  bool word_start = true;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (ascii_space(c)) {
      word_start = true;
      continue;
    }
    ++visible;
    if (ascii_upper(c)) ++upper;
    if (ascii_lower(c)) ++lower;
    if (ascii_digit(c)) ++digits;
    // A '*' opening the line before a space is a list marker, not a separator;
    // a '>' closing an angle-bracketed name ("<ACME>", "<Acme Holdings Inc>":
    // a ticker symbol or a company's full name in a wire story) is a bracket.
    if (c == '|' || c == '#' || (c == '>' && !closes_angle_bracket(text, i)) ||
        (c == '*' && !(i == 0 && text.size() > 1 && text[1] == ' ')) || c == '/')
      symbols = true;
    if (static_cast<unsigned char>(c) == 0xC2 || static_cast<unsigned char>(c) == 0xE2) {
      // » « © • › ▶ and the like: a non-letter in the Latin-1 or symbol blocks
      // (below U+2600: emoji and pictographs are no separators; nor are currency signs).
      std::size_t len = 0;
      const char32_t d = decode_at(text, i, &len);
      const bool currency = (d >= U'\u00A2' && d <= U'\u00A5') || (d >= U'\u20A0' && d <= U'\u20CF');
      if (!alnum(d) && !currency && d < U'\u2600' && d != U'\u2019' && d != U'\u2018' && d != U'\u201C' &&
          d != U'\u201D' && d != U'\u2014' && d != U'\u2013' && d != U'\u00A0' && d != U'\u2026')
        symbols = true;
    }
    if (word_start && (ascii_upper(c) || ascii_lower(c))) {
      ++alpha_words;
      if (ascii_upper(c)) ++capital_words;
    }
    word_start = false;
  }
  x[fTitleCase] = alpha_words >= 2 && capital_words * 4 >= alpha_words * 3;
  x[fAllCaps] = upper >= 3 && lower == 0;
  x[fDigits] = visible == 0 ? 0 : static_cast<float>(digits) / static_cast<float>(visible);
  x[fSymbols] = symbols;
  x[fListMarker] = text.size() > 2 && (text[0] == '-' || text[0] == '*' || text.substr(0, 3) == "\u2022") &&
                   (text[1] == ' ' || static_cast<unsigned char>(text[0]) == 0xE2);
  x[fLink] = norm_.find("http") != std::string::npos || norm_.find("www.") != std::string::npos ||
             norm_.find(".com") != std::string::npos || norm_.find('@') != std::string::npos;

  // Function: bylines, credits, dates, reading time, imperative openings.
  const std::size_t nt = tokens_.size();
  if (nt >= 2 && nt <= 10 && token(0) == "by") {
    const std::size_t src = tokens_[1].src;  // in norm_; the line as written has the same words
    const std::size_t at = text.find_first_not_of(" \t", 2);
    x[fByline] = at != std::string_view::npos && (ascii_upper(text[at]) || (text[at] & 0x80)) && src > 0 && !veto;
  }
  // "Editor: Jane Roe", "Reporting by Jane Roe": a staff role before a colon or "by" and a name.
  if (x[fByline] == 0 && nt >= 2 && nt <= 8 && !veto) {
    for (std::size_t t = 0; t < nt && t < 4; ++t) {
      if (!kRoleWordList.contains(token(t))) continue;
      const std::size_t colon = text.find(':');
      const std::size_t by = norm_.find(" by ");
      const std::size_t after = colon != std::string_view::npos ? colon + 1 : by != std::string::npos ? by + 4 : 0;
      const std::size_t at = after == 0 ? std::string_view::npos : text.find_first_not_of(" \t", after);
      if (at != std::string_view::npos && ascii_upper(text[at])) x[fByline] = 1;
      break;
    }
  }
  for (std::size_t t = 0; t < nt && t < 3; ++t) {
    if (kCreditWordList.contains(token(t)) && nt <= 10) x[fCredit] = 1;
  }
  // An agency name: a line of at most three words opening or ending with it
  // ("Reuters", "AFP staff", "Jane Roe, AP"), or "Associated Press" in a short
  // line. A headline that opens with one ("Reuters cuts 300 jobs") is not
  // a credit.
  auto agency = [&](std::size_t t) {
    return kAgencyList.contains(token(t)) && (token(t) != "ap" || text.find("AP") != std::string_view::npos);
  };
  if (x[fCredit] == 0 && nt >= 1 && nt <= 3 && (agency(0) || agency(nt - 1))) x[fCredit] = 1;
  for (std::size_t t = 0; t + 1 < nt && nt <= 10 && x[fCredit] == 0; ++t) {
    if (token(t) == "associated" && token(t + 1) == "press") x[fCredit] = 1;
  }
  if (nt <= 10 && (norm_.find("getty") != std::string::npos || norm_.find("shutterstock") != std::string::npos)) {
    x[fCredit] = 1;
  }
  bool number = false, month = false, weekday = false;
  for (std::size_t t = 0; t < nt; ++t) {
    const std::string_view w = token(t);
    if (!w.empty() && ascii_digit(w[0])) number = true;
    if (kMonthNameList.contains(w) || kMonthWordList.contains(w)) month = true;
    if (kWeekdayList.contains(w)) weekday = true;
  }
  const bool slash_date = [&] {
    // 12/05/2019, 2019-05-12
    for (std::size_t i = 0; i + 4 < norm_.size(); ++i) {
      if (ascii_digit(norm_[i]) && (norm_[i + 1] == '/' || norm_[i + 2] == '/') && ascii_digit(norm_[i + 3]))
        return true;
    }
    return false;
  }();
  x[fDate] = nt <= 14 && ((month && number) || (weekday && number) || slash_date);
  line.date_only = x[fDate] > 0;
  for (std::size_t t = 0; t < nt && line.date_only; ++t) {
    const std::string_view w = token(t);
    line.date_only = ascii_digit(w[0]) || kMonthNameList.contains(w) || kMonthWordList.contains(w) ||
                     kWeekdayList.contains(w) || kClockWordList.contains(w);
  }
  // A clock time: "14:32", "9:02 AM", "7.45pm".
  for (std::size_t i = 1; i + 2 < norm_.size() && !line.clock; ++i) {
    line.clock =
        (norm_[i] == ':' || norm_[i] == '.') && ascii_digit(norm_[i - 1]) && ascii_digit(norm_[i + 1]) &&
        ascii_digit(norm_[i + 2]) && (i + 3 == norm_.size() || !ascii_digit(norm_[i + 3])) &&
        (month || weekday || words_.find(" am ") != std::string::npos || words_.find(" pm ") != std::string::npos ||
         words_.find(" gmt ") != std::string::npos || words_.find(" utc ") != std::string::npos || norm_[i] == ':');
  }
  // A headline: 3-16 words, opening with a capital or a figure, no sentence
  // ending or colon at the end, no list marker (related-story links are
  // headlines; for the headline_run feature below).
  line.headline = line.words >= 3 && line.words <= 16 && (ascii_upper(text[0]) || ascii_digit(text[0])) &&
                  last != '.' && last != ':' && last != ';' && last != ',' && x[fAllCaps] == 0;
  x[fReadingTime] =
      words_.find(" min read ") != std::string::npos || words_.find(" minute read ") != std::string::npos ||
      words_.find(" minutes read ") != std::string::npos || words_.find(" reading time ") != std::string::npos ||
      words_.find(" read time ") != std::string::npos;
  // The article's origin ("This article was originally published on ...",
  // "This story has been adapted from ...", "... is republished from ... under
  // a Creative Commons licence"): a republication notice, often required by
  // the licence, stays with the article.
  {
    bool self = false, origin = false;
    for (std::size_t t = 0; t + 1 < nt; ++t) {
      const std::string_view w = token(t), next = token(t + 1);
      if (w == "this" && (next == "article" || next == "story" || next == "post" || next == "piece")) self = true;
      if (w == "first" && (next == "published" || next == "appeared")) origin = true;
      if (next == "originally" || next == "adapted" || next == "reprinted" || next == "republished") origin = true;
    }
    line.origin = self && origin;
  }
  x[fImperative] = nt > 0 && is_word_in(verbs_, token(0));
  std::size_t ui = 0;
  for (std::size_t t = 0; t < nt; ++t) {
    const std::string_view w = token(t);
    if (is_word_in(ui_, w) || is_word_in(single_terms_, w) || is_word_in(verbs_, w)) ++ui;
  }
  x[fUiShare] = nt == 0 ? 0 : static_cast<float>(ui) / static_cast<float>(nt);
  x[fInvitation] = invitation(0, nt);

  line.hit = x[fKnown] > 0 || x[fCounter] > 0 || x[fTimestamp] > 0 || x[fRule] > 0 || x[fMenu] > 0 || x[fStrong] > 0 ||
             x[fByline] > 0 || x[fCredit] > 0 || x[fDate] > 0 || x[fUiShare] >= 0.5f;

  // Content words, for the relation to the article.
  scored(line).content_begin = static_cast<std::uint32_t>(content_.size());
  for_each_content_word(text, [&](std::uint64_t h) { content_.push_back(h); });
  scored(line).content_end = static_cast<std::uint32_t>(content_.size());
}

// An invitation among tokens [first, end): "share your thoughts", "let us
// know", "tell us what you think", "join the conversation", "leave a comment":
// an inviting verb followed within three words by what the reader is to give.
bool BoilerplateStage::invitation(std::size_t first, std::size_t end) const {
  for (std::size_t t = first; t < end; ++t) {
    if (!kInviteVerbList.contains(token(t))) continue;
    for (std::size_t u = t + 1; u < end && u <= t + 3; ++u) {
      if (kInviteObjectList.contains(token(u))) return true;
    }
  }
  // "What do you think?", "What are your thoughts?"
  for (std::size_t t = first; t + 2 < end; ++t) {
    if (token(t) == "what" &&
        ((token(t + 1) == "do" && token(t + 2) == "you" && t + 3 < end && token(t + 3) == "think") ||
         (token(t + 1) == "are" && token(t + 2) == "your" && t + 3 < end && token(t + 3) == "thoughts")))
      return true;
  }
  return false;
}

namespace {

// A long line shaped like running text: no separators between menu items,
// most words in lower case, and not a teaser ending in a short link after
// its last sentence ("... in 2007. Full story", "... commission. Learn more").
bool prose_shaped(std::string_view line) {
  std::size_t words = 0, lower_words = 0, after_stop = 0;
  bool stop = false, word_start = true;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '|' || c == '>') return false;
    if (static_cast<unsigned char>(c) == 0xE2 && i + 2 < line.size() &&
        static_cast<unsigned char>(line[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(line[i + 2]) == 0xA2 || static_cast<unsigned char>(line[i + 2]) == 0xBA))
      return false;  // a bullet or a guillemet between items
    if (static_cast<unsigned char>(c) == 0xC2 && i + 1 < line.size() &&
        (static_cast<unsigned char>(line[i + 1]) == 0xBB || static_cast<unsigned char>(line[i + 1]) == 0xB7))
      return false;  // » or a middle dot
    if (c == ' ' || c == '\t') {
      word_start = true;
      continue;
    }
    if (word_start) {
      ++words;
      lower_words += ascii_lower(c);
      if (stop) ++after_stop;
    }
    word_start = false;
    if ((c == '.' || c == '?' || c == '!') && i + 1 < line.size() && line[i + 1] == ' ' && i > 0 &&
        ascii_lower(line[i - 1])) {
      stop = true;
      after_stop = 0;
    }
  }
  if (stop && after_stop <= 3) return false;
  return lower_words * 2 >= words;
}

// Where a short tail glued to the end of a sentence begins ("... rates
// rise.Share This Quote": a sentence end, no space, a capital), when at
// least 8 words of text come before it and at most 4 after; npos otherwise.
std::size_t glued_tail(std::string_view line) {
  for (std::size_t i = line.size(); i-- > 1;) {
    const char c = line[i - 1];
    if (!((c == '.' || c == '!' || c == '?') && ascii_upper(line[i]) && i >= 2 && ascii_lower(line[i - 2]))) continue;
    if (count_words_capped(line.substr(i), 5) > 4) return std::string_view::npos;
    if (count_words_capped(line.substr(0, i), 8) < 8) return std::string_view::npos;
    return i;
  }
  return std::string_view::npos;
}

}  // namespace

// Evidence from the document: where the body is, what it talks about, the neighbours.
void BoilerplateStage::document_features(std::string_view text) {
  // Every feature below is a scored line's.
  if (features_.empty()) return;
  const std::size_t n = doc_.size();
  std::size_t first = n, last = n;
  for (std::size_t i = 0; i < n; ++i) {
    if (!doc_[i].prose) continue;
    if (first == n) first = i;
    last = i;
  }
  const std::size_t last_prose = last;
  // The body goes on through long lines without a sentence ending (a
  // product blurb, a specification, a caption run on): an article's own list
  // after its last paragraph often holds such lines; a related-story list or
  // a menu does not (headlines are shorter, menus are capitalised words or
  // separators, teasers end in a link such as "Full story").
  if (first != n) {
    for (std::size_t i = n; i-- > last + 1;) {
      const Line& l = doc_[i];
      if (l.blank || l.prose || l.words < kSoftProseWords || l.verdict != Verdict::kKeep ||
          (l.scored && has_wording(l)))
        continue;
      if (prose_shaped(text.substr(l.begin, l.end - l.begin))) {
        last = i;
        break;
      }
    }
  }
  // Runs of non-blank short lines, and the headlines in each: a run of three
  // or more headlines is a list of links to other stories (an article's own
  // headline stands alone).
  // Counts of lines, in 32 bits (a document holds fewer lines).
  std::vector<std::uint32_t> run(n, 0);
  std::vector<std::uint32_t> headlines(n, 0);
  // Per line: the share of its run's lines of at most three words, for runs
  // of three lines or more (a menu or a share bar laid out a word or two a
  // line; an article's headline and standfirst make no such run).
  std::vector<float> short_share(n, 0);
  for (std::size_t i = 0; i < n;) {
    if (doc_[i].blank || doc_[i].prose) {
      ++i;
      continue;
    }
    std::size_t j = i;
    std::size_t count = 0;
    std::size_t heads = 0;
    std::size_t shorts = 0;
    while (j < n && !doc_[j].prose) {
      if (!doc_[j].blank) ++count;
      heads += doc_[j].headline;
      shorts += !doc_[j].blank && doc_[j].words <= 3;
      ++j;
    }
    for (std::size_t k = i; k < j; ++k) {
      run[k] = static_cast<std::uint32_t>(count);
      if (count >= 3) short_share[k] = static_cast<float>(shorts) / static_cast<float>(count);
    }
    // A list the article introduces ("The main features:", before the run
    // or inside it) is its own: the lines after such a line are no link list.
    auto colon = [&](std::size_t k) { return doc_[k].end > doc_[k].begin && text[doc_[k].end - 1] == ':'; };
    std::size_t before = i;
    while (before > 0 && doc_[before - 1].blank) --before;
    bool introduced = before > 0 && colon(before - 1);
    for (std::size_t k = i; k < j; ++k) {
      headlines[k] = introduced ? 0 : static_cast<std::uint32_t>(heads);
      if (!doc_[k].blank && colon(k)) introduced = true;
    }
    i = j;
  }
  // Per line above the body: the non-blank lines between it and the first
  // prose line (an article's headline, standfirst and byline sit right above
  // its paragraphs; the site's menus and bars further up). Below the body
  // furniture starts right after the last paragraph as often as not, so the
  // distance is not used there.
  std::vector<std::uint32_t> distance(n, 0);
  if (first != n) {
    std::uint32_t d = 0;
    for (std::size_t i = first; i-- > 0;) {
      distance[i] = d;
      d += !doc_[i].blank;
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    Line& l = doc_[i];
    if (!l.scored) continue;
    auto& x = scored_features(l);
    if (l.headline && headlines[i] >= 3) x[fHeadlineRun] = std::min(1.0f, static_cast<float>(headlines[i]) / 6);
    x[fBefore] = first != n && i < first;
    x[fAfter] = first != n && i > last;
    // A sentence after the last prose line: a short closing paragraph of the
    // article as often as furniture, where a line without a sentence ending
    // there is mostly furniture (the place and the ending interact).
    x[fClosingSentence] = x[fAfter] > 0 && x[fEndSentence] > 0;
    x[fRun] = run[i] == 0 ? 0 : std::min(1.0f, std::log2(static_cast<float>(run[i])) / 4);
    x[fShortRun] = short_share[i];
    x[fDistance] = x[fBefore] > 0 ? std::min(1.0f, std::log2(1.0f + static_cast<float>(distance[i])) / 4) : 0;
    std::size_t near = 0, hits = 0;
    for (std::size_t k = i, seen = 0; k-- > 0 && seen < 2;) {
      if (doc_[k].blank) continue;
      ++seen, ++near;
      hits += doc_[k].hit;
    }
    for (std::size_t k = i + 1, seen = 0; k < n && seen < 2; ++k) {
      if (doc_[k].blank) continue;
      ++seen, ++near;
      hits += doc_[k].hit;
    }
    x[fNeighbours] = near == 0 ? 0 : static_cast<float>(hits) / static_cast<float>(near);
  }
  // The relation to the body (shared words, a heading of the paragraph
  // below) needs a pass over every byte of it. It is made only when some
  // scored line's outcome may depend on it: a line the hand rules take, a
  // byline or a page timestamp (rules that read those features or remove
  // with a reason listing them), or one whose probability could reach the
  // lowest threshold in use with the most those three features can add.
  // Otherwise they stay 0 and every probability stays below that threshold
  // either way.
  double lowest = std::min(flag_at_, remove_at_);
  if (batch_ != nullptr) lowest = std::min(lowest, kRecurringFloor);
  double most = 0;  // the most the three features can add to a line's log-odds
  for (const Feature f : {fOverlap, fNoContent, fHeading}) most += std::max(0.0, weights_[f]);
  bool relation = all_lines_;
  for (std::size_t i = 0; i < n && !relation; ++i) {
    const Line& l = doc_[i];
    if (!l.scored || scored(l).content_end == scored(l).content_begin) continue;  // no content word: all 0
    if (l.verdict != Verdict::kKeep || features_of(l)[fByline] > 0 || (l.date_only && l.clock)) {
      relation = true;
      break;
    }
    double z = most;
    for (std::size_t f = 0; f < fCount; ++f) z += weights_[f] * features_of(l)[f];
    relation = 1 / (1 + std::exp(-z)) >= lowest - 1e-6;
  }
  if (!relation) return;
  body_bits_.assign(kBodyBits / 64, 0);
  sigs_.clear();
  // Only the heading test below reads a paragraph's signature, for the
  // paragraph right after a scored line that may be a heading (its
  // conditions): only those are kept.
  auto may_head = [&](const Line& l) {
    return l.scored && l.words <= 14 && features_of(l)[fEndSentence] == 0 &&
           scored(l).content_end > scored(l).content_begin;
  };
  bool after_scored = false;  // the last non-blank line before i may head the paragraph
  for (std::size_t i = 0; i < n && (i <= last_prose || last_prose == n); ++i) {
    const bool keep_sig = after_scored;
    if (!doc_[i].blank) after_scored = may_head(doc_[i]);
    if (!doc_[i].prose) continue;
    // Every word of at least 4 letters, hashed as for_each_word4() hashes it
    // (function words go in too: a line's content words never include them),
    // into the body's bit set and the paragraph's own signature. This pass
    // reads every byte of the body: a byte of a word only updates the hash
    // (registers alone), the byte after a word of four letters or more sets
    // its bits. The signature is only filled where it is kept.
    std::array<std::uint64_t, 16> sig{};
    const std::string_view para = text.substr(doc_[i].begin, doc_[i].end - doc_[i].begin);
    auto hash_words = [&]<bool kSig>() {
      std::uint64_t h = 0;
      std::uint64_t len = 0;
      const std::size_t size = para.size();
      const char* const bytes = para.data();
      for (std::size_t b = 0; b <= size; ++b) {
        const std::uint64_t folded = b < size ? kLetterFold[static_cast<unsigned char>(bytes[b])] : 0;
        if (folded != 0) {
          h = std::rotl(h, 5) ^ folded;
          ++len;
          continue;
        }
        if (len >= 4) {
          const std::uint64_t mixed = (h * kWordMix) >> 16;
          const std::uint64_t bit = mixed & (kBodyBits - 1);
          body_bits_[bit / 64] |= std::uint64_t{1} << (bit % 64);
          if constexpr (kSig) {
            const std::uint64_t sbit = (mixed >> 20) & (kSigBits - 1);
            sig[sbit / 64] |= std::uint64_t{1} << (sbit % 64);
          }
        }
        h = 0;
        len = 0;
      }
    };
    if (keep_sig) {
      hash_words.template operator()<true>();
    } else {
      hash_words.template operator()<false>();
    }
    if (keep_sig) {
      sigs_.push_back(sig);
      doc_[i].sig = static_cast<std::uint32_t>(sigs_.size());
    }
  }
  auto in_body = [&](std::uint64_t h) {
    h &= kBodyBits - 1;
    return (body_bits_[h / 64] >> (h % 64)) & 1;
  };
  for (std::size_t i = 0; i < n; ++i) {
    Line& l = doc_[i];
    if (!l.scored) continue;
    auto& x = scored_features(l);
    const std::size_t words = scored(l).content_end - scored(l).content_begin;
    std::size_t shared = 0;
    for (std::size_t k = scored(l).content_begin; k < scored(l).content_end; ++k) shared += in_body(content_[k]);
    x[fNoContent] = words > 0 && shared == 0 && !l.prose;
    x[fOverlap] = words == 0 || l.prose ? 0 : static_cast<float>(shared) / static_cast<float>(words);
    // A heading: a short line without a sentence ending whose words recur in the paragraph under it.
    if (l.words <= 14 && x[fEndSentence] == 0 && words > 0) {
      std::size_t k = i + 1;
      while (k < n && doc_[k].blank) ++k;
      if (k < n && doc_[k].prose) {
        const auto& sig = sigs_[doc_[k].sig - 1];
        for (std::size_t c = scored(l).content_begin; c < scored(l).content_end && x[fHeading] == 0; ++c) {
          const std::uint64_t sbit = (content_[c] >> 20) & (kSigBits - 1);
          if ((sig[sbit / 64] >> (sbit % 64)) & 1) x[fHeading] = 1;
        }
      }
    }
  }
}

// Wording that marks a line as furniture, beyond its shape and place.
bool BoilerplateStage::has_wording(const Line& l) const {
  for (const Feature f : {fKnown, fCounter, fTimestamp, fRule, fVocab, fStrong, fCopyright, fSelf, fCrumbs, fLabel,
                          fMenu, fAction, fByline, fCredit, fReadingTime, fInvitation}) {
    if (features_of(l)[f] > 0) return true;
  }
  return features_of(l)[fUiShare] >= 0.5f;
}

double BoilerplateStage::probability(const Line& line) const {
  double z = 0;
  for (std::size_t f = 0; f < fCount; ++f) z += weights_[f] * features_of(line)[f];
  return 1 / (1 + std::exp(-z));
}

// The short lines the shape pass left. A line inside the article body (after
// its first prose line, before its last) that the hand rules keep is
// decided by them alone: the model's probability is capped there, and the
// call-to-action test reads only the text. Its features are needed only when
// a line read in full looks at it: as a neighbour (its local signals) or
// in the same run of short lines (whether it is a headline). So a short line
// is read in full when it is outside the body, ends with a colon (it may
// introduce a list), carries a figure (a date needs one), or is furniture to
// the hand rules; and then so are the short lines in its run and its two
// non-blank neighbours each side. The others cost the first test of
// walk_line() or classify(), no feature. The output is the same.
void BoilerplateStage::read_short_lines(std::string_view text, std::size_t first, std::size_t last) {
  const std::size_t n = doc_.size();
  for (std::size_t i = 0; i < n; ++i) {
    Line& l = doc_[i];
    if (!l.deferred) continue;
    const std::string_view trimmed = trim_space(text.substr(l.begin, l.end - l.begin));
    bool read = i <= first || i >= last || trimmed.back() == ':' ||
                std::any_of(trimmed.begin(), trimmed.end(), [](char c) { return ascii_digit(c); });
    if (!read) {
      if (l.ordinary) {
        l.verdict = Verdict::kKeep;
        continue;
      }
      l.verdict = classify(trimmed);
      if (l.verdict == Verdict::kKeep) continue;
      l.deferred = false;
      line_features(trimmed, l, true);
    } else {
      l.deferred = false;
      line_features(trimmed, l, false);
    }
    l.anchor = true;
  }
  // The run of a line read for itself and its neighbours.
  auto read_line = [&](std::size_t k) {
    Line& m = doc_[k];
    if (!m.deferred) return;
    m.deferred = false;
    line_features(trim_space(text.substr(m.begin, m.end - m.begin)), m, false);
  };
  // Each run of short lines (up to the next prose line) once.
  for (std::size_t i = 0; i < n;) {
    if (doc_[i].prose) {
      ++i;
      continue;
    }
    std::size_t j = i;
    bool anchored = false;
    for (; j < n && !doc_[j].prose; ++j) anchored = anchored || doc_[j].anchor;
    if (anchored) {
      for (std::size_t k = i; k < j; ++k) read_line(k);
    }
    i = j;
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!doc_[i].anchor) continue;
    for (std::size_t k = i, seen = 0; k-- > 0 && seen < 2;) {
      if (doc_[k].blank) continue;
      ++seen;
      read_line(k);
    }
    for (std::size_t k = i + 1, seen = 0; k < n && seen < 2; ++k) {
      if (doc_[k].blank) continue;
      ++seen;
      read_line(k);
    }
  }
}

void BoilerplateStage::analyse(std::string_view text) {
  // The lines as split_lines() splits them, counted first so that doc_ is
  // allocated once, at its size (no list of spans besides it).
  const std::size_t lines = text.empty() ? 0
                                         : static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) +
                                               (text.back() != '\n' ? 1 : 0);
  doc_.assign(lines, Line{});
  features_.clear();
  // At most one a line; a large block's untouched pages cost no memory.
  features_.reserve(lines);
  content_.clear();
  // Every line's shape first: the prose lines (and the hand rules' verdicts
  // on them) say where the article body is. A short line is read in full
  // (classify(), features) right away only when every line must be (batch
  // evidence reads any short line's probability; so does the training tool).
  const bool every_line = all_lines_ || batch_ != nullptr;
  std::size_t begin = 0;
  std::size_t first = lines, last = lines;  // the first and last prose lines
  for (std::size_t i = 0; i < lines; ++i) {
    std::size_t nl = text.find('\n', begin);
    if (nl == std::string_view::npos) nl = text.size();
    Line& l = doc_[i];
    l.begin = begin;
    l.end = nl;
    begin = nl + 1;
    const std::string_view trimmed = trim_space(text.substr(l.begin, l.end - l.begin));
    if (line_shape(trimmed, l)) {
      if (l.prose || every_line) {
        line_features(trimmed, l, false);
        // A prose line the hand rules take is scored like any short line.
        l.anchor = l.scored && !every_line;
      } else {
        l.deferred = true;
      }
    }
    if (l.prose) {
      if (first == lines) first = i;
      last = i;
    }
  }
  // Without a body (first == lines) every short line is read in full.
  read_short_lines(text, first, last);
  document_features(text);
  for (Line& l : doc_) {
    if (!l.scored) continue;
    p_of(l) = probability(l);
    // The list and the hand-written rules (precision 0.99 on real pages)
    // remain sufficient on their own.
    if (l.verdict != Verdict::kKeep) p_of(l) = std::max(p_of(l), remove_at_);
  }
  // A list the article introduces: the short lines after a line of article
  // text ending with a colon ("The budget also pays for:"), up to the next
  // prose line. A furniture label ("Related stories:", "Share this:",
  // "See also:"; short, or with furniture wording) introduces no article text.
  bool introduced = false;
  for (Line& l : doc_) {
    if (l.blank) continue;
    if (l.prose) {
      introduced = false;
      continue;
    }
    l.introduced = introduced;
    const bool colon = l.end > l.begin && text[l.end - 1] == ':';
    if (colon) {
      introduced = l.verdict == Verdict::kKeep && l.words >= kMinIntroWords &&
                   (!l.scored || (p_of(l) < flag_at_ && !has_wording(l)));
    }
  }
}

std::vector<BoilerplateStage::LineScore> BoilerplateStage::score_lines(std::string_view text) {
  all_lines_ = true;
  analyse(text);
  all_lines_ = false;
  std::vector<LineScore> out(doc_.size());
  for (std::size_t i = 0; i < doc_.size(); ++i) {
    if (!doc_[i].scored) continue;
    out[i].features.assign(features_of(doc_[i]).begin(), features_of(doc_[i]).end());
    out[i].p = p_of(doc_[i]);
  }
  return out;
}

// "Furniture (p 0.97): a known furniture line, in a run of short lines, after the article body."
std::string BoilerplateStage::reason(const Line& line, std::size_t recurring) const {
  std::array<std::pair<double, std::size_t>, fCount> parts{};
  for (std::size_t f = 0; f < fCount; ++f) parts[f] = {weights_[f] * features_of(line)[f], f};
  std::sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::string out = "Site furniture, not article text (p ";
  char p[8];
  std::snprintf(p, sizeof p, "%.2f", p_of(line));
  out += p;
  out += "): ";
  std::size_t listed = 0;
  if (recurring > 0) {
    out += "recurs verbatim in " + std::to_string(recurring) + " documents of the batch";
    ++listed;
  }
  for (const auto& [contribution, f] : parts) {
    if (contribution <= 0.3 || listed == 3 || kFeatureReasons[f].empty()) continue;
    if (listed > 0) out += ", ";
    out += kFeatureReasons[f];
    ++listed;
  }
  if (listed == 0) out += "its shape and place on the page";
  out += ".";
  return out;
}

// A call to action inside prose. Sentences are found at ". ", "? ", "! " and
// at a glue (a sentence ending or lower-case letter run straight into a
// capital: "momentumWhat", "below!The"). The range returned is:
//  - the whole line, when every sentence is a question or an invitation and
//    the last one invites the reader (to comment, share, join in);
//  - the trailing sentences from the last prose sentence on, when they are
//    reader questions or invitations and at least 8 words of prose remain;
//  - the leading sentences up to a glue, when they are such a call and what
//    follows is a short heading.
std::pair<std::size_t, std::size_t> BoilerplateStage::call_to_action(std::string_view line, ActionParts* parts,
                                                                     bool deep) {
  const std::pair<std::size_t, std::size_t> none{0, 0};
  if (parts != nullptr) *parts = ActionParts{false, false, line.size()};
  // Cheap gate: a call to action asks a question or addresses the reader
  // ("you", "your", " us ", " our "); looked for at each 'u'.
  if (!deep && line.find('?', 1) == std::string_view::npos && line.back() != '?') {
    // No question mark (after the first byte): each 'u' is looked at, found
    // with memchr() (most bytes are neither).
    bool maybe = false;
    const std::size_t size = line.size();
    for (std::size_t k = line.find('u', 1); k != std::string_view::npos && k + 1 < size && !maybe;
         k = line.find('u', k + 1)) {
      const char before = line[k - 1];
      const char after = line[k + 1];
      maybe = (before == 'o' && k >= 2 && (line[k - 2] == 'y' || line[k - 2] == 'Y')) ||
              (after == 's' && before == ' ' && k + 2 < size && line[k + 2] == ' ') ||
              (before == 'o' && after == 'r' && k >= 2 && line[k - 2] == ' ' && k + 2 < size && line[k + 2] == ' ');
    }
    // A line the model reads as furniture (`deep`) is looked at in full.
    if (!maybe) return none;
  }
  // Without a question mark, a call needs an inviting verb ("share your
  // thoughts", "let us know"), "think"/"thoughts" or the site's "our": a
  // second cheap pass over the words, before the sentences are split.
  if (line.find('?') == std::string_view::npos && !deep) {
    bool verb = false;
    char word[16];
    std::size_t len = 0;
    for (std::size_t k = 0; k <= line.size() && !verb; ++k) {
      const char c = k < line.size() ? line[k] : ' ';
      if (ascii_upper(c) || ascii_lower(c)) {
        if (len < sizeof word) word[len] = static_cast<char>(c | 0x20);
        ++len;
        continue;
      }
      if (len > 0 && len <= sizeof word) {
        const std::string_view w(word, len);
        verb = kInviteVerbList.contains(w) || w == "our" || w == "think" || w == "thoughts";
      }
      len = 0;
    }
    if (!verb) return none;
  }
  // Sentence starts (byte offsets in `line`) and whether each is glued; the
  // buffers are the stage's, reused from line to line.
  auto& sentences = action_.sentences;
  sentences.assign(1, {0, false});
  for (std::size_t i = 1; i + 1 < line.size(); ++i) {
    const char c = line[i];
    const char prev = line[i - 1];
    if (ascii_upper(c) && (prev == '.' || prev == '!' || prev == '?') && i >= 2 && ascii_lower(line[i - 2])) {
      sentences.push_back({i, true});
    } else if (ascii_upper(c) && ascii_lower(prev) && i + 1 < line.size() && ascii_lower(line[i + 1]) && i >= 3 &&
               ascii_lower(line[i - 2]) && ascii_lower(line[i - 3])) {
      // "momentumWhat": a lower-case run glued to a capitalised word. Names
      // with inner capitals ("DeepSeek", "McDonald") have a short head or a
      // capital before it; a sentence-sized tail is asked for below.
      std::size_t b = i;
      while (b > 0 && ascii_lower(line[b - 1])) --b;
      if (b > 0 && !ascii_upper(line[b - 1]) && i - b >= 4) sentences.push_back({i, true});
    } else if (c == ' ' && (prev == '.' || prev == '!' || prev == '?') && ascii_upper(line[i + 1])) {
      sentences.push_back({i + 1, false});
    }
  }
  const std::size_t m = sentences.size();
  // Per sentence: 1 a reader question or invitation, 2 another question, 0 else.
  auto& kind = action_.kind;
  auto& invites = action_.invites;
  kind.assign(m, 0);
  invites.assign(m, false);
  // Per sentence: a prose sentence (at least three words, not opening with an
  // imperative: "Subscribe to our newsletter." is no prose), a short question.
  auto& prose = action_.prose;
  auto& short_question = action_.short_question;
  auto& invite_led = action_.invite_led;
  auto& addresses = action_.addresses;
  prose.assign(m, false);
  short_question.assign(m, false);
  invite_led.assign(m, false);
  addresses.assign(m, false);
  for (std::size_t s = 0; s < m; ++s) {
    const std::size_t b = sentences[s].begin;
    const std::size_t e = s + 1 < m ? sentences[s + 1].begin : line.size();
    const std::string_view sentence = trim_space(line.substr(b, e - b));
    if (sentence.empty()) continue;
    normalize(sentence);
    tokenize();
    prose[s] = tokens_.size() >= 3 && !is_word_in(verbs_, token(0)) && !kInviteVerbList.contains(token(0));
    short_question[s] = sentence.back() == '?' && tokens_.size() <= kMaxTailQuestionWords;
    // A short imperative opening with an inviting verb ("Sound off below.",
    // "Drop us a line."): a call when the model reads the line as furniture.
    invite_led[s] =
        !tokens_.empty() && tokens_.size() <= kMaxTailQuestionWords + 2 && kInviteVerbList.contains(token(0));
    bool reader = false;
    for (std::size_t t = 0; t < tokens_.size(); ++t) reader = reader || kReaderWordList.contains(token(t));
    const bool us = words_.find(" us ") != std::string::npos;
    bool veto = norm_.find('"') != std::string::npos;
    for (std::size_t t = 0; t < tokens_.size() && !veto; ++t) veto = kReportingVerbList.contains(token(t));
    if (veto || tokens_.size() > 30) continue;
    // A short sentence addressing the reader ("Have your say below."): a
    // call when the model reads the line as furniture.
    addresses[s] = (reader || us) && tokens_.size() <= kMaxTailQuestionWords + 2;
    invites[s] = (reader || us) && invitation(0, tokens_.size());
    if (!invites[s]) {
      // The site promoting itself: "see our full coverage of ...", "explore our reporting on ...".
      find_phrases();
      // A sentence with a furniture phrase or the page naming itself ("By
      // using our site you agree to ...") is no article prose.
      if (any_hit(kStrong, words_.size()) || any_hit(kSelf, words_.size())) prose[s] = false;
      bool promotes = false;
      for (std::size_t t = 0; t + 1 < tokens_.size() && !promotes; ++t) {
        promotes = is_word_in(verbs_, token(t)) &&
                   (token(t + 1) == "our" || (t + 2 < tokens_.size() && token(t + 2) == "our"));
      }
      invites[s] = promotes && any_hit(kSelf, words_.size());
    }
    const char end = sentence.back();
    if (invites[s] || (reader && end == '?' && tokens_.size() <= 16)) {
      kind[s] = 1;
    } else if (end == '?') {
      kind[s] = 2;
    }
  }
  if (parts != nullptr) {
    for (std::size_t s = 0; s < m; ++s) {
      parts->call = parts->call || kind[s] == 1 || invite_led[s] || addresses[s];
      parts->prose = parts->prose || (kind[s] == 0 && prose[s] && !invite_led[s] && !addresses[s]);
    }
    // The trailing call: reader questions, invitations and short sentences
    // addressing the reader, with short questions before them ("Agree?"),
    // ending in an invitation or an address to the reader.
    auto calls = [&](std::size_t k) { return kind[k] == 1 || invite_led[k] || addresses[k]; };
    if (m >= 2 && (invites[m - 1] || invite_led[m - 1] || addresses[m - 1])) {
      std::size_t s = m - 1;
      while (s > 1 && (calls(s - 1) || (kind[s - 1] == 2 && short_question[s - 1]))) --s;
      std::size_t b = sentences[s].begin;
      while (b > 0 && ascii_space(line[b - 1])) --b;
      parts->tail = b;
    }
  }
  // The whole line.
  bool all = kind[m - 1] == 1 && invites[m - 1];
  for (std::size_t s = 0; s < m && all; ++s) all = kind[s] != 0;
  if (all && m >= 1) return {0, line.size()};
  // A tail: the last sentences, reader questions or invitations, glued or not.
  std::size_t s = m;
  while (s > 1 && (kind[s - 1] == 1 || (kind[s - 1] == 2 && short_question[s - 1] && invites[m - 1]))) --s;
  if (s < m && s >= 1) {
    const std::size_t words = count_words_capped(line.substr(0, sentences[s].begin), 8);
    bool invited = false;
    for (std::size_t k = s; k < m; ++k) invited = invited || invites[k];
    if (words >= 8 && (invited || sentences[s].glued)) {
      std::size_t b = sentences[s].begin;
      while (b > 0 && ascii_space(line[b - 1])) --b;
      return {b, line.size()};
    }
  }
  // A head glued to a heading: "...below!The Next Chapter".
  std::size_t h = 0;
  while (h < m && kind[h] == 1) ++h;
  if (h >= 1 && h + 1 == m && sentences[h].glued) {
    const std::string_view rest = line.substr(sentences[h].begin);
    const char end = trim_space(rest).back();
    if (count_words_capped(rest, 14) <= 14 && end != '.' && end != '?' && end != '!') {
      return {0, sentences[h].begin};
    }
  }
  return none;
}

void BoilerplateStage::propose(std::string_view text, std::vector<Edit>& out) {
  analyse(text);
  const std::size_t n = doc_.size();
  const auto* recurring = dynamic_cast<const RecurringLines*>(batch_.get());
  // Per line: 0 kept, 1 removed furniture, 2 a blank line removed with the furniture above it.
  std::vector<std::uint8_t> state(n, 0);
  // Sparse, in line order (few lines have them): the lines recurring across
  // the batch with their document counts, and the cuts inside lines.
  std::vector<std::pair<std::size_t, std::size_t>> repeated;
  struct Cut {
    std::size_t line, begin, end;
  };
  std::vector<Cut> cut_list;
  auto cut_of = [&](std::size_t i) {
    const auto it =
        std::lower_bound(cut_list.begin(), cut_list.end(), i, [](const Cut& e, std::size_t k) { return e.line < k; });
    return it != cut_list.end() && it->line == i ? std::pair<std::size_t, std::size_t>{it->begin, it->end}
                                                 : std::pair<std::size_t, std::size_t>{0, 0};
  };
  auto repeats_of = [&](std::size_t i) -> std::size_t {
    const auto it =
        std::lower_bound(repeated.begin(), repeated.end(), i, [](const auto& e, std::size_t k) { return e.first < k; });
    return it != repeated.end() && it->first == i ? it->second : 0;
  };
  // Per line: 1 when it holds prose besides a call to action and is only flagged.
  std::vector<std::uint8_t> guarded(n, 0);
  // Per line: 1 when its cut is furniture glued to the end of a sentence.
  std::vector<std::uint8_t> glued(n, 0);
  std::size_t first_line = 0;  // the text's first non-blank line
  std::uint8_t top_line = 0;   // 1 when it is only flagged as a possible headline
  // Whether the next non-blank line after `i` is a line of figures without
  // furniture wording (a table of results: "Shr 12 cts vs 9 cts"): article
  // content right under the line, not a menu or a bar.
  auto figures_follow = [&](std::size_t i) {
    std::size_t k = i + 1;
    while (k < n && doc_[k].blank) ++k;
    if (k >= n || !doc_[k].scored || doc_[k].verdict != Verdict::kKeep || doc_[k].date_only) return false;
    return features_of(doc_[k])[fDigits] >= 0.1f && !has_wording(doc_[k]);
  };
  while (first_line < n && doc_[first_line].blank) ++first_line;
  for (std::size_t i = 0; i < n; ++i) {
    Line& l = doc_[i];
    if (l.blank) continue;
    const std::string_view raw = text.substr(l.begin, l.end - l.begin);
    std::size_t repeat = 0;  // documents of the batch with this line
    if (recurring != nullptr && l.scored && l.words <= kRecurringWords && p_of(l) >= kRecurringFloor &&
        features_of(l)[fVetoed] == 0 && features_of(l)[fHeading] == 0) {
      const std::size_t docs = recurring->documents_with(raw);
      if (docs >= kRecurringDocuments &&
          static_cast<double>(docs) >= kRecurringShare * static_cast<double>(recurring->documents())) {
        repeat = docs;
        repeated.emplace_back(i, docs);
        p_of(l) = std::max(p_of(l), remove_at_);
      }
    }
    // A byline or staff credit just outside the body ("By Jane Roe", "Reporting
    // by Jane Roe") whose words the article does not use: furniture, however
    // much it looks like a headline ("By Royal Appointment" over an article
    // about royal appointments shares its words and is left to the model).
    if (l.scored && features_of(l)[fByline] > 0 && features_of(l)[fVetoed] == 0 && features_of(l)[fOverlap] == 0 &&
        l.words <= kMaxBylineWords && (features_of(l)[fBefore] > 0 || features_of(l)[fAfter] > 0))
      p_of(l) = std::max(p_of(l), remove_at_);
    // A date alone is a dateline and stays (flagged at most); with a clock
    // time, outside the body, it is the page's timestamp ("Monday 3 May 2021
    // 09:14 BST"), removed whatever the model says.
    if (l.scored && l.date_only && l.clock && (features_of(l)[fBefore] > 0 || features_of(l)[fAfter] > 0)) {
      l.verdict = Verdict::kTimestamp;
      p_of(l) = std::max(p_of(l), remove_at_);
    }
    if (l.scored && p_of(l) >= remove_at_ && l.date_only && !l.clock && l.verdict != Verdict::kTimestamp) {
      if (features_of(l)[fBefore] > 0 || features_of(l)[fAfter] > 0) state[i] = 4;  // a dateline stays; flagged at most
      continue;
    }
    // Inside the article body (or in a text without one) only the list and
    // the hand rules remove a line; the model judges the lines around the body.
    const bool outside = features_of(l)[fBefore] > 0 || features_of(l)[fAfter] > 0;
    if (l.scored && l.verdict == Verdict::kKeep && !outside && repeat == 0) p_of(l) = std::min(p_of(l), flag_at_ / 2);
    // Numbers, dates and links are article text unless some wording marks
    // them as furniture: shape and place alone never remove them.
    const bool needs_wording =
        features_of(l)[fDigits] >= 0.1f || features_of(l)[fDate] > 0 || features_of(l)[fLink] > 0;
    if (l.scored && p_of(l) >= remove_at_ && needs_wording && repeat == 0 && !has_wording(l) &&
        !(l.clock && features_of(l)[fDate] > 0)) {
      state[i] = 4;
      continue;
    }
    // The model alone does not remove a line of a list the article introduces.
    if (l.scored && p_of(l) >= remove_at_ && l.introduced && l.verdict == Verdict::kKeep && repeat == 0) {
      state[i] = 4;
      continue;
    }
    // A republication notice is the article's own (its licence may require
    // it): flagged at most, unless the list names the line.
    if (l.scored && p_of(l) >= remove_at_ && l.origin && l.verdict != Verdict::kKnown) {
      state[i] = 4;
      continue;
    }
    // A dateline naming a place ("LYON, FRANCE") right above a paragraph of
    // the article opens that paragraph's story: flagged at most.
    if (l.scored && p_of(l) >= remove_at_ && l.verdict == Verdict::kKeep && l.words <= 4 &&
        features_of(l)[fAllCaps] > 0 && features_of(l)[fDigits] == 0 && raw.find(',') != std::string_view::npos &&
        !has_wording(l)) {
      std::size_t k = i + 1;
      while (k < n && doc_[k].blank) ++k;
      if (k < n && doc_[k].prose) {
        state[i] = 4;
        continue;
      }
    }
    // The article's own headline: a line of 3-16 words at the top of the text
    // or at the article's head (fewer than three non-blank lines above the
    // first prose line), without a sentence ending, furniture wording, a
    // verdict of the hand rules or batch evidence.
    // When at least two of its content words (or its only one) recur in the
    // body, compared case-insensitively, and they are at least half of them,
    // it names what the article is about: kept, not flagged ("ACME <ACME>
    // WINS PATENT APPEAL" over "Acme Corp said it won an appeal..."). A menu,
    // a share bar or a section name shares no such words. Otherwise, at the
    // very top of the text and right above a line of figures (a table of
    // results under its headline), the model alone only flags it.
    if (l.scored && l.verdict == Verdict::kKeep && repeat == 0 && p_of(l) >= flag_at_ && features_of(l)[fBefore] > 0 &&
        l.words >= kMinHeadlineWords && l.words <= kMaxHeadlineWords && features_of(l)[fEndSentence] == 0 &&
        !has_wording(l) && (i == first_line || features_of(l)[fDistance] < kFarAboveBody)) {
      const std::size_t content = scored(l).content_end - scored(l).content_begin;
      const auto shared = static_cast<std::size_t>(std::lround(features_of(l)[fOverlap] * static_cast<float>(content)));
      if (content > 0 && shared * 2 >= content && (shared >= 2 || content == 1)) {
        p_of(l) = std::min(p_of(l), flag_at_ / 2);
        continue;
      }
      if (i == first_line && p_of(l) >= remove_at_ && figures_follow(i)) {
        state[i] = 4;
        top_line = 1;
        continue;
      }
    }
    ActionParts parts;
    std::pair<std::size_t, std::size_t> cut{0, 0};
    // A line the walk found no call in (walk_line()) is only looked at when
    // the model reads it as furniture (`deep`: `parts` is used).
    const bool deep = l.scored && p_of(l) >= remove_at_;
    if (l.words >= 4 && l.words <= kMaxActionWords && (deep || !l.quiet)) cut = call_to_action(raw, &parts, deep);
    if (l.scored && p_of(l) >= remove_at_) {
      // Do no harm: a line with sentences of prose besides a call to action
      // ("The pier reopens in June. Tell us your views.") is never removed
      // whole; a trailing call ending in an invitation or an address to the
      // reader is cut off at the sentence boundary, anything else is flagged.
      if (parts.call && parts.prose && l.verdict != Verdict::kKnown && l.verdict != Verdict::kCounter &&
          l.verdict != Verdict::kTimestamp) {
        if (parts.tail < raw.size()) {
          cut_list.push_back({i, parts.tail, raw.size()});
        } else {
          state[i] = 4;
          guarded[i] = 1;
        }
        continue;
      }
      // Furniture glued to the end of a sentence ("...a fair deal.Continue
      // reading"): the sentence is article text, only the tail goes.
      if (l.verdict != Verdict::kKnown && l.verdict != Verdict::kCounter && l.verdict != Verdict::kTimestamp) {
        const std::size_t tail = glued_tail(raw);
        if (tail != std::string_view::npos) {
          cut_list.push_back({i, tail, raw.size()});
          glued[i] = 1;
          continue;
        }
      }
      state[i] = 1;
      continue;
    }
    if (cut.second > cut.first) {
      if (cut.first == 0 && cut.second == raw.size()) {
        state[i] = 3;  // the whole line, as a call to action
      } else {
        cut_list.push_back({i, cut.first, cut.second});
      }
      continue;
    }
    if (l.scored && p_of(l) >= flag_at_ && outside) state[i] = 4;
  }
  // Removed lines take the blank lines after them along when paragraphs are
  // separated by blank lines, and furniture at the end takes the blank lines
  // before it, so no double gap and no trailing blank line is left.
  // Furniture comes in runs: short lines the model already leans towards
  // (p >= the flag threshold) outside the body, between two removed
  // furniture lines, are more items of the same menu or link list. A line
  // with a word of the article qualifies only when most of its content words
  // are not the article's, and away from the article's own head (three
  // non-blank lines or more above the first prose line) or below the body: a
  // headline shares words with its article and sits right above it.
  // Sentences, numbers, dates and links stay (they need wording).
  std::vector<std::uint8_t> between(n, 0);
  auto run_item = [&](std::size_t i) {
    const Line& l = doc_[i];
    if (!l.scored || (state[i] != 0 && state[i] != 4) || guarded[i] != 0 || (i == first_line && top_line != 0) ||
        cut_of(i).second > cut_of(i).first || p_of(l) < flag_at_ || l.introduced || l.words > kMaxBetweenWords ||
        features_of(l)[fVetoed] > 0 || features_of(l)[fEndSentence] > 0 || features_of(l)[fDigits] >= 0.1f ||
        features_of(l)[fDate] > 0 || features_of(l)[fLink] > 0 ||
        (features_of(l)[fBefore] == 0 && features_of(l)[fAfter] == 0))
      return false;
    return features_of(l)[fNoContent] > 0 ||
           (features_of(l)[fOverlap] < 0.5f &&
            (features_of(l)[fAfter] > 0 || features_of(l)[fDistance] >= kFarAboveBody));
  };
  for (std::size_t i = 0; i < n;) {
    if (doc_[i].blank || !run_item(i)) {
      ++i;
      continue;
    }
    std::size_t end = i;  // one past the run's last item
    for (std::size_t k = i; k < n && (doc_[k].blank || run_item(k)); ++k)
      if (!doc_[k].blank) end = k + 1;
    std::size_t before = i, after = end;
    while (before > 0 && doc_[before - 1].blank) --before;
    while (after < n && doc_[after].blank) ++after;
    // The page's first or last line bounds a run as a removed line does.
    const bool removed_before = before == 0 || state[before - 1] == 1;
    const bool removed_after = after == n || state[after] == 1;
    if (removed_before && removed_after && !(before == 0 && after == n) && end - i <= kMaxBetweenRun) {
      for (std::size_t k = i; k < end; ++k) {
        if (doc_[k].blank) continue;
        state[k] = 1;
        between[k] = 1;
      }
    }
    i = end;
  }
  // Runs of furniture: a block of lines outside the body that are all removed
  // or flagged (blank lines aside), holding at least one removed line, is one
  // stretch of site furniture (a menu, a share bar, a list of other stories),
  // unless it holds a line of figures without furniture wording or such a line
  // follows it within three lines (a table of results: "Net 1,204,000 vs
  // 988,000", with rows such as "Six mths" or "Shr four cts vs two cts"
  // between): then it is left as it is.
  // A line of it the model only flags (p between the flag and the remove
  // threshold, not held back by a rule) goes with the rest when it has at
  // most 16 words, no figures, date or link, and is not in a list the article
  // introduces or vetoed by quotes or a reporting verb. A sentence goes only
  // below the body and not as the first line under a kept one (an article's
  // closing sentence sits there). Above the body the line also needs fewer
  // than half of its content words in the body, and the line above the body
  // sharing most words with it (the article's headline, however far up)
  // stays.
  std::vector<std::uint8_t> in_run(n, 0);
  std::size_t headline = n;
  float headline_overlap = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const Line& l = doc_[i];
    if (!l.scored || features_of(l)[fBefore] == 0 || features_of(l)[fEndSentence] > 0 || l.words < kMinHeadlineWords ||
        l.words > kMaxHeadlineWords || features_of(l)[fOverlap] <= headline_overlap)
      continue;
    headline = i;
    headline_overlap = features_of(l)[fOverlap];
  }
  // `opens`: the line is the first of its run and a kept line lies above it.
  auto run_member = [&](std::size_t i, bool opens) {
    const Line& l = doc_[i];
    if (state[i] != 4 || !l.scored || i == headline || guarded[i] != 0 || p_of(l) < flag_at_ || p_of(l) >= remove_at_ ||
        l.introduced || l.words > kMaxRunWords || features_of(l)[fVetoed] > 0 ||
        (features_of(l)[fEndSentence] > 0 && (opens || features_of(l)[fAfter] == 0)) ||
        features_of(l)[fDigits] >= 0.1f || features_of(l)[fDate] > 0 || features_of(l)[fLink] > 0)
      return false;
    if (features_of(l)[fAfter] > 0) return true;
    return features_of(l)[fBefore] > 0 && features_of(l)[fOverlap] < 0.5f;
  };
  // A date alone, a line with a clock time or a byline with a date, held back
  // for want of furniture wording, above the body and right next to a line
  // removed with furniture wording (a byline, a share bar): the byline block's
  // date ("12 May 2019" under "By Jane Roe"), not article text. Other figures
  // keep needing wording of their own.
  auto held_beside = [&](std::size_t i, std::size_t first, std::size_t end) {
    const Line& l = doc_[i];
    if (state[i] != 4 || !l.scored || features_of(l)[fBefore] == 0 || p_of(l) < remove_at_ || guarded[i] != 0 ||
        l.introduced || l.origin || (i == first_line && top_line != 0) || l.words > kMaxBylineWords ||
        features_of(l)[fEndSentence] > 0 || features_of(l)[fVetoed] > 0 ||
        !(l.date_only || l.clock || features_of(l)[fByline] > 0))
      return false;
    std::size_t up = i, down = i + 1;
    while (up > first && doc_[up - 1].blank) --up;
    while (down < end && doc_[down].blank) ++down;
    auto credit = [&](std::size_t k) {
      return state[k] == 1 && doc_[k].scored && (has_wording(doc_[k]) || features_of(doc_[k])[fByline] > 0);
    };
    return (up > first && credit(up - 1)) || (down < end && credit(down));
  };
  for (std::size_t i = 0; i < n;) {
    if (doc_[i].blank || (state[i] != 1 && state[i] != 4)) {
      ++i;
      continue;
    }
    std::size_t end = i;
    std::size_t removed_lines = 0;
    bool figures = false;  // a line of figures without furniture wording, held back: a table's row
    for (std::size_t k = i; k < n && (doc_[k].blank || state[k] == 1 || state[k] == 4); ++k) {
      if (doc_[k].blank) continue;
      end = k + 1;
      removed_lines += state[k] == 1;
      const Line& l = doc_[k];
      figures = figures || (state[k] == 4 && l.scored && features_of(l)[fDigits] >= 0.1f &&
                            features_of(l)[fDate] == 0 && !has_wording(l));
    }
    // The next lines (up to three, before a prose line) may hold the table's figures.
    for (std::size_t k = end, seen = 0; k < n && seen < 3 && !figures && !doc_[k].prose; ++k) {
      if (doc_[k].blank) continue;
      ++seen;
      figures = figures_follow(k - 1);
    }
    if (removed_lines > 0 && !figures) {
      std::size_t above = i;  // a kept line lies above the run unless it starts the text
      while (above > 0 && doc_[above - 1].blank) --above;
      const bool kept_above = above > 0;
      // Marked first, removed after: each line is judged by the run as it was.
      for (std::size_t k = i; k < end; ++k)
        in_run[k] = !doc_[k].blank && (run_member(k, k == i && kept_above) || held_beside(k, i, end));
      for (std::size_t k = i; k < end; ++k)
        if (in_run[k] != 0) state[k] = 1;
    }
    i = end;
  }
  auto removed = [&](std::size_t i) { return state[i] == 1 || state[i] == 3; };
  bool after_gap = true;
  std::vector<std::uint8_t> takes_blank(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    if (doc_[i].blank) {
      after_gap = true;
      continue;
    }
    if (removed(i) && after_gap) {
      for (std::size_t j = i + 1; j < n && doc_[j].blank; ++j) takes_blank[j] = 1;
      continue;
    }
    after_gap = false;
  }
  std::size_t last_kept = n;
  for (std::size_t i = n; i-- > 0;) {
    if (!doc_[i].blank && !removed(i)) {
      last_kept = i;
      break;
    }
  }
  const std::size_t tail = last_kept == n ? 0 : last_kept + 1;
  std::size_t first_tail_removal = n;
  for (std::size_t i = tail; i < n && first_tail_removal == n; ++i) {
    if (removed(i)) first_tail_removal = i;
  }
  if (first_tail_removal != n) {
    for (std::size_t i = tail; i < n; ++i) {
      if (doc_[i].blank) takes_blank[i] = 1;
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    const Line& l = doc_[i];
    const auto cut = cut_of(i);
    if (cut.second > cut.first && glued[i] != 0) {
      out.push_back(make_change(
          l.begin + cut.first, l.begin + cut.second, "", std::string(kFurnitureRule),
          "Site furniture glued to the end of a sentence of article text: cut off at the join. " + reason(l, 0)));
      continue;
    }
    if (cut.second > cut.first) {
      out.push_back(make_change(l.begin + cut.first, l.begin + cut.second, "", std::string(kActionRule),
                                "A call to action (a question to the reader, an invitation to comment or share) "
                                "run into article text: cut off at the join."));
      continue;
    }
    if (state[i] == 4) {
      out.push_back(make_flag(
          l.begin, l.end, std::string(kUnsureRule),
          std::string(guarded[i] != 0 ? "Maybe site furniture; left in place (a call to the reader on the same "
                                        "line as sentences of article text). "
                      : l.introduced && p_of(l) >= remove_at_ ? "Maybe site furniture; left in place (in a list the "
                                                                "article introduces with a colon). "
                                                              : "Maybe site furniture; left in place. ") +
              reason(l, 0)));
      continue;
    }
    if (!removed(i)) continue;
    std::size_t begin = l.begin;
    if (i == first_tail_removal) begin = last_kept == n ? 0 : doc_[last_kept].end + 1;
    std::size_t j = i + 1;
    while (j < n && doc_[j].blank && takes_blank[j]) ++j;
    const std::size_t end = j < n ? doc_[j].begin : text.size();
    std::string_view rule = kFurnitureRule;
    if (state[i] == 3) {
      out.push_back(make_change(begin, end, "", std::string(kActionRule),
                                "A call-to-action paragraph (questions to the reader ending in an invitation to "
                                "comment or share, or the site promoting its own coverage), not article text."));
      continue;
    }
    if (l.verdict == Verdict::kKnown) rule = kKnownRule;
    if (l.verdict == Verdict::kCounter) rule = kCounterRule;
    if (l.verdict == Verdict::kTimestamp) rule = kTimestampRule;
    std::string why = reason(l, repeats_of(i));
    if (between[i]) why += " Between two furniture lines, in a run of such lines.";
    if (in_run[i]) why += " In a run of furniture lines with removed ones; only flagged on its own.";
    out.push_back(make_change(begin, end, "", std::string(rule), why));
  }
  // A huge document's per-line buffers are not kept for the next ones (nor
  // while the later stages run).
  constexpr std::size_t kMaxKeptLines = 1 << 14;
  if (doc_.capacity() > kMaxKeptLines) {
    std::vector<Line>().swap(doc_);
    std::vector<Scored>().swap(features_);
    std::vector<std::uint64_t>().swap(content_);
    std::vector<std::array<std::uint64_t, 16>>().swap(sigs_);
  }
}

}  // namespace copydesk
