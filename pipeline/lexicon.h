// Word knowledge: Debian's Hunspell en_US dictionary plus the project's
// supplementary word list, behind a cache. Hunspell answers about 40,000
// look-ups a second; news text repeats its words, so the cache answers most.
//
//   Lexicon lex("/usr/share/hunspell/en_US.aff", "/usr/share/hunspell/en_US.dic");
//   lex.add_word("chatbot");
//   if (!lex.known("Rivalality")) ...
//
// Not thread-safe: one Lexicon per worker thread (it is owned by Resources).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

class Hunspell;

namespace copydesk {

class Lexicon {
 public:
  // Throws Error naming the missing file.
  Lexicon(const std::string& aff_path, const std::string& dic_path);
  ~Lexicon();
  Lexicon(const Lexicon&) = delete;
  Lexicon& operator=(const Lexicon&) = delete;

  // True if Hunspell (or an added word) accepts `word` as written. Hunspell's
  // own rules apply: "the" is accepted as "The" and "THE", "paris" is not.
  bool known(std::string_view word);

  // Adds a word to the run-time dictionary (and forgets cached answers).
  void add_word(std::string_view word);

  std::size_t lookups() const { return lookups_; }
  std::size_t cache_hits() const { return hits_; }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unique_ptr<Hunspell> hunspell_;
  std::unordered_map<std::string, bool, Hash, std::equal_to<>> cache_;
  std::size_t lookups_ = 0;
  std::size_t hits_ = 0;
};

}  // namespace copydesk
