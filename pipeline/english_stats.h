// Corpus statistics of English word forms: how often each form occurs, opens
// a sentence, ends one, or stands inside one capitalised or in lower case.
// Read from dictionaries/english_words.tsv (derived from the Brown corpus by
// dictionaries/build/brown_data.py; its header says how to rebuild it).
// One table per file per process, loaded on first use and shared read-only by
// every thread and stage.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "pipeline/compact_word_map.h"

namespace copydesk {

struct WordStats {
  std::uint32_t total = 0;    // every occurrence
  std::uint32_t initial = 0;  // first word of a sentence
  std::uint32_t final = 0;    // last word before the sentence's stop
  std::uint32_t cap_mid = 0;  // inside a sentence, capitalised
  std::uint32_t low_mid = 0;  // inside a sentence, lower case
};

class EnglishStats {
 public:
  // Parses a file in english_words.tsv's format. Throws Error naming the file
  // and line on a missing file or a malformed line.
  static std::shared_ptr<const EnglishStats> load(const std::string& path);
  // load(), once per path per process: later calls (any thread) share it.
  static std::shared_ptr<const EnglishStats> shared(const std::string& path);

  // The counts of a word form, looked up case-insensitively (ASCII letters);
  // an abbreviation is asked for with its period ("co."). nullptr if unseen.
  const WordStats* find(std::string_view form) const;

  std::uint64_t sentences() const { return sentences_; }          // sentences in the corpus
  std::uint64_t tokens() const { return tokens_; }                // word tokens in the corpus
  std::uint64_t cap_mid_total() const { return cap_mid_total_; }  // capitalised words inside sentences
  std::size_t size() const { return forms_.size(); }

  // Odds that a word written with a capital opens a sentence rather than
  // stands capitalised inside one: (initial + s) / (cap_mid + s'), smoothed
  // toward the corpus's own rates, so an unseen word gets the average odds.
  double open_odds(std::string_view form) const;
  // How much more often than the average word the form ends a sentence
  // (a likelihood ratio, 1 for an unseen word): "job" about 3, "the" near 0.
  double end_ratio(std::string_view form) const;

  // Adds a form (stored lower-cased, ASCII); for tests and tools building a
  // table by hand.
  void add(std::string_view form, WordStats stats);
  void set_totals(std::uint64_t sentences, std::uint64_t tokens, std::uint64_t cap_mid) {
    sentences_ = sentences;
    tokens_ = tokens;
    cap_mid_total_ = cap_mid;
  }

 private:
  CompactWordMap<WordStats> forms_;
  std::uint64_t sentences_ = 0;
  std::uint64_t tokens_ = 0;
  std::uint64_t cap_mid_total_ = 0;
};

}  // namespace copydesk
