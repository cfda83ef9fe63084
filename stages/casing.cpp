#include "stages/casing.h"

#include <algorithm>
#include <array>
#include <cctype>

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

// Documents with more distinct words than this free the index afterwards
// rather than clearing its (large) slot array for every later document.
constexpr std::size_t kMaxKeptIndex = 2048;

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
bool is_apostrophe(char32_t c) { return c == '\'' || c == 0x2019; }
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

// A line to leave alone entirely: code or markup, or no capital anywhere
// (lower case by design, or nothing to measure casing against).
bool skip_line(std::string_view line) {
  if (line.find_first_of(kCodeLineChars) != std::string_view::npos) return true;
  std::size_t len = 0;
  for (std::size_t i = 0; i < line.size(); i += len)
    if (is_upper(decode_at(line, i, &len))) return false;
  return true;
}

// A prose line: long enough, not a table row, not in title case. Capitals in
// the middle of its sentences mark names.
bool is_prose_line(std::string_view line) {
  std::size_t b = 0;
  while (b < line.size() && is_token_space(line[b])) ++b;
  if (b < line.size() && line[b] == '|') return false;
  std::size_t words = 0;
  std::size_t long_words = 0;
  std::size_t capitalised = 0;
  for_each_token(line, 0, line.size(), [&](std::size_t tb, std::size_t te) {
    ++words;
    std::size_t i = tb;
    std::size_t len = 0;
    while (i < te && !is_letter(decode_at(line, i, &len))) i += len;
    std::size_t letters = 0;
    bool upper = false;
    for (std::size_t j = i; j < te; j += len) {
      const char32_t c = decode_at(line, j, &len);
      if (!is_letter(c)) break;
      if (j == i) upper = is_upper(c);
      ++letters;
    }
    if (letters >= 4) {
      ++long_words;
      capitalised += upper;
    }
  });
  return words >= kMinProseWords && capitalised * 2 < long_words;
}

}  // namespace

CasingStage::CasingStage(Resources& resources) : lexicon_(resources.lexicon()) {
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

void CasingStage::build_index(std::string_view text) {
  // A big document's slot array would make every later clear() slow: drop it.
  if (index_.size() > kMaxKeptIndex) index_ = WordMap<Counts>{};
  index_.clear();
  for (const Span line : split_lines(text)) {
    const std::string_view l = text.substr(line.begin, line.size());
    const bool prose = is_prose_line(l);
    bool opens = true;  // the next token may start a sentence
    for_each_token(text, line.begin, line.end, [&](std::size_t tb, std::size_t te) {
      const std::string_view token = text.substr(tb, te - tb);
      const bool initial = opens || starts_with_quote(token);
      opens = token_opens_next(token);
      std::size_t i = tb;
      std::size_t len = 0;
      bool first = true;
      while (i < te) {
        if (!is_letter(decode_at(text, i, &len))) {
          i += len;
          continue;
        }
        const std::size_t wb = i;
        while (i < te && is_letter(decode_at(text, i, &len))) i += len;
        Counts& c = *index_.insert(text.substr(wb, i - wb), Counts{}).first;
        ++c.all;
        if (prose && !(initial && first)) ++c.mid;
        first = false;
      }
    });
  }
}

CasingStage::Counts CasingStage::counts(std::string_view word) const {
  const Counts* c = index_.find(word);
  return c ? *c : Counts{};
}

void CasingStage::propose(std::string_view text, std::vector<Edit>& out) {
  doc_ = text;
  build_index(text);
  for (const Span line : split_lines(text)) scan_line(line, out);
  if (index_.size() > kMaxKeptIndex) index_ = WordMap<Counts>{};
  index_.clear();
  doc_ = {};
}

void CasingStage::scan_line(Span line, std::vector<Edit>& out) {
  const std::string_view s = doc_;
  if (skip_line(s.substr(line.begin, line.size()))) return;
  // A line mostly in capitals is a heading or a slogan: shouted on purpose.
  std::size_t upper = 0;
  std::size_t letters = 0;
  std::size_t len = 0;
  for (std::size_t i = line.begin; i < line.end; i += len) {
    const char32_t c = decode_at(s, i, &len);
    letters += is_letter(c);
    upper += is_upper(c);
  }
  line_shouting_ = upper * 2 > letters;
  tokens_.clear();
  words_.clear();
  for_each_token(s, line.begin, line.end, [&](std::size_t tb, std::size_t te) {
    const std::string_view t = s.substr(tb, te - tb);
    tokens_.push_back(Token{tb, te, is_code_token(t) || t.find("www.") != std::string_view::npos});
  });
  for (std::size_t k = 0; k < tokens_.size(); ++k) {
    const Token& tok = tokens_[k];
    if (tok.skip) continue;
    const bool opens = k == 0 ||
                       token_opens_next(s.substr(tokens_[k - 1].begin, tokens_[k - 1].end - tokens_[k - 1].begin)) ||
                       starts_with_quote(s.substr(tok.begin, tok.end - tok.begin));
    std::size_t i = tok.begin;
    bool first = true;
    while (i < tok.end) {
      if (!is_letter(decode_at(s, i, &len))) {
        i += len;
        continue;
      }
      const std::size_t wb = i;
      // Letters with inner apostrophes: "don't", "Russia's".
      while (i < tok.end) {
        const char32_t c = decode_at(s, i, &len);
        if (is_letter(c)) {
          i += len;
        } else if (is_apostrophe(c) && i + len < tok.end && is_letter(decode_at(s, i + len))) {
          i += len;
        } else {
          break;
        }
      }
      Word w{wb, i, k, first, opens && first, false};
      // Glued to digits ("x86", "4th", "H20"): a model or a code, not a word.
      if ((wb > tok.begin && is_digit(decode_before(s, wb))) || (i < tok.end && is_digit(decode_at(s, i))))
        w.done = true;
      words_.push_back(w);
      first = false;
    }
  }
  check_acronyms(out);
  check_phrases(out);
  for (std::size_t w = 0; w < words_.size(); ++w)
    if (!words_[w].done) check_word(w, out);
}

void CasingStage::check_word(std::size_t w, std::vector<Edit>& out) {
  const Word& word = words_[w];
  const std::string_view text = doc_.substr(word.begin, word.end - word.begin);
  switch (shape_of(text)) {
    case Shape::kLower: {
      const std::string_view base = strip_possessive(text);
      if (check_month(w, base, out)) return;
      if (check_sentence_start(w, out)) return;
      check_proper(w, base, out);
      return;
    }
    case Shape::kUpper:
      check_shouted(w, out);
      return;
    default:
      return;
  }
}

bool CasingStage::ends_sentence(std::size_t token, std::size_t w) {
  const std::string_view t = doc_.substr(tokens_[token].begin, tokens_[token].end - tokens_[token].begin);
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
  if (e == 0 || !is_stop(static_cast<unsigned char>(t[e - 1]))) return false;
  const char stop = t[e - 1];
  std::size_t stop_at = e - 1;
  while (stop_at > 0 && is_stop(static_cast<unsigned char>(t[stop_at - 1]))) --stop_at;
  if (stop == '.' && stop_at < e - 1) return false;  // an ellipsis: "wait... the"
  std::size_t hb = 0;
  std::size_t len = 0;
  while (hb < stop_at && is_opening_punct(decode_at(t, hb, &len))) hb += len;
  const std::string_view head = t.substr(hb, stop_at - hb);
  if (head.empty()) return false;

  if (stop == '?' || stop == '!') {
    // `"Really?" she asked`, `(why?) it`: an attribution or an aside.
    if (quote || bracket) return false;
    // "Yahoo! said": a brand with an exclamation mark.
    if (stop == '!' && shape_of(head) != Shape::kLower) return false;
    return true;
  }
  if (bracket) return false;
  if (quote) {
    // `"It is over." he said`: the lost comma of an attribution.
    const std::string_view next = doc_.substr(words_[w].begin, words_[w].end - words_[w].begin);
    if (in_list(kSpeechVerbs, next)) return false;
    if (in_list(kPronouns, next) && w + 1 < words_.size() && words_[w + 1].token == words_[w].token + 1) {
      const std::string_view after = doc_.substr(words_[w + 1].begin, words_[w + 1].end - words_[w + 1].begin);
      if (in_list(kSpeechVerbs, after)) return false;
    }
  }
  if (head.find('.') != std::string_view::npos) return false;  // U.S., e.g., a.m., Ph.D.
  if (all_digits(head)) return token > 0;                      // "in 2005. the" but not "1. the"
  std::size_t letters = 0;
  bool digits = false;
  for (std::size_t i = 0; i < head.size(); i += len) {
    const char32_t c = decode_at(head, i, &len);
    letters += is_letter(c);
    digits |= is_digit(c);
  }
  if (letters == 0) return false;
  if (letters == 1 && !digits) return false;  // initials: "J. smith", "Plan B."
  if (abbreviations_.count(head)) return false;
  // Short unknown lower-case words before a period are abbreviations too ("pct.").
  if (!digits && letters <= 3 && shape_of(head) == Shape::kLower && !known(head)) return false;
  return true;
}

bool CasingStage::check_sentence_start(std::size_t w, std::vector<Edit>& out) {
  const Word& word = words_[w];
  if (!word.first_in_token || word.token == 0) return false;
  const Token& tok = tokens_[word.token];
  // Only opening quotes or brackets may come before the word in its token.
  std::size_t len = 0;
  for (std::size_t i = tok.begin; i < word.begin; i += len)
    if (!is_opening_punct(decode_at(doc_, i, &len))) return false;
  if (tokens_[word.token - 1].skip || !ends_sentence(word.token - 1, w)) return false;
  const std::string_view text = doc_.substr(word.begin, word.end - word.begin);
  scratch_ = capitalize(text);
  if (known(text) || known(scratch_)) {
    out.push_back(make_change(word.begin, word.end, scratch_, std::string(kSentenceRule),
                              "A sentence starts with a lower-case letter."));
  } else {
    out.push_back(make_flag(word.begin, word.end, std::string(kSentenceRule),
                            "A sentence seems to start with a lower-case word the dictionary does not know."));
  }
  return true;
}

bool CasingStage::check_month(std::size_t w, std::string_view base, std::vector<Edit>& out) {
  const Word& word = words_[w];
  bool month = in_list(kMonthsAndDays, base);
  if (!month && in_list(kAmbiguousMonths, base)) {
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

bool CasingStage::check_proper(std::size_t w, std::string_view base, std::vector<Edit>& out) {
  const Word& word = words_[w];
  // The word's index entry (base is a run of letters unless it has an
  // apostrophe) memoises the look-ups and decisions that depend on the word
  // only, so a word repeated in the document is decided once.
  Counts* entry = index_.find(base);
  if (entry && entry->common) return false;
  // The lists hold short words only: longer words skip the linear searches.
  if (has_apostrophe(base)) return false;
  if (base.size() <= kMaxParticleBytes && in_list(kParticles, base)) {
    if (entry) entry->common = true;
    return false;
  }
  const std::size_t n = code_points(base);
  if (base.size() <= kMaxHonorificBytes && in_list(kHonorifics, base)) {
    scratch_ = capitalize(base);
    // Only before a capitalised name in the next token: "mr Thomas".
    if (w + 1 >= words_.size() || words_[w + 1].token != word.token + 1 || !words_[w + 1].first_in_token) return false;
    const std::string_view next = doc_.substr(words_[w + 1].begin, words_[w + 1].end - words_[w + 1].begin);
    if (shape_of(next) != Shape::kCapitalised || known(base) || !known(scratch_)) return false;
    out.push_back(make_change(word.begin, word.begin + base.size(), scratch_, std::string(kProperRule),
                              "An honorific before a name is capitalised."));
    return true;
  }
  if (n < 3) {
    if (entry) entry->common = true;
    return false;
  }
  bool lower_known = false;
  bool listed = false;
  if (entry) {
    if (entry->lower_known < 0) entry->lower_known = known(base) ? 1 : 0;
    lower_known = entry->lower_known != 0;
    if (lower_known) {
      if (entry->listed < 0) entry->listed = proper_.count(base) > 0 ? 1 : 0;
      listed = entry->listed != 0;
    }
  } else {
    lower_known = known(base);
    listed = lower_known && proper_.count(base) > 0;
  }
  const Counts low = entry ? *entry : Counts{};
  // Most words: common, and used more than once or at a sentence start. Done cheaply.
  if (lower_known && !listed && (word.initial || low.all != 1)) {
    if (entry && low.all != 1) entry->common = true;
    return false;
  }
  scratch_ = capitalize(base);
  const bool cap_known = known(scratch_);
  const Counts cap = counts(scratch_);
  std::string reason;
  if (!lower_known && cap_known) {
    reason = "The dictionary knows \"" + scratch_ + "\" only as a proper noun.";
  } else if (!lower_known) {
    // A name the dictionary does not know: the document's own spelling decides.
    if ((cap.mid == 0 && cap.all < 2) || (low.all > 1 && low.all * 4 > cap.mid)) return false;
    reason = "The document writes \"" + scratch_ + "\" capitalised elsewhere.";
  } else if (listed) {
    if (cap.mid < 2 || (low.all > 1 && low.all * 4 > cap.mid)) return false;
    reason = "The document writes \"" + scratch_ + "\" capitalised elsewhere; here it lost its capital.";
  } else {
    // "bill", "mark", "turkey": a common word too. Worth a look, not a change.
    if (cap.mid >= 3)
      out.push_back(make_flag(word.begin, word.end, std::string(kProperRule),
                              "The document writes \"" + scratch_ + "\" capitalised elsewhere: a name here?"));
    return false;
  }
  out.push_back(make_change(word.begin, word.begin + base.size(), scratch_, std::string(kProperRule), reason));
  return true;
}

bool CasingStage::check_shouted(std::size_t w, std::vector<Edit>& out) {
  const Word& word = words_[w];
  const std::string_view text = doc_.substr(word.begin, word.end - word.begin);
  if (code_points(text) < 4 || has_apostrophe(text) || acronyms_.count(text) || upper_names_.count(text)) return false;
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

void CasingStage::check_acronyms(std::vector<Edit>& out) {
  for (std::size_t w = 1; w < words_.size(); ++w) {
    Word& word = words_[w];
    const Token& tok = tokens_[word.token];
    // "(moe)", "(Suvs)," : the word fills the parenthesis.
    if (word.done || !word.first_in_token || word.begin != tok.begin + 1 || doc_[tok.begin] != '(' ||
        word.end >= tok.end || doc_[word.end] != ')')
      continue;
    const std::string_view text = doc_.substr(word.begin, word.end - word.begin);
    const Shape shape = shape_of(text);
    if (shape != Shape::kLower && shape != Shape::kCapitalised) continue;
    if (text.size() < 2 || text.size() > kMaxAcronymLetters) continue;
    if (!std::all_of(text.begin(), text.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }))
      continue;
    // An article that writes the short form the same way elsewhere ("the Elspa
    // said") follows a house style ("Elspa", "Nato"): not a case error.
    if (counts(text).all > 1) continue;
    lower_into(text, scratch2_);
    const std::string letters = scratch2_;

    // The words before the parenthesis, nearest first, in the tokens just before it.
    std::vector<std::size_t> before;
    for (std::size_t j = w; j-- > 0 && before.size() < kMaxExpansionWords;) {
      const std::size_t expected_token = before.empty() ? word.token - 1 : words_[before.back()].token - 1;
      if (words_[j].token != expected_token || !words_[j].first_in_token) break;
      before.push_back(j);
    }
    if (before.empty()) continue;

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
    if (!matched) continue;

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
    if (!clean || (!caps && !lowers)) continue;
    const std::size_t core = letters.size() - (plural ? 1 : 0);
    // A lower-case expansion is weaker evidence: three letters at least, and
    // the written form must not be a word ("(who)").
    if (lowers && (core < 3 || known(letters))) continue;
    if (core < 2) continue;

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
    if (replacement == text) continue;
    out.push_back(make_change(word.begin, word.end, replacement, std::string(kAcronymRule),
                              "The acronym's letters are the initials of the words before it."));
  }
}

void CasingStage::check_phrases(std::vector<Edit>& out) {
  for (std::size_t w = 0; w < words_.size(); ++w) {
    if (words_[w].done || !words_[w].first_in_token) continue;
    const std::string_view word_text = doc_.substr(words_[w].begin, words_[w].end - words_[w].begin);
    // Fast path: an ASCII word lower-cases to the same length and initial, so
    // the filter rules out most words before lower-casing and hashing them.
    // (Other words may lower-case to ASCII, "\u212Aong" -> "kong": looked up.)
    if (phrase_filter_ &&
        std::all_of(word_text.begin(), word_text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
      const auto c = static_cast<unsigned char>(word_text[0] | 0x20);
      if (c < 'a' || c > 'z' || word_text.size() >= 64 || ((phrase_starts_[c - 'a'] >> word_text.size()) & 1) == 0)
        continue;
    }
    lower_into(word_text, scratch2_);
    const auto it = phrases_.find(std::string_view(scratch2_));
    if (it == phrases_.end()) continue;
    for (const auto& phrase : it->second) {
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
}

}  // namespace copydesk
