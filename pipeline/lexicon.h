// Word knowledge: Debian's Hunspell dictionaries (en_US first, then en_GB so
// that British spellings in British articles are words too) plus the project's
// supplementary word list, behind a cache. Hunspell answers about 40,000
// look-ups a second; news text repeats its words, so the cache answers most.
//
//   Lexicon lex({{"/usr/share/hunspell/en_US.aff", "/usr/share/hunspell/en_US.dic"}});
//   lex.add_word("chatbot");
//   if (!lex.known("Rivalality")) ... lex.suggest("Rivalality") ...
//
// Not thread-safe: one Lexicon per worker thread (it is owned by Resources).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pipeline/word_map.h"

class Hunspell;

namespace copydesk {

class Lexicon {
 public:
  // One (aff, dic) pair per dictionary; the first one gives suggestions.
  // Throws Error naming a missing file.
  explicit Lexicon(const std::vector<std::pair<std::string, std::string>>& dictionaries);
  ~Lexicon();
  Lexicon(const Lexicon&) = delete;
  Lexicon& operator=(const Lexicon&) = delete;

  // True if any dictionary (or an added word) accepts `word` as written.
  // Hunspell's own rules apply: "the" is accepted as "The" and "THE", "paris" is not.
  bool known(std::string_view word);

  // Hunspell's suggestions from the first dictionary, best first (cached).
  // The reference is valid until the next call to suggest().
  const std::vector<std::string>& suggest(std::string_view word);

  // Adds a word to every run-time dictionary (and forgets cached answers).
  void add_word(std::string_view word);

  std::size_t lookups() const { return lookups_; }
  std::size_t cache_hits() const { return hits_; }

 private:
  std::vector<std::unique_ptr<Hunspell>> hunspell_;
  WordMap<bool> cache_;  // known()'s answers: every word of every document passes here
  std::string word_;     // scratch: the word as Hunspell's std::string
  StringMap<std::vector<std::string>> suggestions_;
  std::size_t lookups_ = 0;
  std::size_t hits_ = 0;
};

}  // namespace copydesk
