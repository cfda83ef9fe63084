// Everything the stages read from disk, loaded once per Resources object and
// on first use: the project's dictionaries/ files and the Hunspell lexicon.
// One Resources per worker thread (the Lexicon inside is not thread-safe).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/dictionary.h"
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

 private:
  ResourcePaths paths_;
  std::unique_ptr<Lexicon> lexicon_;
  std::map<std::string, std::vector<DictionaryLine>, std::less<>> files_;
  std::unique_ptr<std::vector<NameEntry>> names_;
};

}  // namespace copydesk
