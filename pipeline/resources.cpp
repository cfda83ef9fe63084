#include "pipeline/resources.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>

#include "pipeline/error.h"
#include "pipeline/installed.h"

#ifndef COPYDESK_DEFAULT_DICTIONARIES
#define COPYDESK_DEFAULT_DICTIONARIES "dictionaries"
#endif

namespace copydesk {

void use_flat_heap() {
#if defined(M_MMAP_THRESHOLD)
  // Any explicit value turns glibc's dynamic threshold off.
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
}

namespace {

// share/copydesk/dictionaries of the installation this code was loaded from
// (pipeline/installed.h), recognised by its names.txt.
std::string installed_dictionaries() {
  const std::string names = installed_data_file("names.txt");
  return names.empty() ? names : std::filesystem::path(names).parent_path().string();
}

}  // namespace

DictionariesChoice default_dictionaries() {
  if (const char* dict = std::getenv("COPYDESK_DICTIONARIES"); dict && *dict) return {dict, "$COPYDESK_DICTIONARIES"};
  if (std::string installed = installed_dictionaries(); !installed.empty()) {
    return {std::move(installed), "installed beside the program"};
  }
  return {COPYDESK_DEFAULT_DICTIONARIES, "the source tree it was built from"};
}

ResourcePaths default_resource_paths() {
  ResourcePaths p;
  p.dictionaries = default_dictionaries().path;
  const char* hun = std::getenv("COPYDESK_HUNSPELL");
  p.hunspell = hun && *hun ? hun : "/usr/share/hunspell";
  return p;
}

// What the Resources made from one another share. One lock guards it all
// (loading happens once, mostly before the workers start); it is recursive
// because a table's builder reads other entries (names(), dictionary files).
struct Resources::Store {
  explicit Store(ResourcePaths p) : paths(std::move(p)) {}
  const ResourcePaths paths;
  std::recursive_mutex mutex;
  std::unique_ptr<const std::vector<NameEntry>> names;
  std::shared_ptr<const EnglishStats> english_stats;
  std::unique_ptr<const WordFrequencies> frequencies;
  std::map<std::string, std::shared_ptr<const void>, std::less<>> tables;
  // The Resources alive on this store: one per pipeline.
  const std::shared_ptr<std::atomic<std::uint32_t>> alive = std::make_shared<std::atomic<std::uint32_t>>(0);
  // The lexicon's near words, remembered for every Lexicon facade of the store.
  const std::shared_ptr<NearFormsCache> near_cache = std::make_shared<NearFormsCache>();
};

Resources::Resources(ResourcePaths paths) : store_(std::make_shared<Store>(std::move(paths))) { ++*store_->alive; }
Resources::Resources(std::shared_ptr<Store> store) : store_(std::move(store)) { ++*store_->alive; }
Resources::~Resources() { --*store_->alive; }

Budget Resources::budget(std::size_t whole) const { return Budget(store_->alive, whole); }

std::unique_ptr<Resources> Resources::share() const { return std::unique_ptr<Resources>(new Resources(store_)); }

const ResourcePaths& Resources::paths() const { return store_->paths; }

Lexicon& Resources::lexicon() {
  if (!lexicon_) {
    const ResourcePaths& paths = store_->paths;
    const std::string& h = paths.hunspell;
    // The compiled dictionaries are shared by every Resources of the process.
    // An installed copy keeps its compiled file beside its data files; a build
    // uses the one it made (CompiledLexicon::default_cache()).
    std::string cache = paths.dictionaries + "/copydesk_lexicon.bin";
    std::error_code ec;
    if (!std::filesystem::is_regular_file(cache, ec)) cache.clear();
    auto lex = std::make_unique<Lexicon>(
        DictionaryPaths{{h + "/en_US.aff", h + "/en_US.dic"}, {h + "/en_GB.aff", h + "/en_GB.dic"}}, std::move(cache));
    for (const auto& entry : dictionary("words.txt")) lex->add_word(entry.text);
    lex->share_near_cache(store_->near_cache);
    lexicon_ = std::move(lex);
  }
  return *lexicon_;
}

std::vector<DictionaryLine> Resources::dictionary(const std::string& file) const {
  return read_dictionary(store_->paths.dictionaries + "/" + file);
}

std::shared_ptr<const void> Resources::shared_any(const std::string& key,
                                                  const std::function<std::shared_ptr<const void>()>& build) {
  std::lock_guard lock(store_->mutex);
  if (auto it = store_->tables.find(key); it != store_->tables.end()) return it->second;
  std::shared_ptr<const void> made = build();
  store_->tables.emplace(key, made);
  return made;
}

namespace {
std::string trimmed(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return std::string(s.substr(first, s.find_last_not_of(" \t") - first + 1));
}
}  // namespace

const EnglishStats& Resources::english_stats() {
  std::lock_guard lock(store_->mutex);
  if (!store_->english_stats)
    store_->english_stats = EnglishStats::shared(store_->paths.dictionaries + "/english_words.tsv");
  return *store_->english_stats;
}

WordFrequencies::WordFrequencies(const std::vector<DictionaryLine>& lines, const std::string& path) {
  for (const auto& line : lines) {
    const std::string_view text = line.text;
    const auto a = text.find(' ');
    const auto b = a == std::string_view::npos ? a : text.find(' ', a + 1);
    Counts c;
    bool ok = a != std::string_view::npos && b != std::string_view::npos && a > 0;
    if (ok) {
      const std::string_view x = text.substr(a + 1, b - a - 1);
      const std::string_view y = text.substr(b + 1);
      ok = !x.empty() && !y.empty() &&
           std::all_of(x.begin(), x.end(), [](char ch) { return ch >= '0' && ch <= '9'; }) &&
           std::all_of(y.begin(), y.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
      if (ok) {
        c.lower = static_cast<std::uint32_t>(std::stoul(std::string(x)));
        c.capitalised = static_cast<std::uint32_t>(std::stoul(std::string(y)));
      }
    }
    if (!ok) {
      throw Error(path + ":" + std::to_string(line.line) + ": expected \"word lower capitalised\" (two counts)");
    }
    counts_.insert(text.substr(0, a), c);
  }
  counts_.shrink();
}

bool WordFrequencies::likely_misspelling(std::string_view lower, const Lexicon& lexicon) const {
  if (lower.size() < 3 || !std::all_of(lower.begin(), lower.end(), [](char ch) { return ch >= 'a' && ch <= 'z'; }))
    return false;
  const std::uint64_t bar = std::uint64_t{kTypoRatio} * (of(lower).capitalised + 1);
  std::vector<std::pair<std::string, int>> near;
  lexicon.near_words(lower, 1, near);
  return std::any_of(near.begin(), near.end(), [&](const auto& n) { return of(n.first).lower >= bar; });
}

const WordFrequencies& Resources::word_frequencies() {
  std::lock_guard lock(store_->mutex);
  if (!store_->frequencies) {
    const std::string path = store_->paths.dictionaries + "/word_frequencies.txt";
    store_->frequencies = std::make_unique<const WordFrequencies>(read_dictionary(path), path);
  }
  return *store_->frequencies;
}

const std::vector<NameEntry>& Resources::names() {
  std::lock_guard lock(store_->mutex);
  if (store_->names) return *store_->names;
  const ResourcePaths& paths = store_->paths;
  auto parsed = std::make_unique<std::vector<NameEntry>>();
  auto parse = [&](const std::string& path, const std::vector<DictionaryLine>& lines) {
    for (const auto& line : lines) {
      NameEntry entry;
      const std::string_view text = line.text;
      const auto eq = text.find('=');
      entry.canonical = trimmed(text.substr(0, eq));
      if (entry.canonical.empty()) {
        throw Error(path + ":" + std::to_string(line.line) +
                    ": no canonical name before '=' (format: Canonical = variant; variant)");
      }
      if (eq != std::string_view::npos) {
        std::string_view rest = text.substr(eq + 1);
        while (!rest.empty()) {
          const auto semi = rest.find(';');
          if (auto v = trimmed(rest.substr(0, semi)); !v.empty()) entry.variants.push_back(std::move(v));
          if (semi == std::string_view::npos) break;
          rest.remove_prefix(semi + 1);
        }
      }
      parsed->push_back(std::move(entry));
    }
  };
  parse(paths.dictionaries + "/names.txt", dictionary("names.txt"));
  for (const auto& file : paths.extra_names) {
    if (!std::ifstream(file)) {
      throw Error("cannot read names file '" + file +
                  "' (given with --names or in the config's resources.names): it does not exist or is not readable");
    }
    parse(file, read_dictionary(file));
  }
  store_->names = std::move(parsed);
  return *store_->names;
}

}  // namespace copydesk
