// Everything the stages read from disk, loaded once per Resources object and
// on first use: the project's dictionaries/ files and the lexicon. The
// compiled Hunspell dictionaries behind the lexicon are loaded once per
// process and shared by every Resources. One Resources per worker thread
// (the Lexicon facade inside is not thread-safe).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/dictionary.h"
#include "pipeline/english_stats.h"
#include "pipeline/lexicon.h"

namespace copydesk {

struct ResourcePaths {
  std::string dictionaries;              // copydesk's dictionaries/ folder
  std::string hunspell;                  // folder holding en_US.aff/.dic and en_GB.aff/.dic
  std::vector<std::string> extra_names;  // users' names files (--names), read after names.txt
};

// The dictionaries: $COPYDESK_DICTIONARIES; else share/copydesk/dictionaries
// of the installation holding this code (looked for from the folder of the
// executable or of the Python module, and up to four folders above it); else
// the source tree's dictionaries/ the program was built from. Hunspell:
// $COPYDESK_HUNSPELL or /usr/share/hunspell.
ResourcePaths default_resource_paths();

// The default dictionaries folder and how it was chosen ("$COPYDESK_DICTIONARIES",
// "installed beside the program", "the source tree it was built from"), for --version.
struct DictionariesChoice {
  std::string path;
  std::string origin;
};
DictionariesChoice default_dictionaries();

// One line of dictionaries/names.txt: "DeepSeek = Deepseek; Deep Seek".
struct NameEntry {
  std::string canonical;
  std::vector<std::string> variants;
};

// dictionaries/word_frequencies.txt: how often edited English prose writes a
// word in lower case and capitalised mid-sentence (as a name).
class WordFrequencies {
 public:
  struct Counts {
    std::uint32_t lower = 0;
    std::uint32_t capitalised = 0;
  };
  explicit WordFrequencies(const std::vector<DictionaryLine>& lines, const std::string& path);
  // The counts of a lower-case ASCII word (zeros when unseen).
  Counts of(std::string_view lower) const {
    const Counts* c = counts_.find(lower);
    return c ? *c : Counts{};
  }
  // A lower-case word the dictionaries know only as a name ("tim") that is
  // more likely a slip for a common word one edit away ("time", "tie") than
  // the name itself: some neighbour is written in lower case at least
  // kTypoRatio times as often as the name is written capitalised (plus one).
  bool likely_misspelling(std::string_view lower, const Lexicon& lexicon) const;
  static constexpr std::uint32_t kTypoRatio = 20;

 private:
  WordMap<Counts> counts_;
};

class Resources {
 public:
  explicit Resources(ResourcePaths paths);

  const ResourcePaths& paths() const { return paths_; }

  // Hunspell en_US and en_GB plus dictionaries/words.txt. Throws Error if a file is missing.
  Lexicon& lexicon();

  // The entries of dictionaries/<file>, read once. Throws Error if missing.
  const std::vector<DictionaryLine>& dictionary(const std::string& file);

  // dictionaries/names.txt, then every paths().extra_names file, parsed.
  // Throws Error naming the file and line on a malformed line.
  const std::vector<NameEntry>& names();

  // dictionaries/english_words.tsv, loaded once per process and shared by
  // every Resources (read-only). Throws Error if missing or malformed.
  const EnglishStats& english_stats();

  // dictionaries/word_frequencies.txt, parsed once. Throws Error naming the file and line on a malformed line.
  const WordFrequencies& word_frequencies();

 private:
  ResourcePaths paths_;
  std::unique_ptr<Lexicon> lexicon_;
  std::map<std::string, std::vector<DictionaryLine>, std::less<>> files_;
  std::unique_ptr<std::vector<NameEntry>> names_;
  std::shared_ptr<const EnglishStats> english_stats_;
  std::unique_ptr<WordFrequencies> frequencies_;
};

}  // namespace copydesk
