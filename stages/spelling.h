// The spelling stage: non-words (Hunspell en_US and en_GB both reject them)
// repaired when the evidence is strong, flagged when it is not. Runs last.
//
// Rules:
//   misspelling  a lower-case non-word -> the one candidate that clearly wins:
//                "willl" -> "will", "hsi" -> "his", "duting" -> "during",
//                "governemnt" -> "government". A capitalised word only at a
//                sentence start and only into a very common word ("Thge" -> "The").
//   garble       machine-translation stutter: a repeated syllable removed
//                ("learnedned" -> "learned", "globalbally" -> "globally"), or a
//                stuttered word replaced by a word of the same stem the article
//                uses ("Cooperatation" -> "Cooperation" when "cooperation" appears).
//   unsure       a flag (no change) on a non-word with a plausible correction
//                that does not win clearly enough.
//
// Candidates come from edits at distance 1 (deletion, transposition,
// substitution, insertion), repeated-chunk removal (plus one edit after it),
// the article's own words of the same stem, and the dictionaries' words within
// two edits (the compiled lexicon's deletion index). They are ranked as a noisy
// channel: an error model (the cost of the slip: transpositions, a letter typed
// two places away, doubled letters, neighbouring keys, vowels and sound-alike
// consonants are cheap), commonness (SCOWL sizes, Brown frequencies), the
// article's use of the candidate, and the trigram model of English in context
// (pipeline/ngram_model.h, asked only for the candidates of suspect words).
// A lower-case word's candidates are ranked by edit cost and context
// probability alone (the context holds commonness); a change needs a
// hundredfold lead and cheap edits to a word of some use, or a clear lead
// without the context that the context does not contradict, or (a word of 7+
// letters) a hundredfold lead and one cheap slip from a word of little use
// unless the non-word is two words written as one, or a lead of 2.5 and at
// most two slips from one of the commonest words; a smaller lead gives a
// flag. An ending added to a final "y" ("carrys") gets its "ies" form as a
// candidate. An unlisted plural ("brandings") or a dropped final g ("walkin") is
// never changed. A long lower-case part after a hyphen, whose compound's other
// parts are words, is checked as a word ("well-organzied").
//
// Never touched: words the article uses twice or more, words of other case
// patterns (ALL CAPS, inner capitals), capitalised words outside sentence
// starts (names) unless a stutter repair has the article's own evidence, words
// with digits or non-ASCII letters, tokens with '-', '.', '@', '/', '_' inside
// (compounds but for the parts above, URLs, e-mails, domains, abbreviations), a word quoted on its own,
// a non-word next to another non-word (a foreign phrase), words under 3 letters.
//
// Known limits: real-word errors ("form" for "from") are not seen; the context
// is two words each side; only ASCII words are corrected; two-letter words are
// not looked at.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pipeline/compact_word_map.h"
#include "pipeline/ngram_model.h"
#include "pipeline/resources.h"
#include "pipeline/stage.h"
#include "pipeline/word_analysis.h"
#include "pipeline/word_map.h"

namespace copydesk {

class SpellingStage : public Stage {
 public:
  explicit SpellingStage(Resources& resources);
  std::string_view name() const override { return "spelling"; }
  std::string_view description() const override;
  std::vector<RuleInfo> rules() const override;
  void propose(std::string_view text, std::vector<Edit>& out) override;
  // The same edits, counting the words from the pipeline's shared analysis.
  bool reads_words() const override { return true; }
  void propose_words(std::string_view text, const WordAnalysis& words, std::vector<Edit>& out) override;

  // A plain word of a whitespace-delimited chunk: its letters [begin, end),
  // without leading opening marks or trailing closing punctuation / "'s".
  struct Token {
    std::size_t chunk_begin = 0;
    std::size_t chunk_end = 0;
    std::size_t begin = 0;
    std::size_t end = 0;
    bool plain = false;   // only letters between opening and closing marks
    bool ascii = false;   // letters a-z / A-Z only
    bool quoted = false;  // an opening mark before and a closing quote after: "term"
  };

  struct Candidate {
    std::string word;
    double cost = 0;
    bool garble = false;
    double score = 0;
    double context = 0;  // log10 P of the candidate and the words after it, in context
    double plain = 0;    // the score without the context: edit cost, commonness, the article's use
  };

  // The words around a suspect word, as the language model's ids: two before
  // (the nearest last; "<s>" at a sentence start) and two after ("</s>" at a
  // sentence end); NgramModel::kNone where there is none or the model lacks it.
  struct Context {
    int before[2] = {NgramModel::kNone, NgramModel::kNone};
    int after[2] = {NgramModel::kNone, NgramModel::kNone};
  };

 private:
  // The vocabulary's keys: a lower-case ASCII word (at most kMaxWord letters),
  // zero-padded to kKeyBytes, so that hashing and comparing one is a few
  // fixed-size 8-byte loads, with no call and no per-byte loop.
  static constexpr std::size_t kKeyBytes = 32;

  // A word of the persistent vocabulary: the static facts about it, computed
  // once, and its count in the current document (valid while epoch == epoch_).
  // Lives across documents; forgotten when the vocabulary grows too large.
  struct Word {
    alignas(8) char key[kKeyBytes] = {};
    std::uint64_t filter_hash = 0;  // mix(fingerprint(word)): its bits in the filters
    std::uint32_t size = 0;
    std::uint32_t epoch = 0;  // the document `count` belongs to
    std::uint32_t count = 0;
    bool in_tiers = false;
    std::int8_t known = -1;      // lexicon_.known(word); -1: not asked yet
    std::int8_t accepted = -1;   // check() leaves the word alone whatever the document; -1: not asked yet
    std::int8_t typo_name = -1;  // accepted only as a name ("tim") but likely a slip for a common word; -1: not asked
  };

  void begin_document();
  // key_hash(key, size) == key_hash_end(step(...step(kKeySeed, word 0)...), size)
  // over the key's 8-byte words that hold letters, so a scan can hash a word
  // while it reads it.
  static constexpr std::uint64_t kKeySeed = 0x9E3779B97F4A7C15ULL;
  static std::uint64_t key_hash_step(std::uint64_t h, std::uint64_t word) {
    h = (h ^ word) * 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 32);
  }
  static std::uint64_t key_hash_end(std::uint64_t h, std::size_t size) {
    h ^= size;
    h *= 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 29;
    h *= 0x94D049BB133111EBULL;
    return h ^ (h >> 32);
  }
  static std::uint64_t key_hash(const char* key, std::size_t size);
  // The id of the zero-padded `key` of `size` letters, added if new.
  std::uint32_t intern_key(const char* key, std::size_t size);
  // The same with the key's hash given; the look-up is inlined into the scan,
  // the rare insertion (add_word, at the empty `slot` the probe ended on) is not.
  inline std::uint32_t intern_hashed(const char* key, std::size_t size, std::uint64_t h);
  [[gnu::noinline]] std::uint32_t add_word(const char* key, std::size_t size, std::uint64_t h, std::size_t slot);
  std::uint32_t intern(std::string_view lower);
  // The id of `lower`, or -1 when the vocabulary does not hold it.
  std::int64_t find_word(std::string_view lower) const;
  void grow_vocabulary();
  static std::string_view text_of(const Word& w) { return std::string_view(w.key, w.size); }
  bool known_word(std::uint32_t id);
  // check() leaves the word alone whatever the document (asked once per word).
  bool accepted(std::uint32_t id) {
    const std::int8_t a = words_[id].accepted;
    return a >= 0 ? a != 0 : ask_accepted(id);
  }
  [[gnu::noinline]] bool ask_accepted(std::uint32_t id);
  // The word is accepted only because the dictionaries know it capitalised (a
  // name), and in lower case it is more likely a slip for a common word.
  bool typo_name(std::uint32_t id);
  std::uint32_t count_of(const Word& w) const { return w.epoch == epoch_ ? w.count : 0; }

  void count_words(std::string_view text);
  // The same from the shared analysis of the text.
  void count_words(const WordAnalysis& words);
  // count_words' decision for one run [i, j) of ASCII letters, the word `id`.
  inline void count_run(std::string_view text, std::size_t i, std::size_t j, std::uint32_t id, std::size_t line_start,
                        bool after_cr);
  // The check of the chunks holding the suspects count_words found.
  void check_suspects(std::string_view text, std::vector<Edit>& out);
  static constexpr std::uint32_t kNoWord = 0xFFFFFFFF;
  struct FormKey {
    alignas(8) char key[kKeyBytes];
    std::uint64_t hash;
  };
  std::vector<std::uint32_t> form_ids_;  // count_words(words): the vocabulary id of each form of the analysis
  std::vector<FormKey> form_keys_;
  // Sets doc_filter_'s bits for the document's words, once per document.
  void build_doc_filter();
  void check_chunk_of(std::string_view text, std::size_t at, std::size_t line_start, std::vector<Edit>& out);
  // The part after a hyphen of the compound chunk [b, e) that holds `at`, checked as a word.
  void check_compound_part(std::string_view text, std::size_t b, std::size_t e, std::size_t at, std::vector<Edit>& out);
  bool known_quick(std::string_view word, std::string_view lower);
  bool is_word(std::string_view lower);
  // `lower` is two words of kMinWord+ letters written as one ("wornout"): a closed compound.
  bool two_words(std::string_view lower);
  // A known word with a productive prefix or ending ("unfaded", "reworkable").
  bool derived(std::string_view lower);
  bool maybe_word(std::string_view lower) const;
  [[gnu::always_inline]] inline bool maybe_fingerprint(std::uint64_t fingerprint) const;
  // A polynomial hash, so that generate_edits can derive each edit's
  // fingerprint in O(1) from prefix and suffix hashes (see EditHashes).
  static std::uint64_t fingerprint(std::string_view word);
  static void remember(std::vector<std::uint64_t>& filter,
                       std::string_view lower);  // a valid candidate: common, or known and used by the article
  int tier_of(std::string_view lower) const;
  // True if the document writes more words in British-only spellings (en_GB's
  // and not en_US's) than in American-only ones; counted once per document, on first need.
  bool british_article();
  // True if the document spells many words its own way: a dropped final g
  // ("goin") or more than kOwnWayWords distinct lower-case non-words (eye
  // dialect, old or foreign text). Counted once per document, on first need.
  bool spells_own_way(std::string_view text);
  std::uint32_t doc_count(std::string_view lower) const;
  // False when the tiers' / the document's filter rules the word out (h: mix(fingerprint(word))).
  bool maybe_tier(std::uint64_t h) const;
  bool maybe_in_document(std::uint64_t h) const;

  void add_candidate(std::string_view word, double cost, bool garble);
  void generate_edits(std::string_view w, double base_cost, bool garble);
  void generate_repeats(std::string_view w);
  void generate_from_stem(std::string_view w);
  void generate_from_lexicon(std::string_view w);
  // The word with its final "y" turned to "i" before "-es", "-ed", "-er", "-est" ("carrys" -> "carries").
  void generate_y_to_i(std::string_view w);
  // Whether the words before and the words after each prefer `winner` to every
  // candidate whose score is within `within` of its.
  bool both_sides_prefer(const Context& ctx, const Candidate& winner, double within) const;
  // Scores and sorts the candidates (best first): `plain` from edit cost,
  // commonness and the article's use; `score` with the context added to it,
  // or (`channel`) the noisy channel's: edit cost, the article's use and the
  // context's probability, without commonness (the context holds it).
  void rank(bool after_article, bool channel, const Context& ctx);
  // The words around the token, for the language model.
  Context context_of(std::string_view text, const Token& tok);
  // The `context` of each candidate whose `plain` is at least min_plain:
  // log10 P(c | two before) + log10 P(next | before, c) + log10 P(next2 | c, next).
  void score_context(const Context& ctx, double min_plain);

  void check(std::string_view text, const Token& tok, std::vector<Edit>& out);

  Lexicon& lexicon_;
  const WordFrequencies& frequencies_;
  // The trigram model of English, loaded when the first suspect word is ranked.
  std::shared_ptr<const NgramModel> lm_;
  // word_tiers.txt, built once and shared read-only by every thread's stage:
  // lower-case word -> SCOWL size (10 most common ... 50), and a two-probe
  // bit filter over those words.
  struct Tiers {
    CompactWordMap<std::uint8_t> map;
    std::vector<std::uint64_t> filter;
  };
  static Tiers load_tiers(Resources& resources);
  std::shared_ptr<const Tiers> shared_tiers_;
  const CompactWordMap<std::uint8_t>& tiers_;
  // The vocabulary: words_ and an open-addressing index over it, at most half
  // full; a slot holds the key hash's upper half and the word's id + 1 (0: empty).
  // Forgotten between documents past this pipeline's share of the budget.
  Budget vocabulary_budget_;
  std::vector<Word> words_;
  std::vector<std::uint64_t> slots_;
  std::size_t slot_mask_ = 0;
  // The current document's number, and its counted words in first-occurrence order.
  std::uint32_t epoch_ = 0;
  std::vector<std::uint32_t> doc_words_;
  // The document's runs of 3+ letters that are not plainly words: where each
  // starts, and where its line starts. Only their chunks can hold a token
  // check() acts on.
  std::vector<std::pair<std::size_t, std::size_t>> suspects_;
  std::size_t checked_to_ = 0;  // the end of the last chunk checked
  std::size_t first_edit_ = 0;  // where this run's edits start in `out`
  // Scratch for generate_from_stem: the article's words of the non-word's stem and their distances.
  std::vector<std::pair<std::uint32_t, std::size_t>> stem_words_;
  // The document's words of kStemPrefix letters or more, sorted by their first
  // kStemPrefix letters and, within a prefix, in first-occurrence order, so
  // that generate_from_stem reads the words of one prefix instead of all the
  // document's (which made a long document's cost grow with its square).
  // Built once a document has asked for stems a few times (a short
  // document's few look-ups scan doc_words_ instead).
  struct StemEntry {
    std::uint64_t prefix = 0;  // the first kStemPrefix letters, first letter lowest
    std::uint32_t order = 0;   // the word's place in doc_words_
    std::uint32_t id = 0;
  };
  std::vector<StemEntry> stem_index_;
  std::size_t stem_lookups_ = 0;  // generate_from_stem's calls in this document
  // The document's spelling variety (see british_article()): -1 not asked yet.
  int british_ = -1;
  // Whether the document spells as people talk (see spells_own_way()): -1 not asked yet.
  int own_way_ = -1;
  bool stem_index_ready_ = false;
  void build_stem_index();
  // Two-probe bit filters over tiers_ and over the document's words.
  const std::vector<std::uint64_t>& tier_filter_;
  std::vector<std::uint64_t> doc_filter_;
  bool doc_filter_ready_ = false;  // doc_filter_ holds the current document's words
  std::vector<Candidate> candidates_;
  std::vector<std::pair<std::string, int>> near_;  // scratch for generate_from_lexicon
  // The lexicon's words near `lower` (the lexicon's shared cache remembers them).
  std::span<const std::pair<std::string, int>> near_words(std::string_view lower, int max_distance);
  std::string lower_;
  std::string scratch_;
  std::string edit_;
  // Scratch for generate_edits: fingerprints of w's prefixes and suffixes, powers of the base.
  std::vector<std::uint64_t> prefix_hash_;
  std::vector<std::uint64_t> suffix_hash_;
  std::vector<std::uint64_t> power_;
};

}  // namespace copydesk
