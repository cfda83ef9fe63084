// The quality estimate: how good a (machine-translated) English text reads,
// per sentence and per document, from the English alone. It edits nothing.
//
//   QualityScorer scorer(resources);                    // one per thread
//   DocumentQuality q = scorer.score(result.text, &result);
//   q.score (0-100), q.band, q.reasons, q.sentences[i].score
//
// Counts (repetitions, romanised words, unbalanced marks) enter as log2(1 + n).
// Signals per sentence (docs/quality.md): fluency under the n-gram model of
// general English (pipeline/ngram_model.h; each word given the word before it), a word bigram and a word-class
// bigram model of edited English (dictionaries/quality_lm.txt; computed only when the model uses them),
// repeated words and phrases, foreign-script and romanised fragments, verbless
// sentences, unbalanced quotes and brackets, length, rare-word and non-word
// rates; per document, copydesk's repairs per stage and its flags per 100
// words. A model (dictionaries/quality_model.txt: a linear part plus
// gradient-boosted regression trees) combines them into a 0-100 score calibrated on human direct assessments; a
// document's score is aggregated from its sentences.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/ngram_model.h"
#include "pipeline/pipeline.h"
#include "pipeline/resources.h"
#include "pipeline/word_map.h"

namespace copydesk {

// The signals, in the order of the feature vector and of the model file.
enum QualitySignal : std::size_t {
  kLmMean,           // mean log10 probability per token under the word bigram model
  kLmMin,            // its minimum over the sentence
  kLmSpread,         // its standard deviation
  kClassMean,        // mean log10 probability under the word-class bigram model
  kClassMin,         // its minimum
  kLmGain,           // mean gain of the word bigram over word frequency alone (SLOR): how well the words fit together
  kClassGain,        // the same for word classes
  kLogWords,         // log2 of 1 + the number of words
  kShort,            // 1 for fewer than 4 words
  kLong,             // log2(1 + words beyond 40)
  kUnknownRate,      // share of words the corpus model does not know (rarer than its vocabulary)
  kRareRate,         // share of lower-case words that are neither common (SCOWL <= 35) nor in the model
  kNonWordRate,      // share of lower-case words Hunspell rejects
  kNameRate,         // share of capitalised words inside the sentence that the model does not know
  kRepeatedWord,     // a word written twice in a row ("the the")
  kRepeatedPhrase,   // a run of 2-4 words written twice in a row ("he said, he said")
  kRepeatedTrigram,  // a three-word sequence that recurs later in the sentence
  kForeignScript,    // share of letters outside the Latin script
  kRomanised,        // lower-case unknown words that look transliterated (diacritics, "kh", "aa", ...)
  kNoVerb,           // 1 for a sentence of 4+ words with no word that is often a finite verb
  kUnbalanced,       // quotes or brackets opened or closed without their partner
  kUnfinished,       // 1 for a sentence of 4+ words without final punctuation
  kDigitRate,        // share of tokens that are numbers
  kCommaRate,        // commas per word
  kEditRate,         // copydesk's changes per 100 words (all stages)
  kSpellingRate,     // spelling changes per 100 words
  kCasingRate,       // casing and names changes per 100 words
  kSpacingRate,      // spacing, sentences, structure and unicode changes per 100 words
  kFlagRate,         // flags left per 100 words
  kTgMean,     // mean log10 probability per known word given the word before, under the n-gram model of general English
  kTgMin,      // its minimum over the sentence
  kTgSpread,   // its standard deviation
  kTgGain,     // mean gain of that over the word's unigram probability (SLOR)
  kTgUnigram,  // share of known words the model answered from the unigram alone (no context)
  kTgOov,      // share of words (numbers aside) the trigram model lacks
  kTgRarity,   // mean unigram log10 probability of the words the trigram model knows (how common they are)
  kTgSurprise,  // share of those words the model finds very unlikely in context (log10 p < -4)
  kGlued,       // words run together: a once-written non-word made of two common words ("Keptout")
  kSignalCount
};

using QualityFeatures = std::array<double, kSignalCount>;

// The name of a signal as used in the model file and the reasons ("lm_mean").
std::string_view quality_signal_name(std::size_t signal);
// A short phrase for a reason ("low fluency under the language model").
std::string_view quality_signal_phrase(std::size_t signal);

struct SentenceQuality {
  std::size_t begin = 0;  // byte span in the scored text
  std::size_t end = 0;
  std::size_t words = 0;
  bool heading = false;  // a short line without final punctuation: scored, not counted in the document
  double score = 0;
  QualityFeatures features{};
};

struct DocumentQuality {
  double score = 0;                  // 0-100, the document's
  std::string band;                  // "good", "fair" or "poor"
  std::vector<std::string> reasons;  // the signals that pulled the score down most (up to three)
  std::vector<SentenceQuality> sentences;
  QualityFeatures features{};  // word-weighted means over the sentences (what the model was trained on)
  std::size_t words = 0;
};

// The statistics and weights, immutable, loaded once per dictionaries folder
// and shared by every thread.
class QualityModel;

class QualityScorer {
 public:
  // Loads (once per process) dictionaries/quality_lm.txt and quality_model.txt,
  // and uses the thread's lexicon and word_tiers.txt. Throws Error naming a
  // missing or malformed file. score() computes only the signals the model
  // uses (a weight other than 0 or a split in a tree; the others are left at
  // 0) unless `all_signals` (training: `copydesk score --features`).
  explicit QualityScorer(Resources& resources, bool all_signals = false);
  ~QualityScorer();
  QualityScorer(const QualityScorer&) = delete;
  QualityScorer& operator=(const QualityScorer&) = delete;

  // Scores `text` (normally the cleaned text); `result`, if given, supplies the
  // repairs and flags copydesk made on the way.
  DocumentQuality score(std::string_view text, const Result* result = nullptr);

  // The sentence spans of `text` (paragraphs are split at line breaks).
  std::vector<Span> sentences(std::string_view text) const;

  // One sentence's signals (all of them), without the document's repair rates.
  QualityFeatures sentence_features(std::string_view sentence);

  // The model's 0-100 score of a feature vector; `contributions`, if given,
  // receives each signal's share of it (score points against the training
  // average; the clamp to 0-100 aside).
  double predict(const QualityFeatures& features, QualityFeatures* contributions = nullptr) const;

 private:
  struct Token;
  struct WordInfo;
  // The index in infos_ of a form (`h`: FormIndex::hash of it), its facts found on its first use.
  std::uint32_t word_info(std::string_view word, std::uint64_t h);
  // A thread's forms -> their index in infos_: open addressing with compact slots (a form of
  // up to eight bytes is compared in its slot), so a sentence's look-ups can be prefetched.
  class FormIndex {
   public:
    static constexpr std::uint32_t kNone = 0xFFFFFFFF;
    static std::uint64_t hash(std::string_view form) { return WordMap<std::uint32_t>::hash(form); }
    void prefetch(std::uint64_t h) const {
      if (!slots_.empty()) __builtin_prefetch(&slots_[h & mask_]);
    }
    std::uint32_t find(std::string_view form, std::uint64_t h) const;
    void insert(std::string_view form, std::uint64_t h, std::uint32_t index);
    void clear();

   private:
    struct Slot {
      std::uint64_t hash = 0;
      std::uint64_t head = 0;  // the form's first eight bytes, zero-padded
      std::uint32_t size = 0;
      std::uint32_t index = kNone;
    };
    static std::uint64_t head(std::string_view form);
    std::vector<Slot> slots_;
    std::size_t mask_ = 0, size_ = 0;
    std::string keys_;                    // the forms, back to back
    std::vector<std::uint32_t> offsets_;  // by index: where the form starts in keys_
  };
  // sentence_features(), noting the glued words it finds in glued_; `standalone`: also pair
  // the sentence's own quotes and brackets (score() pairs them per paragraph); `all`: every
  // signal, else only the groups the model uses (corpus_fluency_, context_fluency_).
  QualityFeatures features(std::string_view sentence, bool standalone, bool all);
  std::shared_ptr<const QualityModel> model_;
  std::shared_ptr<const NgramModel> ngram_;
  Lexicon& lexicon_;
  FormIndex vocabulary_;  // per thread: surface form -> index into infos_
  std::vector<WordInfo> infos_;
  std::vector<Token> tokens_;                         // scratch
  std::vector<std::uint64_t> hashes_;                 // scratch: the hashes of the sentence's words
  std::vector<std::uint32_t> seq_, classes_, words_;  // scratch: the sentence's model tokens, classes, words
  struct Scored;
  std::vector<Scored> scored_;                // scratch: the words the trigram model scores, in order
  std::vector<int> pair_before_, pair_word_;  // scratch: their look-ups (the word before, the word)
  std::vector<float> pair_lp_;                // scratch: the look-ups' answers
  std::vector<int> pair_order_;               // and their orders
  std::vector<std::uint64_t> keys_;           // scratch: the words' forms for repetition
  std::vector<std::uint64_t> sorted_keys_;    // scratch: the same, sorted (for glued words)
  std::vector<std::string_view> glued_;       // the glued words found (views into the scored text), in order
  int sentence_start_, sentence_end_;         // the trigram model's <s> and </s>
  // Whether score() computes the corpus bigram signals (lm_*, class_*) and the
  // general-English context signals (tg_* but tg_oov and tg_rarity): each
  // group's look-ups are made only if the model uses one of its signals.
  bool corpus_fluency_ = true, context_fluency_ = true;
  float sentence_end_unigram_;
  bool all_signals_ = false;
};

// "good" (>= 62: about the best third of the training sentences), "fair" (>= 52) or "poor"
// (about the lowest sixth).
std::string_view quality_band(double score);

// {"score": 71.3, "band": "good", "reasons": [...]}; with `sentences`, also
// "sentences": [{"begin", "end", "score"}, ...]; with `features`, "words"
// (what its sentences hold) and the document's signal values by name.
nlohmann::ordered_json quality_to_json(const DocumentQuality& q, bool sentences, bool features = false);

// The command line's quality plumbing, in one place: per-thread scorers, the
// distribution for the summary line, and --min-quality routing of the
// documents below the threshold to a separate output (nothing is lost).
class AtomicOutput;
class QualityRun {
 public:
  // min_quality < 0: no routing. `low` is the FILE (JSON Lines) or the DIR
  // (files) that receives the documents below min_quality.
  QualityRun(bool enabled, double min_quality, std::string low, bool jsonl);
  ~QualityRun();
  bool enabled() const { return enabled_; }
  // Scorers compute every signal, used by the model or not (`score --features`).
  void set_all_signals(bool all) { all_signals_ = all; }
  // Room for one scorer per worker thread.
  void set_threads(unsigned threads) { scorers_.resize(threads); }
  // Worker `worker`'s scorer (made on first use from the thread's resources;
  // called by that worker only), or nullptr when scoring is off.
  QualityScorer* scorer(unsigned worker, Resources& resources);

  // Counts a score for the summary; true if the document goes to the low output.
  bool add(double score);
  // JSON Lines: writes a routed record (it carries its "copydesk_quality").
  void write_record(const std::string& record_line);
  // Files: writes a routed document under the low folder, and its score and
  // reasons to DIR/quality.jsonl.
  void write_file(const std::string& relative, const std::string& label, const std::string& text,
                  const DocumentQuality& q);
  void commit();
  // "quality: mean 63.1, median 65.0; good 2, fair 2, poor 1; routed 1" (empty if off).
  std::string summary() const;

 private:
  bool enabled_ = false;
  bool all_signals_ = false;
  double min_ = -1;
  std::string low_;
  std::vector<std::unique_ptr<QualityScorer>> scorers_;
  std::unique_ptr<AtomicOutput> out_;
  std::vector<double> scores_;
  std::size_t routed_ = 0;
};

}  // namespace copydesk
