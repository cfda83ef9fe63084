// The boilerplate stage: whole lines that are site furniture (ad labels, comment
// forms, navigation, share/subscribe prompts, cookie notices, taxonomy lines,
// view counters) rather than article text are removed.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pipeline/batch_evidence.h"
#include "pipeline/resources.h"
#include "pipeline/stage.h"
#include "pipeline/word_map.h"

namespace copydesk {

// Each line of at most 30 words gets a probability of being furniture from a
// logistic model over general evidence (dictionaries/boilerplate_model.txt,
// fitted by bench/boilerplate/train.py): the known lines and hand signals of
// dictionaries/boilerplate.txt, the line's shape, its function (byline, credit,
// date, call to action), its relation to the article body (shared words,
// position before/after the body, heading of the paragraph below) and its
// neighbours (runs of short lines). docs/stages/boilerplate.md lists them.
// Rules (a removal takes the whole line with its '\n', so no blank line is left):
//   known-pattern  a line of boilerplate.txt, exact or by prefix;
//   furniture      p >= the remove threshold outside the article body, or the
//                  hand-written two-signal test anywhere;
//   counter        a bare number with an optional views/likes word;
//   timestamp      "Updated 14:32 GMT", "Published 3 hours ago";
//   call-to-action questions to the reader ending in an invitation to comment
//                  (or the site promoting itself): a whole paragraph, or cut off
//                  at the join where glued to prose or a heading;
//   unsure         a flag: likely furniture outside the body, not sure enough.
// Left alone: lines inside the body unless the list or two hand signals agree;
// numbers, dates and links without furniture wording; datelines; quotes and
// reported speech; table rows; lines over 30 words.
class BoilerplateStage : public Stage {
 public:
  explicit BoilerplateStage(Resources& resources);
  std::string_view name() const override { return "boilerplate"; }
  std::string_view description() const override;
  std::vector<RuleInfo> rules() const override;
  void propose(std::string_view text, std::vector<Edit>& out) override;

  // Batch evidence (pipeline/batch_evidence.h): short lines counted across
  // the documents of a run.
  std::unique_ptr<BatchCollector> batch_collector() const override;
  void use_batch_evidence(std::shared_ptr<const BatchEvidence> evidence) override;

  // The model's inputs, in the order of dictionaries/boilerplate_model.txt.
  static const std::vector<std::string_view>& feature_names();
  // Per line of `text` (split_lines): its feature values (empty for a line the
  // model does not score) and the model's probability that it is furniture.
  // Used by the training tool (bench/boilerplate_features.cpp).
  struct LineScore {
    std::vector<float> features;
    double p = 0;
  };
  std::vector<LineScore> score_lines(std::string_view text);

 private:
  enum class Verdict : std::uint8_t { kKeep, kKnown, kFurniture, kCounter, kTimestamp };
  // The old hand-written signals of is_furniture(), kept as model inputs.
  struct Signals {
    int vocab = 0, strong = 0, copyright = 0, self = 0, crumbs = 0, label = 0, menu = 0, reader = 0, action = 0,
        vetoed = 0;
  };
  static constexpr std::size_t kFeatures = 46;
  // One per line of the document, kept small: a large document has many.
  // What only a scored line needs is in its Scored entry.
  struct Line {
    std::size_t begin = 0, end = 0;  // in the text, without the '\n'
    std::uint32_t words = 0;         // capped at kMaxActionWords
    std::uint32_t sig = 0;           // a prose line: 1 + its index in sigs_
    std::uint32_t features = 0;      // a scored line: 1 + the index of its Scored entry in features_
    Verdict verdict = Verdict::kKeep;
    bool blank : 1 = true;
    bool scored : 1 = false;      // short enough for the model
    bool prose : 1 = false;       // a long line ending like a sentence: article body
    bool hit : 1 = false;         // a local furniture signal (for the neighbours feature)
    bool date_only : 1 = false;   // only a date or time: a dateline, removed only with a clock time
    bool clock : 1 = false;       // carries a clock time ("14:32", "9:02 AM"): a page timestamp, not a dateline
    bool headline : 1 = false;    // shaped like a headline: 3-16 words, a capital first, no sentence ending
    bool introduced : 1 = false;  // in a list the article introduces with a colon ("The plan pays for:")
    bool origin : 1 = false;      // says where the article was first published (a republication notice)
    bool deferred : 1 = false;    // a short line not yet read in full (read_short_lines())
    bool anchor : 1 = false;      // read in full for itself: its run and neighbours are read too
    bool ordinary : 1 = false;    // classify() would keep it (walk_line())
    bool quiet : 1 = false;       // holds no call to action (walk_line())
  };
  using Features = std::array<float, kFeatures>;
  struct Scored {
    Features x{};
    double p = 0;                                      // the probability that the line is furniture
    std::uint32_t content_begin = 0, content_end = 0;  // its content words in content_
  };
  // A line's features (all zero for a line that is not scored).
  const Features& features_of(const Line& line) const {
    static const Features kNone{};
    return line.features == 0 ? kNone : features_[line.features - 1].x;
  }
  Features& scored_features(const Line& line) { return features_[line.features - 1].x; }
  // A scored line's probability (0 for a line that is not scored).
  double p_of(const Line& line) const { return line.features == 0 ? 0 : features_[line.features - 1].p; }
  double& p_of(Line& line) { return features_[line.features - 1].p; }
  Scored& scored(const Line& line) { return features_[line.features - 1]; }
  const Scored& scored(const Line& line) const { return features_[line.features - 1]; }
  void load_model(Resources& resources);
  void analyse(std::string_view text);
  bool line_shape(std::string_view text, Line& line);
  void line_features(std::string_view text, Line& line, bool classified);
  void read_short_lines(std::string_view text, std::size_t first, std::size_t last);
  void document_features(std::string_view text);
  double probability(const Line& line) const;
  bool has_wording(const Line& line) const;
  std::string reason(const Line& line, std::size_t recurring) const;
  // What call_to_action() saw besides the range it returns: whether the line
  // holds a call (a reader question or an invitation), whether it holds a
  // sentence of prose the call does not cover, and where a trailing call
  // begins (the line's size when there is none).
  struct ActionParts {
    bool call = false;
    bool prose = false;
    std::size_t tail = 0;
  };
  // A call to action inside prose: [begin, end) of the text to cut, or an
  // empty range. `deep` skips the quick tests for a reader address and an
  // inviting word.
  std::pair<std::size_t, std::size_t> call_to_action(std::string_view line, ActionParts* parts = nullptr,
                                                     bool deep = false);
  bool invitation(std::size_t first_token, std::size_t end_token) const;
  // call_to_action()'s per-sentence buffers, reused.
  struct ActionBuffers {
    struct Sentence {
      std::size_t begin;
      bool glued;
    };
    std::vector<Sentence> sentences;
    std::vector<int> kind;
    std::vector<bool> invites, prose, short_question, invite_led, addresses;
  };
  ActionBuffers action_;

  Signals signals_;
  std::vector<Line> doc_;
  std::vector<Scored> features_;                     // of the scored lines of doc_
  std::vector<std::uint64_t> content_;               // content-word hashes of the scored lines
  std::vector<std::uint64_t> body_bits_;             // a bit set of the content words of the prose lines
  std::vector<std::array<std::uint64_t, 16>> sigs_;  // per prose line: a 1,024-bit set of its words
  std::array<double, kFeatures> weights_{};
  double remove_at_ = 0.9;
  double flag_at_ = 0.6;
  std::shared_ptr<const BatchEvidence> batch_;
  bool all_lines_ = false;  // score_lines(): every short line read in full

  struct Prefix {
    std::string text;  // normalised
    bool label;        // ends with punctuation ("read more:"): the rest may be anything
  };
  struct Token {
    std::size_t pos;  // offset in words_
    std::size_t len;
    std::size_t src;  // offset in norm_
    bool sentence_start;
  };

  Verdict classify(std::string_view line);
  // One walk over a trimmed line (walk_line()): its words, as
  // count_words_capped(line, kMaxActionWords) counts them; whether
  // classify() would certainly keep it, shown without running it (plain
  // ASCII, no counter or timestamp, no two first words a known line starts
  // with, no first word a prefix without a colon starts with (those without
  // closing punctuation only on a line of at most six words), no phrase of
  // the lists (its first two words in a row, or its one word), no colon,
  // separator or copyright mark or word, no menu); and whether it surely
  // holds no call to action: call_to_action() would return no range to cut
  // (its ActionParts, read for a line the model takes, are not covered).
  struct LineWalk {
    std::size_t words = 0;
    bool ordinary = false;
    bool quiet = false;
  };
  LineWalk walk_line(std::string_view line) const;
  bool matches_prefix(std::size_t words);
  bool vetoed(std::string_view line, std::size_t words) const;
  bool is_furniture(std::string_view line, std::size_t words);
  // A cookie or consent notice in any wording: a word of consent_ and one of
  // consent_with_ in the site's own voice (we, our, us, or a self phrase).
  bool consent_notice(bool self) const;
  int breadcrumb_signal() const;
  int label_signal() const;
  // A set of words on WordMap: one cheap hash and usually one probe.
  class WordSet {
   public:
    void insert(std::string_view w) { map_.insert(w, 1); }
    bool contains(std::string_view w) const { return map_.find(w) != nullptr; }

   private:
    WordMap<char> map_;
  };
  static bool is_word_in(const WordSet& set, std::string_view w) { return set.contains(w); }
  std::string_view token(std::size_t i) const {
    return std::string_view(words_).substr(tokens_[i].pos, tokens_[i].len);
  }

  void normalize(std::string_view line);
  void tokenize();

  WordSet exact_;
  std::vector<Prefix> prefixes_;
  std::array<std::vector<std::uint32_t>, 256> prefixes_by_byte_;  // prefixes_ indices by their first byte
  // Phrases padded with one space each side, matched against words_.
  std::vector<std::string> terms_;
  std::vector<std::string> social_;
  std::vector<std::string> strong_;
  std::vector<std::string> self_;
  WordSet verbs_;
  WordSet ui_;
  WordSet single_terms_;  // one-word terms and social names
  WordSet consent_;       // the subject of a consent notice ("cookies")
  WordSet consent_with_;  // what a consent notice pairs it with ("browser", "preferences")

  // The phrases of terms_, social_, strong_ and self_ by their first word, so a
  // line is matched by looking up its own (few) words instead of searching it
  // for every phrase. Phrase ids: the lists' entries in that order.
  enum PhraseList : std::uint8_t { kTerms, kSocial, kStrong, kSelf, kPhraseLists };
  struct PhraseRef {
    PhraseList list;
    std::uint32_t index;  // in its list
    std::uint32_t id;     // across the lists
  };
  struct PhraseHit {
    PhraseList list;
    std::uint32_t index;
    std::size_t at;  // first occurrence in words_ (its leading space)
  };
  const std::vector<std::string>& phrase_list(PhraseList list) const;
  void index_phrases();
  // Fills hits_: every phrase found in words_, at its first occurrence.
  void find_phrases();
  bool any_hit(PhraseList list, std::size_t within) const;
  // Keys: the first words of the padded phrases of the lists.
  WordMap<std::vector<PhraseRef>> phrases_by_first_word_;
  std::vector<std::uint32_t> phrase_seen_;  // per phrase id: the line stamp it was last found on
  std::uint32_t line_stamp_ = 0;
  std::vector<PhraseHit> hits_;

  // For walk_line(): bit sets of word hashes (as for_each_ascii_token()
  // hashes a word): the words of the phrases of one word and the first two
  // words of the longer ones; the first two words of the known lines; the
  // first words of the prefixes without a colon (with closing punctuation,
  // or without: these only take short lines); prefixes made only of letters
  // and digits, which a longer first word may start with.
  using Filter = std::vector<std::uint64_t>;
  static constexpr std::size_t kFilterWords = (std::size_t{1} << 16) / 64;
  Filter phrase_words_ = Filter(kFilterWords, 0);
  Filter phrase_pairs_ = Filter(kFilterWords, 0);
  Filter pair_seconds_ = Filter(kFilterWords, 0);  // the second words of phrase_pairs_
  Filter line_pairs_ = Filter(kFilterWords, 0);
  Filter line_words_ = Filter(kFilterWords, 0);  // known lines of one word
  Filter menu_words_ = Filter(kFilterWords, 0);  // words a menu may hold
  Filter label_starts_ = Filter(kFilterWords, 0);
  Filter bare_starts_ = Filter(kFilterWords, 0);
  std::vector<std::string> bare_prefixes_;

  // Per-line buffers, reused.
  std::string norm_;   // lower-cased, white space collapsed, curly quotes straightened
  std::string words_;  // " w1 w2 ... wn ": the words of norm_ without punctuation
  std::vector<Token> tokens_;
  bool tokenized_ = false;     // tokens_ holds the words of the line classify() last read
  std::vector<bool> covered_;  // bytes of words_ inside a matched strong phrase
};

}  // namespace copydesk
