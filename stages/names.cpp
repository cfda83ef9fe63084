#include "stages/names.h"

#include <algorithm>
#include <array>

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

// (Asked for most lower-case words: the length guard spares the scan for long ones.)
template <const auto& kList>
bool contains(std::string_view w) {
  static constexpr std::size_t kLongest = longest(kList);
  if (w.size() > kLongest) return false;
  return std::find(kList.begin(), kList.end(), w) != kList.end();
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

// Appends the words of text[lb, le), with their context, to `out`.
void tokenize(std::string_view text, std::size_t lb, std::size_t le, std::vector<Token>& out) {
  const std::size_t first = out.size();
  std::size_t i = lb;
  while (i < le) {
    while (i < le && is_space_byte(text[i])) ++i;
    const std::size_t cb = i;
    while (i < le && !is_space_byte(text[i])) ++i;
    if (cb == i) continue;
    const std::string_view chunk = text.substr(cb, i - cb);
    const bool blocked = blocked_chunk(chunk);
    std::size_t len = 0;
    for (std::size_t j = cb; j < i;) {
      const char32_t c = decode_at(text, j, &len);
      if (!is_alnum(c)) {
        j += len;
        continue;
      }
      Token t;
      t.begin = j;
      while (j < i) {
        const char32_t d = decode_at(text, j, &len);
        if (!is_alnum(d)) break;
        if (is_digit(d)) t.letters = false;
        if (len != 1) t.ascii = false;
        j += len;
      }
      t.end = j;
      t.blocked = blocked;
      t.shape = shape_of(text.substr(t.begin, t.end - t.begin));
      if (out.size() > first) {
        const Token& p = out.back();
        if (t.begin == p.end + 1 && (text[p.end] == ' ' || text[p.end] == '-')) t.sep_before = text[p.end];
      }
      // The piece after an apostrophe ("O'Brien", "Deepseek's"): not a word of its own.
      if (t.begin > lb) {
        const std::size_t q = back_start(text, t.begin);
        const char32_t qc = decode_at(text, q);
        if ((qc == '\'' || qc == U'\u2019') && q > lb && is_letter(back_char(text, q))) t.blocked = true;
      }
      // Sentence-initial: only spaces, opening quotes or brackets back to the
      // line start or to a stop.
      std::size_t k = t.begin;
      while (k > lb) {
        const char32_t pc = back_char(text, k);
        if (!(pc == ' ' || pc == '\t' || is_opening(pc))) break;
        k = back_start(text, k);
      }
      if (k == lb) {
        t.initial = true;
      } else {
        const char32_t pc = back_char(text, k);
        t.initial = pc == '.' || pc == '!' || pc == '?' || pc == ':' || pc == '|' || pc == U'\u2014' ||
                    pc == U'\u2013' || pc == U'\u2026';
        if (pc == '-') {
          // A list bullet at the line start (looked for near the start only: linear time).
          const std::size_t m = back_start(text, k);
          bool only_space = m - lb <= 8;
          for (std::size_t x = lb; only_space && x < m; ++x) only_space = is_space_byte(text[x]);
          t.initial = only_space;
        }
      }
      out.push_back(t);
    }
  }
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

bool all_upper_span(std::string_view text, const std::vector<Token>& toks, std::size_t i, std::size_t k) {
  bool any = false;
  for (std::size_t j = i; j < i + k; ++j) {
    const Shape s = toks[j].shape;
    if (s == Shape::kUpper)
      any = true;
    else if (s != Shape::kOther)
      return false;
  }
  (void)text;
  return any;
}

// Wrapped in quotes: "'deepseek'" is a mention of the string, not a use of the name.
bool quoted(std::string_view text, std::size_t b, std::size_t e) {
  if (b == 0 || e >= text.size()) return false;
  if (!is_quote(decode_before(text, b))) return false;
  std::size_t len = 0;
  if (!is_quote(decode_at(text, e, &len))) return false;
  return e + len >= text.size() || !is_letter(decode_at(text, e + len));
}

}  // namespace

// ---------------------------------------------------------------- NameEvidence

void names_detail::tokenize_document(std::string_view text, std::vector<Token>& tokens, std::vector<LineTokens>& lines,
                                     std::string& lowered) {
  tokens.clear();
  lines.clear();
  lowered.resize(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    lowered[i] = ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch;
  }
  for (const auto& line : split_lines(text)) {
    const std::size_t first = tokens.size();
    tokenize(text, line.begin, line.end, tokens);
    lines.push_back({line.begin, line.end, first, tokens.size()});
  }
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

// ---------------------------------------------------------------- NamesStage

NamesStage::NamesStage(Resources& resources) : lexicon_(resources.lexicon()) {
  std::unordered_map<std::string, std::vector<std::size_t>> by_key;
  std::string key;
  for (const auto& entry : resources.names()) {
    std::size_t tokens = 0;
    if (!name_key(entry.canonical, key, &tokens)) continue;
    Entry e;
    e.canonical = entry.canonical;
    e.tokens = tokens;
    const std::size_t index = entries_.size();
    auto add_key = [this, index, &by_key](const std::string& k, std::size_t n) {
      auto& list = by_key[k];
      if (std::find(list.begin(), list.end(), index) == list.end()) list.push_back(index);
      max_tokens_ = std::max(max_tokens_, std::min(n, kMaxSpanTokens));
    };
    add_key(key, tokens);
    if (key.size() >= (tokens == 1 ? kFuzzySingleLetters : kFuzzyMultiLetters)) {
      for (std::size_t d = 0; d <= key.size(); ++d) {
        std::string del = key;
        if (d < key.size()) {
          if (static_cast<unsigned char>(key[d]) >= 0x80) continue;  // keep deletions on ASCII letters
          del.erase(d, 1);
        }
        auto& list = by_deletion_[del];
        if (std::find(list.begin(), list.end(), index) == list.end()) list.push_back(index);
      }
    }
    for (const auto& v : entry.variants) {
      std::size_t vt = 0;
      if (!name_key(v, key, &vt)) continue;
      e.variants.push_back(v);
      add_key(key, vt);
    }
    entries_.push_back(std::move(e));
  }
  for (auto& [k, list] : by_key) {
    for (std::size_t n = 1; n < k.size(); ++n) key_prefixes_.insert(std::string_view(k).substr(0, n), -1);
  }
  for (auto& [k, list] : by_key) {
    *key_prefixes_.insert(k, -1).first = static_cast<std::int32_t>(key_lists_.size());
    key_lists_.push_back(std::move(list));
  }
}

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

bool NamesStage::known_lower(std::string_view lower) { return lexicon_.known(lower); }

const NameEvidence::Forms* NamesStage::doc_word(std::string_view lower) const { return doc_.word(lower); }

const NameEvidence::Forms* NamesStage::batch_word(std::string_view lower) const {
  return batch_ ? batch_->word(lower) : nullptr;
}

void NamesStage::propose(std::string_view text, std::vector<Edit>& out) {
  doc_.clear();
  names_detail::tokenize_document(text, doc_tokens_, doc_lines_, doc_lowered_);
  doc_.collect(text, doc_tokens_, doc_lines_, doc_lowered_);
  for (const auto& line : doc_lines_) propose_line(text, line, out);
}

void NamesStage::propose_line(std::string_view text, const names_detail::LineTokens& line, std::vector<Edit>& out) {
  tokens_.assign(doc_tokens_.begin() + static_cast<std::ptrdiff_t>(line.first),
                 doc_tokens_.begin() + static_cast<std::ptrdiff_t>(line.last));
  const auto& toks = tokens_;
  std::size_t i = 0;
  while (i < toks.size()) {
    std::size_t used = match_table(text, toks, i, out);
    if (used == 0) used = match_fuzzy(text, toks, i, out);
    if (used == 0) {
      match_document(text, toks, i, out);
      used = 1;
    }
    i += used;
  }
}

std::size_t NamesStage::match_table(std::string_view text, const std::vector<Token>& toks, std::size_t i,
                                    std::vector<Edit>& out) {
  // Longest span of words joined by one space or hyphen whose key is a name's.
  // The key of the one-word span is a view of the lowered text; wider spans
  // build theirs in key_.
  std::string_view key;
  std::size_t best_k = 0;
  const std::vector<std::size_t>* best = nullptr;
  for (std::size_t k = 1; k <= max_tokens_ && i + k <= toks.size(); ++k) {
    const Token& t = toks[i + k - 1];
    if (k > 1 && t.sep_before == 0) break;
    if (k == 1) {
      key = lower_of(text, doc_lowered_, t, key_);
    } else {
      if (k == 2 && key.data() != key_.data()) key_.assign(key);
      append_lower(key_, word_of(text, t));
      key = key_;
    }
    const std::int32_t* found = key_prefixes_.find(key);
    if (!found) break;  // no name's key starts so: no longer span can match either
    if (*found >= 0) {
      best_k = k;
      best = &key_lists_[static_cast<std::size_t>(*found)];
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
    if (all_upper_span(text, toks, i, best_k)) {
      const bool prev_upper = i > 0 && toks[i - 1].shape == Shape::kUpper;
      const bool next_upper = i + best_k < toks.size() && toks[i + best_k].shape == Shape::kUpper;
      if (prev_upper || next_upper) return best_k;
    }
    out.push_back(make_change(b, e, listed->canonical, std::string(kTableRule),
                              "Listed variant of the name " + listed->canonical + "."));
    return best_k;
  }
  if (ambiguous || !target) return best_k;
  if (all_upper_span(text, toks, i, best_k)) return best_k;
  if (best_k > target->tokens) return best_k;  // never split one word into several

  bool unknown_word = false;
  bool capital_evidence = false;
  for (std::size_t j = i; j < i + best_k; ++j) {
    scratch_.clear();
    append_lower(scratch_, word_of(text, toks[j]));
    if (toks[j].letters && !known_lower(scratch_)) unknown_word = true;
    if (toks[j].shape != Shape::kLower && toks[j].shape != Shape::kOther && !(j == i && toks[j].initial)) {
      capital_evidence = true;
    }
  }
  if (best_k == 1 && target->tokens == 1 && shape_of(target->canonical) == Shape::kUpper) {
    return best_k;  // "Nato", "Nasa": house styles for acronyms, not slips
  }
  if (best_k == 1) {
    // One word: only when its lower-case form is no English word ("apple").
    scratch_.clear();
    append_lower(scratch_, span);
    if (known_lower(scratch_)) return best_k;
  } else if (!unknown_word && !capital_evidence) {
    return best_k;  // "united states", "wall street": plain words
  }
  out.push_back(make_change(b, e, target->canonical, std::string(kTableRule),
                            "Canonical spelling of the name " + target->canonical + "."));
  return best_k;
}

std::size_t NamesStage::match_fuzzy(std::string_view text, const std::vector<Token>& toks, std::size_t i,
                                    std::vector<Edit>& out) {
  if (by_deletion_.empty()) return 0;
  std::size_t found_k = 0;
  std::size_t found_key_size = 0;
  const Entry* found = nullptr;
  key_.clear();
  bool unknown = false;
  for (std::size_t k = 1; k <= kFuzzyMaxTokens && i + k <= toks.size(); ++k) {
    const Token& t = toks[i + k - 1];
    if (k > 1 && t.sep_before == 0) break;
    if (t.blocked || !t.letters || (t.shape != Shape::kCapital && t.shape != Shape::kInner)) break;
    const std::string_view w = word_of(text, t);
    if (!lexicon_.known(w)) {
      scratch_.clear();
      append_lower(scratch_, w);
      if (!known_lower(scratch_)) unknown = true;
    }
    append_lower(key_, w);
    if (!unknown) continue;
    if (key_.size() < (k == 1 ? kFuzzySingleLetters : kFuzzyMultiLetters)) continue;
    // Candidates share a one-letter deletion (or the whole key) with the span.
    const Entry* candidate = nullptr;
    bool ambiguous = false;
    auto consider = [&](std::string_view probe) {
      auto it = by_deletion_.find(probe);
      if (it == by_deletion_.end()) return;
      for (std::size_t idx : it->second) {
        const Entry& entry = entries_[idx];
        if (entry.tokens != k) continue;
        std::string ckey;
        name_key(entry.canonical, ckey, nullptr);
        if (ckey == key_ || !within_one(ckey, key_) || ckey[0] != key_[0]) continue;
        // A plural or possessive "s" is grammar, not a typo.
        if (ckey.size() + 1 == key_.size() && key_.back() == 's' && key_.compare(0, ckey.size(), ckey) == 0) continue;
        if (candidate && candidate->canonical != entry.canonical) ambiguous = true;
        candidate = &entry;
      }
    };
    consider(key_);
    for (std::size_t d = 0; d < key_.size(); ++d) {
      if (static_cast<unsigned char>(key_[d]) >= 0x80) continue;
      scratch_ = key_;
      scratch_.erase(d, 1);
      consider(scratch_);
    }
    if (candidate && !ambiguous) {
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
      found_key_size = key_.size();
    }
  }
  if (!found) return 0;
  const std::size_t b = toks[i].begin;
  const std::size_t e = toks[i + found_k - 1].end;
  if (quoted(text, b, e)) return 0;
  // A dropped or doubled letter is a slip; another letter may be another name
  // ("Jenson", "Sachs"): flag those.
  std::string ckey;
  name_key(found->canonical, ckey, nullptr);
  if (ckey.size() == found_key_size) {
    out.push_back(make_flag(b, e, std::string(kTableRule), "Perhaps the name " + found->canonical + "."));
  } else {
    out.push_back(make_change(b, e, found->canonical, std::string(kTableRule),
                              "One letter off the name " + found->canonical + "."));
  }
  return found_k;
}

void NamesStage::match_document(std::string_view text, const std::vector<Token>& toks, std::size_t i,
                                std::vector<Edit>& out) {
  const Token& t = toks[i];
  if (t.blocked || !t.letters) return;
  if (t.shape != Shape::kLower && t.shape != Shape::kCapital) return;
  const std::string_view w = word_of(text, t);
  if (w.size() < 2) return;
  const std::string_view lower = lower_of(text, doc_lowered_, t, lower_);
  const auto* doc = doc_word(lower);
  const auto* batch = batch_word(lower);

  // 1. An inner-capital spelling ("DeepSeek") in the document or the batch.
  const std::string* inner = nullptr;
  bool inner_ambiguous = false;
  auto pick = [&](const NameEvidence::Forms* f) {
    if (!f || inner) return;
    for (const auto& [form, n] : f->inner) {
      if (inner && *inner != form) inner_ambiguous = true;
      inner = &form;
    }
  };
  pick(doc);  // the document's own spelling first
  pick(batch);
  if (inner) {
    if (quoted(text, t.begin, t.end)) return;
    const bool common = known_lower(lower);
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
                                "Perhaps the name " + *inner + ", as the document writes it elsewhere."));
      }
      return;
    }
    out.push_back(make_change(t.begin, t.end, *inner, std::string(kDocumentRule),
                              "The document writes this name " + *inner + " elsewhere."));
    return;
  }
  if (t.shape != Shape::kLower || t.initial) return;  // sentence starts belong to the casing stage
  if (quoted(text, t.begin, t.end)) return;
  const bool particle = contains<kParticles>(lower);
  const bool stop = contains<kStopWords>(lower);
  const bool common = known_lower(lower);

  // 2. A capitalised pair ("Du Yijin") written with one word in lower case.
  auto try_pair = [&](std::size_t first) -> bool {
    const Token& a = toks[first];
    const Token& b = toks[first + 1];
    if (b.sep_before != ' ' || a.blocked || b.blocked || !a.letters || !b.letters) return false;
    const std::size_t other = first == i ? first + 1 : first;
    const Token& o = toks[other];
    if (o.shape != Shape::kCapital && o.shape != Shape::kInner) return false;
    key_.clear();
    append_lower(key_, word_of(text, a));
    key_.push_back(' ');
    append_lower(key_, word_of(text, b));
    const NameEvidence::PairForm* p = doc_.pair(key_);
    if (!p && batch_) p = batch_->pair(key_);
    if (!p || p->mid_sentence == 0) return false;
    const std::string_view form = p->form;
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
      if (common && p->count < 2) {
        out.push_back(make_flag(t.begin, t.end, std::string(kDocumentRule),
                                "Perhaps part of the name " + p->form + ", as the document writes it elsewhere."));
        return true;
      }
    } else if (common || stop || particle) {
      out.push_back(make_flag(t.begin, t.end, std::string(kDocumentRule),
                              "Perhaps part of the name " + p->form + ", as the document writes it elsewhere."));
      return true;
    }
    out.push_back(make_change(t.begin, t.end, std::string(want), std::string(kDocumentRule),
                              "The document writes the name " + p->form + " elsewhere."));
    return true;
  };
  if (i + 1 < toks.size() && try_pair(i)) return;
  if (i > 0 && try_pair(i - 1)) return;

  // 3. A capitalised word used mid-sentence in prose at least as often as in lower case.
  if (common || particle || stop || w.size() < 3 || contains<kCalendar>(lower)) return;
  std::size_t capitalised = 0, lowered = 0;
  for (const auto* f : {doc, batch}) {
    if (!f) continue;
    capitalised += f->capitalised;
    lowered += f->lower;
  }
  if (capitalised == 0) {
    // "Catalina Sandino moreno" with "Moreno" only at a sentence start: the
    // lower-case word breaks a run of capitalised words mid-sentence.
    std::size_t initial = (doc ? doc->initial : 0) + (batch ? batch->initial : 0);
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
