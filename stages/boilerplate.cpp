#include "stages/boilerplate.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

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

// ASCII letters and digits: alnum() of an ASCII code point, read from a table.
constexpr std::array<bool, 128> kAsciiAlnum = [] {
  std::array<bool, 128> t{};
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
    const std::size_t p = prev_start(s, e);
    if (!is_space(decode_at(s, p))) break;
    e = p;
  }
  return s.substr(b, e - b);
}

bool is_blank(std::string_view line) { return trim_space(line).empty(); }

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
    if (!is("last") && !is("first") && !is("updated") && !is("published") && !is("posted")) return false;
  }
  std::vector<std::string> words;
  std::string word;
  for (std::size_t i = 0; i <= line.size(); ++i) {
    if (i == line.size() || ascii_space(line[i])) {
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
      static constexpr std::array<std::string_view, 8> kKinds = {"exact",  "prefix", "term", "social",
                                                                 "strong", "self",   "verb", "ui"};
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
    if (kind == "exact") {
      exact_.emplace(trim_to_alnum(norm_));
    } else if (kind == "prefix") {
      const bool label = !alnum(decode_before(norm_, norm_.size()));
      prefixes_by_byte_[static_cast<unsigned char>(norm_[0])].push_back(static_cast<std::uint32_t>(prefixes_.size()));
      prefixes_.push_back({norm_, label});
    } else {
      // Vocabulary is matched on words, so store it the way words_ spells a line.
      tokenize();
      const std::string phrase = words_.size() >= 2 ? words_.substr(1, words_.size() - 2) : std::string();
      if (kind == "verb") {
        verbs_.insert(phrase);
      } else if (kind == "ui") {
        ui_.insert(phrase);
      } else {
        auto& list = kind == "term" ? terms_ : kind == "social" ? social_ : kind == "strong" ? strong_ : self_;
        list.push_back(padded(phrase));
        if ((kind == "term" || kind == "social") && phrase.find(' ') == std::string::npos) {
          single_terms_.insert(phrase);
        }
      }
    }
  }
  index_phrases();
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
  for (std::size_t t = 0; t < tokens_.size(); ++t) {
    if (kReportingVerbList.contains(token(t))) return true;
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
    if (words > kShortLineWords && !is_year(run)) return true;
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
  find_phrases();
  const int label = label_signal();
  if (label == 0 && vetoed(line, words)) return false;
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

  // F: the page naming itself.
  const int self = any_hit(kSelf, all.size()) ? 1 : 0;

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

BoilerplateStage::Verdict BoilerplateStage::classify(std::string_view raw) {
  const std::string_view line = trim_space(raw);
  if (line.empty() || line.front() == '|') return Verdict::kKeep;
  const std::size_t words = count_words_capped(line, kMaxLineWords);
  if (words > kMaxLineWords) return Verdict::kKeep;
  if (is_counter(line)) return Verdict::kCounter;
  if (is_timestamp(line)) return Verdict::kTimestamp;

  normalize(line);
  if (exact_.find(trim_to_alnum(norm_)) != exact_.end()) return Verdict::kKnown;
  // The words of a longer line are not needed: matches_prefix() only looks
  // at them (in vetoed()) on a line of at most kMaxBarePrefixWords words.
  static_assert(kMaxBarePrefixWords <= kMaxFurnitureWords);
  if (words <= kMaxFurnitureWords) tokenize();
  if (matches_prefix(words)) return Verdict::kKnown;
  if (words > kMaxFurnitureWords) return Verdict::kKeep;
  return is_furniture(line, words) ? Verdict::kFurniture : Verdict::kKeep;
}

void BoilerplateStage::propose(std::string_view text, std::vector<Edit>& out) {
  const std::vector<Span> lines = split_lines(text);
  const std::size_t n = lines.size();
  // Per line: 0 kept, 1 removed furniture, 2 a blank line removed with the furniture above it.
  std::vector<std::uint8_t> state(n, 0);
  std::vector<Verdict> verdict(n, Verdict::kKeep);
  std::vector<bool> blank(n, false);

  // In a text whose paragraphs are separated by blank lines, a furniture line
  // takes the blank line after it along, so that no double gap is left.
  bool after_gap = true;  // the start of the text counts as a gap
  for (std::size_t i = 0; i < n;) {
    const std::string_view line = text.substr(lines[i].begin, lines[i].size());
    blank[i] = is_blank(line);
    if (blank[i]) {
      after_gap = true;
      ++i;
      continue;
    }
    verdict[i] = classify(line);
    if (verdict[i] == Verdict::kKeep) {
      after_gap = false;
      ++i;
      continue;
    }
    state[i] = 1;
    std::size_t j = i + 1;
    if (after_gap) {
      while (j < n && is_blank(text.substr(lines[j].begin, lines[j].size()))) {
        blank[j] = true;
        state[j] = 2;
        ++j;
      }
    }
    i = j;
  }

  // Furniture at the end of the text: the blank lines before it go too. The
  // last kept line keeps its '\n', which becomes the text's final newline.
  std::size_t last_kept = n;  // n: none
  for (std::size_t i = n; i-- > 0;) {
    if (state[i] == 0 && !blank[i]) {
      last_kept = i;
      break;
    }
  }
  const std::size_t tail = last_kept == n ? 0 : last_kept + 1;
  std::size_t first_tail_removal = n;
  for (std::size_t i = tail; i < n; ++i) {
    if (state[i] == 1) {
      first_tail_removal = i;
      break;
    }
  }
  if (first_tail_removal != n) {
    for (std::size_t i = tail; i < n; ++i) {
      if (state[i] == 0) state[i] = 2;
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (state[i] != 1) continue;
    std::size_t begin = lines[i].begin;
    if (i == first_tail_removal) {
      begin = last_kept == n ? 0 : lines[last_kept].end + 1;
    }
    std::size_t j = i + 1;
    while (j < n && state[j] == 2) ++j;
    const std::size_t end = j < n ? lines[j].begin : text.size();
    std::string_view rule = kKnownRule;
    std::string_view reason =
        "Known site furniture line (ad label, prompt, navigation or form text), not article text.";
    if (verdict[i] == Verdict::kFurniture) {
      rule = kFurnitureRule;
      reason = "Short line reads as site furniture (call to action, share or comment prompt, menu), not article text.";
    } else if (verdict[i] == Verdict::kCounter) {
      rule = kCounterRule;
      reason = "Bare view or like counter, not article text.";
    } else if (verdict[i] == Verdict::kTimestamp) {
      rule = kTimestampRule;
      reason = "The page's own timestamp (updated, published), not article text.";
    }
    out.push_back(make_change(begin, end, "", std::string(rule), std::string(reason)));
  }
}

}  // namespace copydesk
