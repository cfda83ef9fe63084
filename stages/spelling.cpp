#include "stages/spelling.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>

#include "pipeline/error.h"
#include "pipeline/text.h"

namespace copydesk {

namespace {

constexpr std::string_view kMisspellingRule = "misspelling";
constexpr std::string_view kGarbleRule = "garble";
constexpr std::string_view kUnsureRule = "unsure";

// Words shorter than this are too ambiguous ("teh" is fine, "hte" too, "ot" not).
constexpr std::size_t kMinWord = 3;
// Longer tokens are codes, hashes or glued words: not for this stage.
constexpr std::size_t kMaxWord = 30;
// The stem candidates share this many leading letters with the non-word.
constexpr std::size_t kStemPrefix = 5;
// A change needs this score and this lead over the runner-up (see rank()).
// Long words have few neighbours at distance 1, so a lone candidate is strong.
constexpr double kApplyScore = 1.0;
constexpr std::size_t kLongWord = 7;
constexpr double kApplyScoreLong = 0.3;
constexpr double kApplyMargin = 2.0;
// The context-free ranking's lead that suffices when the context does not
// object (see check()), and how far below the context's favourite (in log10
// probability) its winner may be.
constexpr double kPlainMargin = 1.0;
constexpr double kContextVeto = 2.0;
constexpr double kEpsilon = 1e-9;  // scores are sums of tenths: compare with slack
// Short words have many neighbours at distance 1: they need a wider lead.
constexpr std::size_t kShortWord = 3;
constexpr double kShortMargin = 1.5;
// Below this the best candidate is a guess not worth a reviewer's time.
constexpr double kFlagScore = -0.5;
// The weight of edit cost against commonness and the article's evidence.
constexpr double kCostWeight = 2.0;
// The weight of a candidate's frequency in edited prose (per factor of ten;
// dictionaries/word_frequencies.txt): "from" outranks "form" for "fomr"
// only when the edits cost the same.
constexpr double kCountWeight = 0.4;
// Counts up to this power of ten earn nothing (a rare word is not penalised:
// the prose sample is small); the thresholds below keep their meaning for
// words of ordinary frequency.
constexpr double kCountPivot = 1.5;
// The weight of the language model's verdict (log10 P of the candidate and
// the words after it, against the best candidate's) in a candidate's score:
// with kCostWeight 2 per unit of edit cost, one unit of edit cost is worth a
// hundredfold in context probability.
constexpr double kContextWeight = 1.0;
// Candidates more than this below the best context-free score are not looked
// up in the language model (they would need a context a million times likelier).
constexpr double kContextWindow = 6.0;
// Their context, far below any the model gives.
constexpr double kOutOfWindow = -100.0;
// The cost of taking a candidate from the lexicon's deletion index (on top of
// the error model's cost of the edits).
constexpr double kIndexCost = 0.3;
// A lower-case non-word is ranked as a noisy channel: the error model's cost
// (kCostWeight per unit, so one unit of edit cost is worth a hundredfold in
// probability) plus the language model's log10 probability of the candidate
// in context, plus the article's use of it. Commonness is in the language
// model's probability already. A change needs a lead of kChannelMargin (a
// hundredfold) and a context-free score (`plain`) of kChannelPlain: cheap
// edits to a word of some use. A lone candidate counts as leading by kLoneMargin.
constexpr double kChannelMargin = 2.0;
constexpr double kChannelPlain = 0.5;
constexpr double kLoneMargin = 4.0;
// A word of kLongWord+ letters: the context-free score its winner needs when
// the edits cost at most kLongChannelCost (one slip, or two cheap ones).
constexpr double kLongChannelPlain = -1.0;
constexpr double kLongChannelCost = 1.5;
// A word of kLongWord+ letters whose winner leads the channel by kFarMargin
// (ten thousandfold; a lone candidate counts as leading by kLoneMargin, the
// same) is repaired at a dearer slip, up to kFarChannelCost (three cheap slips or two
// dear ones: "goverment" written with a letter changed as well), when its
// context-free score is at least kFarChannelPlain: a long non-word has few
// words within two edits, and one that wins that clearly is the writer's.
constexpr double kFarMargin = 4.0;
constexpr double kFarChannelCost = 3.0;
constexpr double kFarChannelPlain = -3.5;
// A document with more distinct lower-case non-words than this spells as its
// writer talks (eye dialect) or is old or foreign text: no far repair there.
constexpr std::size_t kOwnWayWords = 10;
// A word of the commonest English (a context-free score, edit cost and the
// article's use left out, of kCommonUse: SCOWL size 10, or size 20 and very
// frequent in Brown; a rhyme on a word the article just used is no slip) that
// wins the channel by kCommonMargin is a repair even when the slip is dearer
// (up to kCommonChannelCost: a dropped and an added letter, "wenn" -> "when"):
// misspellings of the commonest words are the commonest misspellings.
constexpr double kCommonMargin = 2.5;
constexpr double kCommonUse = 3.0;
constexpr double kCommonChannelCost = 2.0;
// The context-free route to a change (see check()) for a lower-case word: the
// noisy channel's least lead.
constexpr double kChannelMinMargin = 1.0;
// A tie in the channel settled by both sides of the context: the winner (one
// slip, or two cheap ones, from a word of some use) leads by kSidesMargin (a
// tenfold), and each side of its context (the two words before it; the two
// words after it) on its own prefers it by kSideLead (fivefold) to every
// candidate within kChannelMargin of it (see check()).
constexpr double kSidesMargin = 1.0;
constexpr double kSideLead = 0.7;
// A lower-case name that is more likely a slip is changed on this lead, else flagged.
constexpr double kNameMargin = 3.0;
// CompiledLexicon::has_form's answers for a form only en_US (the first
// dictionary) or only en_GB (the second) accepts.
constexpr unsigned kAmericanOnly = 1;
constexpr unsigned kBritishOnly = 2;
// After "a" / "an" a plural candidate loses to its singular ("a monthe").
constexpr double kPluralAfterArticle = 1.5;

// Edit costs: the slips people and MT garbling make most are cheap.
constexpr double kTransposeCost = 0.7;
constexpr double kDoubledDeleteCost = 0.6;  // "willl", "verry"
constexpr double kDeleteCost = 1.3;
constexpr double kTrailingDeleteCost = 0.9;  // a key hit after the word: "monthe", "findn"
constexpr double kEchoDeleteCost = 0.9;      // a letter typed again a little late: "findn"
constexpr double kShortResultCost = 0.5;     // added when the fix is under 3 letters ("ihs" -> "is")
constexpr double kInsertCost = 1.0;
constexpr double kAdjacentSubstituteCost = 0.8;  // neighbouring keys
constexpr double kVowelSubstituteCost = 1.1;
constexpr double kSubstituteCost = 1.4;
constexpr double kRepeatCost = 0.4;  // a stuttered syllable removed
constexpr double kMoveCost = 0.9;    // a letter typed two places away
constexpr double kYToICost = 0.6;    // an ending added to a final "y" that turns to "i": "carryed"

constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyz";

// QWERTY neighbours of each letter a-z.
constexpr std::array<std::string_view, 26> kKeyNeighbours = {
    "qwsz", "vghn", "xdfv", "serfcx", "wsdr", "drtgvc", "ftyhbv", "gyujnb", "ujko", "huikmn", "jiolm", "kop",  "njk",
    "bhjm", "iklp", "ol",   "wa",     "edft", "awedxz", "rfgy",   "yhji",   "cfgb", "qase",   "zsdc",  "tghu", "asx"};

// Bit filters (in 64-bit words) that turn away non-words before hash look-ups:
// 2^17 words = 8 Mbit for ~63,000 common words, 2^12 words for one article's.
constexpr std::size_t kTierFilterWords = std::size_t{1} << 17;
constexpr std::size_t kDocFilterWords = std::size_t{1} << 12;
// The vocabulary is forgotten at the next document once it holds more words
// than this (for the process: each of N pipelines keeps 1/N of them,
// Resources::budget), so memory stays flat on endless streams of documents
// (about 4 MB of words and 1 MB of index at most).
constexpr std::size_t kMaxVocabulary = std::size_t{1} << 16;
// The fingerprint's polynomial base (odd, well spread) and the mixer that turns
// a fingerprint into filter bits: one multiplication, its upper half folded
// into the lower (the filters only need the bits spread, and a poor spread
// would only let more non-words through to the exact look-ups).
constexpr std::uint64_t kFingerprintBase = 0x100000001B3ULL;
std::uint64_t mix(std::uint64_t h) {
  h *= 0x9E3779B97F4A7C15ULL;
  return h ^ (h >> 32);
}
// The two bit positions a mixed fingerprint sets in (or tests against) a filter.
std::array<std::uint64_t, 2> filter_probes(std::uint64_t h) { return {h, h >> 29 | h << 35}; }

// Neighbours (each side) looked at for signs of a foreign phrase.
constexpr std::size_t kForeignWindow = 2;
// Function words of the languages English news quotes most; none is an English word.
constexpr std::array<std::string_view, 18> kForeignFunctionWords = {"au",  "aux", "de",  "del", "des", "du",
                                                                    "el",  "la",  "las", "le",  "les", "los",
                                                                    "der", "das", "und", "von", "il",  "et"};

bool is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

bool keys_adjacent(char a, char b) {
  if (a < 'a' || a > 'z') return false;
  return kKeyNeighbours[static_cast<std::size_t>(a - 'a')].find(b) != std::string_view::npos;
}

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
bool ascii_upper(char c) { return c >= 'A' && c <= 'Z'; }

bool is_opening_mark(char32_t c) {
  return c == '"' || c == '\'' || c == '(' || c == '[' || c == U'\u201C' || c == U'\u2018' || c == U'\u00AB';
}

bool is_quote(char32_t c) {
  return c == '"' || c == '\'' || c == U'\u201C' || c == U'\u201D' || c == U'\u2018' || c == U'\u2019' ||
         c == U'\u00AB' || c == U'\u00BB';
}

bool is_closing_punct(char32_t c) {
  switch (c) {
    case '.':
    case ',':
    case ';':
    case ':':
    case '!':
    case '?':
    case '"':
    case '\'':
    case ')':
    case ']':
    case U'\u201D':
    case U'\u2019':
    case U'\u00BB':
    case U'\u2026':
      return true;
    default:
      return false;
  }
}

bool is_sentence_end(char32_t c) { return c == '.' || c == '!' || c == '?'; }

bool is_apostrophe(char32_t c) { return c == '\'' || c == U'\u2019'; }

// Classes of single bytes, for the ASCII fast paths of the scans: each bit
// matches one of the predicates above (is_letter, is_space, is_opening_mark,
// is_quote, is_closing_punct) on an ASCII character; kHigh marks the bytes of
// multi-byte UTF-8, which take the decoding path.
enum : std::uint8_t { kAlpha = 1, kSpace = 2, kOpen = 4, kQuote = 8, kClose = 16, kHigh = 32, kBreak = 64 };
constexpr std::array<std::uint8_t, 256> kByteClass = [] {
  std::array<std::uint8_t, 256> t{};
  const auto mark = [&](std::string_view chars, std::uint8_t bit) {
    for (const char c : chars) t[static_cast<unsigned char>(c)] |= bit;
  };
  for (int c = 0; c < 26; ++c) {
    t[static_cast<std::size_t>('a' + c)] |= kAlpha;
    t[static_cast<std::size_t>('A' + c)] |= kAlpha;
  }
  mark(" \t\n\r\f\v", kSpace);
  mark("\n\r", kBreak);
  mark("\"'([", kOpen);
  mark("\"'", kQuote);
  mark(".,;:!?\"')]", kClose);
  for (std::size_t c = 0x80; c < 0x100; ++c) t[c] |= kHigh;
  return t;
}();
std::uint8_t byte_class(char c) { return kByteClass[static_cast<unsigned char>(c)]; }

// Optimal string alignment distance (a transposition is one edit). Words are
// short (<= kMaxWord); longer inputs return a large number.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  constexpr std::size_t kMax = 40;
  if (a.size() >= kMax || b.size() >= kMax) return kMax;
  // Only three rows of the table are alive at a time (a transposition looks
  // two rows back): rows i - 2, i - 1 and i rotate through `rows`, and only
  // their first b.size() + 1 cells are ever written or read.
  std::array<std::array<std::size_t, kMax + 1>, 3> rows;
  std::size_t* before = rows[0].data();  // row i - 2
  std::size_t* last = rows[1].data();    // row i - 1
  std::size_t* row = rows[2].data();     // row i
  for (std::size_t j = 0; j <= b.size(); ++j) last[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t sub = a[i - 1] == b[j - 1] ? 0 : 1;
      std::size_t best = std::min({last[j] + 1, row[j - 1] + 1, last[j - 1] + sub});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) best = std::min(best, before[j - 2] + 1);
      row[j] = best;
    }
    std::size_t* const free = before;
    before = last;
    last = row;
    row = free;
  }
  return last[b.size()];
}

// Consonants that stand for the same sound in English spelling ("c" / "k" /
// "s", "s" / "z", "g" / "j"): a writer who spells by ear swaps them.
bool sound_alike(char a, char b) {
  const auto pair = [&](char x, char y) { return (a == x && b == y) || (a == y && b == x); };
  return pair('c', 'k') || pair('c', 's') || pair('s', 'z') || pair('g', 'j') || pair('i', 'y') || pair('f', 'v');
}

// "abc" written "bca" or "cab": one letter typed two places away from its own.
// (Three letters at a and at b.)
bool moved_letter(const char* a, const char* b) {
  if (a[0] == b[0] && a[1] == b[1] && a[2] == b[2]) return false;
  return (a[0] == b[1] && a[1] == b[2] && a[2] == b[0]) || (a[0] == b[2] && a[1] == b[0] && a[2] == b[1]);
}

// The error model: the cost of writing `typo` for `word`, the cheapest
// alignment of the slips people make (an optimal string alignment whose steps
// cost what the slip's kind does): a letter doubled or undoubled, two letters
// swapped, a neighbouring key, a vowel or a sound-alike consonant for another
// are cheap; any other letter dropped, added or replaced is dear.
// replaced()'s kind of slip for two lower-case ASCII letters, from the tests
// below: 0 the same letter, 1 neighbouring keys, 2 vowels or sound-alike
// consonants, 3 any other (one table read instead of the tests in every cell).
const std::array<std::array<std::uint8_t, 26>, 26> kSlipKinds = [] {
  std::array<std::array<std::uint8_t, 26>, 26> t{};
  for (char a = 'a'; a <= 'z'; ++a) {
    for (char b = 'a'; b <= 'z'; ++b) {
      std::uint8_t kind = 3;
      if (a == b)
        kind = 0;
      else if (keys_adjacent(a, b))
        kind = 1;
      else if ((is_vowel(a) && is_vowel(b)) || sound_alike(a, b))
        kind = 2;
      t[static_cast<std::size_t>(a - 'a')][static_cast<std::size_t>(b - 'a')] = kind;
    }
  }
  return t;
}();

double channel_cost(std::string_view typo, std::string_view word) {
  constexpr std::size_t kMax = 40;
  if (typo.size() >= kMax || word.size() >= kMax) return 100.0;
  std::array<std::array<double, kMax + 1>, kMax + 1> d;  // (only [0, n] x [0, m] is written and read)
  const std::size_t n = typo.size();
  const std::size_t m = word.size();
  // An extra letter in the typo (deleted to get the word).
  const auto extra = [&](std::size_t i, std::size_t j) {  // typo[i - 1], after word[0, j)
    const char c = typo[i - 1];
    // (Only the second of a pair, the first kept: deleting both letters of
    // "ll" is no slip of one.)
    const bool doubled = i >= 2 && typo[i - 2] == c && j >= 1 && word[j - 1] == c;
    return doubled ? kDoubledDeleteCost : i == n ? kTrailingDeleteCost : kDeleteCost;
  };
  // A letter of the word the typo lacks (inserted to get the word).
  const auto missing = [&](std::size_t i, std::size_t j) {  // word[j - 1], after typo[0, i)
    const char c = word[j - 1];
    const bool doubled = j >= 2 && word[j - 2] == c && i >= 1 && typo[i - 1] == c;
    return doubled ? kDoubledDeleteCost : kInsertCost;
  };
  const auto replaced = [&](char a, char b) {
    if (a >= 'a' && a <= 'z' && b >= 'a' && b <= 'z') {
      constexpr std::array<double, 4> kCost = {0.0, kAdjacentSubstituteCost, kVowelSubstituteCost, kSubstituteCost};
      return kCost[kSlipKinds[static_cast<std::size_t>(a - 'a')][static_cast<std::size_t>(b - 'a')]];
    }
    if (a == b) return 0.0;
    if (keys_adjacent(a, b)) return kAdjacentSubstituteCost;
    if ((is_vowel(a) && is_vowel(b)) || sound_alike(a, b)) return kVowelSubstituteCost;
    return kSubstituteCost;
  };
  d[0][0] = 0;
  for (std::size_t i = 1; i <= n; ++i) d[i][0] = d[i - 1][0] + extra(i, 0);
  for (std::size_t j = 1; j <= m; ++j) d[0][j] = d[0][j - 1] + missing(0, j);
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      double best = std::min({d[i - 1][j] + extra(i, j), d[i][j - 1] + missing(i, j),
                              d[i - 1][j - 1] + replaced(typo[i - 1], word[j - 1])});
      if (i > 1 && j > 1 && typo[i - 1] == word[j - 2] && typo[i - 2] == word[j - 1] && typo[i - 1] != typo[i - 2])
        best = std::min(best, d[i - 2][j - 2] + kTransposeCost);
      // A letter typed two places early or late ("form" -> "fomr", "perhaps" -> "perphas").
      if (i > 2 && j > 2 && moved_letter(typo.data() + i - 3, word.data() + j - 3))
        best = std::min(best, d[i - 3][j - 3] + kMoveCost);
      d[i][j] = best;
    }
  }
  return d[n][m];
}

// True if `w` holds a chunk of 2+ letters repeated right after itself ("learnedned").
bool has_repeat(std::string_view w) {
  for (std::size_t len = 2; len * 2 <= w.size(); ++len) {
    for (std::size_t i = 0; i + 2 * len <= w.size(); ++i) {
      if (2 * len == w.size()) continue;  // a reduplicated word ("Lili"): no stutter
      if (w.compare(i, len, w, i + len, len) == 0) return true;
    }
  }
  return false;
}

// The plain word of the chunk [b, e), if it has one.
SpellingStage::Token token_of(std::string_view text, std::size_t b, std::size_t e) {
  SpellingStage::Token t;
  t.chunk_begin = b;
  t.chunk_end = e;
  std::size_t i = b;
  bool lead_quote = false;
  while (i < e) {
    std::size_t len = 0;
    const char32_t c = decode_at(text, i, &len);
    if (is_letter(c)) break;
    if (!is_opening_mark(c)) return t;  // '@', '#', '$', digits, dashes: not a plain word
    lead_quote = lead_quote || is_quote(c);
    i += len;
  }
  t.begin = i;
  t.ascii = true;
  while (i < e) {
    std::size_t len = 0;
    const char32_t c = decode_at(text, i, &len);
    if (!is_letter(c)) break;
    if (len != 1) t.ascii = false;
    i += len;
  }
  t.end = i;
  if (t.end == t.begin) return t;
  // The tail: an optional possessive, then closing punctuation only.
  if (i < e) {
    std::size_t len = 0;
    const char32_t c = decode_at(text, i, &len);
    if (is_apostrophe(c) && (i + len == e || text[i + len] == 's')) {
      const std::size_t after = i + len + (i + len < e ? 1 : 0);
      if (after == e || !is_letter(decode_at(text, after))) i = after;
    }
  }
  bool tail_quote = false;
  while (i < e) {
    std::size_t len = 0;
    const char32_t c = decode_at(text, i, &len);
    if (!is_closing_punct(c)) return t;  // '-', '/', '@', letters after '.': compounds, URLs, "U.S."
    if (c == '.' && i + len < e && decode_at(text, i + len) != '.' && !is_closing_punct(decode_at(text, i + len))) {
      return t;
    }
    tail_quote = tail_quote || is_quote(c);
    i += len;
  }
  t.plain = true;
  t.quoted = lead_quote && tail_quote;
  return t;
}

// token_of for a chunk of ASCII bytes only, with byte classes instead of
// decoding: the same steps, the same result.
SpellingStage::Token ascii_token_of(std::string_view text, std::size_t b, std::size_t e) {
  SpellingStage::Token t;
  t.chunk_begin = b;
  t.chunk_end = e;
  std::size_t i = b;
  bool lead_quote = false;
  for (; i < e; ++i) {
    const std::uint8_t c = byte_class(text[i]);
    if (c & kAlpha) break;
    if (!(c & kOpen)) return t;
    lead_quote = lead_quote || (c & kQuote);
  }
  t.begin = i;
  t.ascii = true;
  while (i < e && (byte_class(text[i]) & kAlpha)) ++i;
  t.end = i;
  if (t.end == t.begin) return t;
  if (i < e && text[i] == '\'' && (i + 1 == e || text[i + 1] == 's')) {
    const std::size_t after = i + 1 + (i + 1 < e ? 1 : 0);
    if (after == e || !(byte_class(text[after]) & kAlpha)) i = after;
  }
  bool tail_quote = false;
  for (; i < e; ++i) {
    const std::uint8_t c = byte_class(text[i]);
    if (!(c & kClose)) return t;
    if (text[i] == '.' && i + 1 < e && !(byte_class(text[i + 1]) & kClose)) return t;  // ('.' is closing punctuation)
    tail_quote = tail_quote || (c & kQuote);
  }
  t.plain = true;
  t.quoted = lead_quote && tail_quote;
  return t;
}

// The next whitespace-delimited chunk starting at or after `i` on the same line.
bool next_chunk(std::string_view text, std::size_t i, std::size_t* b, std::size_t* e) {
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  if (i >= text.size() || text[i] == '\n' || text[i] == '\r') return false;
  std::size_t j = i;
  while (j < text.size()) {
    std::size_t len = 0;
    const char32_t c = decode_at(text, j, &len);
    if (is_space(c)) break;
    j += len;
  }
  *b = i;
  *e = j;
  return true;
}

// True if the chunk starting at `b` opens a sentence (line start, or after . ! ?
// with closing quotes or brackets between).
bool at_sentence_start(std::string_view text, std::size_t b) {
  std::size_t i = b;
  while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t')) --i;
  if (i == 0 || text[i - 1] == '\n') return true;
  while (i > 0) {
    const char32_t c = decode_before(text, i);
    if (c == '"' || c == '\'' || c == ')' || c == ']' || c == U'\u201D' || c == U'\u2019') {
      i = prev_start(text, i);
      continue;
    }
    return is_sentence_end(c) || c == '|';
  }
  return true;
}

int tier_bonus_rank(int tier) {
  switch (tier) {
    case 10:
      return 6;
    case 20:
      return 5;
    case 35:
      return 4;
    case 40:
      return 3;
    case 50:
      return 2;
    default:
      return 1;
  }
}

// How much a commoner word is preferred: 3.0 for SCOWL size 10 down to 0.5 for a
// word only Hunspell knows.
double frequency_bonus(int tier) { return 0.5 * tier_bonus_rank(tier); }

// The article's use of a candidate is the strongest evidence there is.
double document_bonus(std::uint32_t count) {
  if (count == 0) return 0;
  return std::min(2.5, 1.0 + 0.4 * std::log2(static_cast<double>(count)));
}

// The case pattern of `word` applied to the lower-case `fix`.
std::string with_case_of(std::string_view word, const std::string& fix) {
  if (!word.empty() && ascii_upper(word.front())) return capitalize(fix);
  return fix;
}

}  // namespace

SpellingStage::Tiers SpellingStage::load_tiers(Resources& resources) {
  Tiers t;
  t.filter.assign(kTierFilterWords, 0);
  for (const auto& line : resources.dictionary("word_tiers.txt")) {
    const std::string_view entry = line.text;
    const auto space = entry.find(' ');
    if (space == std::string_view::npos) {
      throw Error("word_tiers.txt:" + std::to_string(line.line) + ": expected \"word tier\"");
    }
    int tier = 0;
    for (const char c : entry.substr(space + 1)) {
      if (c >= '0' && c <= '9') tier = tier * 10 + (c - '0');
    }
    t.map.insert(entry.substr(0, space), static_cast<std::uint8_t>(std::min(tier, 255)));
    remember(t.filter, entry.substr(0, space));
  }
  t.map.shrink();
  return t;
}

SpellingStage::SpellingStage(Resources& resources)
    : lexicon_(resources.lexicon()),
      frequencies_(resources.word_frequencies()),
      shared_tiers_(resources.shared<Tiers>("spelling.tiers", [&] { return load_tiers(resources); })),
      tiers_(shared_tiers_->map),
      vocabulary_budget_(resources.budget(kMaxVocabulary)),
      tier_filter_(shared_tiers_->filter) {
  grow_vocabulary();
  doc_filter_.assign(kDocFilterWords, 0);
}

std::string_view SpellingStage::description() const {
  return "repairs non-words (typos, MT stutter) when one correction clearly wins; flags the doubtful ones";
}

std::vector<RuleInfo> SpellingStage::rules() const {
  return {
      {kMisspellingRule,
       "a non-word -> the candidate at edit distance 1-2 that clearly wins on the slip's cost, commonness, the "
       "article's use and the words around it (\"willl\" -> \"will\"); leaves names, ALL CAPS, words used twice"},
      {kGarbleRule,
       "a machine-translation stutter -> the word without its repeated syllable, or the article's word of "
       "the same stem (\"learnedned\" -> \"learned\", \"Cooperatation\" -> \"Cooperation\")"},
      {kUnsureRule, "flags (does not change) a non-word whose best correction does not win clearly"},
  };
}

int SpellingStage::tier_of(std::string_view lower) const {
  // The filter of the tiers' words turns most other words away before the
  // large table's look-up (a cache miss).
  if (!maybe_tier(mix(fingerprint(lower)))) return 0;
  const std::uint8_t* tier = tiers_.find(lower);
  return tier ? *tier : 0;
}

bool SpellingStage::maybe_tier(std::uint64_t h) const {
  const auto bit = [&](std::uint64_t x) { return tier_filter_[(x >> 6) & (kTierFilterWords - 1)] >> (x & 63) & 1; };
  return bit(h) && bit(h >> 29 | h << 35);
}

bool SpellingStage::maybe_in_document(std::uint64_t h) const {
  const auto bit = [&](std::uint64_t x) { return doc_filter_[(x >> 6) & (kDocFilterWords - 1)] >> (x & 63) & 1; };
  return bit(h) && bit(h >> 29 | h << 35);
}

std::uint32_t SpellingStage::doc_count(std::string_view lower) const {
  // Once the document's filter is built (before any candidate is ranked), a
  // word it turns away is not the article's: no look-up in the vocabulary.
  if (doc_filter_ready_ && !maybe_in_document(mix(fingerprint(lower)))) return 0;
  // Every word the document counted is in the vocabulary.
  const std::int64_t id = find_word(lower);
  return id < 0 ? 0 : count_of(words_[static_cast<std::size_t>(id)]);
}

std::uint64_t SpellingStage::fingerprint(std::string_view word) {
  std::uint64_t h = 0;
  for (const char c : word) h = h * kFingerprintBase + static_cast<unsigned char>(c) + 1;
  return h;
}

bool SpellingStage::maybe_fingerprint(std::uint64_t fingerprint) const {
  const std::uint64_t h = mix(fingerprint);
  // (The filter sizes are powers of two: a mask instead of a division.)
  const auto tier_bit = [&](std::uint64_t x) {
    return tier_filter_[(x >> 6) & (kTierFilterWords - 1)] >> (x & 63) & 1;
  };
  const auto doc_bit = [&](std::uint64_t x) { return doc_filter_[(x >> 6) & (kDocFilterWords - 1)] >> (x & 63) & 1; };
  const std::uint64_t h2 = h >> 29 | h << 35;
  return (tier_bit(h) && tier_bit(h2)) || (doc_bit(h) && doc_bit(h2));
}

bool SpellingStage::maybe_word(std::string_view lower) const { return maybe_fingerprint(fingerprint(lower)); }

void SpellingStage::remember(std::vector<std::uint64_t>& filter, std::string_view lower) {
  const std::uint64_t h = mix(fingerprint(lower));
  for (const std::uint64_t x : filter_probes(h)) filter[(x >> 6) % filter.size()] |= std::uint64_t{1} << (x & 63);
}

std::uint64_t SpellingStage::key_hash(const char* key, std::size_t size) {
  // The key is zero-padded to kKeyBytes: whole 8-byte words may be read.
  std::uint64_t h = kKeySeed;
  for (std::size_t k = 0; k < size; k += 8) {
    std::uint64_t x = 0;
    std::memcpy(&x, key + k, 8);
    h = key_hash_step(h, x);
  }
  return key_hash_end(h, size);
}

namespace {
bool keys_equal(const char* a, const char* b) {
  std::uint64_t diff = 0;
  for (std::size_t k = 0; k < 32; k += 8) {
    std::uint64_t x = 0;
    std::uint64_t y = 0;
    std::memcpy(&x, a + k, 8);
    std::memcpy(&y, b + k, 8);
    diff |= x ^ y;
  }
  return diff == 0;
}
}  // namespace

std::uint32_t SpellingStage::intern_key(const char* key, std::size_t size) {
  return intern_hashed(key, size, key_hash(key, size));
}

std::uint32_t SpellingStage::intern_hashed(const char* key, std::size_t size, std::uint64_t h) {
  static_assert(kMaxWord < kKeyBytes);
  const std::uint64_t tag = h >> 32;
  std::size_t i = h & slot_mask_;
  for (;; i = (i + 1) & slot_mask_) {
    const std::uint64_t slot = slots_[i];
    if (slot == 0) break;
    if (slot >> 32 == tag) {
      const auto id = static_cast<std::uint32_t>(slot) - 1;
      const Word& w = words_[id];
      if (w.size == size && keys_equal(w.key, key)) return id;
    }
  }
  return add_word(key, size, h, i);
}

std::uint32_t SpellingStage::add_word(const char* key, std::size_t size, std::uint64_t h, std::size_t slot) {
  const auto id = static_cast<std::uint32_t>(words_.size());
  Word w;
  std::memcpy(w.key, key, kKeyBytes);
  w.size = static_cast<std::uint32_t>(size);
  const std::string_view lower = text_of(w);
  w.in_tiers = tiers_.find(lower) != nullptr;
  w.filter_hash = mix(fingerprint(lower));
  words_.push_back(w);
  if (words_.size() * 2 > slots_.size()) {
    grow_vocabulary();  // re-indexes every word, this one included
  } else {
    slots_[slot] = (h >> 32) << 32 | (std::uint64_t{id} + 1);
  }
  return id;
}

void SpellingStage::grow_vocabulary() {
  slots_.assign(slots_.empty() ? 1024 : slots_.size() * 2, 0);
  slot_mask_ = slots_.size() - 1;
  for (std::size_t id = 0; id < words_.size(); ++id) {
    // The hash again from the key (a Word does not keep it: 8 bytes a word).
    const std::uint64_t h = key_hash(words_[id].key, words_[id].size);
    std::size_t i = h & slot_mask_;
    while (slots_[i] != 0) i = (i + 1) & slot_mask_;
    slots_[i] = (h >> 32) << 32 | (std::uint64_t{id} + 1);
  }
}

std::int64_t SpellingStage::find_word(std::string_view lower) const {
  if (lower.size() > kMaxWord) return -1;  // never in the vocabulary
  alignas(8) char key[kKeyBytes] = {};
  std::memcpy(key, lower.data(), lower.size());
  const std::uint64_t h = key_hash(key, lower.size());
  for (std::size_t i = h & slot_mask_;; i = (i + 1) & slot_mask_) {
    const std::uint64_t slot = slots_[i];
    if (slot == 0) return -1;
    if (slot >> 32 == h >> 32) {
      const auto id = static_cast<std::uint32_t>(slot) - 1;
      const Word& w = words_[id];
      if (w.size == lower.size() && keys_equal(w.key, key)) return id;
    }
  }
}

bool SpellingStage::known_word(std::uint32_t id) {
  Word& w = words_[id];
  if (w.known < 0) w.known = lexicon_.known(text_of(w)) ? 1 : 0;
  return w.known != 0;
}

bool SpellingStage::ask_accepted(std::uint32_t id) {
  Word& w = words_[id];
  // A common word, or one Hunspell accepts written in lower case or
  // capitalised: check() sees the word in one of these two forms, and
  // Hunspell accepts "the" as "The", so both forms have the same answer.
  bool ok = w.in_tiers || known_word(id);
  if (!ok) {
    scratch_ = capitalize(text_of(w));
    ok = lexicon_.known(scratch_);
  }
  w.accepted = ok ? 1 : 0;
  return ok;
}

bool SpellingStage::typo_name(std::uint32_t id) {
  Word& w = words_[id];
  if (w.typo_name < 0) {
    bool typo = !w.in_tiers && !known_word(id);
    if (typo) {
      scratch_ = capitalize(text_of(w));
      typo = lexicon_.known(scratch_) && frequencies_.likely_misspelling(text_of(w), lexicon_);
    }
    w.typo_name = typo ? 1 : 0;
  }
  return w.typo_name != 0;
}

bool SpellingStage::is_word(std::string_view lower) {
  // Most strings the candidate generator makes are not words: the filters turn
  // them away before any hash-table look-up.
  if (!maybe_word(lower)) return false;
  if (tiers_.find(lower)) return true;
  const std::int64_t id = find_word(lower);
  return id >= 0 && count_of(words_[static_cast<std::size_t>(id)]) > 0 && known_word(static_cast<std::uint32_t>(id));
}

bool SpellingStage::british_article() {
  if (british_ < 0) {
    const CompiledLexicon& lex = lexicon_.compiled();
    int balance = 0;
    for (const std::uint32_t id : doc_words_) {
      const unsigned in = lex.has_form(text_of(words_[id]));
      balance += in == kBritishOnly ? 1 : in == kAmericanOnly ? -1 : 0;
    }
    british_ = balance > 0 ? 1 : 0;
  }
  return british_ == 1;
}

bool SpellingStage::spells_own_way(std::string_view text) {
  if (own_way_ < 0) {
    own_way_ = 0;
    std::vector<std::string_view> seen;
    for (const auto& [at, line_start] : suspects_) {
      if (text[at] < 'a' || text[at] > 'z') continue;
      std::size_t end = at;
      while (end < text.size() && ascii_lower(text[end]) >= 'a' && ascii_lower(text[end]) <= 'z') ++end;
      const std::string_view run = text.substr(at, end - at);
      if (run.ends_with("in")) {
        scratch_.assign(run);
        for (char& c : scratch_) c = ascii_lower(c);
        scratch_.push_back('g');
        if (is_word(scratch_)) {
          own_way_ = 1;
          break;
        }
      }
      if (std::find(seen.begin(), seen.end(), run) == seen.end()) seen.push_back(run);
      if (seen.size() > kOwnWayWords) {
        own_way_ = 1;
        break;
      }
    }
  }
  return own_way_ == 1;
}

bool SpellingStage::two_words(std::string_view lower) {
  for (std::size_t k = kMinWord; k + kMinWord <= lower.size(); ++k) {
    const std::string_view left = lower.substr(0, k);
    const std::string_view right = lower.substr(k);
    if (known_quick(left, left) && known_quick(right, right)) return true;
  }
  return false;
}

bool SpellingStage::derived(std::string_view lower) {
  // English's productive prefixes and endings (a stem of four letters or
  // more; a final e or y may have changed before the ending).
  static constexpr std::array<std::string_view, 12> kPrefixes = {"un",  "re",   "de",    "dis", "non",  "mis",
                                                                 "pre", "over", "under", "out", "anti", "semi"};
  static constexpr std::array<std::string_view, 12> kEndings = {"able", "ably", "ability", "ness", "less", "ment",
                                                                "ful",  "ish",  "ism",     "ist",  "ly",   "er"};
  constexpr std::size_t kStem = 4;
  for (const std::string_view p : kPrefixes) {
    if (lower.size() >= p.size() + kStem && lower.starts_with(p)) {
      const std::string_view rest = lower.substr(p.size());
      if (known_quick(rest, rest)) return true;
    }
  }
  for (const std::string_view e : kEndings) {
    if (lower.size() < e.size() + kStem || !lower.ends_with(e)) continue;
    const std::string stem(lower.substr(0, lower.size() - e.size()));
    if (known_quick(stem, stem)) return true;
    // A final e drops only before a vowel ("debatable", not "completly").
    const bool vowel = e.front() == 'a' || e.front() == 'e' || e.front() == 'i';
    if (vowel && known_quick(stem + "e", stem + "e")) return true;
    if (stem.back() == 'i') {
      const std::string y = stem.substr(0, stem.size() - 1) + "y";
      if (known_quick(y, y)) return true;
    }
  }
  return false;
}

bool SpellingStage::known_quick(std::string_view word, std::string_view lower) {
  return tiers_.find(lower) || lexicon_.known(word) || lexicon_.known(lower);
}

void SpellingStage::begin_document() {
  // Zero only the filter words the last document's words set (an article sets
  // a few hundred of the 4,096), while its word ids are still valid.
  if (doc_filter_ready_) {
    for (const std::uint32_t id : doc_words_) {
      for (const std::uint64_t x : filter_probes(words_[id].filter_hash)) {
        doc_filter_[(x >> 6) & (kDocFilterWords - 1)] = 0;
      }
    }
    doc_filter_ready_ = false;
  }
  doc_words_.clear();
  suspects_.clear();
  stem_index_.clear();
  stem_lookups_ = 0;
  british_ = -1;
  own_way_ = -1;
  stem_index_ready_ = false;
  if (words_.size() > vocabulary_budget_.share()) {
    words_.clear();
    std::fill(slots_.begin(), slots_.end(), 0);
  }
  if (++epoch_ == 0) {  // wrapped: no stale count may look current
    for (Word& w : words_) w.epoch = 0;
    epoch_ = 1;
  }
}

void SpellingStage::count_words(std::string_view text) {
  const std::size_t n = text.size();
  const char* const data = text.data();
  std::size_t line_start = 0;
  bool after_cr = false;  // a '\r' since line_start: the chunk scan skips the rest of the line
  std::size_t i = 0;
  while (i < n) {
    const std::uint8_t c = byte_class(data[i]);
    if (!(c & kAlpha)) {
      if (c & kBreak) {
        if (data[i] == '\r') {
          after_cr = true;
        } else {
          after_cr = false;
          line_start = i + 1;
        }
      }
      ++i;
      continue;
    }
    // The run of ASCII letters, 8 bytes at a time: each word's letters go
    // lower-cased into the key (the bytes after the run zeroed, as key_hash
    // expects) and into the hash, so the key is never read again.
    alignas(8) char key[kKeyBytes] = {};
    std::uint64_t h = kKeySeed;
    std::size_t j = i;
    for (;;) {
      // Past the end: zero bytes, no letters.
      const std::uint64_t x = n - j >= 8 ? load_le64(data + j) : load_le(data + j, n - j);
      const std::size_t k = first_marked_byte(~ascii_letter_bytes(x) & kHighBits);
      if (k == 0) break;
      if (j - i < kKeyBytes) {  // (j - i is a multiple of 8: the word fits the key)
        const std::uint64_t keep = k == 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * k)) - 1;
        const std::uint64_t lowered = (x | 0x20 * kEveryByte) & keep;
        store_le64(key + (j - i), lowered);
        h = key_hash_step(h, lowered);
      }
      j += k;
      if (k < 8) break;
    }
    if (j - i > kMaxWord) {  // not counted, and never a word check() looks at
      i = j;
      continue;
    }
    count_run(text, i, j, intern_hashed(key, j - i, key_hash_end(h, j - i)), line_start, after_cr);
    i = j;
  }
}

inline void SpellingStage::count_run(std::string_view text, std::size_t i, std::size_t j, std::uint32_t id,
                                     std::size_t line_start, bool after_cr) {
  const char* const data = text.data();
  // Every word check() looks at is such a run (a token's letters are a whole
  // run of ASCII letters), and check() leaves an accepted word alone, before
  // any other test (but a name that is likely a slip for a common word, when
  // written in lower case): only the lines of the other runs need tokenising.
  if (j - i >= kMinWord && !after_cr && (!accepted(id) || (data[i] >= 'a' && !words_[id].in_tiers && typo_name(id))))
    suspects_.emplace_back(i, line_start);
  // A run touching a non-ASCII byte is part of a foreign word: not counted.
  const bool touches_utf8 =
      (j < text.size() && static_cast<unsigned char>(data[j]) >= 0x80) ||
      (i > 0 && static_cast<unsigned char>(data[i - 1]) >= 0x80 && is_letter(decode_before(text, i)));
  if (!touches_utf8) {
    Word& w = words_[id];
    if (w.epoch != epoch_) {  // the document's first occurrence
      w.epoch = epoch_;
      w.count = 0;
      doc_words_.push_back(id);
    }
    ++w.count;
  }
}

void SpellingStage::count_words(const WordAnalysis& words) {
  const std::string_view text = words.text();
  // The vocabulary ids of the document's distinct forms first: their keys
  // and hashes, then the look-ups with the slot of a form a few places ahead
  // already asked from memory, so a large vocabulary's cache misses overlap.
  // A form holding other than ASCII letters is split into its ASCII runs
  // below; one longer than kMaxWord is never counted.
  const std::size_t forms = words.forms();
  form_ids_.assign(forms, kNoWord);
  form_keys_.resize(forms);
  for (std::size_t f = 0; f < forms; ++f) {
    const WordAnalysis::Form& info = words.form_info(static_cast<std::uint32_t>(f));
    if (!info.ascii || info.size > kMaxWord) continue;
    FormKey& k = form_keys_[f];
    std::memset(k.key, 0, kKeyBytes);
    const char* form = text.data() + info.begin;
    for (std::size_t c = 0; c < info.size; ++c) k.key[c] = static_cast<char>(form[c] | 0x20);
    k.hash = key_hash(k.key, info.size);
  }
  // Two stages: the slot of the form kAhead places ahead, and the Word its
  // first slot names for the form kNear places ahead (the slot is in cache
  // by then), so that the key comparison does not wait for memory either.
  constexpr std::size_t kAhead = 8;
  constexpr std::size_t kNear = 4;
  const auto countable = [&](std::size_t f) {
    const WordAnalysis::Form& info = words.form_info(static_cast<std::uint32_t>(f));
    return info.ascii && info.size <= kMaxWord;
  };
  for (std::size_t f = 0; f < forms; ++f) {
    if (f + kAhead < forms && !slots_.empty()) __builtin_prefetch(&slots_[form_keys_[f + kAhead].hash & slot_mask_]);
    if (f + kNear < forms && !slots_.empty() && countable(f + kNear)) {
      const std::uint64_t slot = slots_[form_keys_[f + kNear].hash & slot_mask_];
      if (slot != 0 && static_cast<std::uint32_t>(slot) - 1 < words_.size())
        __builtin_prefetch(&words_[static_cast<std::uint32_t>(slot) - 1]);
    }
    const WordAnalysis::Form& info = words.form_info(static_cast<std::uint32_t>(f));
    if (!info.ascii || info.size > kMaxWord) continue;
    const std::uint32_t id = intern_hashed(form_keys_[f].key, info.size, form_keys_[f].hash);
    __builtin_prefetch(&words_[id]);
    form_ids_[f] = id;
  }
  const auto starts = words.line_starts();
  const auto crs = words.line_crs();
  const char* const data = text.data();
  for (const WordAnalysis::Run& r : words.runs()) {
    const std::size_t line_start = starts[r.line];
    const bool after_cr = crs[r.line] < r.begin;  // a '\r' earlier in the line
    if (const std::uint32_t id = form_ids_[r.form]; id != kNoWord) {
      count_run(text, r.begin, r.end, id, line_start, after_cr);
      continue;
    }
    if (words.form_info(r.form).ascii) continue;  // too long to be a word
    // Letters beyond ASCII: the runs of ASCII letters in it, as the scan of
    // count_words(text) finds them.
    for (std::size_t i = r.begin; i < r.end;) {
      if (!(byte_class(data[i]) & kAlpha)) {
        ++i;
        continue;
      }
      std::size_t j = i;
      while (j < r.end && (byte_class(data[j]) & kAlpha)) ++j;
      if (j - i <= kMaxWord) {
        alignas(8) char key[kKeyBytes] = {};
        for (std::size_t c = i; c < j; ++c) key[c - i] = static_cast<char>(data[c] | 0x20);
        count_run(text, i, j, intern_key(key, j - i), line_start, after_cr);
      }
      i = j;
    }
  }
}

void SpellingStage::build_doc_filter() {
  // Only maybe_fingerprint reads the filter, and only while check() generates
  // candidates, after count_words has seen the whole document: built then, it
  // holds the same bits as if every first occurrence had set them.
  if (doc_filter_ready_) return;
  doc_filter_ready_ = true;
  for (const std::uint32_t id : doc_words_) {
    for (const std::uint64_t x : filter_probes(words_[id].filter_hash)) {
      doc_filter_[(x >> 6) & (kDocFilterWords - 1)] |= std::uint64_t{1} << (x & 63);
    }
  }
}

void SpellingStage::add_candidate(std::string_view word, double cost, bool garble) {
  for (auto& c : candidates_) {
    if (c.word == word) {
      if (cost < c.cost) {
        c.cost = cost;
        c.garble = garble;
      }
      return;
    }
  }
  candidates_.push_back(Candidate{std::string(word), cost, garble, 0});
}

void SpellingStage::generate_edits(std::string_view w, double base_cost, bool garble) {
  const std::size_t n = w.size();
  // Most of the ~55 * n edits are no word: their fingerprints, derived in O(1)
  // from w's prefix and suffix fingerprints (fp(uv) = fp(u) * B^|v| + fp(v)),
  // let the filters turn them away before the edit's string is even built.
  prefix_hash_.assign(n + 1, 0);
  suffix_hash_.assign(n + 1, 0);
  power_.assign(n + 3, 1);
  for (std::size_t i = 1; i < power_.size(); ++i) power_[i] = power_[i - 1] * kFingerprintBase;
  for (std::size_t i = 0; i < n; ++i) {
    prefix_hash_[i + 1] = prefix_hash_[i] * kFingerprintBase + static_cast<unsigned char>(w[i]) + 1;
  }
  for (std::size_t j = n; j-- > 0;) {
    suffix_hash_[j] = (static_cast<unsigned char>(w[j]) + std::uint64_t{1}) * power_[n - 1 - j] + suffix_hash_[j + 1];
  }
  // The fingerprint of w[0, i) + middle + w[j, n), middle of `middle_len` letters.
  const auto spliced = [&](std::size_t i, std::uint64_t middle, std::size_t middle_len, std::size_t j) {
    return prefix_hash_[i] * power_[middle_len + n - j] + middle * power_[n - j] + suffix_hash_[j];
  };
  const auto letter = [](char c) { return static_cast<unsigned char>(c) + std::uint64_t{1}; };
  auto try_word = [&](double cost) {
    if (edit_.size() < kMinWord - 1 || !is_word(edit_)) return;
    add_candidate(edit_, base_cost + cost + (edit_.size() < kMinWord ? kShortResultCost : 0.0), garble);
  };
  // Deletions: a doubled letter is the cheapest slip.
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0 && w[i] == w[i - 1]) continue;  // same result as deleting the previous letter
    if (!maybe_fingerprint(spliced(i, 0, 0, i + 1))) continue;
    edit_.assign(w.substr(0, i));
    edit_.append(w.substr(i + 1));
    const bool doubled = i + 1 < n && w[i + 1] == w[i];
    const bool echo = i >= 2 && w[i - 2] == w[i];
    try_word(doubled ? kDoubledDeleteCost : i + 1 == n ? kTrailingDeleteCost : echo ? kEchoDeleteCost : kDeleteCost);
  }
  // Transpositions.
  for (std::size_t i = 0; i + 1 < n; ++i) {
    if (w[i] == w[i + 1]) continue;
    if (!maybe_fingerprint(spliced(i, letter(w[i + 1]) * kFingerprintBase + letter(w[i]), 2, i + 2))) continue;
    edit_.assign(w);
    std::swap(edit_[i], edit_[i + 1]);
    try_word(kTransposeCost);
  }
  // Substitutions and insertions: the fingerprint is base + letter(c) * step,
  // so moving on to the next letter of the alphabet adds `step` (the
  // arithmetic is modulo 2^64 either way: the same values as spliced()).
  static_assert(kAlphabet.front() == 'a' && kAlphabet.back() == 'z' && kAlphabet.size() == 26);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t step = power_[n - i - 1];
    std::uint64_t fp = prefix_hash_[i] * power_[n - i] + suffix_hash_[i + 1] + letter('a') * step;
    for (const char c : kAlphabet) {
      const std::uint64_t this_fp = fp;
      fp += step;
      if (c == w[i] || !maybe_fingerprint(this_fp)) continue;
      edit_.assign(w);
      edit_[i] = c;
      const double cost = keys_adjacent(w[i], c)                                    ? kAdjacentSubstituteCost
                          : (is_vowel(w[i]) && is_vowel(c)) || sound_alike(w[i], c) ? kVowelSubstituteCost
                                                                                    : kSubstituteCost;
      try_word(cost);
    }
  }
  // Insertions.
  for (std::size_t i = 0; i <= n; ++i) {
    const std::uint64_t step = power_[n - i];
    std::uint64_t fp = prefix_hash_[i] * power_[n - i + 1] + suffix_hash_[i] + letter('a') * step;
    for (const char c : kAlphabet) {
      const std::uint64_t this_fp = fp;
      fp += step;
      if (!maybe_fingerprint(this_fp)) continue;
      edit_.assign(w.substr(0, i));
      edit_.push_back(c);
      edit_.append(w.substr(i));
      // A letter doubled ("ocur" -> "occur") is the cheap slip the error model says.
      try_word((i > 0 && w[i - 1] == c) || (i < n && w[i] == c) ? kDoubledDeleteCost : kInsertCost);
    }
  }
}

void SpellingStage::generate_repeats(std::string_view w) {
  for (std::size_t len = 2; len * 2 <= w.size(); ++len) {
    for (std::size_t i = 0; i + 2 * len <= w.size(); ++i) {
      if (w.compare(i, len, w, i + len, len) != 0) continue;
      // A word that is one syllable said twice ("Lili", "Tingting") is a
      // reduplicated name or word, never a stutter.
      if (2 * len == w.size()) continue;
      std::string fixed(w.substr(0, i));
      fixed.append(w.substr(i + len));
      if (fixed.size() < kMinWord) continue;
      if (is_word(fixed)) {
        add_candidate(fixed, kRepeatCost, true);
      } else {
        generate_edits(fixed, kRepeatCost, true);
      }
    }
  }
}

namespace {
// generate_from_stem scans the document's words for its first this many
// look-ups in a document; from then on it reads the stem index.
constexpr std::size_t kStemScans = 8;
// A word's first kStemPrefix letters as one integer, the first letter lowest.
std::uint64_t stem_prefix(const char* letters) { return load_le(letters, kStemPrefix); }
}  // namespace

void SpellingStage::build_stem_index() {
  stem_index_ready_ = true;
  stem_index_.clear();
  for (std::size_t k = 0; k < doc_words_.size(); ++k) {
    const Word& x = words_[doc_words_[k]];
    if (x.size < kStemPrefix) continue;
    stem_index_.push_back(StemEntry{stem_prefix(x.key), static_cast<std::uint32_t>(k), doc_words_[k]});
  }
  std::sort(stem_index_.begin(), stem_index_.end(), [](const StemEntry& a, const StemEntry& b) {
    return a.prefix != b.prefix ? a.prefix < b.prefix : a.order < b.order;
  });
}

void SpellingStage::generate_from_stem(std::string_view w) {
  if (w.size() < kStemPrefix + 2) return;
  // A stuttered word may drift far from its stem ("rivalality" / "rivalry"):
  // when the stutter is visible (a repeated chunk), the article's word of the
  // same stem is good evidence even a few edits away; otherwise only at one edit.
  const bool stutter = has_repeat(w);
  const std::size_t max_distance = stutter ? 4 : 1;
  const double per_edit = stutter ? 0.25 : 0.5;
  stem_words_.clear();
  // The prefix compared as one integer (a Word's key is zero-padded).
  const std::uint64_t key = stem_prefix(w.data());
  const auto consider = [&](std::uint32_t id) {
    const Word& x = words_[id];
    if (x.size < kStemPrefix || x.size > w.size() + 1 || stem_prefix(x.key) != key) return;
    const std::string_view word = text_of(x);
    if (word == w || !known_word(id)) return;
    const std::size_t d = edit_distance(w, word);
    if (d > max_distance || d * 2 > w.size()) return;
    stem_words_.emplace_back(id, d);
  };
  if (!stem_index_ready_ && ++stem_lookups_ > kStemScans) build_stem_index();
  if (stem_index_ready_) {
    // The words of this prefix, in first-occurrence order.
    auto it = std::lower_bound(stem_index_.begin(), stem_index_.end(), key,
                               [](const StemEntry& e, std::uint64_t k) { return e.prefix < k; });
    for (; it != stem_index_.end() && it->prefix == key; ++it) consider(it->id);
  } else {
    for (const std::uint32_t id : doc_words_) consider(id);
  }
  // The article's words come in their first-occurrence order, which decides
  // ties in rank(): the same document always gets the same result, whatever
  // the thread cleaned before it.
  for (const auto& [id, d] : stem_words_) {
    const std::string_view word = text_of(words_[id]);
    // Only a candidate shorter than the non-word repairs a stutter; others are plain misspellings.
    add_candidate(word, 0.3 + per_edit * static_cast<double>(d), word.size() < w.size());
  }
}

std::span<const std::pair<std::string, int>> SpellingStage::near_words(std::string_view lower, int max_distance) {
  // The lexicon remembers its answers for every thread (NearFormsCache).
  near_.clear();
  lexicon_.near_words(lower, max_distance, near_);
  return near_;
}

void SpellingStage::generate_from_lexicon(std::string_view w) {
  // The dictionaries' lower-case words within two edits (the compiled
  // lexicon's deletion index): names, splits and hyphenations are not
  // spelling repairs. The error model prices each; words the edits above
  // found keep their cheaper cost.
  const auto near = near_words(w, 2);
  // The index's words are distinct: each is compared only with the candidates found before.
  const std::size_t found = candidates_.size();
  for (const auto& entry : near) {
    if (entry.first.size() < kMinWord) continue;
    const double cost = kIndexCost + channel_cost(w, entry.first);
    const auto same = std::find_if(candidates_.begin(), candidates_.begin() + static_cast<std::ptrdiff_t>(found),
                                   [&](const Candidate& c) { return c.word == entry.first; });
    if (same == candidates_.begin() + static_cast<std::ptrdiff_t>(found)) {
      candidates_.push_back(Candidate{entry.first, cost, false, 0});
    } else if (cost < same->cost) {
      same->cost = cost;
      same->garble = false;
    }
  }
}

void SpellingStage::generate_y_to_i(std::string_view w) {
  // English turns a final "y" after a consonant into "i" before "-es", "-ed",
  // "-er" and "-est" ("carry" -> "carries", "carried"); a writer who adds the
  // ending to the "y" ("carrys", "carryed") has missed that rule, one slip.
  for (const std::string_view ending : {"s", "ed", "er", "est"}) {
    if (w.size() < ending.size() + 3 || !w.ends_with(ending)) continue;
    const std::size_t y = w.size() - ending.size() - 1;
    if (w[y] != 'y' || is_vowel(w[y - 1]) || w[y - 1] == 'y') continue;
    edit_.assign(w.substr(0, y));
    edit_.append(ending == "s" ? "ies" : std::string("i").append(ending));
    if (!is_word(edit_)) continue;
    add_candidate(edit_, kYToICost, false);
    // The "s" says the writer meant a plural: the singular ("carry", never a
    // fix for "carrys", see check()) does not compete with it.
    if (ending == "s") {
      const std::string_view singular = w.substr(0, w.size() - 1);
      candidates_.erase(std::remove_if(candidates_.begin(), candidates_.end(),
                                       [&](const Candidate& c) { return c.word == singular; }),
                        candidates_.end());
    }
  }
}

SpellingStage::Context SpellingStage::context_of(std::string_view text, const Token& tok) {
  if (!lm_) lm_ = NgramModel::shared();
  Context ctx;
  const auto id_of = [&](const Token& t) {
    scratch_.assign(text.substr(t.begin, t.end - t.begin));
    for (char& c : scratch_) c = ascii_lower(c);
    return lm_->id(scratch_);
  };
  // A chunk whose tail (after the word) holds '.', '!' or '?' ends a sentence.
  const auto ends_sentence = [&](const Token& t) {
    return text.substr(t.end, t.chunk_end - t.end).find_first_of(".!?") != std::string_view::npos;
  };
  std::size_t i = tok.chunk_begin;
  for (int k = 0; k < 2; ++k) {
    while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t')) --i;
    if (i == 0 || text[i - 1] == '\n' || text[i - 1] == '\r') {
      ctx.before[k] = lm_->id("<s>");
      break;
    }
    std::size_t j = i;
    while (j > 0 && !is_space(decode_before(text, j))) j = prev_start(text, j);
    const Token t = token_of(text, j, i);
    if (t.plain && ends_sentence(t)) {
      ctx.before[k] = lm_->id("<s>");
      break;
    }
    if (!t.plain || !t.ascii) break;
    ctx.before[k] = id_of(t);
    if (ctx.before[k] == NgramModel::kNone) break;
    i = j;
  }
  if (ends_sentence(tok)) {
    ctx.after[0] = lm_->id("</s>");
    return ctx;
  }
  std::size_t b = tok.chunk_end;
  std::size_t e = 0;
  for (int k = 0; k < 2 && next_chunk(text, b, &b, &e); ++k, b = e) {
    const Token t = token_of(text, b, e);
    if (!t.plain || !t.ascii) break;
    ctx.after[k] = id_of(t);
    if (ctx.after[k] == NgramModel::kNone) break;
    if (ends_sentence(t)) {
      if (k == 0) ctx.after[1] = lm_->id("</s>");
      break;
    }
  }
  return ctx;
}

void SpellingStage::score_context(const Context& ctx, double min_plain) {
  for (auto& c : candidates_) {
    if (c.plain < min_plain) {
      c.context = kOutOfWindow;
      continue;
    }
    c.context = lm_->fit_in_window(ctx.before[1], ctx.before[0], lm_->id(c.word), ctx.after[0], ctx.after[1]);
  }
}

bool SpellingStage::both_sides_prefer(const Context& ctx, const Candidate& winner, double within) const {
  const auto before = [&](int w) { return static_cast<double>(lm_->log10_prob(ctx.before[1], ctx.before[0], w)); };
  const auto after = [&](int w) {
    return static_cast<double>(lm_->log10_prob(ctx.before[0], w, ctx.after[0])) +
           lm_->log10_prob(w, ctx.after[0], ctx.after[1]);
  };
  const int wid = lm_->id(winner.word);
  if (wid == NgramModel::kNone) return false;
  const double wb = before(wid);
  const double wa = after(wid);
  for (const auto& c : candidates_) {
    if (&c == &winner || c.score < winner.score - within) continue;
    const int id = lm_->id(c.word);
    if (id == NgramModel::kNone) continue;  // the model lacks it: its context is far below
    if (wb - before(id) < kSideLead - kEpsilon || wa - after(id) < kSideLead - kEpsilon) return false;
  }
  return true;
}

void SpellingStage::rank(bool after_article, bool channel, const Context& ctx) {
  for (auto& c : candidates_) {
    c.plain = frequency_bonus(tier_of(c.word)) + document_bonus(doc_count(c.word)) - kCostWeight * c.cost +
              kCountWeight * std::max(0.0, std::log10(1.0 + frequencies_.of(c.word).lower) - kCountPivot);
  }
  if (after_article) {
    for (auto& c : candidates_) {
      if (c.word.size() < 2 || c.word.back() != 's') continue;
      const std::string_view singular = std::string_view(c.word).substr(0, c.word.size() - 1);
      if (std::any_of(candidates_.begin(), candidates_.end(), [&](const Candidate& o) { return o.word == singular; })) {
        c.plain -= kPluralAfterArticle;
      }
    }
  }
  // The language model is asked only about candidates within kContextWindow of
  // the best context-free score: the others could not catch up.
  double best_plain = -1e9;
  for (const auto& c : candidates_) best_plain = std::max(best_plain, c.plain);
  score_context(ctx, best_plain - kContextWindow);
  double best_context = -1e9;
  for (const auto& c : candidates_) best_context = std::max(best_context, c.context);
  for (auto& c : candidates_) {
    c.score = channel ? document_bonus(doc_count(c.word)) - kCostWeight * c.cost + c.context
                      : c.plain + kContextWeight * (c.context - best_context);
  }
  std::sort(candidates_.begin(), candidates_.end(),
            [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
}

void SpellingStage::check(std::string_view text, const Token& tok, std::vector<Edit>& out) {
  const std::string_view word = text.substr(tok.begin, tok.end - tok.begin);
  if (!tok.ascii || word.size() < kMinWord || word.size() > kMaxWord) return;
  const bool capital = ascii_upper(word.front());
  alignas(8) char key[kKeyBytes] = {};
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (i > 0 && ascii_upper(word[i])) return;   // ALL CAPS, inner capitals: acronyms and products
    key[i] = static_cast<char>(word[i] | 0x20);  // (ASCII letters only: lower case)
  }
  // A common word, a word Hunspell knows (as written, or in lower case when
  // capitalised), a name written in lower case ("cannes": the casing stage's
  // business): the vocabulary remembers the answer for the word.
  const std::uint32_t id = intern_key(key, word.size());
  // A name written in lower case is the casing stage's business, unless it is
  // more likely a slip for a common word ("tim" for "time"): then it is checked.
  // Such a word is only ever flagged: it may still be the name.
  const bool name_like = accepted(id);
  if (name_like && (capital || !typo_name(id))) return;
  if (count_of(words_[id]) >= 2) return;  // used consistently: intended
  lower_.assign(key, word.size());
  if (tok.quoted) return;  // a term cited on its own

  // A non-word near another lower-case non-word, or near a French, Spanish,
  // Italian or German function word, is part of a foreign phrase.
  auto foreign_neighbour = [&](std::size_t b, std::size_t e) {
    const Token n = token_of(text, b, e);
    if (!n.plain) return false;
    if (!n.ascii) return true;
    const std::string_view nw = text.substr(n.begin, n.end - n.begin);
    if (nw.size() < 2 || ascii_upper(nw.front())) return false;
    scratch_.assign(nw);
    for (char& c : scratch_) c = ascii_lower(c);
    if (std::find(kForeignFunctionWords.begin(), kForeignFunctionWords.end(), scratch_) !=
        kForeignFunctionWords.end()) {
      return true;
    }
    return !known_quick(nw, scratch_);
  };
  std::size_t b = tok.chunk_end;
  std::size_t e = 0;
  for (std::size_t k = 0; k < kForeignWindow && next_chunk(text, b, &b, &e); ++k, b = e) {
    if (foreign_neighbour(b, e)) return;
  }
  // A word before this one that this run corrects reads as its correction,
  // a word: no foreign neighbour (as the next run would see it). Chunks are
  // checked in text order, so its edit is among the last in `out`.
  auto corrected = [&](std::size_t from, std::size_t to) {
    for (std::size_t k = out.size(); k > first_edit_; --k) {
      const Edit& edit = out[k - 1];
      if (edit.end <= from) return false;
      if (edit.kind == EditKind::kChange && edit.begin < to) return true;
    }
    return false;
  };
  bool after_article = false;
  std::size_t i = tok.chunk_begin;
  for (std::size_t k = 0; k < kForeignWindow; ++k) {
    while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t')) --i;
    if (i == 0 || text[i - 1] == '\n' || text[i - 1] == '\r') break;
    std::size_t j = i;
    while (j > 0 && !is_space(decode_before(text, j))) j = prev_start(text, j);
    if (!corrected(j, i) && foreign_neighbour(j, i)) return;
    if (k == 0) {
      const std::string_view prev = text.substr(j, i - j);
      after_article = prev == "a" || prev == "an" || prev == "A" || prev == "An";
    }
    i = j;
  }

  // A capitalised word inside a sentence is a name unless the article shows the
  // stutter's stem; at a sentence start it may be an ordinary word.
  const bool sentence_start = at_sentence_start(text, tok.chunk_begin);
  const bool name_position = capital && !sentence_start;
  const std::string w = lower_;
  build_doc_filter();
  candidates_.clear();
  generate_repeats(w);
  if (!name_position) generate_edits(w, 0, false);
  generate_from_stem(w);
  if (!capital) {
    generate_from_lexicon(w);
    generate_y_to_i(w);
  }
  if (candidates_.empty()) return;
  if (name_position) {
    candidates_.erase(std::remove_if(candidates_.begin(), candidates_.end(),
                                     [&](const Candidate& c) { return !c.garble || doc_count(c.word) == 0; }),
                      candidates_.end());
    if (candidates_.empty()) return;
  }
  const Context ctx = context_of(text, tok);
  rank(after_article, !capital, ctx);

  const Candidate* chosen = &candidates_.front();
  double margin = 0;
  bool apply = false;
  double best_context = -1e9;
  for (const auto& c : candidates_) best_context = std::max(best_context, c.context);
  const double min_score = w.size() >= kLongWord ? kApplyScoreLong : kApplyScore;
  if (!capital) {
    // The noisy channel: the best candidate leads by a hundredfold and is a
    // plausible slip on its own (cheap edits to a word of some use).
    margin = candidates_.size() > 1 ? chosen->score - candidates_[1].score : kLoneMargin;
    apply = margin >= kChannelMargin - kEpsilon && chosen->plain >= kChannelPlain;
    // A long word has few neighbours: one cheap slip from a word that wins the
    // channel by a hundredfold is a repair even when the word is not common
    // ("dramaticaly"), unless the non-word is two words written as one (a
    // closed compound the dictionaries lack is how the writer meant it).
    if (!apply && w.size() >= kLongWord && margin >= kChannelMargin - kEpsilon && chosen->plain >= kLongChannelPlain &&
        chosen->cost <= kLongChannelCost + kEpsilon && !two_words(w))
      apply = true;
    // A long word far from every word but one: that one, even two or three
    // slips away, when it keeps the non-word's last two letters (a different
    // ending is another derivation or a foreign word: "apparency"). A lone
    // candidate must not be the non-word less a prefix or suffix (a coinage
    // on its stem: "unpatronizing"), needs two known words on a side, and the
    // non-word no letter three times in a row (emphasis: "whoooosh").
    if (!apply && w.size() >= kLongWord && margin >= kFarMargin - kEpsilon && chosen->plain >= kFarChannelPlain &&
        chosen->cost <= kFarChannelCost + kEpsilon && chosen->word.size() >= 2 &&
        chosen->word.ends_with(w.substr(w.size() - 2)) && !two_words(w)) {
      bool emphasis = false;
      for (std::size_t k = 2; k < w.size(); ++k) emphasis = emphasis || (w[k] == w[k - 1] && w[k] == w[k - 2]);
      // Nor may any winner lie inside the non-word (a known word with a
      // prefix or a short word glued on: "overwide", "tothe"), nor the
      // non-word be a known word with a productive prefix or ending
      // ("unfaded", "reworkable"): coinages and run-ons, not slips.
      apply = w.find(chosen->word) == std::string::npos && !derived(w) &&
              (candidates_.size() > 1 ||
               (!emphasis && (ctx.before[1] != NgramModel::kNone || ctx.after[1] != NgramModel::kNone)));
      // A text that spells many words its own way is where writers spell as
      // people talk ("figgered"): no far repair there.
      if (apply && spells_own_way(text)) apply = false;
    }
    // A slip for one of the commonest words, clear in context: its use outweighs a dearer edit.
    if (!apply && w.size() > kShortWord && margin >= kCommonMargin - kEpsilon &&
        chosen->cost <= kCommonChannelCost + kEpsilon &&
        chosen->plain + kCostWeight * chosen->cost - document_bonus(doc_count(chosen->word)) >= kCommonUse)
      apply = true;
    // A tie settled by both sides: with two known words on each side, the
    // words before the winner and the words after it each prefer it, on their
    // own, to every candidate near it in the channel. One side alone (a
    // commoner word that fits the words before it, say) is no evidence.
    if (!apply && margin >= kSidesMargin - kEpsilon && chosen->plain >= kChannelPlain &&
        chosen->cost <= kLongChannelCost + kEpsilon && ctx.before[1] != NgramModel::kNone &&
        ctx.after[1] != NgramModel::kNone)
      apply = both_sides_prefer(ctx, *chosen, kChannelMargin);
  } else {
    // A capitalised word (at a sentence start, or a stutter with the article's
    // stem; it may be a name): the ranking in context wins by kApplyMargin.
    margin = candidates_.size() > 1 ? chosen->score - candidates_[1].score : chosen->score + 10.0;
    apply = chosen->score >= min_score && margin >= kApplyMargin - kEpsilon;
  }
  // Or the context-free ranking (edit cost, commonness, the article's use)
  // wins by kPlainMargin and the context does not put its winner more than
  // kContextVeto orders of magnitude below the candidate it likes best; for a
  // lower-case word, the noisy channel also ranks that winner first, by
  // kChannelMinMargin.
  if (!apply && (capital || margin >= kChannelMinMargin - kEpsilon)) {
    const Candidate* plain_best = &candidates_.front();
    for (const auto& c : candidates_)
      if (c.plain > plain_best->plain) plain_best = &c;
    double runner_up = -1e9;
    for (const auto& c : candidates_)
      if (&c != plain_best) runner_up = std::max(runner_up, c.plain);
    const double plain_margin = candidates_.size() > 1 ? plain_best->plain - runner_up : plain_best->plain + 10.0;
    if (plain_best->plain >= min_score && plain_margin >= kPlainMargin - kEpsilon &&
        best_context - plain_best->context <= kContextVeto && (capital || plain_best == chosen)) {
      apply = true;
      chosen = plain_best;
      margin = plain_margin;
    }
  }
  // A word with two spellings ("behaviour" / "behavior"): the channel chose
  // the word; the article's own spellings choose the variety (American, the
  // first dictionary's, unless the article writes more British-only forms).
  if (!capital) {
    const CompiledLexicon& lex = lexicon_.compiled();
    const unsigned in = lex.has_form(chosen->word);
    if (in == kAmericanOnly || in == kBritishOnly) {
      for (const auto& c : candidates_) {
        if (&c == chosen || lex.has_form(c.word) != (in ^ 3u) || edit_distance(c.word, chosen->word) > 2) continue;
        if ((in == kBritishOnly) != british_article()) chosen = &c;
        break;
      }
    }
  }
  if (!capital) {
    // An unlisted plural ("fervors"; not a doubled "s": "alwayss") or a
    // dropped final g ("nothin", eye dialect in quoted speech) is how the
    // writer meant the word.
    const std::string& c = chosen->word;
    const bool one_more = c.size() + 1 == w.size() && w.compare(0, c.size(), c) == 0;
    if ((one_more && w.back() == 's' && c.back() != 's') ||
        (c.size() == w.size() + 1 && c.back() == 'g' && w.ends_with("in") && c.compare(0, w.size(), w) == 0))
      apply = false;
    // A word of a consonant ending with "a" added ("musta", "kinda", "coulda")
    // is eye dialect for a word run into "of", "have" or "to".
    if (one_more && w.back() == 'a' && c.size() >= 4 && !is_vowel(c.back())) apply = false;
  }
  const Candidate& best = *chosen;
  if (w.size() <= kShortWord) {
    apply = apply && margin >= kShortMargin - kEpsilon && (tier_of(best.word) == 10 || doc_count(best.word) > 0);
  }
  if (capital && sentence_start) {
    const int tier = tier_of(best.word);
    apply = apply && (tier == 10 || tier == 20);
  }
  // "boxb. Close": a list letter ("b.", "b)") glued to the word before it;
  // deleting the last letter would lose the marker.
  if (apply && w.size() == best.word.size() + 1 && w.compare(0, best.word.size(), best.word) == 0 &&
      tok.end < text.size() && (text[tok.end] == '.' || text[tok.end] == ')'))
    apply = false;
  if (name_like && apply && margin < kNameMargin - kEpsilon) {
    std::string reason = "'";
    reason.append(word).append("' is a name in the dictionary, but more likely a slip for '").append(best.word);
    reason.append("'.");
    out.push_back(make_flag(tok.begin, tok.end, std::string(kUnsureRule), std::move(reason)));
    return;
  }
  if (apply) {
    const std::string fix = with_case_of(word, best.word);
    const std::string_view rule = best.garble ? kGarbleRule : kMisspellingRule;
    std::string reason = "'";
    reason.append(word).append("' is not a word; '").append(fix);
    reason.append(best.garble ? "' is the word without its stutter." : "' is the clear best fit.");
    out.push_back(make_change(tok.begin, tok.end, fix, std::string(rule), std::move(reason)));
    return;
  }
  // The flag band: the best candidate's context-free score, less how far the
  // context puts it below the candidate the context likes best.
  if (!capital && best.plain + kContextWeight * (best.context - best_context) >= kFlagScore) {
    std::string reason = "'";
    reason.append(word).append("' is not a word; perhaps '").append(best.word).append("'");
    if (candidates_.size() > 1) reason.append(" or '").append(candidates_[1].word).append("'");
    reason.append(".");
    out.push_back(make_flag(tok.begin, tok.end, std::string(kUnsureRule), std::move(reason)));
  }
}

void SpellingStage::check_chunk_of(std::string_view text, std::size_t at, std::size_t line_start,
                                   std::vector<Edit>& out) {
  // The chunk holding `at`, as the old line scan found it: chunks are the runs
  // of non-space code points, and a line's scan restarts at every line start
  // (a '\r' before `at` on its line is excluded by the caller).
  bool multibyte = false;
  std::size_t b = at;
  while (b > line_start) {
    if (static_cast<unsigned char>(text[b - 1]) < 0x80) {
      if (byte_class(text[b - 1]) & kSpace) break;
      --b;
    } else {
      const std::size_t p = prev_start(text, b);
      if (is_space(decode_at(text, p))) break;
      multibyte = true;
      b = p;
    }
  }
  const std::size_t n = text.size();
  std::size_t e = at;
  while (e < n) {
    const std::uint8_t c = byte_class(text[e]);
    if (c & kSpace) break;
    if (c & kHigh) {
      std::size_t len = 0;
      if (is_space(decode_at(text, e, &len))) break;
      multibyte = true;
      e += len;
    } else {
      ++e;
    }
  }
  checked_to_ = e;
  const Token tok = multibyte ? token_of(text, b, e) : ascii_token_of(text, b, e);
  if (!tok.plain && !multibyte) {
    check_compound_part(text, b, e, at, out);
    return;
  }
  if (!tok.plain || tok.end - tok.begin < kMinWord) return;
  check(text, tok, out);
}

void SpellingStage::check_compound_part(std::string_view text, std::size_t b, std::size_t e, std::size_t at,
                                        std::vector<Edit>& out) {
  // A hyphenated compound of lower-case ASCII words ("ice-cold", "well-known"),
  // with opening marks before it and closing punctuation after it: its part
  // after a hyphen that is no word, of kLongWord+ letters, is checked as a word
  // of its own when every other part is a word. (A first part is often a prefix
  // the dictionaries do not list alone: left alone.)
  std::size_t i = b;
  while (i < e && (byte_class(text[i]) & kOpen)) ++i;
  std::size_t j = e;
  while (j > i && (byte_class(text[j - 1]) & kClose)) --j;
  if (i >= j || at < i || at >= j) return;
  std::size_t parts = 0;
  std::size_t part_begin = 0;
  std::size_t part_end = 0;
  for (std::size_t p = i; p <= j;) {
    std::size_t q = p;
    while (q < j && text[q] >= 'a' && text[q] <= 'z') ++q;
    if (q - p < 2 || (q < j && text[q] != '-')) return;  // an empty or short part, a capital, a digit, a mark
    ++parts;
    if (p <= at && at < q) {
      if (p == i) return;  // the first part
      part_begin = p;
      part_end = q;
    } else {
      scratch_.assign(text.substr(p, q - p));
      if (!known_quick(scratch_, scratch_)) return;
    }
    p = q + 1;
  }
  // Short parts are often coinages ("stand-offy"): only long words, whose neighbours are few.
  if (parts < 2 || part_end - part_begin < kLongWord) return;
  Token tok;
  tok.chunk_begin = b;
  tok.chunk_end = e;
  tok.begin = part_begin;
  tok.end = part_end;
  tok.plain = true;
  tok.ascii = true;
  check(text, tok, out);
}

void SpellingStage::propose_words(std::string_view text, const WordAnalysis& words, std::vector<Edit>& out) {
  if (words.text().data() != text.data() || words.text().size() != text.size()) {
    propose(text, out);
    return;
  }
  begin_document();
  count_words(words);
  check_suspects(text, out);
}

void SpellingStage::propose(std::string_view text, std::vector<Edit>& out) {
  begin_document();
  count_words(text);
  check_suspects(text, out);
}

void SpellingStage::check_suspects(std::string_view text, std::vector<Edit>& out) {
  // Only the chunks holding a suspect can hold a token check() acts on: the
  // others' tokens are accepted words, which check() leaves alone at once.
  // (Chunks are independent of one another, so checking them alone, in text
  // order, proposes what a scan of every chunk did.)
  checked_to_ = 0;
  first_edit_ = out.size();
  for (const auto& [at, line_start] : suspects_) {
    if (at < checked_to_) continue;  // in the chunk just checked
    check_chunk_of(text, at, line_start, out);
  }
}

}  // namespace copydesk
