// The boilerplate stage: whole lines that are site furniture (ad labels, comment
// forms, navigation, share/subscribe prompts, cookie notices, taxonomy lines,
// view counters) rather than article text are removed.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/resources.h"
#include "pipeline/stage.h"
#include "pipeline/word_map.h"

namespace copydesk {

// Rules (each removes the whole line with its '\n', so no blank line is left):
//   known-pattern  The line is one of dictionaries/boilerplate.txt's exact lines
//                  ("Advertisement", "Leave a Reply") or starts with one of its
//                  prefixes ("Read more: ...", "Tags: ...").
//   furniture      A short line (<= 20 words) that several independent signals
//                  mark as furniture: reader address (you/your), furniture
//                  vocabulary (subscribe, newsletter, cookies...), an imperative
//                  call to action ("Click here", "Join our"), an unmistakable phrase
//                  ("opens in new window", "all rights reserved"), the page naming
//                  itself ("this article"), a breadcrumb (Home » News), a
//                  furniture label ("Related: ...") or a line made only of
//                  interface words ("Next Post"). One signal never removes a line.
//   counter        A line that is only a number, optionally with K/M and a word
//                  like views/likes/shares ("420", "1.2K views"). A lone year stays.
// Left alone: lines over 30 words, table rows ('|'), lines with quoted speech,
// a reporting verb (said, told...), money or percentages, or (when longer than 6
// words) figures other than a year: those are article text.
// Known limits: English wording only; a real one-line heading made only of
// interface words ("Next steps" stays, "More stories" goes) can be taken for a
// menu; a call to action glued to the end of a prose paragraph is not removed.
class BoilerplateStage : public Stage {
 public:
  explicit BoilerplateStage(Resources& resources);
  std::string_view name() const override { return "boilerplate"; }
  std::string_view description() const override;
  std::vector<RuleInfo> rules() const override;
  void propose(std::string_view text, std::vector<Edit>& out) override;

 private:
  enum class Verdict { kKeep, kKnown, kFurniture, kCounter, kTimestamp };
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
  bool matches_prefix(std::size_t words);
  bool vetoed(std::string_view line, std::size_t words) const;
  bool is_furniture(std::string_view line, std::size_t words);
  int breadcrumb_signal() const;
  int label_signal() const;
  bool is_word_in(const std::set<std::string, std::less<>>& set, std::string_view w) const {
    return set.find(w) != set.end();
  }
  std::string_view token(std::size_t i) const {
    return std::string_view(words_).substr(tokens_[i].pos, tokens_[i].len);
  }

  void normalize(std::string_view line);
  void tokenize();

  std::set<std::string, std::less<>> exact_;
  std::vector<Prefix> prefixes_;
  std::array<std::vector<std::uint32_t>, 256> prefixes_by_byte_;  // prefixes_ indices by their first byte
  // Phrases padded with one space each side, matched against words_.
  std::vector<std::string> terms_;
  std::vector<std::string> social_;
  std::vector<std::string> strong_;
  std::vector<std::string> self_;
  std::set<std::string, std::less<>> verbs_;
  std::set<std::string, std::less<>> ui_;
  std::set<std::string, std::less<>> single_terms_;  // one-word terms and social names

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

  // Per-line buffers, reused.
  std::string norm_;   // lower-cased, white space collapsed, curly quotes straightened
  std::string words_;  // " w1 w2 ... wn ": the words of norm_ without punctuation
  std::vector<Token> tokens_;
  std::vector<bool> covered_;  // bytes of words_ inside a matched strong phrase
};

}  // namespace copydesk
