// Word knowledge: Debian's Hunspell dictionaries (en_US first, then en_GB so
// that British spellings in British articles are words too) plus the project's
// supplementary word list.
//
// Hunspell answers about 40,000 look-ups a second and its suggest() takes tens
// of milliseconds, too slow for unique text. So the dictionaries are compiled
// once: every word form they accept (each stem expanded through its affix
// rules, each form confirmed by Hunspell itself) goes into one immutable hash
// table, with a symmetric-deletion index (distance 2) over the plain lower-case
// forms for candidates. The compiled file is keyed by the dictionaries'
// content, written at build time (or on first use) and memory-mapped, so a
// process loads it in milliseconds and every thread shares it read-only.
// Hunspell's case rules (the -> The, THE; Paris, not paris), numbers, trailing
// abbreviation dots and hyphen breaks are applied to the table as Hunspell
// applies them to its dictionary; the rare token of another shape (digits
// among letters, other symbols) goes to Hunspell itself, loaded once per
// process on first need. A test proves the answers equal to Hunspell's on a
// large corpus of unique text.
//
//   Lexicon lex({{"/usr/share/hunspell/en_US.aff", "/usr/share/hunspell/en_US.dic"}});
//   lex.add_word("chatbot");
//   if (!lex.known("Cooperatation")) ... lex.near_words("cooperatation", 2, out) ...
//
// A Lexicon is cheap (it shares the compiled data); each thread uses its own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pipeline/word_map.h"

namespace copydesk {

using DictionaryPaths = std::vector<std::pair<std::string, std::string>>;  // (aff, dic) pairs

// The compiled dictionaries: immutable, shared by every thread.
class CompiledLexicon {
 public:
  // The compiled form of `dictionaries`: read from `cache` when that file was
  // compiled from the same content, else compiled now (with Hunspell, a few
  // seconds) and written beside `cache` under a name holding the content's
  // hash, if possible (the build's own file is never overwritten). An empty `cache` means the
  // default ($COPYDESK_LEXICON, else the file the build wrote). One copy per
  // process and dictionary set. Throws Error naming a missing file.
  static std::shared_ptr<const CompiledLexicon> open(const DictionaryPaths& dictionaries, std::string cache = "");
  // Compiles the dictionaries into `file` (the build step). Returns the number of forms.
  static std::size_t compile_to(const DictionaryPaths& dictionaries, const std::string& file);
  // The default cache file.
  static std::string default_cache();

  ~CompiledLexicon();
  CompiledLexicon(const CompiledLexicon&) = delete;
  CompiledLexicon& operator=(const CompiledLexicon&) = delete;

  // A form of the dictionaries exactly as written. `upcase_context`: the word
  // was written in capitals, so forms Hunspell derives for all-capital stems
  // ("NASA" -> the hidden "Nasa's" that accepts "NASA'S") count too.
  // Returns the dictionaries holding it: bit 0 the first, bit 1 the second.
  unsigned has_form(std::string_view form, bool upcase_context = false) const;
  // Plain lower-case ASCII forms (3+ letters) within `max_distance` (at most 2)
  // edits of `word` (insertions, deletions, substitutions, adjacent
  // transpositions), with their distances, appended in a fixed order.
  void near_forms(std::string_view word, int max_distance, std::vector<std::pair<std::string, int>>& out) const;

  std::size_t forms() const;
  std::size_t bytes() const { return size_; }

 private:
  CompiledLexicon() = default;
  static std::shared_ptr<const CompiledLexicon> from_bytes(std::vector<char> bytes);
  static std::shared_ptr<const CompiledLexicon> from_file(const std::string& file, std::uint64_t source_hash);
  bool attach(const char* data, std::size_t size);

  const char* data_ = nullptr;
  std::size_t size_ = 0;
  void* mapped_ = nullptr;  // munmap on destruction when the file is mapped
  std::vector<char> owned_;
  const std::uint32_t* slots_ = nullptr;
  std::uint64_t slot_mask_ = 0;
  unsigned offset_bits_ = 0;
  const char* pool_ = nullptr;
  const std::uint32_t* group_first_ = nullptr;     // where each prefix group starts in the pool
  const std::uint32_t* block_bits_ = nullptr;      // where every 64th bucket starts in unary_
  const std::uint64_t* unary_ = nullptr;           // the buckets' sizes in unary
  const std::uint32_t* bucket_entries_ = nullptr;  // prefix groups
  std::uint64_t bucket_mask_ = 0;
  std::pair<std::uint32_t, std::uint32_t> bucket(std::uint64_t b) const;
};

// The compiled lexicon's near forms of the words asked about, remembered for
// every Lexicon of the process that shares one cache: a non-word met by any
// thread is looked up in the deletion index once (Lexicon asks it for two
// edits only). Thread-safe (one lock; the
// look-ups are rare: non-words and suspect names). Bounded: emptied when it
// holds more than kMaxForms forms.
class NearFormsCache {
 public:
  static constexpr std::size_t kMaxForms = std::size_t{1} << 16;
  // Appends to `out` what lexicon.near_forms(word, max_distance, out) appends.
  void near_forms(const CompiledLexicon& lexicon, std::string_view word, int max_distance,
                  std::vector<std::pair<std::string, int>>& out);
  std::size_t forms() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::pair<std::string, int>> store_;
  StringMap<std::pair<std::uint32_t, std::uint32_t>> index_;  // word and distance -> its run of store_
  std::string key_;
};

class Lexicon {
 public:
  // One (aff, dic) pair per dictionary; the first one gives Hunspell's
  // suggestions. `cache`: see CompiledLexicon::open. Throws Error naming a missing file.
  explicit Lexicon(const DictionaryPaths& dictionaries, std::string cache = "");
  ~Lexicon();
  Lexicon(const Lexicon&) = delete;
  Lexicon& operator=(const Lexicon&) = delete;

  // True if any dictionary (or an added word) accepts `word` as written.
  // Hunspell's own rules apply: "the" is accepted as "The" and "THE", "paris" is not.
  bool known(std::string_view word);

  // Lower-case dictionary words within `max_distance` (1 or 2) edits of the
  // lower-case ASCII `word`, appended to `out` with their distances (the
  // compiled lexicon's answers within two edits, the costly ones, remembered
  // in the shared cache, if one is set).
  void near_words(std::string_view word, int max_distance, std::vector<std::pair<std::string, int>>& out) const;
  // Remember near_words' answers in `cache` (shared with other Lexicons over
  // the same compiled dictionaries, e.g. one per thread).
  void share_near_cache(std::shared_ptr<NearFormsCache> cache) { near_cache_ = std::move(cache); }

  // Hunspell's suggestions from the first dictionary, best first (cached). Slow
  // (tens of milliseconds): the stages use near_words().
  // The reference is valid until the next call to suggest().
  const std::vector<std::string>& suggest(std::string_view word);

  // Adds a word to this lexicon (as Hunspell's add(): its case variants follow Hunspell's rules).
  void add_word(std::string_view word);

  std::size_t lookups() const { return lookups_; }
  std::size_t cache_hits() const { return hits_; }
  // Look-ups the compiled table could not decide, answered by Hunspell.
  std::size_t fallbacks() const { return fallbacks_; }
  const CompiledLexicon& compiled() const { return *compiled_; }

 private:
  // Answers are the dictionaries accepting the word (bit 0, bit 1), or
  // kUnsure when the table cannot tell (Hunspell decides).
  static constexpr unsigned kAllDictionaries = 3;
  static constexpr unsigned kUnsure = 0x80;
  unsigned decide(std::string_view word, int depth) const;
  unsigned decide_cased(std::string_view word) const;
  unsigned form(std::string_view form, bool upcase_context) const;

  DictionaryPaths dictionaries_;
  std::shared_ptr<const CompiledLexicon> compiled_;
  std::shared_ptr<NearFormsCache> near_cache_;
  std::vector<std::string> added_;  // add_word()'s words, in order
  StringSet added_set_;
  WordMap<bool> fallback_cache_;  // Hunspell's answers for the tokens the table cannot decide
  StringMap<std::vector<std::string>> suggestions_;
  std::size_t lookups_ = 0;
  std::size_t hits_ = 0;
  std::size_t fallbacks_ = 0;
};

}  // namespace copydesk
