// A trigram language model of general English: how likely a word is after the
// two before it. The model is CMU Sphinx's US English model (Debian package
// pocketsphinx-en-us, BSD licence; 72,547 lower-case words, 2.05 million
// bigrams, 1.67 million trigrams, Katz back-off), read through Debian's
// libsphinxbase. It is general written English, not the news of a year or
// a site, so a word's context says how English it is.
//
//   auto lm = NgramModel::shared();
//   int the = lm->id("the"), cat = lm->id("cat");
//   float lp = lm->log10_prob(NgramModel::kNone, the, cat);  // log10 P(cat | the)
//
// One model per path per process, loaded on first use (about 30 ms, 27 MB),
// shared by every thread (look-ups take turns: about 0.1 microsecond each).
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace copydesk {

class NgramModel {
 public:
  static constexpr int kNone = -1;  // no word / a word the model lacks

  // The model at `path` (empty: default_path()), once per path per process.
  // Throws Error naming the file when it is missing or unreadable.
  static std::shared_ptr<const NgramModel> shared(const std::string& path = "");
  // $COPYDESK_NGRAM_MODEL when set, else the file the build was configured
  // with (pocketsphinx-en-us's en-us.lm.bin).
  static std::string default_path();

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
  // The log10 probability given to a word the model lacks: below its rarest
  // word (-9.47), since the model has no unknown-word class.
  float unknown_floor() const { return floor_; }
  int vocabulary() const { return vocabulary_; }

 private:
  explicit NgramModel(const std::string& path);
  struct Handles;
  std::unique_ptr<Handles> h_;
  float floor_ = -9.5f;
  int vocabulary_ = 0;
};

}  // namespace copydesk
