// The casing stage: restores capitals that scraping and machine translation
// lost (or added), after `names` has fixed the known names and before
// `spelling` looks at the words.
//
// Rules (ids as they appear in edits):
//   sentence-start  "losses. according to" -> "losses. According to",
//                   `support." the law` -> `support." The law`: a lower-case
//                   word after a sentence-ending '.', '?' or '!'.
//   month-weekday   "january 29" -> "January 29", "in november" -> "in
//                   November"; "may", "march" and "august" only next to a day
//                   number or a year ("in may 2005", "29 march").
//   proper-noun     "in russia," -> "in Russia,", "mr Thomas" -> "Mr Thomas",
//                   "wall Street" -> "Wall Street", "And moya" -> "And Moya".
//   acronym         "Mixture of Experts (moe)" -> "(MoE)", "sports utility
//                   vehicles (Suvs)" -> "(SUVs)".
//   shouted         "TAIWAN AI Labs" -> "Taiwan AI Labs", "(pre-MARKET)" ->
//                   "(pre-market)" when the document writes the word in normal
//                   case elsewhere.
//
// Evidence, not shape. A proper noun is capitalised only when Hunspell accepts
// the capitalised form and rejects the lower-case one ("russia", "london";
// Hunspell accepts "the" as "The", so both are asked) and the lower-case word
// is not more likely a slip for a common word one edit away ("tim" near
// "time", by dictionaries/word_frequencies.txt: then only the document's own
// capitalised use counts), when the document
// itself writes the word capitalised and never in lower case elsewhere (names
// the dictionary does not know: "moya", "sundance"), when a fixed phrase of
// dictionaries/casing_phrases.txt is half capitalised already ("wall
// Street"), or, for the few words of dictionaries/casing_proper.txt that are
// also common words ("china"), when the document capitalises them mid-sentence.
// An acronym is recased only when its letters are the initials of the words
// just before the parenthesis; a shouted word only when the document has it
// in normal case, it has four letters or more and it is not listed in
// dictionaries/casing_acronyms.txt.
//
// Known limits, left alone on purpose:
//   - after abbreviations (dictionaries/sentence_abbreviations.txt; "U.S.
//     officials", "e.g. the", initials), ellipses, colons, numbered list
//     markers, and after `?"` / `!"` (`"Really?" she asked`); after `."`
//     a pronoun plus a speech verb (`." he said`) is an attribution;
//   - words with inner capitals or digits (iPhone, eBay, x86), tokens that are
//     URLs, e-mails, domains, hashtags or paths, lines of code or markup and
//     lines without any capital letter (lower case by design);
//   - a lower-case word at the start of a line (list items, table cells,
//     paragraphs the scraper split: not provably a sentence start);
//   - common words that are also names ("bill", "mark", "turkey", "may" the
//     verb): with document evidence they are flagged, never changed;
//   - all-caps headings and datelines ("LONDON (Reuters)"), acronyms of up to
//     three letters.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "pipeline/ngram_model.h"
#include "pipeline/resources.h"
#include "pipeline/stage.h"
#include "pipeline/text.h"
#include "pipeline/word_analysis.h"
#include "pipeline/word_map.h"

namespace copydesk {

class CasingStage : public Stage {
 public:
  // Documents up to this size keep every line's tokens and words between the
  // index pass and the scan (40-odd bytes a word); larger ones split each
  // line again for the scan. The same edits either way (a test lowers it).
  static inline std::size_t whole_document_bytes = std::size_t{4} << 20;

  // Loads the stage's data files and the Hunspell lexicon (once).
  explicit CasingStage(Resources& resources);
  std::string_view name() const override { return "casing"; }
  std::string_view description() const override;
  std::vector<RuleInfo> rules() const override;
  void propose(std::string_view text, std::vector<Edit>& out) override;
  // The same edits, reading the runs of letters and their forms from the
  // pipeline's analysis instead of finding and hashing them again.
  bool reads_words() const override { return true; }
  void propose_words(std::string_view text, const WordAnalysis& words, std::vector<Edit>& out) override;

 private:
  using Hash = StringHash;
  using WordSet = std::unordered_set<std::string, Hash, std::equal_to<>>;

  // How often a word form occurs in the current document: in all, and in the
  // middle of a sentence of a prose line (not a heading or a table row), where
  // a capital is evidence of a name.
  struct Counts {
    std::uint32_t all = 0;
    std::uint32_t mid = 0;
  };

  static constexpr std::uint32_t kNoId = 0xFFFFFFFF;
  // Entry::quiet (see classify in casing.cpp).
  enum : std::int8_t { kQuietUnknown = -1, kQuietNever, kQuietAlways, kQuietShort, kQuietPlain };
  // casing_phrases.txt's phrases starting with one word: their words, longest phrase first.
  using PhraseList = std::vector<std::vector<std::string>>;

  // One word form as written (a run of letters, or a form derived from one:
  // its capitalised or lower-case spelling). The vocabulary keeps it across
  // documents, so every fact that depends on the spelling alone is computed
  // once per form, not once per occurrence; the counts belong to the document
  // whose number is in `epoch` (an older epoch means zero).
  struct Entry {
    std::uint32_t epoch = 0;
    std::uint32_t all = 0;
    std::uint32_t mid = 0;
    std::uint32_t code_points = 0;
    std::uint32_t uppers = 0;             // upper-case code points
    std::uint32_t cap = kNoId;            // id of the capitalised form (kNoId: not interned yet)
    std::uint8_t shape = 0;               // Shape (casing.cpp)
    std::uint8_t lists = 0;               // kList* bits: memberships of the fixed word lists
    bool first_upper = false;             // the first code point is upper case
    std::int8_t known = -1;               // lexicon_.known(form); -1: not asked yet
    std::int8_t listed = -1;              // proper_ holds the form
    std::int8_t shout_exempt = -1;        // check_shouted never lowers the form
    std::int8_t phrase_checked = 0;       // `phrases` is set
    std::int8_t quiet = kQuietUnknown;    // classify(): check_word's early exits for the form
    const PhraseList* phrases = nullptr;  // phrases_for(form)
  };
  // A word of the current line: letters with inner apostrophes ("don't").
  struct Word {
    std::size_t begin = 0;  // byte offsets in the document
    std::size_t end = 0;
    std::size_t token = 0;     // index of its token in tokens_ (its line's tokens)
    std::uint32_t id = kNoId;  // vocabulary id of its first run of letters
    bool single = true;        // the word is that one run (no apostrophe)
    bool first_in_token = false;
    bool initial = false;  // starts a sentence, a line, a quote or a clause after ':'
    bool done = false;     // an edit (or a decision to leave it) is already made
  };

  struct Token {
    std::size_t begin = 0;
    std::size_t end = 0;
    bool skip = false;  // URL, e-mail, domain, hashtag, path
  };

  // A line scan_line looks at (lines without a capital or with code are
  // left out): its tokens and words in doc_tokens_ / doc_words_.
  struct Line {
    std::size_t token_begin = 0;
    std::size_t token_end = 0;
    std::size_t word_begin = 0;
    std::size_t word_end = 0;
    bool shouting = false;  // most letters of the line are capitals
  };

  void index_document(std::string_view text);
  // Indexes one line into doc_tokens_ / doc_words_ and sets `line`; false if
  // scan_line has nothing to look at in it. With `counting`, the line's runs
  // are counted in the vocabulary (the index pass); without, the line is only
  // split again (a large document's scan pass, see propose).
  bool index_line(std::size_t begin, std::size_t end, bool counting, Line& line);
  // The vocabulary id of `form`, added if new. Forms of one to eight bytes
  // (most words) live in short_, keyed by their bytes as one integer, so a
  // hit is one multiply and an integer compare; longer ones live in long_.
  std::uint32_t intern(std::string_view form);
  std::uint32_t intern_short(std::uint64_t key, std::string_view form);
  std::uint32_t add_short(std::uint64_t key, std::string_view form);
  std::uint32_t add_form(std::string_view form, std::uint64_t h);
  std::uint32_t new_entry(std::string_view form);
  // A new document: its epoch, and a fresh vocabulary when the old one is too big.
  void start_document();
  // The id of `form`, kNoId if it is not in the vocabulary.
  std::uint32_t lookup(std::string_view form);
  void reset_vocabulary();
  Counts counts(std::string_view word);
  Counts counts_of(std::uint32_t id) const {
    const Entry& e = entries_[id];
    return e.epoch == epoch_ ? Counts{e.all, e.mid} : Counts{};
  }
  bool known_of(std::uint32_t id, std::string_view form);
  std::uint32_t capitalised_of(std::uint32_t id, std::string_view form);
  std::string_view word_text(std::size_t w) const {
    return doc_.substr(words_[w].begin, words_[w].end - words_[w].begin);
  }
  void scan_line(const Line& line, std::vector<Edit>& out);
  void check_acronym(std::size_t w, std::vector<Edit>& out);
  // "(moe)", "(Suvs),": the word opens its token after a '(' and a ')' follows it.
  bool fills_parenthesis(const Word& word) const {
    const Token& tok = tokens_[word.token];
    return word.begin == tok.begin + 1 && doc_[tok.begin] == '(' && word.end < tok.end && doc_[word.end] == ')';
  }
  // The phrases of casing_phrases.txt starting at word w (`phrases`: those of its first word).
  void check_phrases(std::size_t w, const PhraseList& phrases, std::vector<Edit>& out);
  void classify(std::size_t w);
  // check_sentence_start's first test: the word opens its token, after a
  // token whose last byte may end a sentence. Most tokens end in a letter or
  // a comma, an ASCII byte that is no stop, closing quote or bracket.
  bool may_start_sentence(const Word& word) const;
  const PhraseList* phrases_for(std::string_view word);
  void check_word(std::size_t w, std::vector<Edit>& out);
  bool check_sentence_start(std::size_t w, std::vector<Edit>& out);
  bool check_month(std::size_t w, std::uint32_t base_id, std::vector<Edit>& out);
  bool check_proper(std::size_t w, std::string_view base, std::uint32_t base_id, std::vector<Edit>& out);
  bool check_shouted(std::size_t w, std::vector<Edit>& out);
  // Whether token `token` ends a sentence before word w: kUnsure after a
  // short vowel-less form ("mg.", "ln."), a unit or abbreviation as often as
  // a sentence's last word. The token's word is read as this run's own edit
  // of it (in `out` from `first_edit_` on) leaves it: "han. so" is an
  // abbreviation's period, "Han. so" a sentence's.
  enum class Stop { kNo, kYes, kUnsure };
  Stop ends_sentence(std::size_t token, std::size_t w, const std::vector<Edit>& out);

  bool known(std::string_view word) { return lexicon_.known(word); }

  std::size_t first_edit_ = 0;  // where this run's edits start in `out`
  Lexicon& lexicon_;
  const WordFrequencies& frequencies_;
  // The trigram model of English (its vocabulary says whether general English
  // uses a name), loaded when a name without the article's evidence is met.
  std::shared_ptr<const NgramModel> lm_;
  // General English uses `lower` as a word or name: edited prose (Brown)
  // writes it capitalised, or the language model knows it.
  bool attested(std::string_view lower);
  // The lower-case word `w` (base `base`), known only as a name, reads in its
  // sentence as a slip for a common word one edit away: the trigram model,
  // given the words on either side, likes that word a hundredfold better.
  bool slip_in_context(std::size_t w, std::string_view base);
  std::vector<std::pair<std::string, int>> near_;  // scratch for slip_in_context
  WordSet abbreviations_;                          // sentence_abbreviations.txt
  WordSet acronyms_;                               // casing_acronyms.txt
  WordSet proper_;                                 // casing_proper.txt, lower-cased
  WordSet upper_names_;                            // all-caps words of names.txt canonical names
  // casing_phrases.txt: the phrases' words, grouped by their first word lower-cased.
  std::unordered_map<std::string, PhraseList, Hash, std::equal_to<>> phrases_;
  // A filter in front of phrases_: bit n of phrase_starts_[c - 'a'] is set if
  // a phrase's first word starts with c and has n bytes (all are ASCII).
  std::array<std::uint64_t, 26> phrase_starts_{};
  bool phrase_filter_ = true;

  // The vocabulary: form -> id in entries_. Kept across documents, cleared
  // between documents when it grows past this pipeline's share of the
  // process's budget.
  Budget vocabulary_budget_;
  // Forms of more than eight bytes: an open-addressing table, at most half
  // full (id kNoId marks an empty slot), 16 bytes a slot, the forms' bytes
  // one after another in long_text_ (4 bytes of text for a 48-byte WordMap
  // slot with its key inline).
  struct LongSlot {
    std::uint32_t tag = 0;     // the hash's high half
    std::uint32_t id = kNoId;  // in entries_
    std::uint32_t offset = 0;  // the form in long_text_
    std::uint32_t size = 0;
  };
  std::uint32_t find_long(std::string_view form, std::uint64_t h) const;
  std::vector<LongSlot> long_;
  std::size_t long_mask_ = 0;
  std::size_t long_size_ = 0;
  std::string long_text_;
  // Forms of one to eight bytes: an open-addressing table, at most half full;
  // len 0 marks an empty slot.
  struct ShortSlot {
    std::uint64_t key = 0;  // the form's bytes, the first one lowest
    std::uint32_t len = 0;
    std::uint32_t id = kNoId;
  };
  std::vector<ShortSlot> short_;
  std::size_t short_mask_ = 0;
  std::size_t short_size_ = 0;
  std::vector<Entry> entries_;
  std::uint32_t epoch_ = 0;  // the current document's number

  // Per propose() call; the views point into its text.
  std::string_view doc_;
  std::vector<Token> doc_tokens_;
  std::vector<Word> doc_words_;
  std::vector<Line> lines_;
  // The shared analysis of doc_ (propose_words), or nullptr: index_line then
  // takes each run of letters and its form from it. run_ is the next run not
  // yet read; form_entries_ maps the analysis's forms to entries_.
  const WordAnalysis* analysis_ = nullptr;
  const WordAnalysis::Run* run_ = nullptr;
  std::vector<std::uint32_t> form_entries_;
  // The facts index_line reads for each run, one compact record per form of
  // the analysis (in the order the forms first occur), and the document's
  // counts, kept here during the index pass and written to the entries once
  // per form after it: the pass then reads a small array that the document's
  // runs walk nearly in order, not a vocabulary entry per run.
  struct FormFacts {
    std::uint32_t all = 0;
    std::uint32_t mid = 0;
    std::uint32_t code_points = 0;
    std::uint32_t uppers = 0;
    bool first_upper = false;
  };
  std::vector<FormFacts> form_facts_;
  bool keep_words_ = true;  // doc_tokens_ / doc_words_ hold the whole document's (not a large one's)
  // index_line: the line's runs that count as mid-sentence if it is prose
  // (their entries' ids, or with an analysis their forms' ids)
  std::vector<std::uint32_t> mids_;
  // The current line's tokens and words (slices of doc_tokens_ / doc_words_).
  std::span<Token> tokens_;
  std::span<Word> words_;
  bool line_shouting_ = false;
  std::string scratch_;
  std::string scratch2_;
  std::string cap_;  // capitalised_of's buffer
};

}  // namespace copydesk
