#include "stages/sentences.h"

#include <string.h>  // memmem (POSIX 2024, glibc, BSD, macOS)

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "pipeline/apply.h"

namespace copydesk {

namespace {

constexpr std::string_view kCamelRule = "glued-camel";
constexpr std::string_view kPeriodRule = "glued-period";
constexpr std::string_view kLowercaseRule = "glued-lowercase";
constexpr std::string_view kFinalRule = "final-period";
constexpr std::string_view kListRule = "glued-list-item";
constexpr std::string_view kNameRule = "glued-name";

// Sentence-case headings run up to about ten words; glued to a paragraph
// they must not be taken for its last sentence.
constexpr std::size_t kMaxGluedHeadingWords = 12;

// word_count() and token_count() search the document for their word (a few
// fast scans) up to this many times per document; past it they build the
// index, so a document with many candidates stays linear.
constexpr std::size_t kMaxDirectQueries = 8;

// Glued-sentence evidence from the corpus statistics (english_words.tsv):
// odds = kGlueOdds * end_ratio(left) * open_odds(right). kGlueOdds is the
// assumed excess of lost breaks at sentence ends over lost spaces inside a
// sentence in scraped text (a lower->upper hump in prose); the corpus measures
// the rest. At kSplitOdds (p >= 0.95) the break is inserted, from kFlagOdds
// (p >= 0.5) it is flagged.
constexpr double kGlueOdds = 10.0;
constexpr double kSplitOdds = 20.0;
constexpr double kFlagOdds = 1.0;
// Left pieces that end sentences less than a quarter as often as the average
// word ("the", "of", "my", "is") never end one before a glue.
constexpr double kMinEndRatio = 0.25;
// After an ellipsis or a straight quote that parity makes a closing one, the
// next word must open sentences this much more often than it stands
// capitalised inside one ("The", "But", "It"), since both also run on inside
// a sentence ("wait... Monday", `the "Good." Life`).
constexpr double kStrongOpenOdds = 5.0;
// Verse: where the trigram model finds a line's sentence this much more
// likely to go on into the next (capitalised) line than to end (odds of a
// break under 1 to 10), a missing final period is only flagged.
constexpr double kContinueOdds = 0.1;
// The longest unit or scale word written after a figure ("dlrs", "mln", "pct").
constexpr std::size_t kMaxUnitLetters = 5;
// The longest lead-in before a list's first item on the same line ("Steps: 1) ...").
constexpr std::size_t kMaxLeadInWords = 6;
constexpr std::size_t kMaxLeadInBytes = 80;
// The trigram model (pipeline/ngram_model.h) is a second, independent
// estimate of the same odds: a break is inserted when both reach kSplitOdds,
// or when the corpus odds are in the flag band and the trigram odds reach
// kSureOdds (p >= 0.99). Measured on two files of Reuters stories (a
// lower-case word, then a capitalised one): the splits of a lost space inside
// a sentence ("said Xerox", "lead manager First Boston") fell from 39 to 12
// and from 29 to 14, the lost sentence breaks found went from 236 to 234 and
// from 210 to 213.
constexpr double kSureOdds = 100.0;
// Sentence lengths (dictionaries/sentence_lengths.txt, from the Brown corpus)
// are a third estimate for a camel glue: a break leaves two sentences of
// ordinary length on either side, a space lost inside a sentence one of
// their summed length. Lengths past kMaxSentenceWords count as that; a scan
// for the sentence's ends stops there too.
constexpr std::size_t kMaxSentenceWords = 150;
// A lower-case piece the lexicon lacks is taken for a misspelt word when it
// has at least kMinTypoLetters letters and is one edit from a dictionary word,
// or kMinTwoEditLetters and two edits: shorter strings are near some word by
// chance ("qzx").
constexpr std::size_t kMinTypoLetters = 5;
constexpr std::size_t kMinTwoEditLetters = 8;
// Particles of names ("de", "van", "von", "del") have at most this many letters.
constexpr std::size_t kMaxParticleLetters = 3;
// A left piece the corpus has seen this often is a common word, not a brand.
constexpr std::uint32_t kCommonWord = 5;
// A common word written in lower case inside sentences: Brown capitalises it
// there in at most one of kLowerShare uses ("sales" 3 of 126, "dinner" 0 of 90).
constexpr std::uint32_t kLowerShare = 10;
// A word that ends sentences: at least this many times as often as the
// average word (end_ratio: "again", "lot", "today"; not "vim", unseen, 1).
constexpr double kEndsSentences = 2.0;
// A camel glue before a name after a word that ends a noun phrase (a
// sentence end kNounEndOdds times as likely as "the" after it) splits at
// trigram odds times glue excess times length ratio of kNameBreakOdds.
constexpr double kNounEndOdds = 5.0;
constexpr double kNameBreakOdds = 30.0;

// Characters news prose does not use but code, markup and tables do.
constexpr std::string_view kCodeLineChars = "={}`<>|\\";

// Byte classes for propose()'s candidate scan.
// The classes before kUpperByte never start a candidate (boring()).
enum ByteClass : std::uint8_t { kOtherByte, kLowerByte, kSpaceByte, kUpperByte, kStopByte, kCodeByte, kMultiByte };
constexpr std::array<ByteClass, 256> kByteClass = [] {
  std::array<ByteClass, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] = kLowerByte;
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<std::size_t>(c)] = kUpperByte;
  for (const char c : {'.', '!', '?'}) t[static_cast<unsigned char>(c)] = kStopByte;
  for (const char c : {' ', '\t', '\r'}) t[static_cast<unsigned char>(c)] = kSpaceByte;
  for (const char c : kCodeLineChars) t[static_cast<unsigned char>(c)] = kCodeByte;
  for (std::size_t c = 0x80; c < 256; ++c) t[c] = kMultiByte;
  return t;
}();

bool boring(char c) { return kByteClass[static_cast<unsigned char>(c)] < kUpperByte; }

#ifdef __SSE2__
// Bytes of `b` in [lo, lo + width): 0xFF lanes.
__m128i in_range(__m128i b, char lo, char width) {
  const __m128i t = _mm_sub_epi8(b, _mm_set1_epi8(lo));
  return _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8(static_cast<char>(width - 1))), t);
}
#endif

// The first offset in [i, end) that propose()'s candidate scan must look at,
// skipping 16 bytes a step where SSE2 is available (the scan's own byte loop
// does the rest). Skipped are the boring() bytes and two common bytes that
// start nothing: a capital after a space (a space is not a lower-case letter,
// nor the end of a multi-byte one, so after_lower() is false) and a '.'
// before a space (a stop before a token space adds no candidate). Anything
// else is a hit, even when the scan will do nothing with it ('?' is tested as
// part of the range '<'..'?'). A block is tested only with its previous byte
// in the line (i > begin) and its next byte too (i + 16 < end).
std::size_t skip_quiet(const char* text, std::size_t i, std::size_t begin, std::size_t end) {
#ifdef __SSE2__
  if (i == begin) return i;
  const __m128i space = _mm_set1_epi8(' ');
  while (i + 16 < end) {
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text + i));
    const __m128i prev = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text + i - 1));
    const __m128i next = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text + i + 1));
    const __m128i upper = in_range(b, 'A', 26);
    const __m128i period = _mm_cmpeq_epi8(b, _mm_set1_epi8('.'));
    // kByteClass's non-boring bytes: capitals, stops, kCodeLineChars, >= 0x80.
    const __m128i loud = _mm_or_si128(
        _mm_or_si128(_mm_or_si128(upper, period), _mm_or_si128(in_range(b, '<', 4), in_range(b, '{', 3))),
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(b, _mm_set1_epi8('!')), _mm_cmpeq_epi8(b, _mm_set1_epi8('`'))),
                     _mm_or_si128(_mm_cmpeq_epi8(b, _mm_set1_epi8('\\')), _mm_cmplt_epi8(b, _mm_setzero_si128()))));
    const __m128i quiet = _mm_or_si128(_mm_and_si128(upper, _mm_cmpeq_epi8(prev, space)),
                                       _mm_and_si128(period, _mm_cmpeq_epi8(next, space)));
    const int mask = _mm_movemask_epi8(_mm_andnot_si128(quiet, loud));
    if (mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
    i += 16;
  }
#else
  (void)text;
  (void)begin;
  (void)end;
#endif
  return i;
}

// ASCII bytes that check_final_period()'s scan only counts as word bytes:
// not white space (is_space), not a byte its switch or stop test looks at.
constexpr std::array<bool, 256> kFinalPlain = [] {
  std::array<bool, 256> t{};
  for (std::size_t c = 0; c < 0x80; ++c) t[c] = true;
  for (const char c : {' ', '\t', '\n', '\r', '\f', '\v', '|', ',', ';', '(', ')', '.', '!', '?'})
    t[static_cast<unsigned char>(c)] = false;
  return t;
}();

constexpr std::array<std::string_view, 19> kMonthsAndDays = {
    "January",  "February", "March",  "April",   "May",       "June",     "July",   "August",   "September", "October",
    "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

// Top-level domains that are also English words: "resignation.in a" is a
// glued sentence, "amazon.in" is a domain. Split these only on strong evidence.
constexpr std::array<std::string_view, 20> kWordDomains = {"in",   "it",    "is",   "me",   "us",  "at",  "be",
                                                           "to",   "do",    "no",   "so",   "am",  "my",  "by",
                                                           "news", "store", "shop", "blog", "one", "live"};

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool is_stop(char c) { return c == '.' || c == '!' || c == '?'; }

bool is_token_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// The separators of the document index's tokens: a line break ends one too.
bool is_index_space(char c) { return is_token_space(c) || c == '\n'; }

// The first occurrence of `needle` in `s` at or after `from` (npos if none).
// memmem skips ahead on byte pairs where string_view::find stops at every
// byte equal to the needle's first one (a lower-case letter: every word).
std::size_t find_bytes(std::string_view s, std::string_view needle, std::size_t from) {
  if (from > s.size()) return std::string_view::npos;
  const void* hit = memmem(s.data() + from, s.size() - from, needle.data(), needle.size());
  return hit == nullptr ? std::string_view::npos : static_cast<std::size_t>(static_cast<const char*>(hit) - s.data());
}

bool is_opening_quote(char32_t c) { return c == 0x201C || c == 0x2018 || c == 0xAB; }
bool is_closing_quote(char32_t c) { return c == 0x201D || c == 0x2019 || c == 0xBB; }

// Punctuation allowed before a word inside a token: "(word", "“word".
bool is_leading_punct(char32_t c) { return c == '(' || c == '[' || c == '"' || c == '\'' || is_opening_quote(c); }

// Punctuation allowed after a word inside a token: "word),", "word.”".
bool is_trailing_punct(char32_t c) {
  return c == ')' || c == ']' || c == '"' || c == '\'' || c == ',' || c == ';' || c == ':' || c == '.' || c == '!' ||
         c == '?' || is_closing_quote(c);
}

// The shape of a line as add_final_period() weighs it against its neighbours.
enum class LineEnd { kNone, kStop, kOpen };
struct LineShape {
  std::size_t words = 0;
  bool marked = false;      // a list item, quote, table row or attribution ("- ", "* ", "> ", "| ", "-- ")
  bool comparable = false;  // shaped like the prose paragraphs final-period judges
  LineEnd end = LineEnd::kNone;
};

// Prose-shaped lines: at least kProseWords words with a comma, semicolon or
// sentence end inside, or kLongProseWords words (check_final_period()'s gate).
constexpr std::size_t kProseWords = 8;
constexpr std::size_t kLongProseWords = 15;
// A short line (verse, a chat turn, a note) has kMinShortWords words and
// fewer than kProseWords.
constexpr std::size_t kMinShortWords = 3;
// Within a block of adjacent lines (no blank line between) the block's own
// comparable lines decide when there are at least this many; else the
// document's.
constexpr std::size_t kMinBlockLines = 3;
// A block of at least this many short lines, three quarters of them without
// a stop, and no more prose-shaped lines than short ones, reads as verse.
constexpr std::size_t kMinVerseLines = 4;

bool closes_line(char32_t c) { return c == ')' || c == ']' || c == '"' || c == '\'' || is_closing_quote(c); }

std::size_t utf8_length(char32_t c) { return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4; }

LineShape line_shape(std::string_view s, std::size_t b, std::size_t e) {
  LineShape r;
  while (b < e && is_token_space(s[b])) ++b;
  while (e > b && is_token_space(s[e - 1])) --e;
  if (b == e) return r;
  const char32_t first = decode_at(s, b);
  r.marked = first == '-' || first == '*' || first == '>' || first == '#' || first == '|' || first == 0x2022 ||
             first == 0x00B7 || first == 0x2013 || first == 0x2014 || first == 0x25AA;
  bool separated = false;
  bool in_word = false;
  std::size_t len = 0;
  for (std::size_t i = b; i < e; i += len) {
    const char32_t c = decode_at(s, i, &len);
    if (c == ' ' || c == '\t') {
      in_word = false;
      continue;
    }
    if (!in_word) ++r.words;
    in_word = true;
    if (c == ',' || c == ';') {
      separated = true;
    } else if (c == '.' || c == '!' || c == '?') {
      std::size_t j = i + len;
      std::size_t l2 = 0;
      while (j < e && closes_line(decode_at(s, j, &l2))) j += l2;
      std::size_t k = j;
      while (k < e && s[k] == ' ') ++k;
      if (k > j && k < e) {
        const char32_t nc = decode_at(s, k);
        if (is_upper(nc) || is_digit(nc) || nc == '"' || is_opening_quote(nc)) separated = true;
      }
    }
  }
  r.comparable = !r.marked && (r.words >= kLongProseWords || (r.words >= kProseWords && separated));
  while (e > b && closes_line(decode_before(s, e))) e -= utf8_length(decode_before(s, e));
  if (e == b) return r;
  const char32_t last = decode_before(s, e);
  if (last == '.' || last == '!' || last == '?' || last == 0x2026) {
    r.end = LineEnd::kStop;
  } else if (is_letter(last) || is_digit(last) || last == ',' || last == ';') {
    r.end = LineEnd::kOpen;
  }
  return r;
}

// A short line that ends without a stop: a verse line, a chat turn, a note.
bool short_open(const LineShape& shape) {
  return !shape.marked && shape.words >= kMinShortWords && shape.words < kProseWords && shape.end == LineEnd::kOpen;
}

// Characters that mark code, paths, URLs or e-mails: no sentence lives there.
bool is_code_char(char c) {
  return c == '/' || c == '\\' || c == '_' || c == '@' || c == '=' || c == '<' || c == '>' || c == '{' || c == '}' ||
         c == '#' || c == '|' || c == '~' || c == '^' || c == '*' || c == '+';
}

std::size_t letters_end(std::string_view s, std::size_t i, std::size_t end) {
  std::size_t len = 0;
  while (i < end && is_letter(decode_at(s, i, &len))) i += len;
  return i;
}

std::size_t letters_begin(std::string_view s, std::size_t i, std::size_t begin) {
  while (i > begin) {
    const std::size_t p = prev_start(s, i);
    if (!is_letter(decode_at(s, p))) break;
    i = p;
  }
  return i;
}

// How many words of the current sentence come before byte `at` (up to
// `limit`): tokens back to the line start or to one ending a sentence.
std::size_t sentence_words_before(std::string_view s, std::size_t line_begin, std::size_t at, std::size_t limit) {
  std::size_t n = 0;
  std::size_t i = at;
  while (n < limit) {
    while (i > line_begin && is_token_space(s[i - 1])) --i;
    if (i == line_begin) break;
    const std::size_t te = i;
    while (i > line_begin && !is_token_space(s[i - 1])) --i;
    std::size_t k = te;
    while (k > i &&
           (s[k - 1] == '"' || s[k - 1] == '\'' || s[k - 1] == ')' || static_cast<unsigned char>(s[k - 1]) >= 0x80))
      --k;  // closing quotes and brackets (multi-byte ones too) before the stop
    // A stop ends the sentence unless the token is a dotted abbreviation
    // ("U.S.", "I.B.M."): those stand inside sentences too.
    if (k > i && is_stop(s[k - 1]) && std::memchr(s.data() + i, '.', k - 1 - i) == nullptr) break;
    ++n;
  }
  return n;
}

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// "Word": an upper-case letter then only lower-case letters (at least one).
bool is_capitalised_word(std::string_view w) {
  std::size_t len = 0;
  if (w.empty() || !is_upper(decode_at(w, 0, &len))) return false;
  if (len >= w.size()) return false;
  for (std::size_t i = len; i < w.size(); i += len)
    if (!is_lower(decode_at(w, i, &len))) return false;
  return true;
}

bool all_upper(std::string_view w) {
  std::size_t len = 0;
  for (std::size_t i = 0; i < w.size(); i += len)
    if (!is_upper(decode_at(w, i, &len))) return false;
  return !w.empty();
}

bool all_lower(std::string_view w) {
  std::size_t len = 0;
  for (std::size_t i = 0; i < w.size(); i += len)
    if (!is_lower(decode_at(w, i, &len))) return false;
  return !w.empty();
}

// The token with leading and trailing non-alphanumerics and a final "'s" removed.
std::string_view strip_token(std::string_view t) {
  std::size_t b = 0;
  std::size_t e = t.size();
  std::size_t len = 0;
  while (b < e) {
    const char32_t c = decode_at(t, b, &len);
    if (is_letter(c) || is_digit(c)) break;
    b += len;
  }
  while (e > b) {
    const std::size_t p = prev_start(t, e);
    const char32_t c = decode_at(t, p);
    if (is_letter(c) || is_digit(c)) break;
    e = p;
  }
  std::string_view s = t.substr(b, e - b);
  if (ends_with(s, "'s"))
    s.remove_suffix(2);
  else if (ends_with(s, "\xE2\x80\x99s"))
    s.remove_suffix(4);
  return s;
}

}  // namespace

SentencesStage::SentencesStage(Resources& resources)
    : lexicon_(resources.lexicon()), stats_(resources.english_stats()) {
  auto load = [&resources](const std::string& file, WordSet& set) {
    for (const auto& line : resources.dictionary(file)) set.insert(line.text);
  };
  load("sentence_abbreviations.txt", abbreviations_);
  load("sentence_non_final.txt", non_final_);
  load("domain_suffixes.txt", domain_suffixes_);
  {
    // "length<TAB>sentences": log P(length), smoothed by half a sentence.
    std::vector<double> counts(kMaxSentenceWords + 1, 0.5);
    for (const auto& line : resources.dictionary("sentence_lengths.txt")) {
      const std::size_t tab = line.text.find('\t');
      const std::size_t n = std::strtoul(line.text.c_str(), nullptr, 10);
      if (tab == std::string::npos || n == 0) continue;
      counts[std::min(n, kMaxSentenceWords)] += std::strtod(line.text.c_str() + tab + 1, nullptr);
    }
    double total = 0.0;
    for (std::size_t n = 1; n <= kMaxSentenceWords; ++n) total += counts[n];
    log_length_.assign(kMaxSentenceWords + 1, 0.0);
    for (std::size_t n = 1; n <= kMaxSentenceWords; ++n) log_length_[n] = std::log(counts[n] / total);
  }
  auto add_name = [this](const std::string& name) {
    names_.insert(name);
    names_lower_.insert(to_lower(name));
    // The words of a multi-word name ("Kai-Fu Lee") are protected too.
    std::size_t b = 0;
    while (b < name.size()) {
      std::size_t e = name.find_first_of(" -", b);
      if (e == std::string::npos) e = name.size();
      if (e > b && e - b < name.size()) {
        names_.insert(name.substr(b, e - b));
        names_lower_.insert(to_lower(name.substr(b, e - b)));
      }
      b = e + 1;
    }
  };
  for (const auto& entry : resources.names()) {
    add_name(entry.canonical);
    for (const auto& v : entry.variants) add_name(v);
  }
}

std::string_view SentencesStage::description() const {
  return "Splits sentences glued together (attentionIts, challenged.The, losses.microsoft) and ends prose "
         "paragraphs with a period";
}

std::vector<RuleInfo> SentencesStage::rules() const {
  return {
      {kCamelRule,
       "\"attentionIts rise\" -> \"attention. Its rise\" when corpus statistics make the break likely (flags "
       "weaker cases); leaves names with inner capitals alone (DeepSeek, iPhone, YouTube, names used "
       "consistently in the document)"},
      {kPeriodRule,
       "\"challenged.The\" -> \"challenged. The\", \"the U.S.On\" -> \"the U.S. On\"; leaves URLs, domains, "
       "file names, decimals and abbreviations alone"},
      {kLowercaseRule,
       "\"losses.microsoft fell\" -> \"losses. Microsoft fell\"; leaves domains (openai.com, amazon.in), file "
       "names and abbreviations (e.g.) alone"},
      {kListRule,
       "\"1) Mix the flour2) Add water\" -> \"flour 2) Add\": list items on one line, each number or letter in "
       "order, glued to the item before"},
      {kNameRule,
       "\"ofLisbon\" -> \"of Lisbon\": a space lost between a word that never ends a sentence and the name "
       "after it"},
      {kFinalRule,
       "adds the final period a prose paragraph lost; leaves headlines, datelines, captions, short or "
       "title-case lines, table rows and list items alone"},
  };
}

bool SentencesStage::known_any_case(std::string_view word) {
  if (lexicon_.known(word)) return true;
  if (!all_lower(word)) return false;
  scratch_ = capitalize(word);
  return lexicon_.known(scratch_);
}

bool SentencesStage::misspelt_word(std::string_view word) {
  const std::size_t n = code_points(word);
  if (n < kMinTypoLetters || !all_lower(word) || known_any_case(word)) return false;
  near_.clear();
  lexicon_.near_words(word, n >= kMinTwoEditLetters ? 2 : 1, near_);
  return !near_.empty();
}

bool SentencesStage::dotted_family(std::string_view left, std::size_t right_begin) const {
  const std::string_view s = doc_;
  const std::size_t n = left.size();
  for (std::size_t at = s.find(left); at != std::string_view::npos; at = s.find(left, at + 1)) {
    const std::size_t dot = at + n;
    if (dot + 1 >= s.size() || s[dot] != '.' || dot + 1 == right_begin) continue;
    if (!(s[dot + 1] >= 'a' && s[dot + 1] <= 'z')) continue;
    if (at > 0 && (is_letter(decode_before(s, at)) || s[at - 1] == '.')) continue;  // inside a longer word
    return true;
  }
  return false;
}

bool SentencesStage::is_name(std::string_view word) const {
  if (names_.find(word) != names_.end()) return true;
  return names_lower_.find(to_lower(word)) != names_lower_.end();
}

double SentencesStage::lm_break_odds(std::string_view l2, std::string_view l1, std::string_view r, std::string_view n,
                                     bool capital_says_nothing) {
  if (lm_failed_) return -1.0;
  if (!lm_) {
    try {
      lm_ = NgramModel::shared();
    } catch (const std::exception&) {
      lm_failed_ = true;  // no model installed: the corpus statistics decide alone
      return -1.0;
    }
  }
  const NgramModel& lm = *lm_;
  auto id = [&lm](std::string_view w) { return w.empty() ? NgramModel::kNone : lm.id(to_lower(w)); };
  const int wr = id(r);
  if (wr == NgramModel::kNone) return -1.0;
  const int start = lm.id("<s>");
  const int stop = lm.id("</s>");
  const int w1 = id(l1);
  const int w2 = w1 == NgramModel::kNone ? NgramModel::kNone : id(l2);
  const int wn = id(n);
  double brk = static_cast<double>(lm.log10_prob(w2, w1, stop)) + lm.log10_prob(NgramModel::kNone, start, wr);
  double cont = lm.log10_prob(w2, w1, wr);
  if (wn != NgramModel::kNone) {
    brk += lm.log10_prob(start, wr, wn);
    cont += lm.log10_prob(w1, wr, wn);
  }
  // The model is lower case: a capital inside a sentence is the corpus's
  // share of capitalised use of `r` there (smoothed toward one half; a
  // sentence start is always capitalised).
  if (capital_says_nothing) return std::pow(10.0, brk - cont);
  const WordStats* ws = stats_.find(r);
  const double cap = ws != nullptr ? ws->cap_mid : 0.0;
  const double low = ws != nullptr ? ws->low_mid : 0.0;
  return std::pow(10.0, brk - cont) * (cap + low + 2.0) / (cap + 1.0);
}

bool SentencesStage::noun_phrase_end(std::string_view l2, std::string_view l1) {
  if (lm_break_odds({}, {}, "the", {}) < 0.0) return false;  // loads the model
  const NgramModel& lm = *lm_;
  const int w1 = lm.id(to_lower(l1));
  if (w1 == NgramModel::kNone) return false;
  const int w2 = l2.empty() ? NgramModel::kNone : lm.id(to_lower(l2));
  const double stop = lm.log10_prob(w2, w1, lm.id("</s>"));
  // An object or a clause goes on after a verb: "the" ("urge the"), "that"
  // ("saying that").
  const double the = lm.log10_prob(w2, w1, lm.id("the"));
  const double that = lm.log10_prob(w2, w1, lm.id("that"));
  return stop - std::max(the, that) >= std::log10(kNounEndOdds);
}

bool SentencesStage::lm_knows(std::string_view word) {
  if (lm_break_odds({}, {}, word, {}) < 0.0) return false;  // loads the model; negative when it lacks the word
  return lm_->id(to_lower(word)) != NgramModel::kNone;
}

std::string_view SentencesStage::word_before(Span line, std::size_t at) const {
  const std::string_view s = doc_;
  std::size_t e = at;
  while (e > line.begin && is_token_space(s[e - 1])) --e;
  if (e > line.begin && s[e - 1] == ',') --e;  // a comma stays inside the sentence
  const std::size_t b = letters_begin(s, e, line.begin);
  if (b == e) return {};
  if (b > line.begin && !is_token_space(s[b - 1]) && !is_leading_punct(decode_before(s, b))) return {};
  return s.substr(b, e - b);
}

bool SentencesStage::figure_before(Span line, std::size_t at) const {
  const std::string_view s = doc_;
  // The token before `at`, and the one before that when the first is a short
  // lower-case scale word ("20 mln dlrs", "5 bn").
  std::size_t e = at;
  for (int n = 0; n < 2; ++n) {
    while (e > line.begin && is_token_space(s[e - 1])) --e;
    std::size_t b = e;
    while (b > line.begin && !is_token_space(s[b - 1])) --b;
    if (b == e) return false;
    const std::string_view t = s.substr(b, e - b);
    if (is_digit(static_cast<unsigned char>(t.back()))) {
      std::size_t f = 0;
      while (f < t.size() && !is_digit(static_cast<unsigned char>(t[f]))) ++f;
      return f <= 3 && t.find_first_not_of("0123456789.,", f) == std::string_view::npos;  // "$4.50", "5,000"
    }
    if (!all_lower(t) || code_points(t) > kMaxUnitLetters) return false;
    e = b;
  }
  return false;
}

bool SentencesStage::lone_word_before_lower(std::string_view right, Span line, std::size_t at) const {
  if (right != "I" && right != "A") return false;
  const std::string_view next = word_after(line, at);
  return !next.empty() && all_lower(next) && at < line.end && is_token_space(doc_[at]);
}

std::size_t SentencesStage::word_after_begin(Span line, std::size_t at) const {
  std::size_t b = at;
  while (b < line.end && is_token_space(doc_[b])) ++b;
  std::size_t len = 0;
  while (b < line.end && is_leading_punct(decode_at(doc_, b, &len))) b += len;
  return b;
}

bool SentencesStage::capital_follows(Span line, std::size_t at) const {
  const std::size_t b = word_after_begin(line, at);
  return b < line.end && is_upper(decode_at(doc_, b));
}

std::string_view SentencesStage::word_after(Span line, std::size_t at) const {
  const std::string_view s = doc_;
  std::size_t b = at;
  while (b < line.end && is_token_space(s[b])) ++b;
  std::size_t len = 0;
  if (b < line.end && is_leading_punct(decode_at(s, b, &len))) b += len;
  return s.substr(b, letters_end(s, b, line.end) - b);
}

void SentencesStage::CountMap::clear() {
  // A small table to start with: most documents have a few thousand words.
  constexpr std::size_t kInitialSlots = 1024;
  slots_.assign(kInitialSlots, Slot{});
  used_ = 0;
}

std::uint64_t SentencesStage::CountMap::hash(std::string_view key) {
  return WordMap<std::uint32_t>::hash(key);  // eight bytes a step
}

void SentencesStage::CountMap::grow() {
  std::vector<Slot> old(slots_.size() * 2);
  old.swap(slots_);
  const std::size_t mask = slots_.size() - 1;
  for (const Slot& o : old) {
    if (o.data == nullptr) continue;
    std::size_t k = static_cast<std::size_t>(o.hash) & mask;
    while (slots_[k].data != nullptr) k = (k + 1) & mask;
    slots_[k] = o;
  }
}

void SentencesStage::CountMap::add(std::string_view key) {
  if (slots_.empty()) clear();
  if (2 * (used_ + 1) > slots_.size()) grow();
  const std::uint64_t h = hash(key);
  const std::size_t mask = slots_.size() - 1;
  std::size_t k = static_cast<std::size_t>(h) & mask;
  while (slots_[k].data != nullptr) {
    Slot& slot = slots_[k];
    if (slot.hash == h && std::string_view(slot.data, slot.size) == key) {
      ++slot.count;
      return;
    }
    k = (k + 1) & mask;
  }
  slots_[k] = Slot{key.data(), static_cast<std::uint32_t>(key.size()), 1, h};
  ++used_;
}

std::uint32_t SentencesStage::CountMap::count(std::string_view key) const {
  if (slots_.empty()) return 0;
  const std::uint64_t h = hash(key);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t k = static_cast<std::size_t>(h) & mask; slots_[k].data != nullptr; k = (k + 1) & mask) {
    const Slot& slot = slots_[k];
    if (slot.hash == h && std::string_view(slot.data, slot.size) == key) return slot.count;
  }
  return 0;
}

void SentencesStage::build_index() {
  indexed_ = true;
  words_.clear();
  tokens_.clear();
  const std::string_view s = doc_;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_index_space(s[i])) ++i;
    const std::size_t tb = i;
    while (i < s.size() && !is_index_space(s[i])) ++i;
    if (i == tb) continue;
    const std::string_view token = s.substr(tb, i - tb);
    if (auto t = strip_token(token); !t.empty()) tokens_.add(t);
    std::size_t j = 0;
    std::size_t len = 0;
    while (j < token.size()) {
      if (!is_letter(decode_at(token, j, &len))) {
        j += len;
        continue;
      }
      const std::size_t we = letters_end(token, j, token.size());
      words_.add(token.substr(j, we - j));
      j = we;
    }
  }
}

std::uint32_t SentencesStage::word_count(std::string_view word) {
  if (!indexed_ && ++direct_queries_ > kMaxDirectQueries) build_index();
  if (indexed_) return words_.count(word);
  // The index counts maximal letter runs, so an occurrence counts when no
  // letter touches it on either side. `word` starts with a whole code point
  // and the document is valid UTF-8, so a match starts on a code point.
  if (word.empty()) return 0;
  std::size_t len = 0;
  for (std::size_t i = 0; i < word.size(); i += len)
    if (!is_letter(decode_at(word, i, &len))) return 0;  // never a letter run
  const std::string_view s = doc_;
  std::uint32_t n = 0;
  for (std::size_t p = find_bytes(s, word, 0); p != std::string_view::npos; p = find_bytes(s, word, p + 1)) {
    const std::size_t e = p + word.size();
    if (p > 0 && is_letter(decode_before(s, p))) continue;
    if (e < s.size() && is_letter(decode_at(s, e))) continue;
    ++n;
  }
  return n;
}

std::uint32_t SentencesStage::token_count(std::string_view token) {
  if (!indexed_ && ++direct_queries_ > kMaxDirectQueries) build_index();
  if (indexed_) return tokens_.count(token);
  // The index counts the tokens whose stripped form is `token`: such a token
  // contains it, so only the tokens around its occurrences are stripped, each
  // once (the search goes on after the token's end): linear in the document.
  if (token.empty()) return 0;
  const std::string_view s = doc_;
  std::uint32_t n = 0;
  for (std::size_t p = find_bytes(s, token, 0); p != std::string_view::npos;) {
    std::size_t tb = p;
    while (tb > 0 && !is_index_space(s[tb - 1])) --tb;
    std::size_t te = p + token.size();
    while (te < s.size() && !is_index_space(s[te])) ++te;
    if (strip_token(s.substr(tb, te - tb)) == token) ++n;
    p = find_bytes(s, token, te);
  }
  return n;
}

void SentencesStage::propose(std::string_view text, std::vector<Edit>& out) {
  doc_ = text;
  quote_line_ = static_cast<std::size_t>(-1);
  first_line_ = 0;
  habit_doc_known_ = false;
  habit_block_ = Span{static_cast<std::size_t>(-1), 0};
  while (first_line_ < text.size() && is_space(static_cast<unsigned char>(text[first_line_]))) ++first_line_;
  indexed_ = false;
  direct_queries_ = 0;
  // The lines as split_lines() lists them, found with memchr and no vector.
  for (std::size_t next_line = 0; next_line < text.size();) {
    const void* nl = std::memchr(text.data() + next_line, '\n', text.size() - next_line);
    const Span line{next_line,
                    nl == nullptr ? text.size() : static_cast<std::size_t>(static_cast<const char*>(nl) - text.data())};
    next_line = line.end + 1;
    // One pass over the line finds the candidate tokens: those holding a stop
    // followed by more text or a lower->upper hump. Code, markup and table
    // rows (a kCodeLineChars byte anywhere) are left alone: "a.b" and "fooBar"
    // are not sentences there, so their candidates are dropped. Lower-case
    // letters, spaces and other ASCII punctuation (most bytes) cannot start a
    // candidate: the scan skips them and looks only at the rest.
    candidates_.clear();
    bool code_line = false;
    std::size_t lower_end = line.begin;  // where the last multi-byte lower-case letter ends (none yet)
    std::size_t token_end = line.begin;  // the end of the last candidate token
    auto after_lower = [&](std::size_t at) {
      return lower_end == at || (at > line.begin && kByteClass[static_cast<unsigned char>(text[at - 1])] == kLowerByte);
    };
    auto add_candidate = [&](std::size_t at) {
      // Events come left to right: one before the last token's end lies in
      // that token. Otherwise the token around `at` begins after the last
      // token's end, so the scans below look at each byte once.
      if (at < token_end) return;
      std::size_t tb = at;
      while (tb > line.begin && !is_token_space(text[tb - 1])) --tb;
      std::size_t te = at + 1;
      while (te < line.end && !is_token_space(text[te])) ++te;
      candidates_.push_back({tb, te});
      token_end = te;
    };
    std::size_t i = line.begin;
    while (!code_line) {
      i = skip_quiet(text.data(), i, line.begin, line.end);
      while (i + 4 <= line.end && boring(text[i]) && boring(text[i + 1]) && boring(text[i + 2]) && boring(text[i + 3]))
        i += 4;
      while (i < line.end && boring(text[i])) ++i;
      if (i >= line.end) break;
      switch (kByteClass[static_cast<unsigned char>(text[i])]) {
        case kUpperByte:
          if (after_lower(i)) add_candidate(i);
          ++i;
          break;
        case kStopByte:
          if (i + 1 < line.end && !is_token_space(text[i + 1])) add_candidate(i);
          ++i;
          break;
        case kCodeByte:
          code_line = true;
          break;
        default: {  // kMultiByte
          std::size_t len = 0;
          const char32_t cp = decode_at(text, i, &len);
          if (is_upper(cp) && after_lower(i)) add_candidate(i);
          if (is_lower(cp)) lower_end = i + len;
          i += len;
          break;
        }
      }
    }
    if (!code_line) {
      check_list_items(line, out);
      for (const Span token : candidates_) scan_token(line, token.begin, token.end, out);
    }
    check_final_period(line, out);  // after the line's own edits: it reads the line as they leave it
  }
  doc_ = {};
}

void SentencesStage::scan_token(Span line, std::size_t begin, std::size_t end, std::vector<Edit>& out) {
  const std::string_view token = doc_.substr(begin, end - begin);
  if (token.find("://") != std::string_view::npos || token.find("www.") != std::string_view::npos ||
      token.find("WWW.") != std::string_view::npos || token.find('@') != std::string_view::npos) {
    check_address_end(line, begin, end, out);
    return;
  }
  for (char c : token)
    if (is_code_char(c)) return;
  check_camel(line, begin, end, out);
  check_stops(line, begin, end, out);
}

void SentencesStage::check_camel(Span line, std::size_t tok_begin, std::size_t tok_end, std::vector<Edit>& out) {
  const std::string_view s = doc_;
  // The token must be one run of letters with only quotes or brackets before
  // it and only punctuation (or a possessive) after it: hyphens, digits and
  // dots belong to compounds, models and domains (DeepSeek-R1, iPhone15).
  std::size_t wb = tok_begin;
  std::size_t len = 0;
  while (wb < tok_end) {
    const char32_t c = decode_at(s, wb, &len);
    if (is_letter(c)) break;
    if (!is_leading_punct(c)) return;
    wb += len;
  }
  if (wb == tok_end) return;
  const std::size_t we = letters_end(s, wb, tok_end);
  std::size_t k = we;
  if (s.substr(k, 2) == "'s")
    k += 2;
  else if (s.substr(k, 4) == "\xE2\x80\x99s")
    k += 4;
  if (k > tok_end) k = we;
  for (std::size_t j = k; j < tok_end; j += len)
    if (!is_trailing_punct(decode_at(s, j, &len))) return;

  // Exactly one lower->upper hump.
  std::size_t hump = 0;
  int humps = 0;
  bool prev_lower = false;
  for (std::size_t j = wb; j < we; j += len) {
    const char32_t c = decode_at(s, j, &len);
    if (prev_lower && is_upper(c)) {
      ++humps;
      hump = j;
    }
    prev_lower = is_lower(c);
  }
  if (humps != 1) return;

  const std::string_view word = s.substr(wb, we - wb);
  const std::string_view left = s.substr(wb, hump - wb);
  const std::string_view right = s.substr(hump, we - hump);
  if (code_points(left) < 2 || !is_capitalised_word(right)) return;
  std::size_t first_len = 0;
  const bool left_capitalised = is_upper(decode_at(left, 0, &first_len));
  if (!all_lower(left.substr(first_len))) return;  // "McDonaldThe", "ABCdef": not a plain word
  // The document index (word_count) is built on first use: ask it last, after
  // the cheap checks, so most documents never build it. The checks are pure,
  // so their order does not change the outcome.
  if (is_name(word) || lexicon_.known(word)) return;
  const std::string left_lower = to_lower(left);
  // The corpus decides: how much more often than the average word the left
  // piece ends a sentence, and the odds that the right piece, capitalised,
  // opens one rather than stands capitalised inside one. Words that (almost)
  // never end a sentence rule the glue out: isOpen, myBank, TheStreet.
  // A month or weekday, capitalised, is a date ("in late May"), not the verb
  // the corpus counts under the same lower-case form ("may").
  const bool left_is_date = left_capitalised && in_list(kMonthsAndDays, left);
  const double end = left_is_date ? 1.0 : stats_.end_ratio(left_lower);
  if (end < kMinEndRatio) {
    // A lower-case word that never ends a sentence glued to a name: a space
    // lost inside the sentence ("ofLisbon", "theSenate").
    if (!left_capitalised) check_glued_name(wb, hump, we, out);
    return;
  }
  // The right piece is a dictionary word, or (after a lower-case word) a name
  // the trigram model knows ("weekShultz"): then the glue is flagged at most,
  // since a name after a word that ends sentences is as often a lost space
  // ("saidAlvarez and ...") and neither model tells them apart.
  const bool right_known = lexicon_.known(right);
  if (!right_known && (left_capitalised || code_points(right) < 3 || lm_break_odds({}, {}, right, {}) < 0.0)) return;
  const double open = stats_.open_odds(right);

  bool split = false;
  bool flag = false;
  if (!left_capitalised) {
    // A lower-case piece the lexicon lacks is still a word when the article
    // writes it on its own elsewhere ("dlrs", "pct" in wire copy).
    // So is a misspelt word (one edit from a dictionary word, two for a long
    // one: "stategyThe") before a word that opens sentences far more often
    // than it stands inside one; identifiers ("userName", "keyValue") have
    // right pieces that stand inside sentences.
    // A short piece written after a figure is its unit ("54 mln dlrsThe",
    // "at 6.30 pctIt"): a figure and its unit end sentences, before a word
    // that opens them far more often than it stands inside one. The trigram
    // model lacks such units, so the corpus odds decide alone.
    const bool unit = !lexicon_.known(left) && wb == tok_begin && code_points(left) <= kMaxUnitLetters && right_known &&
                      open >= kStrongOpenOdds && figure_before(line, tok_begin);
    const bool left_word = lexicon_.known(left) || (code_points(left) >= 3 && word_count(left) > 0) ||
                           (right_known && open >= kStrongOpenOdds && misspelt_word(left)) || unit;
    if (!left_word) return;
    // A hump inside a lower-case word is far more often a lost sentence break
    // than a lost space before a capitalised word (kGlueOdds); identifiers
    // ("userName") and a name after a word that ends sentences rarely
    // ("growthAmericans") stay in the flag band.
    // The trigram model, asked only in and above the flag band, must agree
    // (kSureOdds alone when the corpus odds are in the band).
    const double odds = kGlueOdds * end * open;
    if (odds >= kFlagOdds) {
      const double lm =
          unit ? -1.0 : lm_break_odds(word_before(line, tok_begin), left, right, word_after(line, tok_end));
      if (lm < 0.0)
        split = odds >= kSplitOdds;
      else
        split = (odds >= kSplitOdds && kGlueOdds * lm >= kSplitOdds) || kGlueOdds * lm >= kSureOdds ||
                kGlueOdds * lm * length_ratio(line, tok_begin, tok_end) >= kSureOdds;
      // Before a name the trigram odds are weak (a name is as likely after
      // a verb, "said Japan", as at a sentence start); what the left word
      // takes after it settles some: a noun phrase ends where the model
      // finds a sentence end at least kNounEndOdds times as likely as "the"
      // after it ("the regionFrance", "the marketsWashington"; "said",
      // "urge", "asked" take objects). There the trigram odds with the
      // sentence lengths must reach kNameBreakOdds.
      if (!split && lm >= 0.0 && right_known && name_like(right) &&
          kGlueOdds * lm * length_ratio(line, tok_begin, tok_end) >= kNameBreakOdds &&
          noun_phrase_end(word_before(line, tok_begin), left))
        split = true;
      flag = !split || !right_known;
      split = split && right_known;
    }
  } else {
    // PascalCase (YouTube, LinkedIn, PlayStation) is how brands are spelt:
    // no glue prior, only a right piece that opens sentences far more often
    // than it stands inside one ("However"), or a date word on the left.
    const bool left_is_word = lexicon_.known(left) || !lexicon_.known(left_lower) || word_count(left) > 0;
    if (!left_is_word) return;
    // A date word splits before any word but where its lower-case form rarely
    // ends a sentence ("may"): then only before a strong opener ("MayThe",
    // not "MayFair").
    if (end * open >= kSplitOdds ||
        (left_is_date && (open >= kStrongOpenOdds || stats_.end_ratio(left_lower) >= kMinEndRatio))) {
      split = true;
    } else if (code_points(left) >= 3 && !lexicon_.known(left_lower) && !lexicon_.known(to_lower(right))) {
      // Two names glued in a list of people: "Benjamin BrattVince Vaughn".
      // Both neighbours must be plain capitalised words (not "Mr"), the one
      // before not a likely sentence opener.
      std::size_t pe = tok_begin;
      while (pe > line.begin && is_token_space(s[pe - 1])) --pe;
      const std::size_t pb = letters_begin(s, pe, line.begin);
      std::size_t nb = tok_end;
      while (nb < line.end && is_token_space(s[nb])) ++nb;
      const std::size_t ne = letters_end(s, nb, line.end);
      const std::string_view prev = s.substr(pb, pe - pb);
      const std::string_view next = s.substr(nb, ne - nb);
      const bool prev_alone = pe < tok_begin && (pb == line.begin || is_token_space(s[pb - 1]));
      split = prev_alone && code_points(prev) >= 3 && is_capitalised_word(prev) && !abbreviations_.count(prev) &&
              stats_.open_odds(prev) < 1.0 && is_capitalised_word(next) && tok_begin == wb;
    } else if (open >= kStrongOpenOdds && kGlueOdds * end * open >= kSplitOdds &&
               (word_count(left) > 0 ||
                (lexicon_.known(left) && !lexicon_.known(left_lower) && !capital_follows(line, tok_end)))) {
      // The left piece is a name Hunspell knows only capitalised ("Houston",
      // "Swaziland") and no capitalised word follows (the glue may be inside
      // a name: "JamesOn Curry"), or the article writes it on its own
      // elsewhere ("in Lisbon", then "LisbonThe"), so it is a word, not part
      // of a brand, and the
      // right piece opens sentences far more often than it stands inside
      // one: the glue prior of a lower-case left piece applies, and the
      // trigram model must agree.
      const double lm = lm_break_odds(word_before(line, tok_begin), left, right, word_after(line, tok_end));
      split = lm >= 0.0 && kGlueOdds * lm >= kSplitOdds;
      flag = !split;
    } else {
      flag = end * open >= kFlagOdds;
    }
  }
  if ((!split && !flag) || word_count(word) > 1) return;
  if (split) {
    out.push_back(make_change(hump, hump, ". ", std::string(kCamelRule),
                              "A sentence ends inside \"" + std::string(word) + "\": the next one was glued to it."));
  } else if (!left_capitalised && name_like(right)) {
    // "saidJapan": "said. Japan" and "said Japan" are both English; the
    // reviewer picks the stop or the space.
    std::string reason = "\"";
    reason.append(word).append("\": a sentence break or only a space may have been lost before the name \"");
    reason.append(right).append("\"; the evidence does not decide.");
    out.push_back(make_flag(wb, we, std::string(kCamelRule), std::move(reason)));
  } else {
    out.push_back(
        make_flag(wb, we, std::string(kCamelRule),
                  "\"" + std::string(word) + "\" may be two sentences glued together; the evidence is weak."));
  }
}

bool SentencesStage::ends_sentence(std::string_view token) const {
  std::size_t e = token.size();
  while (e > 0 && (token[e - 1] == '"' || token[e - 1] == '\'' || token[e - 1] == ')' || token[e - 1] == ']')) --e;
  if (e >= 3 && token.substr(e - 3, 3) == "\xE2\x80\x9D") e -= 3;  // a closing curly quote
  if (e == 0 || !is_stop(token[e - 1])) return false;
  if (token[e - 1] != '.') return true;
  // "Mr.", "Corp.", "J.": an abbreviation or an initial goes on.
  const std::string_view word = strip_token(token.substr(0, e - 1));
  return code_points(word) > 1 && !abbreviations_.count(word);
}

double SentencesStage::length_ratio(Span line, std::size_t tok_begin, std::size_t tok_end) const {
  if (log_length_.empty()) return 1.0;
  const std::string_view s = doc_;
  auto has_word = [](std::string_view t) {
    for (const char c : t)
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          static_cast<unsigned char>(c) >= 0x80)
        return true;
    return false;
  };
  // Words of the sentence before the glue (its left piece included), back to
  // the stop that ends the sentence before or the line's start.
  std::size_t before = 1;
  for (std::size_t e = tok_begin; before < kMaxSentenceWords;) {
    while (e > line.begin && is_token_space(s[e - 1])) --e;
    if (e == line.begin) break;
    std::size_t b = e;
    while (b > line.begin && !is_token_space(s[b - 1])) --b;
    const std::string_view t = s.substr(b, e - b);
    if (ends_sentence(t)) break;
    if (has_word(t)) ++before;
    e = b;
  }
  // Words from the right piece to the sentence's stop or the line's end.
  std::size_t after = 1;
  if (!ends_sentence(s.substr(tok_begin, tok_end - tok_begin))) {
    for (std::size_t b = tok_end; after < kMaxSentenceWords;) {
      while (b < line.end && is_token_space(s[b])) ++b;
      if (b == line.end) break;
      std::size_t e = b;
      while (e < line.end && !is_token_space(s[e])) ++e;
      const std::string_view t = s.substr(b, e - b);
      if (has_word(t)) ++after;
      if (ends_sentence(t)) break;
      b = e;
    }
  }
  // Two sentences of `before` and `after` words against one of their sum,
  // in which the glue could have been at any of its sum - 1 gaps.
  const std::size_t sum = std::min(before + after, kMaxSentenceWords);
  return std::exp(log_length_[before] + log_length_[after] - log_length_[sum]) * static_cast<double>(sum - 1);
}

bool SentencesStage::name_like(std::string_view word) {
  // Hunspell knows it only capitalised ("Lisbon", "February").
  scratch_ = to_lower(word);
  if (!lexicon_.known(scratch_) && lexicon_.known(word)) return true;
  // Inside sentences the corpus writes it capitalised at least twice as
  // often as in lower case ("Senate", "Treasury"; not "Bank", "Open").
  if (const WordStats* ws = stats_.find(word); ws != nullptr && ws->cap_mid >= kCommonWord)
    return ws->cap_mid >= 2 * ws->low_mid;
  // Neither knows it: a name when the article writes it on its own elsewhere.
  return !lexicon_.known(word) && !lexicon_.known(scratch_) && word_count(word) > 0;
}

void SentencesStage::check_glued_name(std::size_t wb, std::size_t hump, std::size_t we, std::vector<Edit>& out) {
  const std::string_view s = doc_;
  const std::string_view word = s.substr(wb, we - wb);
  const std::string_view left = s.substr(wb, hump - wb);
  const std::string_view right = s.substr(hump, we - hump);
  // A plain lower-case dictionary word of two letters or more that (almost)
  // never ends a sentence ("of", "the", "told"), then a name: the sentence
  // goes on, so only the space was lost. Identifiers ("isOpen", "toString")
  // have a right piece the corpus writes in lower case.
  if (!lexicon_.known(left)) return;
  // A name, or a word the corpus often capitalises inside sentences (at
  // least kCommonWord times and a fifth of its uses there: "Bank", "Fund",
  // "House"; not "Place", "String", "Value"), part of a name after a word
  // that never ends a sentence ("theBank of Italy").
  const WordStats* rs = stats_.find(right);
  const bool often_capitalised = rs != nullptr && rs->cap_mid >= kCommonWord && 4 * rs->cap_mid >= rs->low_mid;
  if (!often_capitalised && !name_like(right)) return;
  // A short left piece the corpus capitalises inside sentences about as
  // often as not is a particle of names ("de", "du", "van": "deSalle"), not
  // a word before one ("western" is capitalised as often, but is no particle).
  if (const WordStats* ws = stats_.find(left);
      code_points(left) <= kMaxParticleLetters && (ws == nullptr || ws->low_mid < 2 * ws->cap_mid))
    return;
  if (word_count(word) > 1) return;  // used again: a spelling of its own
  std::string reason = "\"";
  reason.append(word).append("\": \"").append(left);
  reason += "\" never ends a sentence, and a name follows: a space was lost.";
  out.push_back(make_change(hump, hump, " ", std::string(kNameRule), std::move(reason)));
}

std::size_t SentencesStage::straight_quotes_before(Span line, std::size_t pos) {
  // Tokens come left to right, so the count runs on from the last call on
  // the same line: linear on a line of any length.
  if (quote_line_ != line.begin || pos < quote_pos_) {
    quote_line_ = line.begin;
    quote_pos_ = line.begin;
    quote_count_ = 0;
  }
  while (quote_pos_ < pos) {
    const void* q = std::memchr(doc_.data() + quote_pos_, '"', pos - quote_pos_);
    if (q == nullptr) {
      quote_pos_ = pos;
      break;
    }
    quote_pos_ = static_cast<std::size_t>(static_cast<const char*>(q) - doc_.data()) + 1;
    ++quote_count_;
  }
  return quote_count_;
}

std::size_t SentencesStage::straight_quotes_in(Span line) const {
  std::size_t n = 0;
  for (std::size_t i = line.begin; i < line.end; ++i) {
    const void* q = std::memchr(doc_.data() + i, '"', line.end - i);
    if (q == nullptr) break;
    i = static_cast<std::size_t>(static_cast<const char*>(q) - doc_.data());
    ++n;
  }
  return n;
}

void SentencesStage::check_stops(Span line, std::size_t tok_begin, std::size_t tok_end, std::vector<Edit>& out) {
  const std::string_view s = doc_;
  std::size_t p = tok_begin;
  while (p < tok_end) {
    if (!is_stop(s[p])) {
      ++p;
      continue;
    }
    // The run of stops: "!!" and "?!" are fine, ".." and "..." are not.
    std::size_t q = p;
    bool dots = false;
    while (q < tok_end && is_stop(s[q])) dots |= s[q++] == '.';
    const std::size_t stop_begin = p;
    p = q;
    // An ellipsis ends a sentence only when the corpus says the next word
    // opens sentences far more often than it stands capitalised inside one.
    const bool ellipsis = dots && (q - stop_begin == 3 || q - stop_begin == 4) &&
                          s.substr(stop_begin, q - stop_begin).find_first_not_of('.') == std::string_view::npos;
    if (q == tok_end || (dots && q - stop_begin > 1 && !ellipsis) || stop_begin == tok_begin) continue;

    // What follows: an optional curly quote, then a word.
    std::size_t insert_at = q;
    std::size_t len = 0;
    bool closing_straight = false;
    bool closing_single = false;
    char32_t c = decode_at(s, q, &len);
    if (is_opening_quote(c)) {
      q += len;
    } else if (is_closing_quote(c)) {
      q += len;
      insert_at = q;
    } else if (c == '"') {
      // A straight quote opens when an even number of them come before it on
      // the line: `for."I am` -> `for. "I am`. After an odd count it closes
      // one (`over."Then` -> `over." Then`), unless a closing quote was lost;
      // the space goes after it only before a word that opens sentences.
      closing_straight = straight_quotes_before(line, q) % 2 != 0;
      q += len;
      if (closing_straight) insert_at = q;
    } else if (c == '\'') {
      // A straight single quote is also the apostrophe; after a stop it
      // closes a quote that a single quote after a space opened earlier on
      // the line ("read 'No entry.'Walkers"): the quotes pair up, so the
      // space goes after it before any word. Else nothing is known.
      bool opened = false;
      for (std::size_t j = stop_begin; j > line.begin && !opened; --j)
        opened = s[j - 1] == '\'' && (j - 1 == line.begin || is_token_space(s[j - 2])) && j < stop_begin &&
                 is_letter(decode_at(s, j));
      if (!opened) continue;
      closing_single = true;
      q += len;
      insert_at = q;
    }
    if (q >= tok_end || !is_letter(decode_at(s, q))) continue;
    const std::size_t rb = q;
    const std::size_t re = letters_end(s, rb, tok_end);
    // The right piece opens a sentence, so prose goes on after it: it ends
    // the token, maybe with ',', ';', ':', a possessive or a hyphenated part.
    // "File.Open\"", "dict.Myfunc(", "news.google.com", "U.S.A." are not prose.
    {
      std::size_t j = re;
      // A possessive or contraction: "It's", "We've", "Don't".
      const std::size_t apostrophe = s.substr(j, 1) == "'" ? 1 : s.substr(j, 3) == "\xE2\x80\x99" ? 3 : 0;
      if (apostrophe && j + apostrophe < tok_end && is_letter(decode_at(s, j + apostrophe))) {
        j = letters_end(s, j + apostrophe, tok_end);
      } else if (apostrophe && j + apostrophe == tok_end && s[j - 1] == 's') {
        j = tok_end;  // a plural possessive: "Tenants' groups"
      } else if (j < tok_end && s[j] == '-' && j + 1 < tok_end && is_letter(decode_at(s, j + 1)))
        j = tok_end;
      if (j < tok_end && (s[j] == ',' || s[j] == ';' || s[j] == ':')) ++j;
      // An abbreviation may open the next sentence: "at 9 a.m.Dr. Lee".
      if (j + 1 == tok_end && s[j] == '.' && abbreviations_.count(s.substr(rb, re - rb))) ++j;
      if (j != tok_end) continue;
    }
    const std::string_view right = s.substr(rb, re - rb);
    std::size_t first_len = 0;
    const bool right_upper = is_upper(decode_at(right, 0, &first_len));
    const std::size_t right_cps = code_points(right);
    if ((ellipsis || closing_straight || closing_single) && !right_upper) continue;
    // After an ellipsis or a closing straight quote, a word that also stands
    // capitalised inside sentences only gets a flag.
    // Three dots also mark an elision inside a sentence ("GDP...Which"): only
    // four (the ellipsis and the sentence's own period) end one for certain.
    // Four dots (the ellipsis and the sentence's period) and a closing quote
    // end the sentence before a strong opener; before another capitalised
    // word the trigram model must find the break likely (odds kSplitOdds).
    // A closing straight quote whose line has an even number of them closes
    // a quote for certain, and the space goes after it whatever follows.
    auto lm_break = [&](std::string_view l1) {
      const std::string_view l2 = l1.empty() ? std::string_view{} : word_before(line, tok_begin);
      return lm_break_odds(l2, l1, right, word_after(line, tok_end)) >= kSplitOdds;
    };
    // A common word that edited prose writes in lower case inside sentences
    // (Brown capitalises it there in at most one of kLowerShare uses), with
    // prose going on in lower case after it: its capital is a sentence's
    // ("Q2.Sales of", "Mia.Dinner was"). A heading or label would not go on.
    auto prose_opener = [&] {
      if (!right_upper || right_cps < 2 || !is_capitalised_word(right)) return false;
      const std::string lower = to_lower(right);
      const WordStats* rs = stats_.find(lower);
      if (rs == nullptr || rs->low_mid < kCommonWord || rs->cap_mid * kLowerShare > rs->low_mid ||
          !lexicon_.known(lower))
        return false;
      const std::string_view next = word_after(line, tok_end);
      return !next.empty() && all_lower(next);
    };
    const std::string_view stop_word =
        s.substr(letters_begin(s, stop_begin, tok_begin), stop_begin - letters_begin(s, stop_begin, tok_begin));
    bool weak = false;
    if (ellipsis && p - stop_begin == 3) {
      weak = true;
    } else if (closing_straight && stats_.open_odds(right) < kStrongOpenOdds) {
      weak = !(closing_straight && straight_quotes_in(line) % 2 == 0) && !lm_break(stop_word);
    }

    // What precedes: a word, a number or an abbreviation, maybe closed by a
    // bracket or quote: "(CCP).On", "improbability”.Tony".
    std::size_t k = stop_begin;
    for (int n = 0; n < 2 && k > tok_begin; ++n) {
      const std::size_t pk = prev_start(s, k);
      const char32_t pc = decode_at(s, pk);
      if (pc == ')' || pc == ']' || pc == '"' || pc == '\'' || is_closing_quote(pc))
        k = pk;
      else
        break;
    }
    if (k == tok_begin) continue;
    const char32_t lc = decode_before(s, k);
    const bool after_quote = k < stop_begin;

    // A sentence glued to the next one has a few words of its own; code
    // notation opens one ("Add vim.List", "Rename configure.in").
    const std::size_t words_before = sentence_words_before(s, line.begin, tok_begin, right_upper ? 3 : 4);
    if (words_before < (right_upper ? 2u : 3u)) {
      // A short document or sentence ("Good day!?Are you", "Hi there.My
      // name"): one word before is enough when the left piece is a plain
      // dictionary word and the right one, right after the stop (no quote),
      // opens sentences far more often than it stands capitalised inside one
      // ("File.Open", "vim.List" stay).
      const std::string_view lw = s.substr(tok_begin, k - tok_begin);
      const bool plain_left = letters_end(s, tok_begin, k) == k && code_points(lw) >= 2 &&
                              (all_lower(lw) || is_capitalised_word(lw)) && lexicon_.known(to_lower(lw));
      // Before a weaker opener the trigram model must find the break likely,
      // after a lower-case word or a name ("Welcome aboard.Your cabin", "Hi
      // Anna.Thanks for"); a capitalised common word is a label ("Press
      // Menu.Save"). "I" or "A" before a lower-case word opens a sentence
      // after a lower-case word ("Hi all.I have").
      const WordStats* lws = all_lower(lw) ? nullptr : stats_.find(to_lower(lw));
      const bool lm_left = plain_left && (all_lower(lw) || lws == nullptr || lws->cap_mid >= lws->low_mid);
      // A name the lexicon lacks in lower case, or one Brown writes
      // capitalised inside sentences at least as often as not ("Hi
      // Mia.Dinner is"), or after "!?" or "!!" a lone dictionary word
      // ("Anybody!?Is this"), ends the sentence before a common word written
      // in lower case inside sentences when prose goes on after it (a
      // capitalised common word on the left is a label: "Press Menu.Save").
      const bool name_left = letters_end(s, tok_begin, k) == k && code_points(lw) >= 2 && is_capitalised_word(lw) &&
                             (!lexicon_.known(to_lower(lw)) || lm_left);
      const bool lone_bang = words_before == 0 && !dots && plain_left;
      const bool strong_opener = right_upper && rb == p && words_before >= 1 && plain_left &&
                                 (stats_.open_odds(right) >= kStrongOpenOdds || (lm_left && lm_break(lw)) ||
                                  (all_lower(lw) && lone_word_before_lower(right, line, tok_end)));
      // A lower-case left piece must be a word that ends sentences at least
      // twice as often as the average word ("Thanks again.Your help"; not
      // code notation: "Add vim.List to").
      const bool ending_lower = all_lower(lw) && plain_left && stats_.end_ratio(lw) >= kEndsSentences;
      const bool common_opener = rb == p && !after_quote &&
                                 ((words_before >= 1 && (ending_lower || name_left)) || lone_bang) && prose_opener();
      if (!strong_opener && !common_opener) continue;
    }
    const std::string_view stop = s.substr(stop_begin, insert_at - stop_begin);
    auto space_only = [&](std::string_view rule, bool flag_only = false) {
      if (weak || flag_only) {
        out.push_back(make_flag(stop_begin, re, std::string(rule),
                                "A sentence may end at \"" + std::string(stop) +
                                    "\", but the next word often stands capitalised inside a sentence."));
        return;
      }
      out.push_back(make_change(insert_at, insert_at, " ", std::string(rule),
                                "A sentence ends at \"" + std::string(stop) + "\" but the next one was glued to it."));
    };

    // Right pieces that are all capitals (x.AI, ASP.NET) or camel-case are
    // names or code; a known name is fine ("said.DeepSeek").
    bool right_plain = right_upper ? (right_cps >= 2 && is_capitalised_word(right)) : all_lower(right);
    if (right_upper && right_cps == 1) right_plain = right == "I" || right == "A";
    if (!right_plain && !(right_upper && is_name(right))) continue;
    const std::string right_lower = to_lower(right);
    if (domain_suffixes_.count(right_lower)) continue;  // Sina.com, Node.js, report.pdf

    // A figure may carry a percent sign or a short lower-case unit or
    // suffix written on it: "by 40%.Retailers", "raised $2.5m.Half", "in
    // the 1990s.Then", "came 4th.The".
    std::size_t nk = k;
    if (lc == '%' && k - 1 > tok_begin && is_digit(decode_before(s, k - 1))) {
      nk = k - 1;
    } else if (is_letter(lc)) {
      const std::size_t ub = letters_begin(s, k, tok_begin);
      const std::string_view unit = s.substr(ub, k - ub);
      if (ub > tok_begin && is_digit(decode_before(s, ub)) && all_lower(unit) && code_points(unit) <= 3) nk = ub;
    }
    if (is_digit(decode_before(s, nk))) {
      // "in 1981.International", "cost $4.50.Prices": a year, figure or
      // amount ends the sentence. Lower-case right pieces after digits are
      // versions and domains (01.ai).
      std::size_t db = nk;
      while (db > tok_begin) {
        const std::size_t pb = prev_start(s, db);
        const char32_t pc = decode_at(s, pb);
        if (is_digit(pc) || ((pc == '.' || pc == ',') && pb > tok_begin && is_digit(decode_before(s, pb)) &&
                             is_digit(decode_at(s, db))))
          db = pb;
        else
          break;
      }
      bool code = false;
      if (db > tok_begin) {
        std::size_t pb = prev_start(s, db);
        char32_t pc = decode_at(s, pb);
        if (is_upper(pc) && nk == k) {
          // A capital code written on the figure ends the sentence too ("in
          // Q3.", "the G7.", "an A380."), but also names models and parts:
          // only before a word that opens sentences far more often than it
          // stands capitalised inside one.
          while (pb > tok_begin && is_upper(decode_before(s, pb))) pb = prev_start(s, pb);
          if (pb > tok_begin && !is_leading_punct(decode_before(s, pb))) continue;
          if (std::count(s.begin() + static_cast<std::ptrdiff_t>(db), s.begin() + static_cast<std::ptrdiff_t>(nk),
                         '.') > 0)
            continue;
          code = true;
        } else if (pb != tok_begin || !(pc == '$' || pc == 0x20AC || pc == 0xA3 || pc == 0xA5)) {
          continue;
        }
      }
      if (code && stats_.open_odds(right) < kStrongOpenOdds && !prose_opener()) continue;
      // A dotted version (v1.2.3, 2.0.1) is no amount: at most one inner dot.
      if (std::count(s.begin() + static_cast<std::ptrdiff_t>(db), s.begin() + static_cast<std::ptrdiff_t>(nk), '.') > 1)
        continue;
      if (right_upper && right_cps >= 2 && lexicon_.known(right)) space_only(kPeriodRule);
      continue;
    }
    if (!is_letter(lc)) continue;
    const std::size_t lb = letters_begin(s, k, tok_begin);
    const std::string_view left = s.substr(lb, k - lb);
    {
      // "ToolBar.Open", "MyMenu.Hello": a camel-case left piece is code
      // unless it is a known name ("DeepSeek.The").
      std::size_t fl = 0;
      decode_at(left, 0, &fl);
      if (!all_lower(left.substr(fl)) && fl < left.size() && !all_upper(left) && !is_name(left)) continue;
    }

    // A dotted chain before the word: "U.S", "Ph.D", "e.g" (short parts) are
    // abbreviations; "news.google" (long parts) is a domain.
    if (lb > tok_begin && s[lb - 1] == '.') {
      bool short_parts = code_points(left) <= 2;
      std::size_t cb = lb - 1;
      while (short_parts && cb > tok_begin) {
        const std::size_t sb = letters_begin(s, cb, tok_begin);
        if (sb == cb || cb - sb > 2 * 4 || code_points(s.substr(sb, cb - sb)) > 2) {
          short_parts = false;
          break;
        }
        if (sb == tok_begin || s[sb - 1] != '.') {
          if (sb > tok_begin && !is_leading_punct(decode_before(s, sb))) short_parts = false;
          break;
        }
        cb = sb - 1;
      }
      if (short_parts && right_upper && right_cps >= 2 && !after_quote) {
        space_only(kPeriodRule);
      } else if (!short_parts && !after_quote && right_upper &&
                 (right_cps >= 2 || lone_word_before_lower(right, line, tok_end)) &&
                 domain_suffixes_.count(to_lower(left))) {
        // "at example.com.The": a domain ends the sentence, before a word
        // that opens sentences far more often than it stands inside one
        // (a flag before other capitalised words).
        // After a lower-case top-level domain only a two-letter label could
        // go on the host name ("example.com.Au"): a longer word, or "I" or
        // "A" before a lower-case word, opens the next sentence, whatever it is.
        space_only(kPeriodRule, !((right_cps >= 3 || right_cps == 1) && all_lower(left)) &&
                                    stats_.open_odds(right) < kStrongOpenOdds && !lm_break({}));
      }
      continue;
    }
    if (lb > tok_begin) {
      const char32_t before = decode_before(s, lb);
      if (!is_leading_punct(before) && before != '-') continue;
    }
    if (code_points(left) < 2) continue;  // "A.Smith", "x.ai": initials, domains
    if (abbreviations_.count(left)) {
      if (right_upper) space_only(kPeriodRule);  // "Mr.Smith" -> "Mr. Smith"; never "vs.the" -> "vs. The"
      continue;
    }
    if (right_upper) {
      if (right_cps == 1 && !(all_lower(left) && lexicon_.known(left))) continue;
      space_only(kPeriodRule);
      continue;
    }

    // Lower-case right piece: the next sentence also lost its capital.
    if (right_cps < 2) continue;  // "dict.c", "feature.h": file names
    std::size_t left_first = 0;
    const bool left_capitalised = is_upper(decode_at(left, 0, &left_first));
    if (!left_capitalised && !lexicon_.known(left)) {
      // An unknown lower-case word ("sceptical": British spelling) may still
      // end a sentence; a brand domain ("deepseek.chat") may not. Ask for a
      // capitalised name on the right and prose going on after it.
      std::size_t n = tok_end;
      while (n < line.end && is_token_space(s[n])) ++n;
      const bool next_lower = n > tok_end && n < line.end && is_lower(decode_at(s, n));
      if (code_points(left) < 4 || re != tok_end || !next_lower || lexicon_.known(right) || !known_any_case(right))
        continue;
    }
    if (in_list(kWordDomains, right_lower)) {
      // "resignation.in a" yes, "amazon.in" no. The corpus decides: the left
      // piece is a common word written in lower case that does end sentences,
      // the right piece is seen opening sentences, and prose goes on in lower
      // case.
      const WordStats* lw = stats_.find(left);
      const WordStats* rw = stats_.find(right_lower);
      const bool common_lower = lw != nullptr && lw->total >= kCommonWord && 2 * lw->low_mid > lw->total - lw->initial;
      const bool opens = rw != nullptr && rw->initial >= kCommonWord;
      std::size_t n = tok_end;
      while (n < line.end && is_token_space(s[n])) ++n;
      const bool next_lower = n > tok_end && n < line.end && is_lower(decode_at(s, n));
      if (left_capitalised || !common_lower || stats_.end_ratio(left) < kMinEndRatio || !opens || re != tok_end ||
          !next_lower)
        continue;
    }
    const std::string capitalised = capitalize(right);
    if (!known_any_case(right) && !is_name(capitalised) && word_count(capitalised) == 0) continue;
    // The left piece heads other dotted names in the document ("sci.space"
    // beside "sci.physics", "net.this and net.that"): a naming hierarchy
    // (news groups, packages), not a sentence end.
    if (dotted_family(left, rb)) continue;
    // A sentence goes on after its first word; a dotted name ends the line
    // ("-- a reader, in alt.flame").
    {
      std::size_t n = tok_end;
      while (n < line.end && is_token_space(s[n])) ++n;
      if (n == line.end) continue;
    }
    if (token_count(strip_token(s.substr(tok_begin, tok_end - tok_begin))) > 1) continue;  // used consistently
    std::size_t cl = 0;
    decode_at(s, rb, &cl);
    out.push_back(make_change(
        rb, rb + cl, " " + capitalize(s.substr(rb, cl)), std::string(kLowercaseRule),
        "A sentence ends at \"" + std::string(stop) + "\" and the next one was glued to it without its capital."));
  }
}

void SentencesStage::check_address_end(Span line, std::size_t tok_begin, std::size_t tok_end, std::vector<Edit>& out) {
  const std::string_view s = doc_;
  // The token ends in ".Word" (maybe with ',', ';' or ':'), and prose goes on.
  std::size_t re = tok_end;
  if (re > tok_begin && (s[re - 1] == ',' || s[re - 1] == ';' || s[re - 1] == ':')) --re;
  const std::size_t rb = letters_begin(s, re, tok_begin);
  if (rb == re || rb <= tok_begin + 1 || s[rb - 1] != '.') return;
  const std::string_view right = s.substr(rb, re - rb);
  if (!lone_word_before_lower(right, line, tok_end) &&
      (!is_capitalised_word(right) || code_points(right) < 2 || !lexicon_.known(right)))
    return;
  if (domain_suffixes_.count(to_lower(right))) return;  // "Example.Com", "Report.Pdf"
  const std::string_view next = word_after(line, tok_end);
  if (next.empty()) return;
  const std::size_t dot = rb - 1;
  const std::string_view addr = s.substr(tok_begin, dot - tok_begin);
  // The host: after the last '@' (an e-mail), "://" or the token's start.
  std::size_t hb = addr.rfind('@');
  const bool email = hb != std::string_view::npos;
  if (email) {
    ++hb;
    if (hb == 1 || addr.find("://") != std::string_view::npos) return;
  } else {
    const std::size_t scheme = addr.find("://");
    hb = scheme == std::string_view::npos ? 0 : scheme + 3;
    while (hb < addr.size() && is_leading_punct(static_cast<unsigned char>(addr[hb]))) ++hb;
  }
  // A path after the host ("example.com/news.The") might hold the capitalised
  // word itself: a flag. A host ending in '/' ("example.com/.The") does not.
  std::string_view host = addr.substr(hb);
  bool path = false;
  if (const std::size_t slash = host.find('/'); slash != std::string_view::npos) {
    if (email) return;
    path = slash + 1 != host.size() || host.find('/', slash + 1) != std::string_view::npos;
    host = host.substr(0, slash);
  }
  // Host labels: letters, digits and hyphens, at least two, the last (the
  // top-level domain) of letters only.
  std::size_t labels = 0;
  std::size_t lb = 0;
  std::string_view tld;
  for (std::size_t i = 0; i <= host.size(); ++i) {
    if (i == host.size() || host[i] == '.') {
      if (i == lb) return;
      tld = host.substr(lb, i - lb);
      ++labels;
      lb = i + 1;
      continue;
    }
    const char c = host[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) return;
  }
  if (labels < 2) return;
  for (const char c : tld)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return;
  if (tld.size() < 2) return;
  // A sentence of its own before the address.
  if (sentence_words_before(s, line.begin, tok_begin, 2) < 2) return;
  // After a lower-case top-level domain only a two-letter label could go on
  // the host name: a longer word opens the next sentence.
  const bool strong = (code_points(right) != 2 && all_lower(tld) && domain_suffixes_.count(tld)) ||
                      stats_.open_odds(right) >= kStrongOpenOdds || lm_break_odds({}, {}, right, next) >= kSplitOdds;
  const std::string what = email ? "an e-mail address" : "a web address";
  if (path || !strong) {
    out.push_back(make_flag(dot, re, std::string(kPeriodRule),
                            "A sentence may end in " + what +
                                " here, but the next word often stands capitalised "
                                "inside a sentence."));
    return;
  }
  out.push_back(make_change(rb, rb, " ", std::string(kPeriodRule),
                            "A sentence ends in " + what + " and the next one was glued to it."));
}

void SentencesStage::check_list_items(Span line, std::vector<Edit>& out) {
  const std::string_view s = doc_;
  std::size_t b = line.begin;
  while (b < line.end && is_token_space(s[b])) ++b;
  // The line opens with the first item: "1) ", "1.) ", "1. ", "a) ", "a.) ",
  // "a. " (or "A"). The next markers must follow in order.
  // A short lead-in ending in a colon may come first ("Steps: 1) open ..."):
  // at most kMaxLeadInWords words and no stop before the colon.
  if (const void* hit = std::memchr(s.data() + b, ':', std::min(line.end - b, kMaxLeadInBytes))) {
    const auto colon = static_cast<std::size_t>(static_cast<const char*>(hit) - s.data());
    if (colon > b && colon + 2 < line.end && s[colon + 1] == ' ' &&
        (s[colon + 2] == '1' || s[colon + 2] == 'a' || s[colon + 2] == 'A')) {
      std::size_t words = 0;
      bool stop = false;
      for (std::size_t i = b; i < colon; ++i) {
        stop |= is_stop(s[i]);
        words += is_token_space(s[i]) ? 1 : 0;
      }
      if (!stop && words < kMaxLeadInWords) b = colon + 2;
    }
  }
  if (b + 4 > line.end) return;
  const char first = s[b];
  const bool digits = first == '1';
  if (!digits && first != 'a' && first != 'A') return;
  std::string_view style;
  if (s.substr(b + 1, 3) == ".) ")
    style = ".)";
  else if (s.substr(b + 1, 2) == ") ")
    style = ")";
  else if (s.substr(b + 1, 2) == ". ")
    style = ".";
  else
    return;
  const std::string_view text = s.substr(0, line.end);
  std::size_t from = b + 1 + style.size();
  std::string marker;
  for (int n = 2; digits || n <= 26; ++n) {
    marker = digits ? std::to_string(n) : std::string(1, static_cast<char>(first + n - 1));
    marker += style;
    marker += ' ';
    const std::size_t mb = find_bytes(text, marker, from);
    if (mb == std::string_view::npos) return;
    from = mb + marker.size();
    if (is_token_space(s[mb - 1])) continue;  // a spaced item: the list goes on
    const char pc = s[mb - 1];
    if (is_stop(pc) || pc == ',' || pc == ';' || pc == ')' || pc == '"') {
      // "flour.2) Add": the item before ended in its own punctuation.
    } else if (digits) {
      // A number in sequence glued to a word ("Gamble2)", "a2."): a digit
      // after letters, never after another digit ("12) " is not "2) ").
      if (!is_letter(decode_before(s, mb))) continue;
    } else {
      // A letter glued to a word: the word without the marker is an English
      // word, with it no word ("itemb)"; not "bulb. ", "herb. ").
      const std::size_t wb = letters_begin(s, mb, line.begin);
      const std::string_view w = s.substr(wb, mb - wb);
      if (code_points(w) < 2 || !all_lower(w) || !lexicon_.known(w)) continue;
      if (wb > line.begin && !is_token_space(s[wb - 1]) && !is_leading_punct(decode_before(s, wb))) continue;
      if (lexicon_.known(s.substr(wb, mb + 1 - wb))) continue;
    }
    out.push_back(make_change(
        mb, mb, " ", std::string(kListRule),
        "List item \"" + marker.substr(0, marker.size() - 1) + "\" was glued to the end of the item before it."));
  }
}

void SentencesStage::check_final_period(Span line, std::vector<Edit>& out) {
  const std::string_view s = doc_;
  std::size_t e = line.end;
  while (e > line.begin && is_token_space(s[e - 1])) --e;
  if (e == line.begin) return;
  // The line is judged as this stage's own changes leave it ("momentum.What"
  // split into two sentences), so that a second run on the output, which sees
  // it so, decides the same.
  std::size_t own = out.size();
  while (own > 0 && out[own - 1].begin >= line.begin) --own;
  std::vector<Edit> local;
  for (std::size_t k = own; k < out.size(); ++k) {
    if (out[k].kind != EditKind::kChange) continue;
    if (out[k].end >= e) {  // a change at the end of the line: judge the line as it is
      local.clear();
      break;
    }
    local.push_back(out[k]);
    local.back().begin -= line.begin;
    local.back().end -= line.begin;
  }
  if (!local.empty()) {
    const std::string_view text = s.substr(line.begin, e - line.begin);
    normalize_edits(text, local);
    const std::string repaired = apply_edits(text, local);
    std::vector<Edit> verdict;
    doc_ = repaired;
    final_recheck_ = true;
    check_final_period(Span{0, repaired.size()}, verdict);
    final_recheck_ = false;
    doc_ = s;
    if (!verdict.empty()) add_final_period(line, e, out);
    return;
  }
  const char32_t last = decode_before(s, e);
  if (!is_letter(last) && !is_digit(last)) return;

  std::size_t b = line.begin;
  while (b < e && is_token_space(s[b])) ++b;
  const char first = s[b];
  if (first == '-' || first == '*' || first == '>' || first == '#' || first == '|') return;  // list, quote, table
  if (static_cast<unsigned char>(first) >= 0x80) {
    const char32_t fc = decode_at(s, b);
    if (fc == 0x2022 || fc == 0x00B7 || fc == 0x2013 || fc == 0x2014 || fc == 0x25AA) return;  // bullets, dashes
  }
  if (is_digit(static_cast<unsigned char>(first))) {
    std::size_t d = b;
    while (d < e && is_digit(static_cast<unsigned char>(s[d]))) ++d;
    if (d < e && (s[d] == '.' || s[d] == ')')) return;  // "1. Item", "2) Item"
  }
  {
    // "a) Item", "(b) Item", "c. Item", "d.) Item": a lettered list item.
    std::size_t d = b + (first == '(' ? 1 : 0);
    if (d + 3 < e && ((s[d] >= 'a' && s[d] <= 'z') || (s[d] >= 'A' && s[d] <= 'Z')) && s[d + 1] == '.' &&
        s[d + 2] == ')' && s[d + 3] == ' ' && first != '(')
      return;
    if (d + 2 < e && ((s[d] >= 'a' && s[d] <= 'z') || (s[d] >= 'A' && s[d] <= 'Z')) &&
        (s[d + 1] == ')' || (s[d + 1] == '.' && first != '(')) && s[d + 2] == ' ')
      return;
  }
  // "Photo: ...", "File photo: ...": a caption or label line.
  for (std::size_t i = b, words = 0; i < e && words < 3; ++i) {
    if (s[i] == ' ') ++words;
    if (s[i] == ':' && i > b && is_upper(decode_at(s, b)) && (i + 1 == e || s[i + 1] == ' ')) return;
  }
  // The first line of a document with more lines is its headline unless it
  // holds a sentence end.
  const bool headline = line.begin <= first_line_ && line.end < s.size();

  // One pass: words, separators, sentence ends, quote and bracket balance.
  std::size_t words = 0;
  bool comma = false;
  bool internal_end = false;
  std::size_t last_sentence = b;
  bool last_glued = false;
  int paren_balance = 0;
  std::size_t len = 0;
  bool in_word = false;
  for (std::size_t i = b; i < e; i += len) {
    if (kFinalPlain[static_cast<unsigned char>(s[i])]) {
      // A run of plain bytes is (part of) one word and touches no counter
      // but `words`: skip it whole.
      if (!in_word) ++words;
      in_word = true;
      ++i;
      while (i < e && kFinalPlain[static_cast<unsigned char>(s[i])]) ++i;
      len = 0;
      continue;
    }
    const char32_t c = decode_at(s, i, &len);
    if (is_space(c)) {
      in_word = false;
      continue;
    }
    if (!in_word) ++words;
    in_word = true;
    switch (c) {
      case '|':
        return;  // a table row
      case ',':
      case ';':
        comma = true;
        break;
      case '(':
        ++paren_balance;
        break;
      case ')':
        --paren_balance;
        break;
      default:
        break;
    }
    if (c == '.' || c == '!' || c == '?') {
      // A sentence end: the stop (and any closing quote or bracket) then a
      // capital or an opening quote, after a space or glued to it.
      std::size_t j = i + len;
      std::size_t l2 = 0;
      while (j < e && is_trailing_punct(decode_at(s, j, &l2)) && !is_opening_quote(decode_at(s, j))) j += l2;
      std::size_t k = j;
      while (k < e && s[k] == ' ') ++k;
      if (k < e) {
        char32_t nc = decode_at(s, k, &l2);
        if (is_opening_quote(nc) || nc == '"') nc = k + l2 < e ? decode_at(s, k + l2) : 0;
        const bool glued = k == j;
        if ((is_upper(nc) || (is_digit(nc) && !glued)) && !(glued && is_upper(decode_before(s, i)))) {
          internal_end = true;
          last_sentence = k;
          last_glued = glued;
        }
      }
    }
  }
  // Quotes may stay open (a quotation running on into the next paragraph);
  // an open bracket means the line was cut.
  if (paren_balance > 0) return;
  if (headline && !internal_end) return;
  {
    // "... rise in exports - Agency", "... | Site": a headline or dateline
    // ending in its source. One to three capitalised words after a dash or bar.
    std::size_t i = e;
    std::size_t names = 0;
    while (names < 4) {
      const std::size_t we = i;
      while (i > b && !is_token_space(s[i - 1])) --i;
      if (i == we) break;
      const std::string_view w = s.substr(i, we - i);
      if (w == "-" || w == "--" || w == "|" || w == "\xE2\x80\x93" || w == "\xE2\x80\x94") {
        if (names > 0) return;
        break;
      }
      if (!is_upper(decode_at(w, 0))) break;
      ++names;
      while (i > b && is_token_space(s[i - 1])) --i;
    }
  }

  if (words < 8) return;
  if (!(words >= 15 || comma || internal_end)) return;

  // The last sentence must read as prose: not title case, not cut off after
  // a function word, not ending in a domain or an e-mail.
  std::size_t content = 0;
  std::size_t lower_content = 0;
  std::size_t sentence_words = 0;
  std::string_view last_word;
  std::size_t i = last_sentence;
  while (i < e) {
    while (i < e && is_token_space(s[i])) ++i;
    const std::size_t tb = i;
    while (i < e && !is_token_space(s[i])) ++i;
    if (i == tb) break;
    ++sentence_words;
    const std::string_view raw = s.substr(tb, i - tb);
    const std::string_view w = strip_token(raw);
    last_word = raw;
    if (w.empty()) continue;
    const char32_t fc = decode_at(w, 0);
    if (!is_letter(fc)) continue;
    if (is_lower(fc) && non_final_.count(to_lower(w))) continue;
    ++content;
    if (is_lower(fc)) ++lower_content;
  }
  if (sentence_words < 3) return;
  // A short sentence glued to the previous one and missing its period is a
  // heading glued to the paragraph ("in 1981.International films will be
  // given the same"): the structure stage's business, not prose.
  if (last_glued && sentence_words < kMaxGluedHeadingWords) return;
  if (lower_content * 4 < content || lower_content < 2) return;  // title case: a heading
  const std::string_view lw = strip_token(last_word);
  if (lw.find('.') != std::string_view::npos || lw.find('@') != std::string_view::npos ||
      last_word.find('/') != std::string_view::npos)
    return;
  if (non_final_.count(to_lower(lw))) return;
  add_final_period(line, e, out);
}

bool SentencesStage::last_words_continue(Span line, std::size_t e, Span next) {
  const std::string_view s = doc_;
  const std::string_view l1 = word_before(line, e);
  if (l1.empty()) return false;
  const std::string_view l2 = word_before(line, static_cast<std::size_t>(l1.data() - s.data()));
  const std::size_t rb = word_after_begin(next, next.begin);
  const std::string_view r = s.substr(rb, letters_end(s, rb, next.end) - rb);
  if (r.empty()) return false;
  const std::string_view n = word_after(next, rb + r.size());
  // The next line must be a line of text (not a label such as "Post
  // navigation"), and the model must know the line's last word: without it
  // the odds are the next word's alone.
  if (line_shape(s, next.begin, next.end).words < kMinShortWords) return false;
  if (!lm_knows(l1)) return false;
  const double odds = lm_break_odds(l2, l1, r, n, true);
  return odds >= 0.0 && odds < kContinueOdds;
}

SentencesStage::StopHabit SentencesStage::stop_habit(std::size_t begin, std::size_t end) const {
  const std::string_view s = doc_;
  StopHabit h;
  for (std::size_t lb = begin; lb < end;) {
    const void* nl = std::memchr(s.data() + lb, '\n', end - lb);
    const std::size_t le = nl == nullptr ? end : static_cast<std::size_t>(static_cast<const char*>(nl) - s.data());
    const LineShape shape = line_shape(s, lb, le);
    if (shape.comparable && shape.end == LineEnd::kStop) ++h.stops;
    if (shape.comparable && shape.end == LineEnd::kOpen) ++h.open;
    if (shape.words > 0) ++h.lines;
    if (shape.words > 0 && !shape.comparable && shape.end != LineEnd::kStop) ++h.label_lines;
    if (!shape.marked && shape.words >= kMinShortWords && shape.words < kProseWords) {
      ++h.short_lines;
      if (short_open(shape)) ++h.short_open;
    }
    lb = le + 1;
  }
  return h;
}

void SentencesStage::add_final_period(Span line, std::size_t e, std::vector<Edit>& out) {
  if (final_recheck_) {  // the caller weighs the context of the line as written
    out.push_back(make_change(e, e, ".", std::string(kFinalRule), "A prose paragraph lost its final period."));
    return;
  }
  const std::string_view s = doc_;
  auto blank = [&](std::size_t b, std::size_t en) {
    while (b < en && is_space(static_cast<unsigned char>(s[b]))) ++b;
    return b == en;
  };
  // The adjacent lines (no blank line between).
  Span prev{line.begin, line.begin};
  if (line.begin > 0) {
    std::size_t pb = line.begin - 1;
    while (pb > 0 && s[pb - 1] != '\n') --pb;
    if (!blank(pb, line.begin - 1)) prev = Span{pb, line.begin - 1};
  }
  Span next{line.end, line.end};
  bool next_capital = false;
  if (line.end < s.size()) {
    const void* nl = std::memchr(s.data() + line.end + 1, '\n', s.size() - line.end - 1);
    const std::size_t ne = nl == nullptr ? s.size() : static_cast<std::size_t>(static_cast<const char*>(nl) - s.data());
    if (!blank(line.end + 1, ne)) next = Span{line.end + 1, ne};
  }
  if (next.begin < next.end) {
    std::size_t k = next.begin;
    while (k < next.end && is_token_space(s[k])) ++k;
    // The sentence goes on in the next line: a hard-wrapped paragraph or verse.
    std::size_t len = 0;
    char32_t c = decode_at(s, k, &len);
    while (k + len < next.end && is_leading_punct(c)) {
      k += len;
      c = decode_at(s, k, &len);
    }
    if (is_lower(c)) return;
    // "-- Name", "— Name": the line is a quotation and this its attribution.
    if (s.substr(k, 2) == "--" || c == 0x2014) return;
    next_capital = is_upper(c);
  }
  // "<nick> text": a turn of a chat log, not a prose paragraph.
  {
    std::size_t k = line.begin;
    while (k < e && is_token_space(s[k])) ++k;
    if (k < e && s[k] == '<') {
      std::size_t j = k + 1;
      while (j < e && !is_token_space(s[j]) && s[j] != '>') ++j;
      if (j < e && s[j] == '>' && j > k + 1) return;
    }
  }
  std::size_t wb = e;
  while (wb > line.begin && !is_token_space(s[wb - 1])) --wb;
  // "--lwall": a signature glued to its dashes.
  if (e - wb > 2 && s[wb] == '-' && s[wb + 1] == '-' && is_letter(decode_at(s, wb + 2))) return;
  // The sentence began in the line before, which ends in a comma: line
  // breaks fall inside sentences here (verse, a hard wrap), so a line end is
  // no sentence end. (Not after a semicolon, which also ends paragraphs in
  // edited prose, nor after a function word: that is also how a heading cut
  // from the paragraph ends.)
  if (prev.begin < prev.end) {
    std::size_t pe = prev.end;
    while (pe > prev.begin && is_token_space(s[pe - 1])) --pe;
    const char32_t pc = decode_before(s, pe);
    if (pc == ',') return;
  }
  // Verse: both neighbours are short lines without a stop either.
  if (prev.begin < prev.end && next.begin < next.end && short_open(line_shape(s, prev.begin, prev.end)) &&
      short_open(line_shape(s, next.begin, next.end))) {
    out.push_back(make_flag(wb, e, std::string(kFinalRule),
                            "This paragraph may have lost its final period, but the short lines around it "
                            "do not end in one either (verse?)."));
    return;
  }
  // The document's own habit: how many of its comparable lines end in a stop,
  // counted in the block of adjacent lines when it has enough of them.
  std::size_t bb = line.begin;
  while (bb > 0) {
    std::size_t pb = bb - 1;
    while (pb > 0 && s[pb - 1] != '\n') --pb;
    if (blank(pb, bb - 1)) break;
    bb = pb;
  }
  std::size_t be = line.end;
  while (be < s.size()) {
    const void* nl = std::memchr(s.data() + be + 1, '\n', s.size() - be - 1);
    const std::size_t ne = nl == nullptr ? s.size() : static_cast<std::size_t>(static_cast<const char*>(nl) - s.data());
    if (blank(be + 1, ne)) break;
    be = ne;
  }
  // Both counts are kept for the document and the last block, less the line itself.
  if (habit_block_.begin != bb || habit_block_.end != be) {
    habit_block_ = Span{bb, be};
    habit_block_habit_ = stop_habit(bb, be);
  }
  const LineShape own = line_shape(s, line.begin, line.end);
  const std::size_t self = own.comparable && own.end == LineEnd::kOpen ? 1 : 0;
  const StopHabit& block = habit_block_habit_;
  std::size_t stops = block.stops;
  std::size_t open = block.open - self;
  if (stops + open < kMinBlockLines) {
    if (!habit_doc_known_) {
      habit_doc_ = stop_habit(0, s.size());
      habit_doc_known_ = true;
    }
    stops = habit_doc_.stops;
    open = habit_doc_.open - self;
  }
  // Verse: the block is mostly short lines, and most of them end without a stop.
  if (block.short_lines >= kMinVerseLines && block.short_lines >= block.stops + block.open &&
      block.short_open * 4 >= block.short_lines * 3) {
    out.push_back(make_flag(wb, e, std::string(kFinalRule),
                            "This paragraph may have lost its final period, but it stands among short lines "
                            "that mostly end without one (verse?)."));
    return;
  }
  // A list, timetable or label block: every other line of the block (at
  // least two) is a line without a stop that is not prose-shaped ("Opening
  // hours" / "Weekdays from 9 am to 5 pm" / "Sundays closed"). Its longer lines are entries too: nothing
  // on a line of fewer than kLongProseWords words, a flag on a longer one.
  if (block.lines >= 3 && block.label_lines + 1 == block.lines) {
    if (own.words >= kLongProseWords)
      out.push_back(make_flag(wb, e, std::string(kFinalRule),
                              "This paragraph may have lost its final period, but the other lines of its block "
                              "are short lines without one (a list or timetable?)."));
    return;
  }
  if (stops + open == 0 || stops >= 2 * open) {
    // A capital opens every line of verse, so it says nothing there: the
    // trigram model weighs the line's last two words against the next
    // line's first two. Where the sentence going on is far more likely than
    // a break ("the universe" / "Is laughing"), the period is only flagged.
    // Not on a long line: a prose paragraph ending in "police said" is
    // followed by one opening "A police spokesman", which the model also
    // reads as going on.
    if (next_capital && own.words < kLongProseWords && last_words_continue(line, e, next)) {
      out.push_back(make_flag(wb, e, std::string(kFinalRule),
                              "This line ends without a period, but its sentence may go on in the next line."));
      return;
    }
    out.push_back(make_change(e, e, ".", std::string(kFinalRule), "A prose paragraph lost its final period."));
  } else if (stops >= open) {
    out.push_back(make_flag(wb, e, std::string(kFinalRule),
                            "This paragraph may have lost its final period, but only " + std::to_string(stops) +
                                " of the document's " + std::to_string(stops + open) +
                                " comparable lines end in one."));
  }
  // Fewer than half end in a stop: lines without one are the document's habit.
}

}  // namespace copydesk
