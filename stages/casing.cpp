#include "stages/casing.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <cstring>

namespace copydesk {

namespace {

constexpr std::string_view kSentenceRule = "sentence-start";
constexpr std::string_view kMonthRule = "month-weekday";
constexpr std::string_view kProperRule = "proper-noun";
constexpr std::string_view kAcronymRule = "acronym";
constexpr std::string_view kShoutedRule = "shouted";

// Characters news prose does not use but code, markup and templates do.
constexpr std::string_view kCodeLineChars = "={}`<>\\";

// A prose line has at least this many words; shorter lines are headings,
// captions and labels, whose capitals say nothing about names.
constexpr std::size_t kMinProseWords = 8;

// Acronyms and expansions longer than this are not acronyms.
constexpr std::size_t kMaxAcronymLetters = 10;
constexpr std::size_t kMaxExpansionWords = 16;

// The vocabulary is dropped between documents once it holds more forms than
// this (for the process: each of N pipelines keeps 1/N of them,
// Resources::budget), so memory stays flat on long runs: about 2.6 MB of
// entries and 2 MB of index at most (edited prose of a few MB fills it once).
constexpr std::size_t kMaxVocabulary = std::size_t{1} << 16;
// ... or past this many bytes of long forms (LongSlot's 32-bit offsets).
constexpr std::size_t kMaxLongText = std::size_t{1} << 30;

// Per-document buffers bigger than this (in elements) are freed after a huge
// document rather than kept for the next ones.
constexpr std::size_t kMaxKeptItems = 1 << 16;

// Always capitalised: no English common word is spelt like them.
constexpr std::array<std::string_view, 16> kMonthsAndDays = {
    "january",  "february", "april",   "june",      "july",     "september", "october",  "november",
    "december", "monday",   "tuesday", "wednesday", "thursday", "friday",    "saturday", "sunday"};

// Months that are also common words ("you may", "to march", "an august
// body"): capitalised only next to a day number or a year.
constexpr std::array<std::string_view, 3> kAmbiguousMonths = {"may", "march", "august"};

// Name particles written in lower case inside names: "Charles de Gaulle",
// "Osama bin Laden", "Ludwig van Beethoven".
constexpr std::array<std::string_view, 24> kParticles = {"de",  "da",  "di",  "del", "della", "der", "den", "des",
                                                         "van", "von", "bin", "ibn", "al",    "el",  "la",  "le",
                                                         "du",  "dos", "das", "ter", "ten",   "zu",  "af",  "y"};

// Honorifics: "mr Thomas" -> "Mr Thomas" before a capitalised name only.
constexpr std::array<std::string_view, 3> kHonorifics = {"mr", "mrs", "dr"};
// The longest particle and honorific in bytes (checked by the tests).
constexpr std::size_t kMaxParticleBytes = 5;
constexpr std::size_t kMaxHonorificBytes = 3;
static_assert(std::all_of(kParticles.begin(), kParticles.end(),
                          [](std::string_view p) { return p.size() <= kMaxParticleBytes; }));
static_assert(std::all_of(kHonorifics.begin(), kHonorifics.end(),
                          [](std::string_view p) { return p.size() <= kMaxHonorificBytes; }));

// Words of an expansion that an acronym may skip or use in lower case:
// "Mixture of Experts (MoE)", "Department for Education (DfE)".
constexpr std::array<std::string_view, 13> kFunctionWords = {"of", "and", "the",  "for", "in", "on", "to",
                                                             "at", "by",  "with", "a",   "an", "&"};

// After `."` these make the next words an attribution, not a new sentence:
// `"It is over." he said`.
constexpr std::array<std::string_view, 8> kPronouns = {"he", "she", "they", "we", "i", "you", "it", "one"};
constexpr std::array<std::string_view, 24> kSpeechVerbs = {
    "said",     "says",      "asked",   "asks",     "added",    "adds",      "told",     "tells",
    "replied",  "explained", "noted",   "wrote",    "writes",   "continued", "insisted", "argued",
    "admitted", "warned",    "claimed", "declared", "stressed", "recalled",  "remarked", "shouted"};

bool is_token_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }
bool is_opening_punct(char32_t c) {
  return c == '(' || c == '[' || c == '"' || c == '\'' || c == 0x201C || c == 0x2018 || c == 0xAB;
}
bool is_quote_close(char32_t c) { return c == '"' || c == '\'' || c == 0x201D || c == 0x2019 || c == 0xBB; }
bool is_bracket_close(char32_t c) { return c == ')' || c == ']'; }
bool is_stop(char32_t c) { return c == '.' || c == '!' || c == '?'; }

enum class Shape { kLower, kCapitalised, kUpper, kMixed };

// The casing of a word's letters (apostrophes ignored): "the", "The", "THE",
// anything else ("iPhone", "McDonald", "MoE").
Shape shape_of(std::string_view w) {
  std::size_t len = 0;
  std::size_t uppers = 0;
  std::size_t lowers = 0;
  bool first_upper = false;
  bool first = true;
  for (std::size_t i = 0; i < w.size(); i += len) {
    const char32_t c = decode_at(w, i, &len);
    if (!is_letter(c)) continue;
    const bool up = is_upper(c);
    if (first) first_upper = up;
    first = false;
    uppers += up;
    lowers += is_lower(c);
  }
  if (uppers == 0) return Shape::kLower;
  if (lowers == 0) return Shape::kUpper;
  if (uppers == 1 && first_upper) return Shape::kCapitalised;
  return Shape::kMixed;
}

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// "russia's" -> "russia"; other apostrophes stay (contractions: "don't").
std::string_view strip_possessive(std::string_view w) {
  if (w.size() > 2 && w.substr(w.size() - 2) == "'s") return w.substr(0, w.size() - 2);
  if (w.size() > 4 && w.substr(w.size() - 4) == "\xE2\x80\x99s") return w.substr(0, w.size() - 4);
  return w;
}

bool has_apostrophe(std::string_view w) {
  return w.find('\'') != std::string_view::npos || w.find("\xE2\x80\x99") != std::string_view::npos;
}

// ASCII-only lower-casing into a reused buffer; other letters via to_lower.
void lower_into(std::string_view w, std::string& out) {
  for (unsigned char c : w) {
    if (c >= 0x80) {
      out = to_lower(w);
      return;
    }
  }
  out.assign(w.data(), w.size());
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
}

bool equals_ignore_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto x = static_cast<unsigned char>(a[i]);
    auto y = static_cast<unsigned char>(b[i]);
    if (x >= 'A' && x <= 'Z') x = static_cast<unsigned char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<unsigned char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// "29", "29th", "1st," : a day of the month.
bool is_day_number(std::string_view t) {
  while (!t.empty() && (t.back() == ',' || t.back() == '.' || t.back() == ';' || t.back() == ')')) t.remove_suffix(1);
  std::size_t d = 0;
  while (d < t.size() && t[d] >= '0' && t[d] <= '9') ++d;
  if (d == 0 || d > 2) return false;
  const int day = d == 1 ? t[0] - '0' : (t[0] - '0') * 10 + (t[1] - '0');
  if (day < 1 || day > 31) return false;
  const std::string_view suffix = t.substr(d);
  return suffix.empty() || suffix == "st" || suffix == "nd" || suffix == "rd" || suffix == "th";
}

// "2005", "1999," : a year.
bool is_year(std::string_view t) {
  while (!t.empty() && (t.back() == ',' || t.back() == '.' || t.back() == ';' || t.back() == ')')) t.remove_suffix(1);
  return t.size() == 4 && all_digits(t) && (t[0] == '1' || t[0] == '2');
}

// URLs, e-mails, hashtags, handles, paths, domains ("openai.com", "01.ai"):
// their case is not prose case. Dotted abbreviations ("U.S.", "e.g.") are not
// domains: every part around their dots has one or two letters.
bool is_code_token(std::string_view t) {
  for (char c : t)
    if (c == '@' || c == '/' || c == '\\' || c == '_' || c == '#' || c == '=' || c == '~') return true;
  for (std::size_t i = 1; i + 1 < t.size(); ++i) {
    if (t[i] != '.') continue;
    const auto before = static_cast<unsigned char>(t[i - 1]);
    const auto after = static_cast<unsigned char>(t[i + 1]);
    const bool alnum_before = std::isalnum(before) != 0;
    const bool alnum_after = std::isalnum(after) != 0;
    if (!alnum_before || !alnum_after) continue;
    if (std::isdigit(before) && std::isdigit(after)) continue;  // 5.576
    std::size_t b = i;
    while (b > 0 && std::isalpha(static_cast<unsigned char>(t[b - 1]))) --b;
    std::size_t e = i + 1;
    while (e < t.size() && std::isalpha(static_cast<unsigned char>(t[e]))) ++e;
    if (i - b > 2 || e - (i + 1) > 2 || std::isdigit(before) || std::isdigit(after)) return true;
  }
  return false;
}

// Walks the tokens of [begin, end): calls f(token_begin, token_end).
template <typename F>
void for_each_token(std::string_view s, std::size_t begin, std::size_t end, F&& f) {
  std::size_t i = begin;
  while (i < end) {
    while (i < end && is_token_space(s[i])) ++i;
    const std::size_t tb = i;
    while (i < end && !is_token_space(s[i])) ++i;
    if (i > tb) f(tb, i);
  }
}

// True if the token (after its closing quotes and brackets) ends in '.', '!',
// '?' or ':', or is a dash or bullet: the next word may open a sentence.
bool token_opens_next(std::string_view t) {
  if (t == "-" || t == "\xE2\x80\x93" || t == "\xE2\x80\x94" || t == "|" || t == "\xE2\x80\xA2" || t == "*")
    return true;
  std::size_t e = t.size();
  while (e > 0) {
    const std::size_t p = prev_start(t, e);
    const char32_t c = decode_at(t, p);
    if (!is_quote_close(c) && !is_bracket_close(c)) break;
    e = p;
  }
  if (e == 0) return false;
  const char c = t[e - 1];
  return c == '.' || c == '!' || c == '?' || c == ':';
}

bool starts_with_quote(std::string_view t) {
  if (t.empty()) return false;
  const char32_t c = decode_at(t, 0);
  return c == '"' || c == 0x201C || c == 0x2018 || c == 0xAB;
}

// Byte classes for index_line's pass over ASCII bytes (bytes from 0x80 on
// belong to multi-byte code points, which are decoded instead).
enum : std::uint8_t {
  kUpperByte = 1,
  kLowerByte = 2,
  kLetterByte = kUpperByte | kLowerByte,
  kTokenSpaceByte = 4,  // is_token_space
  kCodeLineByte = 8,    // kCodeLineChars: the line is code or markup
  kCodeTokenByte = 16,  // is_code_token's characters: the token is code
  kDotByte = 32,        // is_code_token's dotted forms need a dot
  kDigitByte = 64,      // '0' to '9'
  kOpensByte = 128,     // a last byte token_opens_next_fast must look at
};

constexpr std::array<std::uint8_t, 256> kByteClass = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<std::size_t>(c)] = kUpperByte;
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] = kLowerByte;
  for (char c : std::string_view(" \t\r")) t[static_cast<unsigned char>(c)] |= kTokenSpaceByte;
  for (char c : kCodeLineChars) t[static_cast<unsigned char>(c)] |= kCodeLineByte;
  for (char c : std::string_view("@/\\_#=~")) t[static_cast<unsigned char>(c)] |= kCodeTokenByte;
  t['.'] |= kDotByte;
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] |= kDigitByte;
  for (char c : std::string_view(".!?:\"')]-|*")) t[static_cast<unsigned char>(c)] |= kOpensByte;
  return t;
}();

inline std::uint8_t byte_class(char c) { return kByteClass[static_cast<unsigned char>(c)]; }

// The first offset from i on (at most end) that is not an ASCII letter,
// eight bytes at a time while eight remain before `end` (so it never reads
// past the line); the caller's byte loop goes on from there.
inline std::size_t skip_ascii_letters(const char* p, std::size_t i, std::size_t end) {
  while (end - i >= 8) {
    const std::size_t k = first_marked_byte(~ascii_letter_bytes(load_le64(p + i)) & kHighBits);
    if (k < 8) return i + k;
    i += 8;
  }
  return i;
}

// starts_with_quote for a non-empty token: an ASCII first byte can only be '"'.
bool starts_with_quote_fast(std::string_view t) {
  const auto c = static_cast<unsigned char>(t[0]);
  return c < 0x80 ? c == '"' : starts_with_quote(t);
}

// token_opens_next for a non-empty token. Most tokens end in a letter or a
// comma: an ASCII last byte that is no closing quote or bracket, no '.', '!',
// '?', ':' and none of the one-byte dash and bullet tokens cannot open.
bool token_opens_next_fast(std::string_view t) {
  const auto c = static_cast<unsigned char>(t.back());
  if (c < 0x80 && (kByteClass[c] & kOpensByte) == 0) return false;
  return token_opens_next(t);
}

// Entry::lists bits: the fixed word lists a form belongs to.
enum : std::uint8_t {
  kListMonthDay = 1,        // kMonthsAndDays
  kListAmbiguousMonth = 2,  // kAmbiguousMonths
  kListParticle = 4,        // kParticles
  kListHonorific = 8,       // kHonorifics
};
// The longest word of those lists in bytes ("wednesday", "september").
constexpr std::size_t kMaxListedBytes = 9;
// Bit n of entry c: one of those lists holds a word of n bytes starting with byte c.
constexpr std::array<std::uint16_t, 256> kListedSizes = [] {
  std::array<std::uint16_t, 256> t{};
  const auto add = [&](const auto& list) {
    for (const std::string_view w : list)
      t[static_cast<unsigned char>(w[0])] |= static_cast<std::uint16_t>(1u << w.size());
  };
  add(kMonthsAndDays);
  add(kAmbiguousMonths);
  add(kParticles);
  add(kHonorifics);
  return t;
}();
static_assert(std::all_of(kMonthsAndDays.begin(), kMonthsAndDays.end(),
                          [](std::string_view p) { return p.size() <= kMaxListedBytes; }));
static_assert(kMaxParticleBytes <= kMaxListedBytes && kMaxHonorificBytes <= kMaxListedBytes);

}  // namespace

CasingStage::CasingStage(Resources& resources)
    : lexicon_(resources.lexicon()),
      frequencies_(resources.word_frequencies()),
      vocabulary_budget_(resources.budget(kMaxVocabulary)) {
  reset_vocabulary();
  for (const auto& line : resources.dictionary("sentence_abbreviations.txt")) abbreviations_.insert(line.text);
  for (const auto& line : resources.dictionary("casing_acronyms.txt")) acronyms_.insert(line.text);
  for (const auto& line : resources.dictionary("casing_proper.txt")) proper_.insert(to_lower(line.text));
  for (const auto& line : resources.dictionary("casing_phrases.txt")) {
    std::vector<std::string> words;
    for_each_token(line.text, 0, line.text.size(),
                   [&](std::size_t b, std::size_t e) { words.push_back(line.text.substr(b, e - b)); });
    if (words.size() < 2) continue;
    const std::string first = to_lower(words.front());
    auto& list = phrases_[first];
    list.push_back(std::move(words));
  }
  for (const auto& [first, list] : phrases_) {
    // The filter in check_phrases holds short ASCII words starting with a letter.
    const bool ascii =
        std::all_of(first.begin(), first.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (!ascii || first.size() >= 64 || first[0] < 'a' || first[0] > 'z') {
      phrase_filter_ = false;  // a phrase the filter cannot hold: look every word up
      continue;
    }
    phrase_starts_[static_cast<std::size_t>(first[0] - 'a')] |= std::uint64_t{1} << first.size();
  }
  // Longest phrase first: "Chinese New Year" before "New Year" is not needed
  // (different first words), but "New Year's Day" must win over "New Year".
  for (auto& [first, list] : phrases_)
    std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  // Names printed in capitals ("UNECE", "NVIDIA" if listed so) are never lowered.
  for (const auto& entry : resources.names())
    for_each_token(entry.canonical, 0, entry.canonical.size(), [&](std::size_t b, std::size_t e) {
      const std::string_view word = std::string_view(entry.canonical).substr(b, e - b);
      if (shape_of(word) == Shape::kUpper) upper_names_.insert(std::string(word));
    });
}

std::string_view CasingStage::description() const {
  return "Restores capitals: sentence starts, months and weekdays, proper nouns, acronyms after their "
         "expansion; lowers shouted words the document writes in normal case";
}

std::vector<RuleInfo> CasingStage::rules() const {
  return {
      {kSentenceRule,
       "\"losses. according to\" -> \"losses. According to\"; leaves words after abbreviations (U.S., e.g.), "
       "ellipses, colons, list markers, `?\"`/`!\"` and attributions (`.\" he said`) alone"},
      {kMonthRule,
       "\"january 29\" -> \"January 29\", \"in november\" -> \"in November\"; \"may\", \"march\", \"august\" "
       "only next to a day number or a year"},
      {kProperRule,
       "\"in russia\" -> \"in Russia\", \"wall Street\" -> \"Wall Street\", \"mr Thomas\" -> \"Mr Thomas\": only "
       "when the dictionary knows the word only capitalised, or the document writes it so; common words that "
       "are also names (bill, turkey, may) are flagged, not changed"},
      {kAcronymRule,
       "\"Mixture of Experts (moe)\" -> \"(MoE)\", \"sports utility vehicles (Suvs)\" -> \"(SUVs)\": only when "
       "the letters are the initials of the words before the parenthesis"},
      {kShoutedRule,
       "\"TAIWAN AI Labs\" -> \"Taiwan AI Labs\", \"(pre-MARKET)\" -> \"(pre-market)\" when the document writes "
       "the word in normal case elsewhere; leaves acronyms, all-caps headings and datelines alone"},
  };
}

namespace {

// A form of one to eight bytes as one integer, its first byte lowest: the key
// of CasingStage::short_.
inline std::uint64_t pack_short(std::string_view form) { return load_le(form.data(), form.size()); }

// short_'s slot for a key: the multiply spreads every byte into the high
// half, the shift brings it down to the bits the mask keeps.
inline std::size_t short_hash(std::uint64_t key) {
  const std::uint64_t h = key * 0x9E3779B97F4A7C15ULL;
  return static_cast<std::size_t>(h ^ (h >> 32));
}

// Forms short_ holds: one to eight bytes (an empty form wraps round to a huge size).
inline bool is_short_form(std::size_t n) { return n - 1 < 8; }

}  // namespace

inline std::uint32_t CasingStage::intern_short(std::uint64_t key, std::string_view form) {
  for (std::size_t i = short_hash(key) & short_mask_;; i = (i + 1) & short_mask_) {
    const ShortSlot& s = short_[i];
    if (s.len == 0) break;
    if (s.key == key && s.len == form.size()) return s.id;
  }
  return add_short(key, form);
}

inline std::uint32_t CasingStage::intern(std::string_view form) {
  if (is_short_form(form.size())) return intern_short(pack_short(form), form);
  const std::uint64_t h = WordMap<std::uint32_t>::hash(form);
  if (const std::uint32_t id = find_long(form, h); id != kNoId) return id;
  return add_form(form, h);
}

std::uint32_t CasingStage::find_long(std::string_view form, std::uint64_t h) const {
  if (long_.empty()) return kNoId;
  const auto tag = static_cast<std::uint32_t>(h >> 32);
  for (std::size_t i = h & long_mask_;; i = (i + 1) & long_mask_) {
    const LongSlot& s = long_[i];
    if (s.id == kNoId) return kNoId;
    if (s.tag == tag && s.size == form.size() && same_bytes(long_text_.data() + s.offset, form.data(), form.size()))
      return s.id;
  }
}

std::uint32_t CasingStage::lookup(std::string_view form) {
  if (is_short_form(form.size())) {
    const std::uint64_t key = pack_short(form);
    for (std::size_t i = short_hash(key) & short_mask_;; i = (i + 1) & short_mask_) {
      const ShortSlot& s = short_[i];
      if (s.len == 0) return kNoId;
      if (s.key == key && s.len == form.size()) return s.id;
    }
  }
  return find_long(form, WordMap<std::uint32_t>::hash(form));
}

void CasingStage::reset_vocabulary() {
  long_ = std::vector<LongSlot>();
  long_mask_ = 0;
  long_size_ = 0;
  long_text_ = std::string();
  short_.assign(1024, ShortSlot{});
  short_mask_ = short_.size() - 1;
  short_size_ = 0;
  entries_.clear();
}

std::uint32_t CasingStage::add_short(std::uint64_t key, std::string_view form) {
  if ((short_size_ + 1) * 2 > short_.size()) {
    std::vector<ShortSlot> old(short_.size() * 2);
    old.swap(short_);
    short_mask_ = short_.size() - 1;
    for (const ShortSlot& s : old) {
      if (s.len == 0) continue;
      std::size_t i = short_hash(s.key) & short_mask_;
      while (short_[i].len != 0) i = (i + 1) & short_mask_;
      short_[i] = s;
    }
  }
  std::size_t i = short_hash(key) & short_mask_;
  while (short_[i].len != 0) i = (i + 1) & short_mask_;
  const std::uint32_t id = new_entry(form);
  short_[i] = ShortSlot{key, static_cast<std::uint32_t>(form.size()), id};
  ++short_size_;
  return id;
}

std::uint32_t CasingStage::add_form(std::string_view form, std::uint64_t h) {
  // (intern() found no slot for it.)
  if ((long_size_ + 1) * 2 > long_.size()) {
    std::vector<LongSlot> old(long_.empty() ? 1024 : long_.size() * 2);
    old.swap(long_);
    long_mask_ = long_.size() - 1;
    for (const LongSlot& s : old) {
      if (s.id == kNoId) continue;
      const std::uint64_t hs = WordMap<std::uint32_t>::hash(std::string_view(long_text_).substr(s.offset, s.size));
      std::size_t i = hs & long_mask_;
      while (long_[i].id != kNoId) i = (i + 1) & long_mask_;
      long_[i] = s;
    }
  }
  std::size_t i = h & long_mask_;
  while (long_[i].id != kNoId) i = (i + 1) & long_mask_;
  const std::uint32_t id = new_entry(form);
  long_[i] = LongSlot{static_cast<std::uint32_t>(h >> 32), id, static_cast<std::uint32_t>(long_text_.size()),
                      static_cast<std::uint32_t>(form.size())};
  long_text_.append(form);
  ++long_size_;
  return id;
}

std::uint32_t CasingStage::new_entry(std::string_view form) {
  const auto id = static_cast<std::uint32_t>(entries_.size());
  Entry e;
  if (std::all_of(form.begin(), form.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    // ASCII (most forms): the counts below and shape_of() in one pass over the bytes.
    std::uint32_t uppers = 0;
    std::uint32_t lowers = 0;
    int first_letter = -1;  // 1: the first letter is a capital, 0: not, -1: no letter
    for (const char c : form) {
      const bool up = c >= 'A' && c <= 'Z';
      const bool low = c >= 'a' && c <= 'z';
      if (first_letter < 0 && (up || low)) first_letter = up ? 1 : 0;
      uppers += up;
      lowers += low;
    }
    e.code_points = static_cast<std::uint32_t>(form.size());
    e.uppers = uppers;
    e.first_upper = !form.empty() && form[0] >= 'A' && form[0] <= 'Z';
    const Shape shape = uppers == 0                        ? Shape::kLower
                        : lowers == 0                      ? Shape::kUpper
                        : uppers == 1 && first_letter == 1 ? Shape::kCapitalised
                                                           : Shape::kMixed;
    e.shape = static_cast<std::uint8_t>(shape);
  } else {
    e.code_points = static_cast<std::uint32_t>(code_points(form));
    std::size_t len = 0;
    for (std::size_t i = 0; i < form.size(); i += len) e.uppers += is_upper(decode_at(form, i, &len));
    e.first_upper = !form.empty() && is_upper(decode_at(form, 0));
    e.shape = static_cast<std::uint8_t>(shape_of(form));
  }
  // The lists hold short lower-case words only: longer forms, and forms no
  // list word shares its first byte and length with, skip the linear searches.
  if (!form.empty() && form.size() <= kMaxListedBytes &&
      (kListedSizes[static_cast<unsigned char>(form[0])] >> form.size() & 1)) {
    if (in_list(kMonthsAndDays, form)) e.lists |= kListMonthDay;
    if (in_list(kAmbiguousMonths, form)) e.lists |= kListAmbiguousMonth;
    if (in_list(kParticles, form)) e.lists |= kListParticle;
    if (in_list(kHonorifics, form)) e.lists |= kListHonorific;
  }
  entries_.push_back(e);
  return id;
}

bool CasingStage::known_of(std::uint32_t id, std::string_view form) {
  Entry& e = entries_[id];
  if (e.known < 0) e.known = known(form) ? 1 : 0;
  return e.known != 0;
}

std::uint32_t CasingStage::capitalised_of(std::uint32_t id, std::string_view form) {
  if (entries_[id].cap == kNoId) {
    // An ASCII first letter is capitalised in place, in a buffer kept
    // between words (no allocation); others through the Unicode tables.
    if (!form.empty() && static_cast<unsigned char>(form[0]) < 0x80) {
      cap_.assign(form);
      if (cap_[0] >= 'a' && cap_[0] <= 'z') cap_[0] = static_cast<char>(cap_[0] - 'a' + 'A');
    } else {
      cap_ = capitalize(form);
    }
    entries_[id].cap = intern(cap_);
  }
  return entries_[id].cap;
}

// A large document's huge line is read in pieces of at most this many bytes
// (cut after a sentence where one is near), so one line's tokens stay bounded.
constexpr std::size_t kPieceBytes = std::size_t{1} << 20;

void CasingStage::index_document(std::string_view text) {
  lines_.clear();
  doc_tokens_.clear();
  doc_words_.clear();
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (!keep_words_) {
      // A large document: one line (or one piece of a huge line) at a time.
      const std::size_t end = piece_end(text, pos, kPieceBytes);
      doc_tokens_.clear();
      doc_words_.clear();
      Line line;
      index_line(pos, end, true, line);
      pos = after_piece(text, end);
      continue;
    }
    const void* nl = std::memchr(text.data() + pos, '\n', text.size() - pos);
    const std::size_t end = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - text.data()) : text.size();
    Line line;
    if (index_line(pos, end, true, line)) lines_.push_back(line);
    pos = end + 1;
  }
}

// One pass over the line's bytes: its tokens, their runs of letters (each
// looked up once in the vocabulary and counted), the words scan_line checks,
// and the line's facts (code characters, capitals, prose). Multi-byte code
// points take the decode_at path; ASCII bytes are classified by kByteClass.
bool CasingStage::index_line(std::size_t begin, std::size_t end, bool counting, Line& line) {
  const std::string_view s = doc_;
  const char* p = s.data();
  line = Line{};
  line.token_begin = doc_tokens_.size();
  line.word_begin = doc_words_.size();
  mids_.clear();
  std::size_t letters = 0;
  std::size_t uppers = 0;
  std::size_t tokens = 0;
  std::size_t long_words = 0;   // tokens whose first run has four letters or more
  std::size_t capitalised = 0;  // ... and starts with a capital
  bool code_line = false;
  bool opens = true;  // the next token may start a sentence
  std::size_t i = begin;
  while (i < end && (byte_class(p[i]) & kTokenSpaceByte)) ++i;
  const bool table_row = i < end && p[i] == '|';
  while (i < end) {
    while (i < end && (byte_class(p[i]) & kTokenSpaceByte)) ++i;
    if (i == end) break;
    // The token runs to the next token space; one loop finds its end, its
    // runs of letters and the classes of its other bytes.
    const std::size_t tb = i;
    const bool initial = opens || starts_with_quote_fast(std::string_view(p + tb, end - tb));
    const std::size_t k = tokens++;
    const std::size_t first_word = doc_words_.size();
    std::uint8_t seen = 0;      // classes of the token's ASCII bytes that are not letters
    bool digit_before = false;  // the code point before j in the token is a digit
    bool glued_before = false;  // ... and the one before the current word
    bool first_run = true;
    std::size_t join_at = std::string_view::npos;  // a run starting here continues the last word
    std::size_t j = tb;
    while (j < end) {
      const auto b = static_cast<unsigned char>(p[j]);
      if (!(kByteClass[b] & kLetterByte)) {
        if (b < 0x80) {
          if (kByteClass[b] & kTokenSpaceByte) break;
          seen |= kByteClass[b];
          digit_before = (kByteClass[b] & kDigitByte) != 0;
          ++j;
          continue;
        }
        std::size_t len = 0;
        const char32_t c = decode_at(s, j, &len);
        if (!is_letter(c)) {
          digit_before = is_digit(c);
          j += len;
          continue;
        }
      }
      const std::size_t rb = j;
      std::uint32_t id = kNoId;
      std::uint32_t run_points = 0;  // the run's code points
      std::uint32_t run_uppers = 0;  // ... its upper-case ones
      bool run_first_upper = false;
      if (analysis_) {
        // The analysis holds every maximal run of letters, in order: this
        // is the first one at or after the last one read. Its form's facts
        // and counts are in form_facts_.
        while (run_->begin < rb) ++run_;
        j = run_->end;
        const std::uint32_t f = run_->form;
        id = form_entries_[f];
        ++run_;
        FormFacts& facts = form_facts_[f];
        if (counting) {
          ++facts.all;
          if (!(initial && first_run)) mids_.push_back(f);
        }
        run_points = facts.code_points;
        run_uppers = facts.uppers;
        run_first_upper = facts.first_upper;
      } else {
        j = skip_ascii_letters(p, j, end);
        while (j < end) {
          const auto c = static_cast<unsigned char>(p[j]);
          if (kByteClass[c] & kLetterByte) {
            ++j;
            continue;
          }
          if (c < 0x80) break;
          std::size_t len = 0;
          if (!is_letter(decode_at(s, j, &len))) break;
          j += len;
        }
        // A short run's key straight from one load when eight bytes from rb
        // are in the text (the bytes past the run are masked off).
        const std::size_t n = j - rb;
        if (is_short_form(n)) {
          const std::uint64_t key = s.size() - rb >= 8 ? load_le64(p + rb) & (~std::uint64_t{0} >> (64 - 8 * n))
                                                       : pack_short(std::string_view(p + rb, n));
          id = intern_short(key, std::string_view(p + rb, n));
        } else {
          id = intern(std::string_view(p + rb, n));
        }
        Entry& e = entries_[id];
        if (counting) {
          if (e.epoch != epoch_) {
            e.epoch = epoch_;
            e.all = 0;
            e.mid = 0;
          }
          ++e.all;
          // Mid-sentence if the line turns out to be prose (known at its end).
          if (!(initial && first_run)) mids_.push_back(id);
        }
        run_points = e.code_points;
        run_uppers = e.uppers;
        run_first_upper = e.first_upper;
      }
      letters += run_points;
      uppers += run_uppers;
      if (first_run && run_points >= 4) {
        ++long_words;
        capitalised += run_first_upper;
      }
      // Glued to digits ("x86", "4th", "H20"): a model or a code, not a
      // word. The code point after the run is in the token unless the line
      // ends or a token space (no digit) follows.
      bool digit_after = false;
      if (j < end) {
        const auto c = static_cast<unsigned char>(p[j]);
        digit_after = c < 0x80 ? (kByteClass[c] & kDigitByte) != 0 : is_digit(decode_at(s, j));
      }
      if (rb == join_at) {
        // Letters with inner apostrophes: "don't", "Russia's".
        Word& w = doc_words_.back();
        w.end = j;
        w.single = false;
        w.done = glued_before || digit_after;
      } else {
        glued_before = digit_before;
        doc_words_.push_back(Word{rb, j, k, id, true, first_run, initial && first_run, glued_before || digit_after});
      }
      first_run = false;
      join_at = std::string_view::npos;
      if (j < end) {
        if (p[j] == '\'')
          join_at = j + 1;
        else if (end - j >= 3 && p[j] == '\xE2' && p[j + 1] == '\x80' && p[j + 2] == '\x99')
          join_at = j + 3;  // U+2019, inside the token: token spaces are ASCII
      }
    }
    const std::size_t te = j;
    // The byte loop stops at the line's end or at a token space: step over
    // that space here, the loop's head skips any further ones.
    i = te < end ? te + 1 : te;
    const std::string_view token(p + tb, te - tb);
    opens = token_opens_next_fast(token);
    code_line |= (seen & kCodeLineByte) != 0;
    // The code-token characters are ASCII; the dot tests need a dot.
    bool skip = (seen & kCodeTokenByte) != 0;
    if (!skip && (seen & kDotByte)) {
      // Most dotted tokens end a sentence ("said."): with its one dot last,
      // the token has no dotted form, and holds "www." only as its end.
      if (token.back() == '.' && token.substr(0, token.size() - 1).find('.') == std::string_view::npos)
        skip = token.ends_with("www.");
      else
        skip = is_code_token(token) || token.find("www.") != std::string_view::npos;
    }
    if (skip) doc_words_.resize(first_word);
    doc_tokens_.push_back(Token{tb, te, skip});
  }
  // A prose line: long enough, not a table row, not in title case. Capitals
  // in the middle of its sentences mark names.
  const bool prose = !table_row && tokens >= kMinProseWords && capitalised * 2 < long_words;
  if (prose && counting) {
    if (analysis_) {
      for (const std::uint32_t f : mids_) ++form_facts_[f].mid;
    } else {
      for (const std::uint32_t id : mids_) ++entries_[id].mid;
    }
  }
  // Lines to leave alone entirely: code or markup, or no capital anywhere
  // (lower case by design, or nothing to measure casing against).
  if (code_line || uppers == 0) {
    doc_tokens_.resize(line.token_begin);
    doc_words_.resize(line.word_begin);
    return false;
  }
  line.token_end = doc_tokens_.size();
  line.word_end = doc_words_.size();
  // A line mostly in capitals is a heading or a slogan: shouted on purpose.
  line.shouting = uppers * 2 > letters;
  return true;
}

CasingStage::Counts CasingStage::counts(std::string_view word) {
  const std::uint32_t id = lookup(word);
  return id != kNoId ? counts_of(id) : Counts{};
}

void CasingStage::propose_words(std::string_view text, const WordAnalysis& words, std::vector<Edit>& out) {
  if (text.size() > whole_document_bytes || words.text().data() != text.data() || words.text().size() != text.size()) {
    propose(text, out);
    return;
  }
  start_document();
  analysis_ = &words;
  run_ = words.runs().data();
  form_entries_.resize(words.forms());
  // Every distinct form of the document is looked up in the vocabulary
  // before the pass over its lines: with all the forms known in advance, the
  // slot of a form a few places ahead is fetched from memory while the
  // current one is looked up, so the cache misses of a large vocabulary
  // overlap instead of following one another.
  // A long form's hash is computed once, for its prefetch and its look-up.
  // Once a form's entry has arrived (kAhead forms later), the entry of its
  // capitalised form, which scan_line reads for words used once, is asked
  // for too.
  constexpr std::size_t kAhead = 8;
  const std::size_t forms = words.forms();
  std::array<std::uint64_t, kAhead> long_hashes{};
  const auto prefetch_slot = [&](std::size_t f) {
    const std::string_view form = words.form(static_cast<std::uint32_t>(f));
    if (is_short_form(form.size())) {
      __builtin_prefetch(&short_[short_hash(pack_short(form)) & short_mask_]);
    } else {
      const std::uint64_t h = WordMap<std::uint32_t>::hash(form);
      long_hashes[f % kAhead] = h;
      if (!long_.empty()) __builtin_prefetch(&long_[h & long_mask_]);
    }
  };
  // Once an entry has arrived: the facts index_line reads, and the capitalised form's entry asked for.
  form_facts_.resize(forms);
  const auto prefetch_cap = [&](std::size_t f) {
    const Entry& e = entries_[form_entries_[f]];
    form_facts_[f] = FormFacts{0, 0, e.code_points, e.uppers, e.first_upper};
    if (e.cap != kNoId) __builtin_prefetch(&entries_[e.cap]);
  };
  for (std::size_t f = 0; f < std::min(kAhead, forms); ++f) prefetch_slot(f);
  for (std::size_t f = 0; f < forms; ++f) {
    const std::string_view form = words.form(static_cast<std::uint32_t>(f));
    std::uint32_t id = kNoId;
    if (is_short_form(form.size())) {
      id = intern_short(pack_short(form), form);
    } else {
      const std::uint64_t h = long_hashes[f % kAhead];
      id = find_long(form, h);
      if (id == kNoId) id = add_form(form, h);
    }
    if (f + kAhead < forms) prefetch_slot(f + kAhead);
    __builtin_prefetch(&entries_[id]);
    form_entries_[f] = id;
    if (f >= kAhead) prefetch_cap(f - kAhead);
  }
  for (std::size_t f = forms > kAhead ? forms - kAhead : 0; f < forms; ++f) prefetch_cap(f);
  propose(text, out);
  analysis_ = nullptr;
  run_ = nullptr;
}

void CasingStage::start_document() {
  // Bound the vocabulary between documents, so memory stays flat over
  // millions of documents; a wrapped epoch could match old stamps: start over.
  ++epoch_;
  if (entries_.size() > vocabulary_budget_.share() || long_text_.size() > kMaxLongText || epoch_ == 0) {
    reset_vocabulary();
    epoch_ = 1;  // new entries carry epoch 0: no counts yet
  }
}

void CasingStage::propose(std::string_view text, std::vector<Edit>& out) {
  if (!analysis_) start_document();  // (propose_words has started it)
  doc_ = text;
  // A large document's tokens and words are not all kept: the index pass
  // keeps one line's at a time, and the scan splits each line again, so
  // memory stays a small multiple of the text (the same words either way).
  keep_words_ = text.size() <= whole_document_bytes;
  first_edit_ = out.size();
  index_document(text);
  if (analysis_) {
    // The document's counts, from its forms to their entries (each form has
    // its own entry), as the pass without an analysis leaves them.
    for (std::size_t f = 0; f < form_facts_.size(); ++f) {
      Entry& e = entries_[form_entries_[f]];
      e.epoch = epoch_;
      e.all = form_facts_[f].all;
      e.mid = form_facts_[f].mid;
    }
  }
  if (keep_words_) {
    for (const Line& line : lines_) scan_line(line, out);
  } else {
    // The same lines (and pieces of huge lines) as the index pass, split
    // again one at a time.
    std::size_t pos = 0;
    while (pos < text.size()) {
      const std::size_t end = piece_end(text, pos, kPieceBytes);
      doc_tokens_.clear();
      doc_words_.clear();
      Line line;
      if (index_line(pos, end, false, line)) scan_line(line, out);
      pos = after_piece(text, end);
    }
  }
  tokens_ = {};
  words_ = {};
  doc_ = {};
  // A huge document's buffers are not kept for the next ones.
  if (doc_tokens_.capacity() > kMaxKeptItems) std::vector<Token>().swap(doc_tokens_);
  if (doc_words_.capacity() > kMaxKeptItems) std::vector<Word>().swap(doc_words_);
  if (lines_.capacity() > kMaxKeptItems) std::vector<Line>().swap(lines_);
  if (mids_.capacity() > kMaxKeptItems) std::vector<std::uint32_t>().swap(mids_);
  if (form_facts_.capacity() > kMaxKeptItems) std::vector<FormFacts>().swap(form_facts_);
}

inline bool CasingStage::may_start_sentence(const Word& word) const {
  if (!word.first_in_token || word.token == 0) return false;
  const auto last = static_cast<unsigned char>(doc_[tokens_[word.token - 1].end - 1]);
  // Letters and commas first: kOpensByte marks a superset of the ASCII bytes below.
  if (last < 0x80 && (kByteClass[last] & kOpensByte) == 0) return false;
  return last >= 0x80 || last == '.' || last == '!' || last == '?' || last == '"' || last == '\'' || last == ')' ||
         last == ']';
}

void CasingStage::scan_line(const Line& line, std::vector<Edit>& out) {
  tokens_ = std::span<Token>(doc_tokens_).subspan(line.token_begin, line.token_end - line.token_begin);
  words_ = std::span<Word>(doc_words_).subspan(line.word_begin, line.word_end - line.word_begin);
  line_shouting_ = line.shouting;
  // The acronyms, the phrases and the word rules in one loop. The same as
  // every acronym first, then every phrase, then check_word on each word left:
  //   - an acronym fills a parenthesis, so no phrase covers it but as its
  //     first word (a phrase's other words start their tokens), and its test
  //     reads the words before it, never a `done` flag they may get;
  //   - a phrase at w reads and marks words from w on only;
  //   - check_word reads no `done` flag.
  // Each word gets one edit at most, so only the order of `out` differs, and
  // the pipeline sorts a stage's edits by position (no two share a span).
  for (std::size_t w = 0; w < words_.size(); ++w) {
    const Word& word = words_[w];
    if (word.done) continue;
    if (word.first_in_token) {
      if (w > 0 && fills_parenthesis(word)) {
        check_acronym(w, out);
        if (word.done) continue;
      }
      const PhraseList* phrases = nullptr;
      if (word.single) {
        // The answer depends on the form only: the vocabulary keeps it.
        Entry& e = entries_[word.id];
        if (!e.phrase_checked) {
          e.phrases = phrases_for(word_text(w));
          e.phrase_checked = 1;
        }
        phrases = e.phrases;
      } else {
        phrases = phrases_for(word_text(w));
      }
      if (phrases) {
        check_phrases(w, *phrases, out);
        if (word.done) continue;
      }
    }
    if (word.single) {
      // check_word's early exits, decided from the entry and the counts.
      if (entries_[word.id].quiet == kQuietUnknown) classify(w);
      const Entry& e = entries_[word.id];
      switch (e.quiet) {
        case kQuietAlways:
          continue;
        case kQuietShort:
          if (!may_start_sentence(word)) continue;
          break;
        case kQuietPlain:
          if (!may_start_sentence(word) &&
              (word.initial || counts_of(word.id).all != 1 || (e.cap != kNoId && counts_of(e.cap).mid < 3)))
            continue;
          break;
        default:
          break;
      }
    }
    check_word(w, out);
  }
}

// Entry::quiet for a word of one run of letters: when check_word(w) neither
// emits an edit nor changes a fact another word reads. Following check_word,
// check_month, check_sentence_start and check_proper in order:
//   - capitalised and mixed forms: no rule (kQuietAlways);
//   - upper case (check_shouted) and the listed words (months, particles,
//     honorifics): their own rules (kQuietNever);
//   - other lower-case forms of one or two letters: check_proper stops at
//     once, only a sentence start may fire (kQuietShort);
//   - dictionary words that casing_proper.txt does not list (kQuietPlain):
//     check_proper stops at a sentence start or a word the document uses more
//     than once; a word used once is flagged only if its capitalised form
//     occurs three times mid-sentence.
// Asking the dictionary here rather than later changes no answer (the
// look-ups are pure).
void CasingStage::classify(std::size_t w) {
  const Word& word = words_[w];
  const auto shape = static_cast<Shape>(entries_[word.id].shape);
  std::int8_t quiet = kQuietNever;
  if (shape == Shape::kCapitalised || shape == Shape::kMixed) {
    quiet = kQuietAlways;
  } else if (shape == Shape::kLower && entries_[word.id].lists == 0) {
    if (entries_[word.id].code_points < 3) {
      quiet = kQuietShort;
    } else {
      const std::string_view form = word_text(w);
      if (known_of(word.id, form)) {
        Entry& e = entries_[word.id];
        if (e.listed < 0) e.listed = proper_.count(form) > 0 ? 1 : 0;
        if (e.listed == 0) quiet = kQuietPlain;
      }
    }
  }
  entries_[word.id].quiet = quiet;
}

void CasingStage::check_word(std::size_t w, std::vector<Edit>& out) {
  const Word& word = words_[w];
  const std::string_view text = word_text(w);
  switch (word.single ? static_cast<Shape>(entries_[word.id].shape) : shape_of(text)) {
    case Shape::kLower: {
      // The base's vocabulary entry: the word itself (one run of letters has
      // no possessive to strip), or its first run of letters ("russia" of
      // "russia's", interned already); none when the base keeps an
      // apostrophe ("don't"): no list or name holds those.
      const std::string_view base = word.single ? text : strip_possessive(text);
      std::uint32_t base_id = kNoId;
      if (word.single)
        base_id = word.id;
      else if (!has_apostrophe(base))
        base_id = intern(base);
      const bool month_listed =
          base_id != kNoId && (entries_[base_id].lists & (kListMonthDay | kListAmbiguousMonth)) != 0;
      if (month_listed && check_month(w, base_id, out)) return;
      if (check_sentence_start(w, out)) return;
      check_proper(w, base, base_id, out);
      return;
    }
    case Shape::kUpper:
      check_shouted(w, out);
      return;
    default:
      return;
  }
}

CasingStage::Stop CasingStage::ends_sentence(std::size_t token, std::size_t w, const std::vector<Edit>& out) {
  const std::string_view t = doc_.substr(tokens_[token].begin, tokens_[token].end - tokens_[token].begin);
  // Most tokens end in a letter or a comma: an ASCII last byte that is no
  // closing quote or bracket and no stop cannot end a sentence.
  const auto last = static_cast<unsigned char>(t.back());
  if (last < 0x80 && !is_stop(last) && !is_quote_close(last) && !is_bracket_close(last)) return Stop::kNo;
  bool quote = false;
  bool bracket = false;
  std::size_t e = t.size();
  while (e > 0) {
    const std::size_t p = prev_start(t, e);
    const char32_t c = decode_at(t, p);
    if (is_quote_close(c))
      quote = true;
    else if (is_bracket_close(c))
      bracket = true;
    else
      break;
    e = p;
  }
  if (e == 0 || !is_stop(static_cast<unsigned char>(t[e - 1]))) return Stop::kNo;
  const char stop = t[e - 1];
  std::size_t stop_at = e - 1;
  while (stop_at > 0 && is_stop(static_cast<unsigned char>(t[stop_at - 1]))) --stop_at;
  if (stop == '.' && stop_at < e - 1) return Stop::kNo;  // an ellipsis: "wait... the"
  std::size_t hb = 0;
  std::size_t len = 0;
  while (hb < stop_at && is_opening_punct(decode_at(t, hb, &len))) hb += len;
  std::string_view head = t.substr(hb, stop_at - hb);
  if (head.empty()) return Stop::kNo;
  // The word as this run leaves it: an edit of it comes among the last few
  // (each word gets one at most, in word order but for a phrase's).
  const std::size_t head_begin = tokens_[token].begin + hb;
  for (std::size_t k = out.size(); k > first_edit_ && k + 4 > out.size(); --k) {
    const Edit& edit = out[k - 1];
    if (edit.kind == EditKind::kChange && edit.begin == head_begin && edit.end == head_begin + head.size()) {
      head = edit.replacement;
      break;
    }
  }

  if (stop == '?' || stop == '!') {
    // `"Really?" she asked`, `(why?) it`: an attribution or an aside.
    if (quote || bracket) return Stop::kNo;
    // "Yahoo! said": a brand with an exclamation mark.
    if (stop == '!' && shape_of(head) != Shape::kLower) return Stop::kNo;
    return Stop::kYes;
  }
  if (bracket) return Stop::kNo;
  if (quote) {
    // `"It is over." he said`: the lost comma of an attribution.
    const std::string_view next = doc_.substr(words_[w].begin, words_[w].end - words_[w].begin);
    if (in_list(kSpeechVerbs, next)) return Stop::kNo;
    if (in_list(kPronouns, next) && w + 1 < words_.size() && words_[w + 1].token == words_[w].token + 1) {
      const std::string_view after = doc_.substr(words_[w + 1].begin, words_[w + 1].end - words_[w + 1].begin);
      if (in_list(kSpeechVerbs, after)) return Stop::kNo;
    }
  }
  if (head.find('.') != std::string_view::npos) return Stop::kNo;   // U.S., e.g., a.m., Ph.D.
  if (all_digits(head)) return token > 0 ? Stop::kYes : Stop::kNo;  // "in 2005. the" but not "1. the"
  std::size_t letters = 0;
  bool digits = false;
  for (std::size_t i = 0; i < head.size(); i += len) {
    const char32_t c = decode_at(head, i, &len);
    letters += is_letter(c);
    digits |= is_digit(c);
  }
  if (letters == 0) return Stop::kNo;
  if (letters == 1 && !digits) return Stop::kNo;  // initials: "J. smith", "Plan B."
  // An abbreviation in any case: "co. in", "dept. that", "no. of".
  if (abbreviations_.count(head) || abbreviations_.count(capitalize(head))) return Stop::kNo;
  // Short unknown lower-case words before a period are abbreviations too ("pct.").
  if (!digits && letters <= 3 && shape_of(head) == Shape::kLower && !known(head)) return Stop::kNo;
  // A short lower-case word without a vowel (y counts as one) is a unit or an
  // abbreviation ("mg.", "ln.", "blvd."), never an English word ending a
  // sentence ("dry." and "my." have their y).
  if (!digits && letters <= 4 && shape_of(head) == Shape::kLower &&
      head.find_first_of("aeiouy") == std::string_view::npos)
    return Stop::kUnsure;
  return Stop::kYes;
}

bool CasingStage::check_sentence_start(std::size_t w, std::vector<Edit>& out) {
  const Word& word = words_[w];
  if (!may_start_sentence(word)) return false;
  const Token& tok = tokens_[word.token];
  // Only opening quotes or brackets may come before the word in its token.
  std::size_t len = 0;
  for (std::size_t i = tok.begin; i < word.begin; i += len)
    if (!is_opening_punct(decode_at(doc_, i, &len))) return false;
  if (tokens_[word.token - 1].skip) return false;
  const Stop stop = ends_sentence(word.token - 1, w, out);
  if (stop == Stop::kNo) return false;
  const std::string_view text = doc_.substr(word.begin, word.end - word.begin);
  // "a) First item. b) Second item": a list letter, not a word.
  if (text.size() == 1 && word.end < tok.end &&
      (doc_[word.end] == ')' || doc_.substr(word.end, 2) == ".)" ||
       (doc_[word.end] == '.' && word.end + 1 == tok.end && text[0] >= 'a' && text[0] <= 'z')))
    return false;
  scratch_ = capitalize(text);
  if (scratch_ == text) return false;  // a caseless script (Arabic, Hebrew): no capital to give
  if (stop == Stop::kUnsure) {
    out.push_back(make_flag(word.begin, word.end, std::string(kSentenceRule),
                            "A sentence may start here in lower case, or the short form before the "
                            "period is a unit or an abbreviation (\"mg.\", \"ln.\"): left as written."));
    return true;
  }
  if (known(text) || known(scratch_)) {
    out.push_back(make_change(word.begin, word.end, scratch_, std::string(kSentenceRule),
                              "A sentence starts with a lower-case letter."));
  } else {
    out.push_back(make_flag(word.begin, word.end, std::string(kSentenceRule),
                            "A sentence seems to start with a lower-case word the dictionary does not know."));
  }
  return true;
}

bool CasingStage::check_month(std::size_t w, std::uint32_t base_id, std::vector<Edit>& out) {
  if (base_id == kNoId) return false;  // an apostrophe: no month
  const Word& word = words_[w];
  const std::uint8_t lists = entries_[base_id].lists;
  bool month = (lists & kListMonthDay) != 0;
  if (!month && (lists & kListAmbiguousMonth)) {
    // "may 5", "in march 2005", "29 august", "5th may": a date, not a verb.
    const Token& tok = tokens_[word.token];
    if (word.end == tok.end && word.token + 1 < tokens_.size()) {
      const Token& next = tokens_[word.token + 1];
      const std::string_view n = doc_.substr(next.begin, next.end - next.begin);
      month = is_day_number(n) || is_year(n);
    }
    if (!month && word.begin == tok.begin && word.token > 0) {
      const Token& prev = tokens_[word.token - 1];
      month = is_day_number(doc_.substr(prev.begin, prev.end - prev.begin));
    }
  }
  if (!month) return false;
  const std::string_view text = doc_.substr(word.begin, word.end - word.begin);
  out.push_back(make_change(word.begin, word.end, capitalize(text), std::string(kMonthRule),
                            "Month and weekday names are capitalised."));
  return true;
}

bool CasingStage::attested(std::string_view lower) {
  if (frequencies_.of(lower).capitalised > 0) return true;
  if (!lm_) lm_ = NgramModel::shared();
  return lm_->id(lower) != NgramModel::kNone;
}

bool CasingStage::slip_in_context(std::size_t w, std::string_view base) {
  // A common word: Brown writes it in lower case this often.
  constexpr std::uint32_t kCommonLower = 10;
  // How much likelier (log10) the common word must be in context: a hundredfold.
  constexpr double kSlipMargin = 2.0;
  if (!lm_) lm_ = NgramModel::shared();
  const Word& word = words_[w];
  // The neighbour's model id when only spaces part it from the word.
  const auto neighbour = [&](std::size_t k, std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i)
      if (doc_[i] != ' ') return NgramModel::kNone;
    std::string lower(doc_.substr(words_[k].begin, words_[k].end - words_[k].begin));
    for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return lm_->id(lower);
  };
  int before = NgramModel::kNone;
  int after = NgramModel::kNone;
  if (w > 0 && words_[w - 1].end <= word.begin) before = neighbour(w - 1, words_[w - 1].end, word.begin);
  if (w + 1 < words_.size() && words_[w + 1].begin >= word.end) after = neighbour(w + 1, word.end, words_[w + 1].begin);
  if (before == NgramModel::kNone && after == NgramModel::kNone) return false;  // no context to judge by
  const auto fit = [&](int id) { return lm_->fit_in_window(NgramModel::kNone, before, id, after, NgramModel::kNone); };
  const double name_fit = fit(lm_->id(base));
  near_.clear();
  lexicon_.near_words(base, 1, near_);
  for (const auto& n : near_) {
    if (frequencies_.of(n.first).lower < kCommonLower) continue;
    if (fit(lm_->id(n.first)) >= name_fit + kSlipMargin) return true;
  }
  return false;
}

bool CasingStage::check_proper(std::size_t w, std::string_view base, std::uint32_t base_id, std::vector<Edit>& out) {
  const Word& word = words_[w];
  // A base with an apostrophe (a contraction: "don't") is no name.
  if (base_id == kNoId) return false;
  // The base's vocabulary entry holds the look-ups that depend on the form
  // only, so a repeated word (in this document or an earlier one) asks once.
  const std::uint8_t lists = entries_[base_id].lists;
  if (lists & kListParticle) return false;
  if (lists & kListHonorific) {
    scratch_ = capitalize(base);
    // Only before a capitalised name in the next token: "mr Thomas".
    if (w + 1 >= words_.size() || words_[w + 1].token != word.token + 1 || !words_[w + 1].first_in_token) return false;
    const std::string_view next = doc_.substr(words_[w + 1].begin, words_[w + 1].end - words_[w + 1].begin);
    if (shape_of(next) != Shape::kCapitalised || known(base) || !known(scratch_)) return false;
    out.push_back(make_change(word.begin, word.begin + base.size(), scratch_, std::string(kProperRule),
                              "An honorific before a name is capitalised."));
    return true;
  }
  if (entries_[base_id].code_points < 3) return false;
  const bool lower_known = known_of(base_id, base);
  bool listed = false;
  if (lower_known) {
    Entry& e = entries_[base_id];
    if (e.listed < 0) e.listed = proper_.count(base) > 0 ? 1 : 0;
    listed = e.listed != 0;
  }
  const Counts low = counts_of(base_id);
  // Most words: common, and used more than once or at a sentence start. Done cheaply.
  if (lower_known && !listed && (word.initial || low.all != 1)) return false;
  const std::uint32_t cap_id = capitalised_of(base_id, base);
  const Counts cap = counts_of(cap_id);
  // Only a word the dictionary rejects in lower case needs the dictionary's
  // answer for its capitalised form (the other branches read the counts).
  bool cap_known = false;
  if (!lower_known) {
    scratch_ = capitalize(base);
    cap_known = known_of(cap_id, scratch_);
  }
  std::string reason;
  // A known name is evidence only when the lower-case word is not more likely
  // a slip for a common word ("tim" for "time"); then the document decides.
  if (!lower_known && cap_known && cap.all == 0 && !attested(base)) {
    // A name only the dictionary knows (no edited prose or general English
    // uses it) is as likely a misspelling of a word: a flag, not a capital.
    out.push_back(
        make_flag(word.begin, word.end, std::string(kProperRule),
                  "The dictionary knows \"" + scratch_ +
                      "\" only as a rare proper noun, and the article never writes it so: a name or a slip?"));
    return false;
  }
  if (!lower_known && cap_known && (cap.all > 0 || !frequencies_.likely_misspelling(base, lexicon_))) {
    // A name written in lower case where a common word one edit away fits the
    // sentence far better: a slip as likely as a name.
    if (cap.all == 0 && slip_in_context(w, base)) {
      out.push_back(make_flag(word.begin, word.end, std::string(kProperRule),
                              "The dictionary knows \"" + scratch_ +
                                  "\" only as a proper noun, but a common word one letter away fits here far "
                                  "better: a name or a slip?"));
      return false;
    }
    reason = "The dictionary knows \"" + scratch_ + "\" only as a proper noun.";
  } else if (!lower_known) {
    // A name the dictionary does not know: the document's own spelling decides.
    if ((cap.mid == 0 && cap.all < 2) || (low.all > 1 && low.all * 4 > cap.mid)) return false;
    reason = "The document writes \"" + scratch_ + "\" capitalised elsewhere.";
  } else if (listed) {
    if (cap.mid < 2 || (low.all > 1 && low.all * 4 > cap.mid)) return false;
    scratch_ = capitalize(base);
    reason = "The document writes \"" + scratch_ + "\" capitalised elsewhere; here it lost its capital.";
  } else {
    // "bill", "mark", "turkey": a common word too. Worth a look, not a change.
    if (cap.mid >= 3)
      out.push_back(make_flag(word.begin, word.end, std::string(kProperRule),
                              "The document writes \"" + capitalize(base) + "\" capitalised elsewhere: a name here?"));
    return false;
  }
  if (scratch_ == base) return false;  // a caseless script (Arabic, Hebrew): no capital to give
  out.push_back(make_change(word.begin, word.begin + base.size(), scratch_, std::string(kProperRule), reason));
  return true;
}

bool CasingStage::check_shouted(std::size_t w, std::vector<Edit>& out) {
  const Word& word = words_[w];
  const std::string_view text = doc_.substr(word.begin, word.end - word.begin);
  // A word of several runs has an apostrophe: left alone.
  if (!word.single) return false;
  Entry& entry = entries_[word.id];
  if (entry.shout_exempt < 0)
    entry.shout_exempt = code_points(text) < 4 || acronyms_.count(text) || upper_names_.count(text) ? 1 : 0;
  if (entry.shout_exempt) return false;
  // A dateline ("LONDON (Reuters) -") or a label ("UPDATE:") opens its line.
  if (word.token == 0) return false;
  const Token& tok = tokens_[word.token];
  if (word.end < tok.end && doc_[word.end] == ':') return false;
  // A run of shouted words is a heading or a slogan, shouted on purpose.
  auto shouted = [this](std::size_t i) {
    const std::string_view t = doc_.substr(words_[i].begin, words_[i].end - words_[i].begin);
    return code_points(t) >= 4 && shape_of(t) == Shape::kUpper;
  };
  if ((w > 0 && shouted(w - 1)) || (w + 1 < words_.size() && shouted(w + 1))) return false;
  if (line_shouting_) return false;

  lower_into(text, scratch2_);
  scratch_ = capitalize(scratch2_);
  const Counts low = counts(scratch2_);
  const Counts cap = counts(scratch_);
  const Counts up = counts(text);
  if (low.all + cap.all < up.all) return false;
  std::string replacement;
  if (low.mid > 0 && low.mid >= cap.mid) {
    replacement = word.initial ? scratch_ : scratch2_;
  } else if (cap.mid > 0) {
    replacement = scratch_;
  } else {
    return false;
  }
  out.push_back(make_change(word.begin, word.end, replacement, std::string(kShoutedRule),
                            "The document writes \"" + replacement + "\" in normal case elsewhere."));
  return true;
}

// "(moe)", "(Suvs),": an acronym word that fills its parenthesis (scan_line
// tests fills_parenthesis first).
void CasingStage::check_acronym(std::size_t w, std::vector<Edit>& out) {
  Word& word = words_[w];
  const std::string_view text = doc_.substr(word.begin, word.end - word.begin);
  const Shape shape = shape_of(text);
  if (shape != Shape::kLower && shape != Shape::kCapitalised) return;
  if (text.size() < 2 || text.size() > kMaxAcronymLetters) return;
  if (!std::all_of(text.begin(), text.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }))
    return;
  // An article that writes the short form the same way elsewhere ("the Elspa
  // said") follows a house style ("Elspa", "Nato"): not a case error.
  if (counts(text).all > 1) return;
  lower_into(text, scratch2_);
  const std::string letters = scratch2_;

  // The words before the parenthesis, nearest first, in the tokens just before it.
  std::vector<std::size_t> before;
  for (std::size_t j = w; j-- > 0 && before.size() < kMaxExpansionWords;) {
    const std::size_t expected_token = before.empty() ? word.token - 1 : words_[before.back()].token - 1;
    if (words_[j].token != expected_token || !words_[j].first_in_token) break;
    before.push_back(j);
  }
  if (before.empty()) return;

  // Match the letters, last to first, to the initials of those words;
  // function words may be used ("of" in MoE) or skipped.
  std::vector<int> use(before.size(), 0);
  std::vector<int> best;
  std::size_t start = 0;
  auto is_function = [this](std::size_t j) {
    return in_list(kFunctionWords, doc_.substr(words_[j].begin, words_[j].end - words_[j].begin));
  };
  auto initial_of = [this](std::size_t j) {
    const char c = doc_[words_[j].begin];
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  };
  auto try_match = [&](std::string_view l) -> bool {
    // Iterative depth-first search over (letter, word) with a small explicit stack.
    std::fill(use.begin(), use.end(), 0);
    struct State {
      std::size_t letter;  // letters still to match: l[0, letter)
      std::size_t word;    // next word to look at in `before`
      int choice;          // 0: not tried, 1: tried consuming, 2: tried skipping
    };
    std::vector<State> stack{{l.size(), 0, 0}};
    while (!stack.empty()) {
      State& st = stack.back();
      if (st.letter == 0) {
        // The expansion must start with a content word.
        if (st.word == 0 || is_function(before[st.word - 1])) {
          stack.pop_back();
          continue;
        }
        start = st.word;
        return true;
      }
      if (st.word >= before.size() || st.choice == 2) {
        if (st.word < before.size()) use[st.word] = 0;
        stack.pop_back();
        continue;
      }
      const std::size_t j = before[st.word];
      if (st.choice == 0) {
        st.choice = 1;
        if (initial_of(j) == l[st.letter - 1]) {
          use[st.word] = 1;
          stack.push_back({st.letter - 1, st.word + 1, 0});
          continue;
        }
      }
      if (st.choice == 1) {
        st.choice = 2;
        use[st.word] = 0;
        if (is_function(j)) {
          stack.push_back({st.letter, st.word + 1, 0});
          continue;
        }
      }
    }
    return false;
  };
  bool plural = false;
  bool matched = try_match(letters);
  if (!matched && letters.size() >= 3 && letters.back() == 's') {
    plural = true;
    matched = try_match(std::string_view(letters).substr(0, letters.size() - 1));
    // "vehicles (SUVs)": a plural acronym after a plural last word.
    if (matched && doc_[words_[before.front()].end - 1] != 's') matched = false;
  }
  if (!matched) return;

  // Content words all capitalised ("Mixture of Experts") or all lower case
  // ("sports utility vehicles"); a mix is not a clean expansion.
  bool caps = true;
  bool lowers = true;
  for (std::size_t k = 0; k < start; ++k) {
    if (is_function(before[k])) continue;
    const std::string_view t = doc_.substr(words_[before[k]].begin, words_[before[k]].end - words_[before[k]].begin);
    const Shape sh = shape_of(t);
    if (sh != Shape::kLower) lowers = false;
    if (sh == Shape::kLower) caps = false;
  }
  // Every word of the expansion must be used or be a skippable function word.
  bool clean = true;
  for (std::size_t k = 0; k < start; ++k)
    if (!use[k] && !is_function(before[k])) clean = false;
  if (!clean || (!caps && !lowers)) return;
  const std::size_t core = letters.size() - (plural ? 1 : 0);
  // A lower-case expansion is weaker evidence: three letters at least, and
  // the written form must not be a word ("(who)").
  if (lowers && (core < 3 || known(letters))) return;
  if (core < 2) return;

  std::string replacement;
  for (std::size_t i = 0; i < core; ++i) {
    // Letter i of the acronym came from the (core - i)-th used word from the end.
    std::size_t seen = 0;
    std::size_t k = 0;
    for (; k < start; ++k)
      if (use[k] && ++seen == core - i) break;
    const bool lower_letter = caps && is_function(before[k]);
    const char c = letters[i];
    replacement.push_back(lower_letter ? c : static_cast<char>(c - 32));
  }
  if (plural) replacement.push_back('s');
  word.done = true;
  if (replacement == text) return;
  out.push_back(make_change(word.begin, word.end, replacement, std::string(kAcronymRule),
                            "The acronym's letters are the initials of the words before it."));
}

const CasingStage::PhraseList* CasingStage::phrases_for(std::string_view word) {
  // Fast path: an ASCII word lower-cases to the same length and initial, so
  // the filter rules out most words before lower-casing and hashing them.
  // (Other words may lower-case to ASCII, "\u212Aong" -> "kong": looked up.)
  if (phrase_filter_ &&
      std::all_of(word.begin(), word.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    const auto c = static_cast<unsigned char>(word[0] | 0x20);
    if (c < 'a' || c > 'z' || word.size() >= 64 || ((phrase_starts_[c - 'a'] >> word.size()) & 1) == 0) return nullptr;
  }
  lower_into(word, scratch2_);
  const auto it = phrases_.find(std::string_view(scratch2_));
  return it == phrases_.end() ? nullptr : &it->second;
}

void CasingStage::check_phrases(std::size_t w, const PhraseList& phrases, std::vector<Edit>& out) {
  for (const auto& phrase : phrases) {
    const std::size_t n = phrase.size();
    if (w + n > words_.size()) continue;
    bool match = true;
    bool evidence = false;
    bool fixable = true;
    for (std::size_t j = 0; j < n && match; ++j) {
      const Word& word = words_[w + j];
      const Token& tok = tokens_[word.token];
      const std::string_view text = doc_.substr(word.begin, word.end - word.begin);
      // One word per token, nothing but spaces in between ("Wall, Street" is not the name).
      if (word.done || word.token != words_[w].token + j || (j > 0 && word.begin != tok.begin) ||
          (j + 1 < n && word.end != tok.end) || !equals_ignore_case(text, phrase[j])) {
        match = false;
        break;
      }
      if (text == phrase[j]) {
        if (shape_of(text) != Shape::kLower && !word.initial) evidence = true;
      } else if (shape_of(text) != Shape::kLower) {
        fixable = false;  // "WALL Street": not a lost capital
      }
    }
    if (!match) continue;
    // "a new Year 7 pupil": a school year, not the holiday.
    const std::size_t last_token = words_[w + n - 1].token;
    if (last_token + 1 < tokens_.size() && is_digit(decode_at(doc_, tokens_[last_token + 1].begin))) break;
    if (!evidence || !fixable) break;
    for (std::size_t j = 0; j < n; ++j) {
      Word& word = words_[w + j];
      word.done = true;
      const std::string_view text = doc_.substr(word.begin, word.end - word.begin);
      if (text == phrase[j]) continue;
      out.push_back(make_change(
          word.begin, word.end, phrase[j], std::string(kProperRule), "Part of the name \"" + [&phrase] {
            std::string p;
            for (const auto& x : phrase) p += (p.empty() ? "" : " ") + x;
            return p;
          }() + "\"."));
    }
    break;
  }
}
}  // namespace copydesk
