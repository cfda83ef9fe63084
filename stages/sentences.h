// The sentences stage: restores sentence boundaries that scraping and
// machine translation lost.
//
// Rules (ids as they appear in edits):
//   glued-camel      "attentionIts rise" -> "attention. Its rise": a word glued
//                    to the capitalised first word of the next sentence.
//   glued-period     "challenged.The" -> "challenged. The", "the U.S.On" ->
//                    "the U.S. On", "explained.“This" -> "explained. “This":
//                    a space missing after '.', '!' or '?'.
//   glued-lowercase  "losses.microsoft fell" -> "losses. Microsoft fell": the
//                    same, and the next sentence lost its capital too.
//   glued-list-item  "1) Mix the flour2) Add water" -> "flour 2) Add": list
//                    items on one line, their numbers or letters in order.
//   glued-name       "flew back toBrussels" -> "to Brussels": a word that
//                    never ends a sentence glued to a name; only the space
//                    was lost, the sentence goes on.
//   final-period     a prose paragraph that lost its final '.' gets it back.
//
// Evidence, not shape: ICU's sentence iterator does not see these breaks, and
// a lower->upper hump is how DeepSeek, iPhone and WeChat are spelt. A hump is
// split only when the glued form is neither a Hunspell word, nor a name in
// dictionaries/names.txt, nor used again in the same document, the pieces are
// words, and the corpus statistics (dictionaries/english_words.tsv, from the
// Brown corpus) give odds of at least 20 that a sentence ends there: how much
// more often than the average word the left piece ends a sentence, times the
// odds that the right piece, capitalised, opens one rather than stands inside
// one, times the excess of lost breaks over lost spaces in scraped text (10
// after a lower-case word, 1 after a capitalised one: PascalCase is how
// brands are spelt). Odds between 1 and 20 are flagged. The same statistics
// decide after a closing straight quote and a stop glued to a word that is
// also a domain ending ("work.it showed" against "amazon.in"); four dots (an
// ellipsis and the sentence's stop) end a sentence before any capitalised
// word, three are only flagged (an elision inside a sentence, or a house
// style without spaces). A piece of a camel glue that the article writes on
// its own elsewhere is a word ("dlrsThe", "LisbonThe"); so is a misspelt
// word before a strong opener ("propsalThe") and a place Hunspell knows only
// capitalised ("KenyaThe"). A right piece only the trigram model knows (a
// surname) is flagged, never split. Before a name the trigram odds with the
// sentence lengths split where the left word ends a noun phrase (the model
// finds a sentence end after it far likelier than "the" or "that"). A common
// word Brown writes in lower case inside sentences, capitalised after a stop
// and followed by lower-case prose, opens a sentence after a capital code
// ("Q3.Shipments"), a short name ("Olek.Soup") or "!?".
// The trigram model of English (pipeline/ngram_model.h) is a second estimate
// of the same odds, and the sentence lengths on either side of the glue
// (dictionaries/sentence_lengths.txt, from the Brown corpus) a third that
// weighs with it: a camel glue is split only when they agree, and it can
// settle a break after four dots, a closing quote, a domain, an e-mail address
// or a URL before a word that also stands capitalised inside sentences.
//
// Known limits, left alone on purpose:
//   - tokens with "://", '@', "www.", '/', '\' or '_' (URLs, e-mails, paths,
//     code) but for a sentence ending in the address, lines with '=', '{', '}', '`', '<', '>', '|' or '\' (code,
//     markup, tables); domains and file names (dictionaries/domain_suffixes.txt);
//     a right piece not followed by a space ("File.Open\"");
//     dotted abbreviations followed by a lower-case word ("e.g.the");
//   - three dots, or a closing straight quote before a word that often
//     stands capitalised inside sentences ("wait...Monday");
//   - camel humps in tokens holding digits, hyphens or two humps;
//   - all-caps right pieces ("x.AI", "ASP.NET", "macOS");
//   - final periods on lines that look like headings (short, title case,
//     ending in a function word such as "of", the document's first line, a
//     line ending in "- Source"), captions ("Photo: ..."), table rows, list
//     items ("- ", "1. ", "b) ") and lines with unbalanced brackets; on lines
//     whose sentence goes on in the next line, chat-log turns ("<nick> ..."),
//     quotations before or ending in an attribution ("-- Name"), and in
//     documents whose comparable lines mostly end without a stop (verse).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "pipeline/english_stats.h"
#include "pipeline/ngram_model.h"
#include "pipeline/resources.h"
#include "pipeline/stage.h"
#include "pipeline/text.h"
#include "pipeline/word_map.h"

namespace copydesk {

class SentencesStage : public Stage {
 public:
  // Loads the stage's data files and the Hunspell lexicon (once).
  explicit SentencesStage(Resources& resources);
  std::string_view name() const override { return "sentences"; }
  std::string_view description() const override;
  std::vector<RuleInfo> rules() const override;
  void propose(std::string_view text, std::vector<Edit>& out) override;

 private:
  using Hash = StringHash;
  using WordSet = std::unordered_set<std::string, Hash, std::equal_to<>>;
  // Occurrence counts keyed by views into the document: open addressing with
  // FNV-1a, reused between documents. The index covers every token of the
  // document, so std::unordered_map's node per word dominated the stage.
  class CountMap {
   public:
    void clear();
    void add(std::string_view key);
    std::uint32_t count(std::string_view key) const;

   private:
    struct Slot {
      const char* data = nullptr;  // nullptr: empty
      std::uint32_t size = 0;
      std::uint32_t count = 0;
      std::uint64_t hash = 0;
    };
    static std::uint64_t hash(std::string_view key);
    void grow();
    std::vector<Slot> slots_;
    std::size_t used_ = 0;
  };

  void scan_token(Span line, std::size_t begin, std::size_t end, std::vector<Edit>& out);
  void check_camel(Span line, std::size_t tok_begin, std::size_t tok_end, std::vector<Edit>& out);
  // "ofLisbon" -> "of Lisbon": a word that never ends a sentence glued to the
  // name after it (the token's letters run from `wb` to `we`, the name starts
  // at `hump`).
  void check_glued_name(std::size_t wb, std::size_t hump, std::size_t we, std::vector<Edit>& out);
  // `word`, capitalised, is a name: Hunspell knows it only capitalised, the
  // corpus writes it mostly capitalised inside sentences, or neither knows it
  // and the article writes it on its own elsewhere.
  bool name_like(std::string_view word);
  // The token ends a sentence: a stop, maybe closed by quotes or brackets,
  // that is no abbreviation's or initial's period.
  bool ends_sentence(std::string_view token) const;
  // How much likelier two sentences of the lengths on either side of the
  // glue token are than one sentence of their summed length, with the glue
  // at any of its gaps (sentence_lengths.txt).
  double length_ratio(Span line, std::size_t tok_begin, std::size_t tok_end) const;
  // Straight double quotes on `line` before `pos`.
  std::size_t straight_quotes_before(Span line, std::size_t pos);
  std::size_t straight_quotes_in(Span line) const;  // on the whole line
  void check_stops(Span line, std::size_t tok_begin, std::size_t tok_end, std::vector<Edit>& out);
  void check_final_period(Span line, std::vector<Edit>& out);
  // The final period check_final_period() found missing at `e` on `line`,
  // weighed against the document around the line: nothing where the sentence
  // goes on in the next line, where the line is a chat-log turn or a
  // quotation with its attribution, or where the document's comparable lines
  // mostly end without a stop (verse, chat, notes); a flag where they are
  // mixed or both neighbours are short lines without a stop; else the period.
  void add_final_period(Span line, std::size_t e, std::vector<Edit>& out);
  // How many of the comparable (prose-shaped) lines in [begin, end) end
  // with a stop and how many end without one; how many short lines (3 to 7
  // words) there are and how many of them end without a stop.
  struct StopHabit {
    std::size_t stops = 0;
    std::size_t open = 0;
    std::size_t short_lines = 0;
    std::size_t short_open = 0;
    std::size_t lines = 0;        // lines holding a word
    std::size_t label_lines = 0;  // of those, lines not prose-shaped that end without a stop
  };
  StopHabit stop_habit(std::size_t begin, std::size_t end) const;
  // "...press@example.org.The", "...https://example.com.The": a sentence
  // ending in an e-mail address or URL, glued to the next one.
  void check_address_end(Span line, std::size_t tok_begin, std::size_t tok_end, std::vector<Edit>& out);
  // "1) Mix the flour2) Add water": list items on one line, an item's
  // number or letter glued to the end of the item before.
  void check_list_items(Span line, std::vector<Edit>& out);

  // Odds from the trigram model that a sentence ends between the words
  // `l2 l1` and the capitalised word `r` followed by `n` (any may be empty):
  // P(</s> | l2 l1) P(r | <s>) P(n | <s> r) against P(r | l2 l1) P(n | l1 r),
  // times how much more often `r` is capitalised at a sentence start than
  // inside a sentence (corpus statistics: the model is lower case). A
  // negative value when the model lacks `r` or cannot be loaded.
  // With `capital_says_nothing` (verse capitalises every line) the capital
  // is no evidence and the corpus factor is left out.
  double lm_break_odds(std::string_view l2, std::string_view l1, std::string_view r, std::string_view n,
                       bool capital_says_nothing = false);
  // The word of the token that ends before `at` (empty when that token is
  // not a plain word, maybe with a comma, or there is none) and the word
  // that begins the token after `at`.
  // True when a figure ("5,000", "$4.50"), maybe with a short scale word after
  // it ("20 mln"), stands right before `at` on the line.
  // True when the trigram model finds the sentence of `line` (ending at `e`)
  // more likely to go on in `next` than to end (verse: a capital opens every line).
  // True when the trigram model knows `word` (loading the model on first need).
  bool lm_knows(std::string_view word);
  // After `l2 l1` the trigram model finds a sentence end at least
  // kNounEndOdds times as likely as "the": `l1` ends a noun phrase rather
  // than takes an object ("the region", not "said" or "urge").
  bool noun_phrase_end(std::string_view l2, std::string_view l1);
  bool last_words_continue(Span line, std::size_t e, Span next);
  bool figure_before(Span line, std::size_t at) const;
  std::string_view word_before(Span line, std::size_t at) const;
  std::string_view word_after(Span line, std::size_t at) const;
  // Where the token after `at` begins, past spaces and opening punctuation
  // (line.end when there is none).
  std::size_t word_after_begin(Span line, std::size_t at) const;
  // The token after `at` begins with a capital letter.
  bool capital_follows(Span line, std::size_t at) const;
  // `right` is "I" or "A" and a lower-case word follows the token ending at `at`.
  bool lone_word_before_lower(std::string_view right, Span line, std::size_t at) const;

  // Hunspell, trying the capitalised form of a lower-case word too ("microsoft").
  bool known_any_case(std::string_view word);
  bool is_name(std::string_view word) const;
  // `left` followed by a stop and a lower-case letter somewhere else in the
  // document than before `right_begin`: a family of dotted names.
  bool dotted_family(std::string_view left, std::size_t right_begin) const;
  // A lower-case word the lexicon lacks that is one edit (two for a long
  // one) from a dictionary word: a typo of that word.
  bool misspelt_word(std::string_view word);
  // How often `word` occurs in the document as a run of letters / as a token
  // without its edge punctuation. The first few questions of a document are
  // answered by searching it; the index is built for the rest.
  std::uint32_t word_count(std::string_view word);
  std::uint32_t token_count(std::string_view token);
  void build_index();

  Lexicon& lexicon_;
  const EnglishStats& stats_;  // corpus statistics, shared read-only
  WordSet names_;              // canonical names, variants and their words, as written
  WordSet names_lower_;        // the same, lower-cased
  WordSet abbreviations_;
  WordSet non_final_;
  WordSet domain_suffixes_;
  std::vector<double> log_length_;        // log P(a sentence has n words), n = 1..kMaxSentenceWords
  std::shared_ptr<const NgramModel> lm_;  // loaded on first use
  bool lm_failed_ = false;                // the model could not be loaded: no trigram evidence

  // Per propose() call.
  std::size_t quote_line_ = static_cast<std::size_t>(-1);  // straight_quotes_before()'s running count
  std::size_t quote_pos_ = 0;
  std::size_t quote_count_ = 0;
  std::string_view doc_;
  std::size_t first_line_ = 0;  // where the document's first non-blank text starts
  bool final_recheck_ = false;  // check_final_period() judges a line as repaired: no context
  // add_final_period()'s counts of comparable lines ending in a stop / not,
  // for the document and for the last block of adjacent lines it looked at.
  bool habit_doc_known_ = false;
  StopHabit habit_doc_;
  Span habit_block_{};
  StopHabit habit_block_habit_;
  bool indexed_ = false;
  std::size_t direct_queries_ = 0;  // word_count() and token_count() answered without the index
  CountMap words_;
  CountMap tokens_;
  std::string scratch_;
  std::vector<std::pair<std::string, int>> near_;  // misspelt_word()'s look-ups
  std::vector<Span> candidates_;                   // tokens of the current line worth a close look
};

}  // namespace copydesk
