// Everything the stages read from disk: the project's dictionaries/ files and
// the lexicon. What is read from the files (names, word statistics, the
// stages' tables built from them) is loaded once, on first use, into a store
// shared read-only by the Resources made from one another with share(): one
// Resources per worker thread, all of them sharing one store. Each Resources
// has its own Lexicon facade (not thread-safe; it keeps caches), over the
// compiled dictionaries every Lexicon of the process shares.
//
//   Resources first(default_resource_paths());        // thread 0
//   std::unique_ptr<Resources> other = first.share();  // thread 1: same store
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/compact_word_map.h"
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

// For a long-running process (a stream of documents): keeps the heap from
// holding memory the stages have freed. glibc raises its mmap threshold each
// time a large block is freed, so after the first tables grow, every later
// large block (a stage's vocabulary doubling, a document's buffers) comes from
// the heap, where a freed block stays resident; the peak then holds the old
// and the new copy of each grown table. Fixing the threshold at glibc's
// default (128 KiB) keeps every large block in a mapping of its own, returned
// to the system when freed, whose untouched capacity is never resident.
// Call once, before the first Resources. No effect with another allocator.
void use_flat_heap();

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
  CompactWordMap<Counts> counts_;  // loaded once per process, shared by every thread
};

// A bound on the memory of a table that each pipeline keeps for itself (a
// stage's vocabulary: a cache of facts about the words it has met), set for
// the whole process and split evenly among the pipelines whose Resources share
// one store (one per worker thread), so that memory stays flat whatever the
// number of threads. No pipeline's share falls below an eighth of the whole.
class Budget {
 public:
  Budget(std::shared_ptr<const std::atomic<std::uint32_t>> pipelines, std::size_t whole)
      : pipelines_(std::move(pipelines)), whole_(whole) {}
  // This pipeline's share, read at each call (pipelines are built as work comes).
  std::size_t share() const {
    const std::uint32_t n = std::clamp<std::uint32_t>(pipelines_->load(std::memory_order_relaxed), 1, 8);
    return whole_ / n;
  }

 private:
  std::shared_ptr<const std::atomic<std::uint32_t>> pipelines_;
  std::size_t whole_;
};

class Resources {
 public:
  explicit Resources(ResourcePaths paths);
  ~Resources();
  Resources(const Resources&) = delete;
  Resources& operator=(const Resources&) = delete;

  // Another Resources over the same store (for another thread): everything
  // loaded through either is loaded once and shared; only the Lexicon facade
  // is its own. Safe to call while another thread uses this one.
  std::unique_ptr<Resources> share() const;

  const ResourcePaths& paths() const;

  // A per-pipeline table's bound: `whole` for the process, split among the
  // Resources alive on this store (see Budget).
  Budget budget(std::size_t whole) const;

  // Hunspell en_US and en_GB plus dictionaries/words.txt. Throws Error if a
  // file is missing. This Resources' own facade: use it on one thread.
  Lexicon& lexicon();

  // The entries of dictionaries/<file>, read from disk at each call: what a
  // caller keeps of them it builds once, with shared(). Throws Error if missing.
  std::vector<DictionaryLine> dictionary(const std::string& file) const;

  // dictionaries/names.txt, then every paths().extra_names file, parsed once.
  // Throws Error naming the file and line on a malformed line.
  const std::vector<NameEntry>& names();

  // dictionaries/english_words.tsv, loaded once per process and shared by
  // every Resources (read-only). Throws Error if missing or malformed.
  const EnglishStats& english_stats();

  // dictionaries/word_frequencies.txt, parsed once. Throws Error naming the file and line on a malformed line.
  const WordFrequencies& word_frequencies();

  // Read-only data called `key` (a stage's tables built from the
  // dictionaries), built by `build` the first time any Resources of the
  // store asks for it, then shared. `build` may use this Resources. If it throws, nothing is kept and the next call
  // builds again.
  template <class T, class Build>
  std::shared_ptr<const T> shared(const std::string& key, Build build) {
    return std::static_pointer_cast<const T>(
        shared_any(key, [&]() -> std::shared_ptr<const void> { return std::make_shared<const T>(build()); }));
  }

 private:
  struct Store;
  explicit Resources(std::shared_ptr<Store> store);
  std::shared_ptr<const void> shared_any(const std::string& key,
                                         const std::function<std::shared_ptr<const void>()>& build);

  std::shared_ptr<Store> store_;
  std::unique_ptr<Lexicon> lexicon_;
};

}  // namespace copydesk
