#include "pipeline/lexicon.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <utf8proc.h>
#include <hunspell.hxx>

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <span>
#include <sstream>

#include "pipeline/error.h"
#include "pipeline/osa_distance.h"

#ifndef COPYDESK_DEFAULT_LEXICON
#define COPYDESK_DEFAULT_LEXICON ""
#endif

namespace copydesk {

namespace {

void require_file(const std::string& path) {
  if (!std::ifstream(path)) {
    throw Error("cannot read Hunspell dictionary '" + path +
                "' (on Debian: apt-get install hunspell-en-us hunspell-en-gb; or point --hunspell DIR at a folder with "
                "en_US.aff/.dic and en_GB.aff/.dic)");
  }
}

// Hunspell stops at this length; longer tokens are never words.
constexpr std::size_t kMaxWordBytes = 100;
// The fallback cache is cleared rather than grown without bound on endless streams.
constexpr std::size_t kMaxCacheEntries = 1 << 16;
// Hyphen breaks deeper than this are left to Hunspell.
constexpr int kMaxBreakDepth = 8;

// ---------------------------------------------------------------------------
// The compiled file: a header, then its sections. Every page of it that a
// process touches counts in its memory (the kernel maps a file's cached pages
// around each one read, 64 KB at a time), and look-ups land all over it, so
// every part is packed:
// - an open-addressing table of forms: a 32-bit slot holds the form's pool
//   offset + 1 in its low `offset_bits` and a tag of the form's hash above;
// - the pool: [length][info][bytes] per form, in sorted order;
// - the deletion index over the plain lower-case forms of 3+ letters, keyed by
//   a form's first kIndexPrefix letters, which many forms share ("national",
//   "nationally", "nationals"): where each group of forms sharing a prefix
//   starts in the pool (its indexed forms are the indexed ones from there to
//   the next group's start); and, for every string made by deleting at most two letters of a
//   group's prefix, its hash's bucket listing the group. The buckets' sizes
//   are written in unary (a one per entry, a zero closing each bucket), with
//   the bit where every 16th bucket starts, so the bucket directory takes
//   about two bits a bucket and an entry.
constexpr char kMagic[8] = {'C', 'D', 'L', 'E', 'X', '0', '0', '5'};
struct Header {
  char magic[8];
  std::uint64_t source_hash;  // of the dictionaries' bytes: a stale file is recompiled
  std::uint64_t slot_count;
  std::uint64_t offset_bits;  // of a slot: the pool offset + 1; the tag above
  std::uint64_t pool_bytes;
  std::uint64_t indexed_count;  // forms in the deletion index
  std::uint64_t group_count;    // their distinct prefixes
  std::uint64_t bucket_count;
  std::uint64_t entry_count;
  std::uint64_t form_count;
};
constexpr std::uint64_t kBucketBlock = 16;  // buckets per directory sample
// The sections after the header, in order, with their sizes (each a multiple of 8).
struct Sections {
  std::size_t slots, pool, groups, block_bits, unary, entries, total;
};
std::size_t round8(std::size_t n) { return (n + 7) & ~std::size_t{7}; }
Sections sections_of(const Header& h) {
  Sections s{};
  s.slots = round8(h.slot_count * 4);
  s.pool = round8(h.pool_bytes);
  s.groups = round8((h.group_count + 1) * 4);
  s.block_bits = round8((h.bucket_count / kBucketBlock + 1) * 4);
  s.unary = ((h.bucket_count + h.entry_count) / 64 + 2) * 8;  // one spare word: a scan never runs off
  s.entries = round8(h.entry_count * 4);
  s.total = sizeof(Header) + s.slots + s.pool + s.groups + s.block_bits + s.unary + s.entries;
  return s;
}
// Info bits: per dictionary (bit 0: the first, bit 1: the second), a form
// accepted as written, and one derived from an all-capital or mixed-case stem
// (valid only for words written in capitals); then the index bit.
constexpr std::uint8_t kNormalForms = 0x03;
constexpr std::uint8_t kUpcaseShift = 2;
constexpr std::uint8_t kIndexedForm = 0x10;  // plain lower-case ASCII: in the deletion index
constexpr std::size_t kIndexMinLetters = 3;
constexpr std::size_t kIndexMaxLetters = 24;
// As in SymSpell, only the first letters are indexed: a form and a word within
// two edits nearly always have prefixes within two edits too, and the index
// stays a quarter of the size.
constexpr std::size_t kIndexPrefix = 7;

std::uint64_t hash_bytes(std::string_view s) { return WordMap<int>::hash(s); }

std::uint64_t content_hash(const DictionaryPaths& dictionaries) {
  std::uint64_t h = 0x243F6A8885A308D3ULL;
  for (const auto& [aff, dic] : dictionaries) {
    for (const auto* path : {&aff, &dic}) {
      std::ifstream in(*path, std::ios::binary);
      std::ostringstream ss;
      ss << in.rdbuf();
      h = (h ^ hash_bytes(ss.str())) * 0x9E3779B97F4A7C15ULL;
      h ^= h >> 31;
    }
  }
  return h;
}

// --- UTF-8 and case, as Hunspell sees them ----------------------------------
char32_t decode(std::string_view s, std::size_t& i) {
  utf8proc_int32_t c = 0;
  const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                  static_cast<utf8proc_ssize_t>(s.size() - i), &c);
  if (n <= 0) {
    ++i;
    return 0xFFFD;
  }
  i += static_cast<std::size_t>(n);
  return static_cast<char32_t>(c);
}
void encode(char32_t c, std::string& out) {
  utf8proc_uint8_t buf[4];
  const auto n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(c), buf);
  out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
}
char32_t lower_of(char32_t c) {
  if (c < 0x80) return c >= 'A' && c <= 'Z' ? c + 32 : c;
  return static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(c)));
}
char32_t upper_of(char32_t c) {
  if (c < 0x80) return c >= 'a' && c <= 'z' ? c - 32 : c;
  return static_cast<char32_t>(utf8proc_toupper(static_cast<utf8proc_int32_t>(c)));
}
std::string to_lower(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) encode(lower_of(decode(s, i)), out);
  return out;
}
// The first letter upper-cased, the rest as given.
std::string init_cap(std::string_view s) {
  std::string out;
  std::size_t i = 0;
  if (!s.empty()) encode(upper_of(decode(s, i)), out);
  out.append(s.substr(i));
  return out;
}
std::string to_upper(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) encode(upper_of(decode(s, i)), out);
  return out;
}

enum class CapType { kNone, kInit, kAll, kMixed, kMixedInit };
// Hunspell's get_captype_utf8: upper-case letters counted; characters without
// case (apostrophes, dots, digits) count toward ALL CAPS.
CapType cap_type(std::string_view s) {
  std::size_t n = 0, caps = 0, neutral = 0;
  bool first_cap = false;
  for (std::size_t i = 0; i < s.size(); ++n) {
    const char32_t c = decode(s, i);
    const char32_t lo = lower_of(c);
    if (c != lo) {
      ++caps;
      if (n == 0) first_cap = true;
    }
    if (upper_of(c) == lo) ++neutral;
  }
  if (caps == 0) return CapType::kNone;
  if (caps == 1 && first_cap) return CapType::kInit;
  if (caps == n || caps + neutral == n) return CapType::kAll;
  if (caps > 1 && first_cap) return CapType::kMixedInit;
  return CapType::kMixed;
}

// --- affix expansion ----------------------------------------------------------
struct Affix {
  bool prefix = false;
  bool cross = false;
  std::u32string strip;
  std::u32string add;
  // The condition, one entry per position: the characters listed, or (negated) not listed; empty set + negated: any.
  std::vector<std::pair<bool, std::u32string>> condition;
};

std::u32string to_u32(std::string_view s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) out.push_back(decode(s, i));
  return out;
}
std::string to_u8(const std::u32string& s) {
  std::string out;
  for (const char32_t c : s) encode(c, out);
  return out;
}

std::vector<std::pair<bool, std::u32string>> parse_condition(const std::u32string& c) {
  std::vector<std::pair<bool, std::u32string>> out;
  if (c == U".") return out;
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (c[i] == U'[') {
      std::size_t j = i + 1;
      const bool negated = j < c.size() && c[j] == U'^';
      if (negated) ++j;
      std::u32string set;
      while (j < c.size() && c[j] != U']') set.push_back(c[j++]);
      out.emplace_back(negated, set);
      i = j;
    } else if (c[i] == U'.') {
      out.emplace_back(true, U"");
    } else {
      out.emplace_back(false, std::u32string(1, c[i]));
    }
  }
  return out;
}

bool condition_holds(const Affix& a, const std::u32string& stem) {
  const std::size_t n = a.condition.size();
  if (stem.size() < n) return false;
  const std::size_t at = a.prefix ? 0 : stem.size() - n;
  for (std::size_t k = 0; k < n; ++k) {
    const auto& [negated, set] = a.condition[k];
    const bool in = set.find(stem[at + k]) != std::u32string::npos;
    if (in == negated) return false;
  }
  return true;
}

// Applies `a` to `stem`; false when it does not apply.
bool apply_affix(const Affix& a, const std::u32string& stem, std::u32string& out) {
  if (!condition_holds(a, stem) || stem.size() < a.strip.size()) return false;
  if (a.prefix) {
    if (stem.compare(0, a.strip.size(), a.strip) != 0) return false;
    out = a.add + stem.substr(a.strip.size());
  } else {
    if (stem.compare(stem.size() - a.strip.size(), a.strip.size(), a.strip) != 0) return false;
    out = stem.substr(0, stem.size() - a.strip.size()) + a.add;
  }
  return !out.empty();
}

std::string strip_bom(std::string line) {
  if (line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

std::map<char, std::vector<Affix>> read_affixes(const std::string& aff) {
  std::map<char, std::vector<Affix>> out;
  std::map<char, bool> cross;
  std::ifstream in(aff);
  std::string line;
  while (std::getline(in, line)) {
    line = strip_bom(line);
    std::istringstream ss(line);
    std::string kind, flag, a, b, c;
    ss >> kind >> flag >> a >> b;
    if ((kind != "PFX" && kind != "SFX") || flag.size() != 1) continue;
    if (!(ss >> c)) {  // the header: PFX flag Y count
      cross[flag[0]] = a == "Y";
      continue;
    }
    Affix affix;
    affix.prefix = kind == "PFX";
    affix.cross = cross[flag[0]];
    affix.strip = a == "0" ? U"" : to_u32(a);
    const std::string add = b.substr(0, b.find('/'));
    affix.add = add == "0" ? U"" : to_u32(add);
    affix.condition = parse_condition(to_u32(c));
    out[flag[0]].push_back(std::move(affix));
  }
  return out;
}

struct Compiled {
  std::map<std::string, std::uint8_t> forms;  // form -> info bits (ordered: a reproducible file)
};

// Every form of one dictionary, each confirmed by Hunspell.
void expand_dictionary(const std::string& aff, const std::string& dic, int number, Compiled& out) {
  const auto bit = static_cast<std::uint8_t>(1u << number);
  Hunspell hunspell(aff.c_str(), dic.c_str());
  const auto affixes = read_affixes(aff);
  std::ifstream in(dic);
  std::string line;
  bool first = true;
  std::vector<std::u32string> generated;
  std::u32string a_out, b_out;
  while (std::getline(in, line)) {
    line = strip_bom(line);
    if (first) {  // the word count
      first = false;
      continue;
    }
    const std::size_t end = line.find_first_of(" \t");
    if (end != std::string::npos) line.resize(end);
    if (line.empty()) continue;
    const std::size_t slash = line.find('/');
    const std::string word = line.substr(0, slash);
    const std::string flags = slash == std::string::npos ? "" : line.substr(slash + 1);
    for (int variant = 0; variant < 2; ++variant) {
      // Variant 1: Hunspell's hidden capitalised homonym of an all-capital or
      // mixed-case stem with affixes ("NASA/M" -> "Nasa" + "'s"), valid only
      // for words written in capitals.
      std::string stem = word;
      if (variant == 1) {
        const CapType t = cap_type(word);
        if (!(t == CapType::kMixed || t == CapType::kMixedInit || (t == CapType::kAll && !flags.empty()))) break;
        stem = init_cap(to_lower(word));
      }
      const std::u32string root = to_u32(stem);
      generated.clear();
      generated.push_back(root);
      for (const char f : flags) {
        const auto it = affixes.find(f);
        if (it == affixes.end()) continue;
        for (const Affix& a : it->second) {
          if (!apply_affix(a, root, a_out)) continue;
          generated.push_back(a_out);
          if (a.prefix || !a.cross) continue;
          // Cross products: a prefix on the suffixed form.
          for (const char g : flags) {
            const auto jt = affixes.find(g);
            if (jt == affixes.end()) continue;
            for (const Affix& p : jt->second) {
              if (!p.prefix || !p.cross || !condition_holds(p, root)) continue;
              if (apply_affix(p, a_out, b_out)) generated.push_back(b_out);
            }
          }
        }
      }
      for (const auto& g : generated) {
        const std::string form = to_u8(g);
        if (form.size() > kMaxWordBytes || form.size() > 255) continue;
        if (variant == 0) {
          if (!hunspell.spell(form)) continue;
          out.forms[form] |= bit;
        } else {
          if (!hunspell.spell(to_upper(form))) continue;
          out.forms[form] |= static_cast<std::uint8_t>(bit << kUpcaseShift);
        }
      }
    }
  }
}

bool plain_lower(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

// The strings made by deleting up to `max` letters of `w` (w itself included), deduplicated.
void deletions(std::string_view w, int max, std::vector<std::string>& out) {
  out.clear();
  out.emplace_back(w);
  std::size_t from = 0;
  for (int d = 0; d < max; ++d) {
    const std::size_t to = out.size();
    for (std::size_t k = from; k < to; ++k) {
      const std::string s = out[k];
      if (s.size() <= 1) continue;
      for (std::size_t i = 0; i < s.size(); ++i) {
        if (i > 0 && s[i] == s[i - 1]) continue;
        std::string t = s.substr(0, i) + s.substr(i + 1);
        out.push_back(std::move(t));
      }
    }
    from = to;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
}

std::vector<char> serialise(const Compiled& c, std::uint64_t source_hash) {
  // The pool, in sorted form order.
  std::string pool;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> placed;  // hash, offset
  std::size_t indexed = 0;                                      // forms in the index
  std::vector<std::uint32_t> group_first;                       // a group's first form in the pool
  std::vector<std::string> group_prefix;
  std::uint32_t indexed_end = 0;   // the pool offset after the last indexed form
  std::size_t deletion_pairs = 0;  // (deletion, form) pairs: they size the buckets
  std::vector<std::string> dels;
  for (const auto& [form, info0] : c.forms) {
    std::uint8_t info = info0;
    if ((info & kNormalForms) && form.size() >= kIndexMinLetters && form.size() <= kIndexMaxLetters &&
        plain_lower(form))
      info |= kIndexedForm;
    const auto offset = static_cast<std::uint32_t>(pool.size());
    pool.push_back(static_cast<char>(form.size()));
    pool.push_back(static_cast<char>(info));
    pool.append(form);
    placed.emplace_back(hash_bytes(form), offset);
    if (info & kIndexedForm) {
      // Indexed forms come in sorted order, so a prefix's forms are adjacent.
      const std::string_view prefix = std::string_view(form).substr(0, kIndexPrefix);
      if (group_prefix.empty() || group_prefix.back() != prefix) {
        group_prefix.emplace_back(prefix);
        group_first.push_back(offset);
        deletions(prefix, 2, dels);
      }
      deletion_pairs += dels.size();
      ++indexed;
      indexed_end = static_cast<std::uint32_t>(pool.size());
    }
  }
  group_first.push_back(indexed_end);
  std::uint64_t slots = 1024;
  while (slots < placed.size() * 2) slots *= 2;
  std::uint64_t offset_bits = 1;
  while ((std::uint64_t{1} << offset_bits) <= pool.size()) ++offset_bits;
  if (offset_bits > 28) throw Error("cannot compile the dictionaries: their forms take more than 256 MB");
  std::vector<std::uint32_t> table(slots, 0);
  for (const auto& [h, offset] : placed) {
    std::uint64_t i = h & (slots - 1);
    while (table[i] != 0) i = (i + 1) & (slots - 1);
    table[i] = static_cast<std::uint32_t>(((h >> 32) << offset_bits) | (std::uint64_t{offset} + 1));
  }
  // About four (deletion, form) pairs a bucket.
  std::uint64_t buckets = 1024;
  while (buckets < deletion_pairs / 4) buckets *= 2;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> index;  // bucket, group
  for (std::size_t g = 0; g < group_prefix.size(); ++g) {
    deletions(group_prefix[g], 2, dels);
    for (const auto& d : dels)
      index.emplace_back(static_cast<std::uint32_t>(hash_bytes(d) & (buckets - 1)), static_cast<std::uint32_t>(g));
  }
  std::sort(index.begin(), index.end());
  index.erase(std::unique(index.begin(), index.end()), index.end());
  std::vector<std::uint64_t> unary((buckets + index.size()) / 64 + 2, 0);
  std::vector<std::uint32_t> block_bits;
  std::vector<std::uint32_t> entries;
  entries.reserve(index.size());
  {
    std::size_t bit = 0, k = 0;
    for (std::uint64_t b = 0; b < buckets; ++b) {
      if (b % kBucketBlock == 0) block_bits.push_back(static_cast<std::uint32_t>(bit));
      for (; k < index.size() && index[k].first == b; ++k, ++bit) {
        unary[bit / 64] |= std::uint64_t{1} << (bit % 64);
        entries.push_back(index[k].second);
      }
      ++bit;  // the bucket's closing zero
    }
    block_bits.push_back(static_cast<std::uint32_t>(bit));
    if (bit > 0xFFFFFFFFULL) throw Error("cannot compile the dictionaries: the deletion index is too large");
  }
  Header header{};
  std::memcpy(header.magic, kMagic, sizeof kMagic);
  header.source_hash = source_hash;
  header.slot_count = slots;
  header.offset_bits = offset_bits;
  header.pool_bytes = pool.size();
  header.indexed_count = indexed;
  header.group_count = group_prefix.size();
  header.bucket_count = buckets;
  header.entry_count = entries.size();
  header.form_count = placed.size();
  const Sections s = sections_of(header);
  std::vector<char> out(s.total, 0);
  char* p = out.data();
  auto put = [&p](const void* data, std::size_t bytes, std::size_t section) {
    if (bytes) std::memcpy(p, data, bytes);
    p += section;
  };
  put(&header, sizeof header, sizeof header);
  put(table.data(), slots * 4, s.slots);
  put(pool.data(), pool.size(), s.pool);
  put(group_first.data(), group_first.size() * 4, s.groups);
  put(block_bits.data(), block_bits.size() * 4, s.block_bits);
  put(unary.data(), unary.size() * 8, s.unary);
  put(entries.data(), entries.size() * 4, s.entries);
  return out;
}

std::vector<char> compile(const DictionaryPaths& dictionaries, std::uint64_t source_hash) {
  Compiled c;
  if (dictionaries.size() > 2) throw Error("at most two Hunspell dictionaries can be compiled");
  int number = 0;
  for (const auto& [aff, dic] : dictionaries) expand_dictionary(aff, dic, number++, c);
  return serialise(c, source_hash);
}

// The dictionaries' compound rules, which only join digits into ordinals:
// "1st" ... "9th" and "0th" are words; longer numbers end in a "1" and a
// "-th" word ("11th", "112th") or in another digit and an ordinal word ("21st", "302nd").
bool ordinal(std::string_view w) {
  if (w.size() < 3) return false;
  const std::string_view suffix = w.substr(w.size() - 2);
  const std::string_view digits = w.substr(0, w.size() - 2);
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  const char last = digits.back();
  const std::string_view proper = last == '1' ? "st" : last == '2' ? "nd" : last == '3' ? "rd" : "th";
  if (digits.size() >= 2 && digits[digits.size() - 2] == '1') return suffix == "th";
  return suffix == proper;
}

// One copy of each compiled lexicon and of the fallback Hunspell per process.
std::mutex& registry_mutex() {
  static std::mutex m;
  return m;
}
std::string key_of(const DictionaryPaths& dictionaries) {
  std::string key;
  for (const auto& [aff, dic] : dictionaries) key.append(aff).append("\n").append(dic).append("\n");
  return key;
}

// The punctuation a dictionary can hold in a word: every character of its
// word list's entries (up to the flags) and of its affix file's lines other
// than comments. Hunspell's spell() only strips blanks and trailing dots,
// converts and ignores what the affix file says (ICONV, IGNORE: in its
// lines) and takes digits with separators for a number; punctuation has no
// case forms. So a word with punctuation from outside this set is in no
// dictionary, and Hunspell need not be loaded to say so (its tables are
// about 11 MB).
struct DictionaryPunctuation {
  std::array<bool, 128> ascii{};
  std::vector<char32_t> other;  // sorted; empty unless every dictionary is UTF-8
  bool utf8 = true;

  explicit DictionaryPunctuation(const DictionaryPaths& dictionaries) {
    for (const auto& [aff, dic] : dictionaries) {
      for (const bool is_dic : {false, true}) {
        const std::string& path = is_dic ? dic : aff;
        std::ifstream in(path, std::ios::binary);
        if (!in) {  // Hunspell reports it; nothing is ruled out meanwhile
          ascii.fill(true);
          utf8 = false;
          return;
        }
        std::string line;
        bool first = true;
        while (std::getline(in, line)) {
          std::string_view l = line;
          if (l.starts_with("\xEF\xBB\xBF")) l.remove_prefix(3);  // a byte order mark
          if (is_dic) {
            if (first) {  // the entry count
              first = false;
              continue;
            }
            // Up to the first tab (what follows describes the entry), and
            // there up to the first '/' that is not escaped (flags follow).
            l = l.substr(0, l.find('\t'));
            for (std::size_t i = 0; i < l.size(); ++i) {
              if (l[i] == '\\') {
                ++i;
              } else if (l[i] == '/') {
                l = l.substr(0, i);
                break;
              }
            }
          } else {
            const std::size_t start = l.find_first_not_of(" \t");
            if (start != std::string_view::npos && l[start] == '#') continue;
            if (l.starts_with("SET ") && l.find("UTF-8") == std::string_view::npos) utf8 = false;
          }
          add(l);
        }
      }
    }
    std::sort(other.begin(), other.end());
    other.erase(std::unique(other.begin(), other.end()), other.end());
    if (!utf8) other.clear();
  }
  void add(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c < 0x80) {
        ascii[c] = true;
        ++i;
      } else {
        other.push_back(decode(s, i));
      }
    }
  }
  // Hunspell takes digits with these between them for a number ("10,000").
  static bool number_separator(unsigned char c) { return c == ',' || c == '.' || c == '-'; }
  // `word` holds punctuation no dictionary word holds: ASCII punctuation or
  // symbols, or (UTF-8 dictionaries) a Unicode punctuation mark.
  bool rules_out(std::string_view word) const {
    for (std::size_t i = 0; i < word.size();) {
      const auto c = static_cast<unsigned char>(word[i]);
      if (c < 0x80) {
        if (c > ' ' && c < 0x7F && !std::isalnum(c) && !ascii[c] && !number_separator(c)) return true;
        ++i;
        continue;
      }
      const char32_t cp = decode(word, i);
      if (!utf8) continue;
      const auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
      if (cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_PO &&
          !std::binary_search(other.begin(), other.end(), cp))
        return true;
    }
    return false;
  }
};

struct SharedHunspell {
  std::mutex mutex;
  std::vector<std::unique_ptr<Hunspell>> dictionaries;       // loaded on first need
  std::unique_ptr<const DictionaryPunctuation> punctuation;  // read on first need
};
std::shared_ptr<SharedHunspell> shared_hunspell(const DictionaryPaths& dictionaries) {
  static std::map<std::string, std::shared_ptr<SharedHunspell>> all;
  std::lock_guard lock(registry_mutex());
  auto& h = all[key_of(dictionaries)];
  if (!h) h = std::make_shared<SharedHunspell>();
  return h;
}
SharedHunspell& loaded(SharedHunspell& h, const DictionaryPaths& dictionaries) {
  if (h.dictionaries.empty()) {
    for (const auto& [aff, dic] : dictionaries)
      h.dictionaries.push_back(std::make_unique<Hunspell>(aff.c_str(), dic.c_str()));
  }
  return h;
}

}  // namespace

// ---------------------------------------------------------------------------
CompiledLexicon::~CompiledLexicon() {
  if (mapped_) munmap(mapped_, size_);
}

std::string CompiledLexicon::default_cache() {
  const char* env = std::getenv("COPYDESK_LEXICON");
  return env && *env ? env : COPYDESK_DEFAULT_LEXICON;
}

bool CompiledLexicon::attach(const char* data, std::size_t size) {
  if (size < sizeof(Header)) return false;
  Header h{};
  std::memcpy(&h, data, sizeof h);
  if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0) return false;
  if ((h.slot_count & (h.slot_count - 1)) != 0 || (h.bucket_count & (h.bucket_count - 1)) != 0 || h.bucket_count == 0 ||
      h.offset_bits == 0 || h.offset_bits > 28 || sections_of(h).total != size)
    return false;
  const Sections s = sections_of(h);
  data_ = data;
  size_ = size;
  const char* p = data + sizeof(Header);
  slots_ = reinterpret_cast<const std::uint32_t*>(p);
  slot_mask_ = h.slot_count - 1;
  offset_bits_ = static_cast<unsigned>(h.offset_bits);
  p += s.slots;
  pool_ = p;
  p += s.pool;
  group_first_ = reinterpret_cast<const std::uint32_t*>(p);
  p += s.groups;
  block_bits_ = reinterpret_cast<const std::uint32_t*>(p);
  p += s.block_bits;
  unary_ = reinterpret_cast<const std::uint64_t*>(p);
  p += s.unary;
  bucket_entries_ = reinterpret_cast<const std::uint32_t*>(p);
  bucket_mask_ = h.bucket_count - 1;
  return true;
}

std::size_t CompiledLexicon::forms() const {
  Header h{};
  std::memcpy(&h, data_, sizeof h);
  return h.form_count;
}

std::shared_ptr<const CompiledLexicon> CompiledLexicon::from_bytes(std::vector<char> bytes) {
  std::shared_ptr<CompiledLexicon> lex(new CompiledLexicon());
  lex->owned_ = std::move(bytes);
  if (!lex->attach(lex->owned_.data(), lex->owned_.size())) throw Error("internal error: a malformed compiled lexicon");
  return lex;
}

std::shared_ptr<const CompiledLexicon> CompiledLexicon::from_file(const std::string& file, std::uint64_t source_hash) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  struct stat st {};
  if (fstat(fd, &st) != 0 || st.st_size < static_cast<off_t>(sizeof(Header))) {
    ::close(fd);
    return nullptr;
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  void* m = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (m == MAP_FAILED) return nullptr;
  std::shared_ptr<CompiledLexicon> lex(new CompiledLexicon());
  lex->mapped_ = m;
  lex->size_ = size;
  Header h{};
  std::memcpy(&h, m, sizeof h);
  if (h.source_hash != source_hash || !lex->attach(static_cast<const char*>(m), size)) return nullptr;
  return lex;
}

std::size_t CompiledLexicon::compile_to(const DictionaryPaths& dictionaries, const std::string& file) {
  for (const auto& [aff, dic] : dictionaries) {
    require_file(aff);
    require_file(dic);
  }
  const std::vector<char> bytes = compile(dictionaries, content_hash(dictionaries));
  const std::string tmp = file + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw Error("cannot write the compiled lexicon '" + tmp + "'");
  }
  std::filesystem::rename(tmp, file);
  Header h{};
  std::memcpy(&h, bytes.data(), sizeof h);
  return h.form_count;
}

std::shared_ptr<const CompiledLexicon> CompiledLexicon::open(const DictionaryPaths& dictionaries, std::string cache) {
  for (const auto& [aff, dic] : dictionaries) {
    require_file(aff);
    require_file(dic);
  }
  if (dictionaries.empty()) throw Error("no Hunspell dictionary given");
  if (cache.empty()) cache = default_cache();
  static std::map<std::string, std::shared_ptr<const CompiledLexicon>> all;
  std::lock_guard lock(registry_mutex());
  auto& slot = all[key_of(dictionaries) + cache];
  if (slot) return slot;
  const std::uint64_t source = content_hash(dictionaries);
  if (!cache.empty()) slot = from_file(cache, source);
  if (slot) return slot;
  // Other dictionaries than the build's: their own file beside it, named by their content.
  char suffix[24];
  std::snprintf(suffix, sizeof suffix, ".%016llx", static_cast<unsigned long long>(source));
  if (!cache.empty()) cache += suffix;
  if (!cache.empty()) slot = from_file(cache, source);
  if (slot) return slot;
  std::vector<char> bytes = compile(dictionaries, source);
  if (!cache.empty()) {
    // Best effort: the next process maps it. A read-only place just means compiling again.
    const std::string tmp = cache + ".tmp" + std::to_string(::getpid());
    std::ofstream out(tmp, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    std::error_code ec;
    if (out) std::filesystem::rename(tmp, cache, ec);
    if (!out || ec) std::filesystem::remove(tmp, ec);
  }
  slot = from_bytes(std::move(bytes));
  return slot;
}

unsigned CompiledLexicon::has_form(std::string_view form, bool upcase_context) const {
  if (form.empty() || form.size() > 255) return 0;
  const std::uint64_t h = hash_bytes(form);
  const std::uint32_t offset_mask = (std::uint32_t{1} << offset_bits_) - 1;
  const auto tag = static_cast<std::uint32_t>((h >> 32) << offset_bits_);
  for (std::uint64_t i = h & slot_mask_;; i = (i + 1) & slot_mask_) {
    const std::uint32_t s = slots_[i];
    if (s == 0) return 0;
    if ((s & ~offset_mask) != tag) continue;
    const char* e = pool_ + ((s & offset_mask) - 1);
    const auto len = static_cast<unsigned char>(e[0]);
    if (len != form.size() || !same_bytes(e + 2, form.data(), len)) continue;
    const auto info = static_cast<unsigned char>(e[1]);
    return (info & kNormalForms) | (upcase_context ? (info >> kUpcaseShift) & kNormalForms : 0u);
  }
}

// The entries of bucket b: [first, end). Its entries' ones start after the
// b-th zero of the unary directory; the block sample gives where to count from.
std::pair<std::uint32_t, std::uint32_t> CompiledLexicon::bucket(std::uint64_t b) const {
  std::uint64_t pos = block_bits_[b / kBucketBlock];
  auto zeros_from = [this](std::uint64_t at) { return ~unary_[at / 64] & (~std::uint64_t{0} << (at % 64)); };
  for (auto skip = static_cast<unsigned>(b % kBucketBlock); skip > 0;) {
    std::uint64_t z = zeros_from(pos);
    const auto n = static_cast<unsigned>(std::popcount(z));
    if (n < skip) {
      skip -= n;
      pos = (pos / 64 + 1) * 64;
      continue;
    }
    for (unsigned k = 1; k < skip; ++k) z &= z - 1;
    pos = (pos / 64) * 64 + static_cast<std::uint64_t>(std::countr_zero(z)) + 1;
    skip = 0;
  }
  std::uint64_t end = pos;
  for (std::uint64_t z = zeros_from(end); z == 0; z = zeros_from(end)) end = (end / 64 + 1) * 64;
  end = (end / 64) * 64 + static_cast<std::uint64_t>(std::countr_zero(zeros_from(end)));
  const auto first = static_cast<std::uint32_t>(pos - b);
  return {first, static_cast<std::uint32_t>(first + (end - pos))};
}

void CompiledLexicon::near_forms(std::string_view word, int max_distance,
                                 std::vector<std::pair<std::string, int>>& out) const {
  max_distance = std::clamp(max_distance, 0, 2);
  std::vector<std::string> dels;
  deletions(word.substr(0, kIndexPrefix), max_distance, dels);
  std::vector<std::uint32_t> seen;
  for (const auto& d : dels) {
    const std::uint64_t b = hash_bytes(d) & bucket_mask_;
    const auto [first, end] = bucket(b);
    for (std::uint32_t k = first; k < end; ++k) seen.push_back(bucket_entries_[k]);
  }
  std::sort(seen.begin(), seen.end());
  seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
  // Groups and their forms follow the forms' sorted order: the output order is fixed.
  for (const std::uint32_t g : seen) {
    // The group's forms in the pool, with the forms not indexed between them skipped.
    for (const char *e = pool_ + group_first_[g], *end = pool_ + group_first_[g + 1]; e < end;
         e += 2 + static_cast<unsigned char>(e[0])) {
      if (!(static_cast<unsigned char>(e[1]) & kIndexedForm)) continue;
      const std::string_view form(e + 2, static_cast<unsigned char>(e[0]));
      if (form == word) continue;
      const int d = osa_distance(word, form, max_distance);
      if (d <= max_distance) out.emplace_back(std::string(form), d);
    }
  }
}

// ---------------------------------------------------------------------------
Lexicon::Lexicon(const DictionaryPaths& dictionaries, std::string cache)
    : dictionaries_(dictionaries), compiled_(CompiledLexicon::open(dictionaries, std::move(cache))) {}

Lexicon::~Lexicon() = default;

unsigned Lexicon::form(std::string_view f, bool upcase_context) const {
  unsigned m = compiled_->has_form(f, upcase_context);
  if (!added_.empty() && added_set_.find(f) != added_set_.end()) m |= kAllDictionaries;
  return m;
}

// Hunspell's spell() for a word of letters, apostrophes, dots and digits: the
// case variants it tries, in its order. The dictionaries that accept it.
unsigned Lexicon::decide_cased(std::string_view word) const {
  std::size_t dots = 0;
  while (dots < word.size() && word[word.size() - 1 - dots] == '.') ++dots;
  const std::string_view w = word.substr(0, word.size() - dots);
  if (w.empty()) return kAllDictionaries;  // Hunspell accepts a token of dots
  // Numbers: digits with single '.', ',' or '-' between them.
  {
    bool num = false, ok = true;
    for (std::size_t i = 0; i < w.size() && ok; ++i) {
      const char c = w[i];
      if (c >= '0' && c <= '9') {
        num = true;
      } else if (c == ',' || c == '.' || c == '-') {
        if (i == 0 || !num) ok = false;
        num = false;
      } else {
        ok = false;
      }
    }
    if (ok && num) return kAllDictionaries;
  }
  const bool abbv = dots > 0;
  auto with_dot = [](std::string_view s) { return std::string(s) + "."; };
  const CapType type = cap_type(w);
  unsigned m = 0;
  switch (type) {
    case CapType::kNone:
      m = form(w, false);
      if (abbv) m |= form(with_dot(w), false);
      if (ordinal(w)) m |= kAllDictionaries;
      return m;
    case CapType::kMixed:
    case CapType::kMixedInit:
      m = form(w, false);
      if (abbv) m |= form(with_dot(w), false);
      return m;
    case CapType::kAll:
    case CapType::kInit: {
      if (type == CapType::kAll) {
        m = form(w, true);
        if (abbv) m |= form(with_dot(w), true);
        const std::size_t apos = w.find('\'');
        if (apos != std::string_view::npos && apos + 1 < w.size()) {
          const std::string lower = to_lower(w);
          const std::string part1 = lower.substr(0, apos + 1);
          const std::string part2 = lower.substr(apos + 1);
          m |= form(part1 + init_cap(part2), true) | form(init_cap(part1) + init_cap(part2), true);
        }
      }
      const bool all = type == CapType::kAll;
      const std::string lower = to_lower(w);
      const std::string cap = all ? init_cap(lower) : std::string(w);
      m |= form(cap, all) | form(lower, all);
      if (abbv) m |= form(lower + ".", all) | form(cap + ".", all);
      if (all && ordinal(lower)) m |= kAllDictionaries;
      return m;
    }
  }
  return m;
}

unsigned Lexicon::decide(std::string_view word, int depth) const {
  if (word.empty() || word.size() > kMaxWordBytes) return 0;
  if (depth > kMaxBreakDepth) return kUnsure;
  // Shapes the table answers: letters, apostrophes, dots, hyphens, digits.
  bool letters = false, curly = false;
  for (std::size_t i = 0; i < word.size();) {
    const auto c = static_cast<unsigned char>(word[i]);
    if (c < 0x80) {
      if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
        letters = true;
      } else if (c >= '0' && c <= '9') {
      } else if (c != '\'' && c != '.' && c != '-' && c != ',') {
        return kUnsure;
      }
      ++i;
      continue;
    }
    const char32_t cp = decode(word, i);
    if (cp == U'\u2019') {
      curly = true;
      continue;
    }
    const auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
    if (cat < UTF8PROC_CATEGORY_LU || cat > UTF8PROC_CATEGORY_LO) return kUnsure;
    letters = true;
  }
  std::string converted;
  if (curly) {  // the dictionaries' ICONV: ’ is read as '
    for (std::size_t i = 0; i < word.size();) {
      const std::size_t at = i;
      if (decode(word, i) == U'\u2019') {
        converted.push_back('\'');
      } else {
        converted.append(word.substr(at, i - at));
      }
    }
    word = converted;
  }
  if (word.find(',') != std::string_view::npos && letters) return kUnsure;
  unsigned m = decide_cased(word);
  if (m == kAllDictionaries) return m;
  // Hunspell's default break points: "-" inside, "^-" and "-$", tried on the
  // word without its trailing dots, each dictionary on its own.
  std::string_view w = word;
  while (!w.empty() && w.back() == '.') w.remove_suffix(1);
  if (w.find('-') == std::string_view::npos) return m;
  // Hunspell breaks the form its case handling left behind: a word in
  // capitals as capitalised lower case ("ANTI-WAR" -> "Anti-war").
  std::string recased;
  if (cap_type(w) == CapType::kAll) {
    recased = init_cap(to_lower(w));
    w = recased;
  }
  std::size_t breaks = 0;
  for (const char c : w) breaks += c == '-';
  if (breaks >= 10) return m;  // Hunspell's recursion limit
  bool unsure = false;
  auto sub = [&](std::string_view s) {
    const unsigned r = decide(s, depth + 1);
    if (r & kUnsure) unsure = true;
    return r & kAllDictionaries;
  };
  const std::size_t wl = w.size();
  if (wl >= 2 && w.front() == '-') m |= sub(w.substr(1));
  if (wl >= 2 && w.back() == '-') m |= sub(w.substr(0, wl - 1));
  const std::size_t first = w.find('-');
  if (first > 0 && first + 1 < wl) {
    // At the second hyphen first (a dictionary word with a hyphen before it), then at the first.
    const std::size_t second = w.find('-', first + 1);
    const std::size_t at = second != std::string_view::npos && second + 1 < wl ? second : first;
    m |= sub(w.substr(at + 1)) & sub(w.substr(0, at));
    m |= sub(w.substr(first + 1)) & sub(w.substr(0, first));
  }
  return m == 0 && unsure ? kUnsure : m;
}

bool Lexicon::known(std::string_view word) {
  ++lookups_;
  if (word.empty() || word.size() > kMaxWordBytes) return false;
  const unsigned v = decide(word, 0);
  if (!(v & kUnsure)) return v != 0;
  if (const bool* cached = fallback_cache_.find(word)) {
    ++hits_;
    return *cached;
  }
  ++fallbacks_;
  if (fallback_cache_.size() >= kMaxCacheEntries) fallback_cache_.clear();
  bool ok = false;
  {
    const auto h = shared_hunspell(dictionaries_);
    std::lock_guard lock(h->mutex);
    if (!h->punctuation) h->punctuation = std::make_unique<const DictionaryPunctuation>(dictionaries_);
    if (!h->punctuation->rules_out(word)) {
      const std::string w(word);
      for (const auto& d : loaded(*h, dictionaries_).dictionaries) {
        if (d->spell(w)) {
          ok = true;
          break;
        }
      }
    }
  }
  fallback_cache_.insert(word, ok);
  return ok;
}

void NearFormsCache::near_forms(const CompiledLexicon& lexicon, std::string_view word, int max_distance,
                                std::vector<std::pair<std::string, int>>& out) {
  std::lock_guard lock(mutex_);
  key_.assign(word);
  key_.push_back(static_cast<char>('0' + max_distance));
  if (const auto it = index_.find(key_); it != index_.end()) {
    const auto [begin, count] = it->second;
    out.insert(out.end(), store_.begin() + begin, store_.begin() + begin + count);
    return;
  }
  const std::size_t first = out.size();
  lexicon.near_forms(word, max_distance, out);
  const std::size_t count = out.size() - first;
  if (store_.size() + count > kMaxForms) {
    store_.clear();
    index_.clear();
  }
  if (count > kMaxForms) return;
  // The store's whole bound at once: no doubling, so no second copy while it grows.
  if (store_.capacity() < kMaxForms) store_.reserve(kMaxForms);
  index_.emplace(key_, std::pair(static_cast<std::uint32_t>(store_.size()), static_cast<std::uint32_t>(count)));
  store_.insert(store_.end(), out.begin() + static_cast<std::ptrdiff_t>(first), out.end());
}

std::size_t NearFormsCache::forms() const {
  std::lock_guard lock(mutex_);
  return store_.size();
}

void Lexicon::near_words(std::string_view word, int max_distance, std::vector<std::pair<std::string, int>>& out) const {
  if (near_cache_ && max_distance >= 2) {  // one edit is cheap: asked afresh
    near_cache_->near_forms(*compiled_, word, max_distance, out);
  } else {
    compiled_->near_forms(word, max_distance, out);
  }
  for (const auto& a : added_) {
    if (a == word || !plain_lower(a) || a.size() < kIndexMinLetters) continue;
    const int d = osa_distance(word, a, max_distance);
    if (d <= max_distance) out.emplace_back(a, d);
  }
}

const std::vector<std::string>& Lexicon::suggest(std::string_view word) {
  if (auto it = suggestions_.find(word); it != suggestions_.end()) return it->second;
  if (suggestions_.size() >= kMaxCacheEntries) suggestions_.clear();
  std::vector<std::string> list;
  if (!word.empty() && word.size() <= kMaxWordBytes) {
    const auto h = shared_hunspell(dictionaries_);
    std::lock_guard lock(h->mutex);
    list = loaded(*h, dictionaries_).dictionaries.front()->suggest(std::string(word));
  }
  return suggestions_.emplace(std::string(word), std::move(list)).first->second;
}

void Lexicon::add_word(std::string_view word) {
  if (word.empty() || added_set_.count(word)) return;
  added_.emplace_back(word);
  added_set_.emplace(word);
  fallback_cache_.clear();
}

}  // namespace copydesk
