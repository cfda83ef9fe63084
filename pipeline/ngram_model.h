// A trigram language model of general English: how likely a word is after the
// two before it. The model is CMU Sphinx's US English model (Debian package
// pocketsphinx-en-us, BSD licence; 72,547 lower-case words, 2.05 million
// bigrams, 1.67 million trigrams, Katz back-off). It is general written
// English, not the news of a year or a site, so a word's context says how
// English it is.
//
//   auto lm = NgramModel::shared();
//   int the = lm->id("the"), cat = lm->id("cat");
//   float lp = lm->log10_prob(NgramModel::kNone, the, cat);  // log10 P(cat | the)
//
// The build compiles the Sphinx model once (copydesk_ngram, with Debian's
// libsphinxbase as the reader of its trie) into an immutable file that a
// process maps in well under a millisecond and every thread and process
// shares read-only: the vocabulary in a hash table; unigrams with probability
// and back-off weight; bigrams grouped by their first word and trigrams by
// their bigram, each group sorted for binary search; bigram and trigram values
// as indices into tables of the values the Sphinx model holds (it keeps
// 65,536 at most per order itself, so nothing is lost), a bigram's back-off
// index packed with its word. Look-ups take no lock.
// The answers are sphinxbase's bit for bit, back-off order and all: the same
// values summed in the same float arithmetic and truncated to its integer log
// scale (log10 1.0001 a unit). The compiler checks this against sphinxbase's
// scoring before it writes the file; tests/ngram_model_test.cpp compares
// 200,000 queries.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace copydesk {

class NgramModel {
 public:
  static constexpr int kNone = -1;  // no word / a word the model lacks

  // The model at `path` (empty: default_path()), once per path per process.
  // `path` is a compiled file, or a model sphinxbase reads (ARPA or its
  // binary forms), compiled in memory on load (seconds). Throws Error naming
  // the file when it is missing or unreadable.
  static std::shared_ptr<const NgramModel> shared(const std::string& path = "");
  // $COPYDESK_NGRAM_MODEL when set; else the compiled file installed beside
  // the program (share/copydesk/dictionaries/copydesk_ngram.bin); else the one
  // the build wrote; else default_source().
  static std::string default_path();
  // The Sphinx model the build compiles (pocketsphinx-en-us's en-us.lm.bin).
  static std::string default_source();

  struct Counts {
    std::size_t unigrams = 0, bigrams = 0, trigrams = 0, bytes = 0;
  };
  // Reads the Sphinx model `source` with sphinxbase and writes its compiled
  // form to `file` (the build step).
  static Counts compile(const std::string& source, const std::string& file);

  ~NgramModel();
  NgramModel(const NgramModel&) = delete;
  NgramModel& operator=(const NgramModel&) = delete;

  // The model's id of a lower-case word, kNone when it lacks the word.
  int id(std::string_view lower_word) const;
  // log10 P(w3 | w1 w2) with back-off; w1 and w2 may be kNone (shorter
  // history). `order` (if given) receives the n-gram order that answered
  // (1-3; 0 for the floor). A w3 of kNone gives unknown_floor().
  float log10_prob(int w1, int w2, int w3, int* order = nullptr) const;
  // The unigram log10 probability (kNone: the floor).
  float log10_unigram(int w) const { return log10_prob(kNone, kNone, w); }
  // How well w fits between its neighbours (b2 b1 w a1 a2): the sum of the
  // log10 probabilities of the trigrams that end in or hold w. The window
  // stops at the first missing word after w (a1 or a2 of kNone).
  double fit_in_window(int b2, int b1, int w, int a1, int a2) const {
    double s = log10_prob(b2, b1, w);
    if (a1 != kNone) {
      s += log10_prob(b1, w, a1);
      if (a2 != kNone) s += log10_prob(w, a1, a2);
    }
    return s;
  }
  // Many bigram look-ups at once: out[k] = log10_prob(kNone, previous[k],
  // words[k], &orders[k]) for k < n, the same answers bit for bit, with the
  // look-ups' memory reads overlapped (each step of the search is started for
  // a group of pairs before any of them waits for it). `orders` may be null.
  void log10_bigrams(const int* previous, const int* words, std::size_t n, float* out, int* orders = nullptr) const;
  // The log10 probability given to a word the model lacks: below its rarest
  // word (-9.47), since the model has no unknown-word class.
  float unknown_floor() const { return floor_; }
  int vocabulary() const { return vocabulary_; }
  // The word of an id ("" for an id out of range).
  std::string_view word(int id) const;
  // The size of the compiled model.
  std::size_t bytes() const { return size_; }

 private:
  NgramModel() = default;
  static std::vector<char> compile_bytes(const std::string& source, Counts* counts);
  void attach(const char* data, std::size_t size, const std::string& path);
  std::uint32_t find_bigram(std::uint32_t w1, std::uint32_t w2) const;

  float floor_ = -9.5f;
  int vocabulary_ = 0;
  std::uint32_t slot_mask_ = 0;
  double unit_ = 0;  // log10 of one unit of sphinxbase's integer log scale
  const std::uint32_t* slots_ = nullptr;
  const std::uint32_t* word_starts_ = nullptr;
  const char* pool_ = nullptr;
  const float* uni_prob_ = nullptr;
  const float* uni_backoff_ = nullptr;
  const std::uint32_t* uni_next_ = nullptr;
  const float* prob2_values_ = nullptr;
  const float* backoff2_values_ = nullptr;
  const float* prob3_values_ = nullptr;
  const std::uint32_t* bi_key_ = nullptr;  // w2 << backoff_bits_ | back-off code
  const std::uint16_t* bi_prob_ = nullptr;
  const std::uint32_t* bi_sample_ = nullptr;
  const std::uint16_t* bi_next_low_ = nullptr;
  const std::uint32_t* bi_next_base_ = nullptr;
  unsigned backoff_bits_ = 0;
  unsigned next_shift_ = 0;
  // Where the trigrams of bigram b start.
  std::uint32_t trigrams_of(std::uint32_t b) const { return bi_next_base_[b >> next_shift_] + bi_next_low_[b]; }
  const std::uint32_t* tri_word_ = nullptr;
  const std::uint16_t* tri_prob_ = nullptr;
  const std::uint32_t* tri_sample_ = nullptr;

  void* mapped_ = nullptr;
  std::size_t size_ = 0;
  std::vector<char> owned_;
};

}  // namespace copydesk
