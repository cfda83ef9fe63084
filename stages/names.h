// The names stage: puts names back into their canonical spelling
// ("Deepseek" -> "DeepSeek", "li Qiang" -> "Li Qiang", "Kaifu Lee" ->
// "Kai-Fu Lee", "Carnegie Mello" -> "Carnegie Mellon").
//
// Rules (ids as they appear in edits):
//   name-table     a name from dictionaries/names.txt (plus users' --names
//                  files) written another way: a listed variant ("Chatgt"),
//                  or the same letters with other case, hyphens or spaces
//                  ("deepseek", "Kai fu Lee"), or, for long names only, one
//                  letter off ("Carnegie Mello").
//   document-name  a name the document itself writes in a canonical-looking
//                  form elsewhere: an inner-capital spelling ("DeepSeek" ->
//                  fixes "Deepseek"), a capitalised word used mid-sentence in
//                  prose ("Sundance" -> fixes "sundance"), or a capitalised
//                  pair ("Du Yijin" -> fixes "du Yijin", "Du yijin"). With
//                  set_batch_evidence() the forms seen in the other documents
//                  of a batch count too.
//
// Evidence over shape: a word is only changed when nothing but a name
// explains the difference. Guards, all left alone on purpose:
//   - a variant whose lower-case form is an English word ("apple pie",
//     "amazon rainforest", "china cabinet", "united states" with no other
//     capital): listing the lower-case form as a variant in the table marks
//     a name as unambiguous;
//   - all-caps variants ("DEEPSEEK SHAKES MARKETS" is a style choice); a
//     listed all-caps variant only outside an all-caps run;
//   - tokens in URLs, e-mails, domains, paths, hashtags and handles
//     ("openai.com", "01.ai", "@deepseek_ai"), words wrapped in quotes
//     ("'deepseek'"), the piece after an apostrophe ("O'Brien");
//   - sentence-initial lower-case words (the casing stage owns them) and
//     lower-case name particles after a capitalised word ("Vincent van Gogh");
//   - splitting one word into several ("Ten Cent" is never "Tencent") unless
//     the table lists that variant;
//   - table entries holding characters other than letters, digits, spaces
//     and hyphens ("McDonald's", "01.AI") are only protected, never matched;
//   - one-letter-off matching needs a capitalised, non-dictionary word, a
//     long name (7+ letters in one word, 10+ in several) and exactly one
//     candidate; plural "s" differences are never treated as typos.
// Ambiguous document evidence (two inner-capital spellings, a common word
// that may or may not be part of the name) yields a flag, not a change.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "pipeline/batch_evidence.h"
#include "pipeline/resources.h"
#include "pipeline/stage.h"
#include "pipeline/word_analysis.h"
#include "pipeline/word_map.h"

namespace copydesk {

// One word of a line, as both NameEvidence and NamesStage see it.
namespace names_detail {
enum class Shape { kLower, kCapital, kUpper, kInner, kOther };
struct Token {
  std::size_t begin = 0;  // byte offsets in the document
  std::size_t end = 0;
  char sep_before = 0;   // ' ' or '-' when exactly that joins it to the previous token
  bool initial = false;  // first word of a sentence, heading or table cell
  bool blocked = false;  // in a URL, domain, path, handle, or after an apostrophe
  bool letters = true;   // letters only (no digits)
  bool ascii = true;     // ASCII only: its lower-case form is the same span of the lowered text
  Shape shape = Shape::kOther;
};
// One line of a document and its tokens [first, last) in the document's token list.
struct LineTokens {
  std::size_t begin = 0;  // byte offsets of the line
  std::size_t end = 0;
  std::size_t first = 0;
  std::size_t last = 0;
};
// Tokenizes every line of `text` (replacing the contents of the vectors):
// done once per document and shared by NameEvidence and NamesStage.
void tokenize_lines(std::string_view text, std::vector<Token>& tokens, std::vector<LineTokens>& lines);
// The same for the lines of `text` from offset `begin` (a line start) until
// they hold at least `bytes` bytes or the text ends; returns where the next
// line starts (text.size() at the end). A line longer than `max_line` is
// taken in pieces (piece_end() in pipeline/text.h), each a line of its own.
std::size_t tokenize_some_lines(std::string_view text, std::size_t begin, std::size_t bytes, std::vector<Token>& tokens,
                                std::vector<LineTokens>& lines, std::size_t max_line = std::string_view::npos);
// The same, and writes `lowered`, the text with its ASCII letters lower-cased
// (same offsets), for NameEvidence::collect.
void tokenize_document(std::string_view text, std::vector<Token>& tokens, std::vector<LineTokens>& lines,
                       std::string& lowered);

// The names stage's vocabulary index: written forms -> ids, open addressing.
// A look-up per token of every document: keys up to 16 bytes (most words) are
// compared as two zero-padded words held in the slot, with no memcmp and no
// tail memcpy. Insert-only; emptied by assigning a new one.
class FormIndex {
 public:
  static constexpr std::uint32_t kAbsent = 0xFFFFFFFF;
  // A form's hash and padded head, computed once for find() and insert().
  struct Probe {
    std::uint64_t hash = 0;
    std::uint64_t a = 0;  // bytes 0-7, zero-padded
    std::uint64_t b = 0;  // bytes 8-15, zero-padded
  };
  static Probe probe(std::string_view form);
  std::uint32_t find(std::string_view form, const Probe& p) const;
  void insert(std::string_view form, const Probe& p, std::uint32_t id);  // form must be absent
  // Asks the memory for the first slot find(p) reads (a hint; no effect on answers).
  void prefetch(const Probe& p) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[p.hash & mask_]);
  }
  std::size_t size() const { return size_; }

 private:
  // 24 bytes: the hash's top 16 bits and the size (0xFFFF: that or more)
  // filter the probes; the full hash is computed again when the table grows.
  struct Slot {
    std::uint64_t a = 0;  // Probe::a; for longer forms, the offset in long_forms_
    std::uint64_t b = 0;  // Probe::b; for longer forms, the size
    std::uint32_t id = kAbsent;
    std::uint16_t tag = 0;
    std::uint16_t size = 0;
  };
  static std::uint16_t tag_of(std::uint64_t hash) { return static_cast<std::uint16_t>(hash >> 48); }
  static std::uint16_t size_of(std::size_t n) { return static_cast<std::uint16_t>(n < 0xFFFF ? n : 0xFFFF); }
  void grow();
  std::vector<Slot> slots_;
  std::string long_forms_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};
}  // namespace names_detail

// Canonical-looking name forms seen in one or more documents: inner-capital
// words ("DeepSeek"), capitalised words used mid-sentence in prose lines
// ("Sundance"), and pairs of capitalised words ("Du Yijin"), with counts.
// Lower-case uses are counted only for words already seen capitalised (so
// that memory stays proportional to the names, not the vocabulary).
//
//   NameEvidence batch;
//   for (const auto& doc : docs) batch.collect(doc);
//   stage.set_batch_evidence(std::make_shared<const NameEvidence>(std::move(batch)));
//
// Not thread-safe while collecting; a finished object may be shared read-only.
class NameEvidence : public BatchEvidence {
 public:
  // Accumulates the name forms of `text` (one paragraph a line).
  void collect(std::string_view text);
  // The same, from tokenize_document()'s output for `text`.
  void collect(std::string_view text, const std::vector<names_detail::Token>& tokens,
               const std::vector<names_detail::LineTokens>& lines, std::string_view lowered);
  // Adds the counts of `other`.
  void merge(const NameEvidence& other);
  void clear();
  bool empty() const { return words_.empty() && pairs_.empty(); }

  struct Forms {
    std::unordered_map<std::string, std::size_t> inner;  // "DeepSeek" -> count
    std::size_t capitalised = 0;                         // "Sundance" mid-sentence in prose
    std::size_t initial = 0;                             // "Moreno" at a sentence start in prose
    std::size_t lower = 0;                               // "sundance"
  };
  struct PairForm {
    std::string form;              // "Du Yijin" (the first seen)
    std::size_t count = 0;         // uses of that exact form
    std::size_t mid_sentence = 0;  // uses not at a sentence start
  };

  // Forms for a lower-case word, or nullptr.
  const Forms* word(std::string_view lower) const;
  // The capitalised pair for "first second" (lower case, one space), or nullptr.
  const PairForm* pair(std::string_view lower_pair) const;

 private:
  using Hash = StringHash;
  std::unordered_map<std::string, Forms, Hash, std::equal_to<>> words_;
  std::unordered_map<std::string, PairForm, Hash, std::equal_to<>> pairs_;
  std::vector<names_detail::Token> tokens_;      // scratch
  std::vector<names_detail::LineTokens> lines_;  // scratch
  std::string lowered_;                          // scratch
  std::string key_;                              // scratch
};

class NamesStage : public Stage {
 public:
  // Documents up to whole_document_bytes are tokenized in one piece; larger
  // ones a block of lines of about block_bytes at a time, twice (see
  // propose). The same edits either way (a test lowers both).
  static inline std::size_t whole_document_bytes = std::size_t{4} << 20;
  static inline std::size_t block_bytes = std::size_t{1} << 20;

  // Indexes resources.names() and keeps the lexicon (loaded once).
  explicit NamesStage(Resources& resources);
  std::string_view name() const override { return "names"; }
  std::string_view description() const override;
  std::vector<RuleInfo> rules() const override;
  void propose(std::string_view text, std::vector<Edit>& out) override;
  // The same edits, with the Words of the runs of letters looked up once per
  // distinct form of the pipeline's shared analysis.
  bool reads_words() const override { return true; }
  void propose_words(std::string_view text, const WordAnalysis& words, std::vector<Edit>& out) override;

  // Evidence from the other documents of a batch, used in addition to the
  // document's own; nullptr to stop using it.
  void set_batch_evidence(std::shared_ptr<const NameEvidence> evidence) { batch_ = std::move(evidence); }
  // The same through the stage-neutral pre-pass (pipeline/batch_evidence.h).
  std::unique_ptr<BatchCollector> batch_collector() const override;
  void use_batch_evidence(std::shared_ptr<const BatchEvidence> evidence) override {
    set_batch_evidence(std::dynamic_pointer_cast<const NameEvidence>(std::move(evidence)));
  }

 private:
  struct Entry {
    std::string canonical;
    std::string key;                    // name_key() of the canonical form
    std::vector<std::string> variants;  // matchable listed variants
    std::size_t tokens = 0;             // words in the canonical form
    bool acronym = false;               // one all-caps word ("NATO"): "Nato" is a house style
  };

  // The persistent vocabulary: every written form the stage has seen, looked
  // up once per token, with the static facts about it computed at most once
  // (across documents), and the document evidence about its lower-case form
  // stamped with the document's epoch (a stale stamp reads as zero counts), so
  // nothing is cleared or re-hashed per document.
  static constexpr std::uint32_t kNone = 0xFFFFFFFF;
  static constexpr std::int32_t kUnset = -3;     // a fact not computed yet
  static constexpr std::int32_t kNoPrefix = -2;  // Lower::prefix: no name's key starts so
  struct Word {                                  // a form as written ("Deepseek")
    std::uint32_t lower = 0;                     // its lower-case form, an index in lowers_
    std::int8_t known = -1;                      // lexicon_.known(form); -1: not asked yet
    bool name_word = false;                      // in multi_name_words_
  };
  // Counts and offsets of a form's text are 32-bit (start_document() keeps
  // lower_text_ under 4 GiB; a document's counts cannot pass 2^32 before its
  // text does) and the document offsets of an inner-capital form live in
  // inner_spans_: one cache line a form (64 bytes, aligned), so a token's
  // look-up of its form's facts waits for one line, not two.
  struct alignas(64) Lower {   // a lower-case form ("deepseek")
    std::uint64_t next = 0;    // key_prefixes_'s KeyPart::next for the form
    std::uint32_t offset = 0;  // the form in lower_text_
    std::uint32_t size = 0;
    std::int32_t prefix = kNoPrefix;  // key_prefixes_'s KeyPart::list for the form as a one-word key
    std::int32_t fuzzy = kUnset;      // one-letter-off entry for the form as a one-word span; -1: none
    // Document evidence (NameEvidence's Forms for this document), valid when
    // epoch == epoch_.
    std::uint32_t epoch = 0;
    std::uint32_t inner_word = kNone;  // the first inner-capital form seen (a Word index)
    std::uint32_t inner_span = 0;      // where it is in the document: an index in inner_spans_
    std::uint32_t capitalised = 0;
    std::uint32_t initial = 0;
    std::uint32_t lowered = 0;  // lower-case uses
    std::int8_t known = -1;     // lexicon_.known(form); -1: not asked yet
    // The KeyPart::next bit of the form's first character (-1: none), so a
    // word's test of the next one does not read the next one's text.
    std::int8_t first_bit = -1;
    bool particle = false;
    bool stop = false;
    bool calendar = false;
    bool inner_multi = false;  // ... and another inner-capital form seen too
    bool paired = false;       // a word of one of the document's capitalised pairs
  };
  static_assert(sizeof(Lower) == 64);
  // A capitalised pair of the document ("Du Yijin"), keyed by the lower-case
  // forms of its words; a slot is in use when its epoch is the document's.
  struct PairSlot {
    std::uint64_t key = 0;  // lower index of the first word << 32 | of the second
    std::uint32_t epoch = 0;
    std::uint32_t first = 0;   // the Words of the first form seen
    std::uint32_t second = 0;  // (the same Words: the same form)
    std::size_t begin = 0;     // the first form seen, in the document
    std::size_t end = 0;
    std::size_t count = 0;         // uses of that exact form
    std::size_t mid_sentence = 0;  // uses not at a sentence start
  };

  void start_document();
  // The index in lowers_ of `lower` (hash WordMap<char>::hash(lower)), or
  // kNone and the free slot where index_lower() puts it.
  std::uint32_t find_lower(std::string_view lower, std::uint64_t h, std::size_t& slot) const;
  void index_lower(std::uint64_t h, std::size_t slot, std::uint32_t id);  // after lowers_.push_back
  std::uint32_t add_word(std::string_view form, const names_detail::FormIndex::Probe& probe);
  std::string_view lower_text(const Lower& l) const { return std::string_view(lower_text_).substr(l.offset, l.size); }
  bool known_lower(Lower& l);
  bool known_form(Word& w, std::string_view form);
  Lower& touch(std::uint32_t lower);
  const Lower* evidence(std::uint32_t lower) const;
  PairSlot* pair_slot(std::uint64_t key, bool insert);
  void collect_document(std::string_view text);
  // Asks for the Lower of `word` (a Word index) from memory.
  void prefetch_lower(std::uint32_t word) const;
  // The vocabulary ids of tokens' forms, added if new.
  void word_ids(std::string_view text, const names_detail::Token* toks, std::size_t n, std::uint32_t* ids);
  void propose_line(std::string_view text, const names_detail::LineTokens& line, std::vector<Edit>& out);
  // Returns the number of tokens consumed by a table match at `i` (0: none).
  std::size_t match_table(std::string_view text, const names_detail::Token* toks, const std::uint32_t* words,
                          std::size_t n, std::size_t i, std::vector<Edit>& out);
  std::size_t match_fuzzy(std::string_view text, const names_detail::Token* toks, const std::uint32_t* words,
                          std::size_t n, std::size_t i, std::vector<Edit>& out);
  // The entry one letter off `key` (a span of `k` words), or nullptr if none or several.
  const Entry* fuzzy_candidate(std::string_view key, std::size_t k);
  bool document_candidate(const names_detail::Token* toks, const std::uint32_t* words, std::size_t n, std::size_t i);
  void match_document(std::string_view text, const names_detail::Token* toks, const std::uint32_t* words, std::size_t n,
                      std::size_t i, std::vector<Edit>& out);

  Lexicon& lexicon_;
  // Letters and digits of a name, lower-cased, spaces and hyphens dropped
  // ("kaifulee"), and every leading part of such a key ("k", "ka", ...) ->
  // index in key_lists_ of the entries with that key, or -1 for a part only.
  // match_table stops widening a span as soon as its key is no name's start,
  // so most words cost one look-up.
  struct KeyPart {
    std::int32_t list = -1;
    // The characters that follow this part in the keys that start with it:
    // bit continuation_bit(c) for a digit or a lower-case ASCII letter,
    // kOtherContinuation for any other byte.
    std::uint64_t next = 0;
  };
  static constexpr std::uint64_t kOtherContinuation = std::uint64_t{1} << 63;
  // The names table and its indexes, built once from resources.names() and
  // shared read-only by every thread's stage.
  struct Tables {
    std::vector<Entry> entries;
    WordMap<KeyPart> key_prefixes;
    std::vector<std::vector<std::size_t>> key_lists;
    // One-letter deletions of long keys -> index in deletion_lists of the
    // entries, for one-letter-off matches.
    WordMap<std::uint32_t> by_deletion;
    std::vector<std::vector<std::size_t>> deletion_lists;
    // The words (as written) of the several-word names that one-letter-off
    // matching can propose: a span with fewer than all but one of its words
    // among them can be no such match.
    WordMap<char> multi_name_words;
    std::size_t max_tokens = 1;
  };
  static Tables build_tables(Resources& resources);
  std::shared_ptr<const Tables> tables_;
  const std::vector<Entry>& entries_;
  const WordMap<KeyPart>& key_prefixes_;
  const std::vector<std::vector<std::size_t>>& key_lists_;
  const WordMap<std::uint32_t>& by_deletion_;
  const std::vector<std::vector<std::size_t>>& deletion_lists_;
  const WordMap<char>& multi_name_words_;
  const std::size_t max_tokens_;
  std::shared_ptr<const NameEvidence> batch_;

  // The vocabulary (bounded: emptied between documents when it grows past
  // this pipeline's share of the process's budget).
  Budget vocabulary_budget_;
  names_detail::FormIndex word_ids_;
  std::vector<Word> words_;
  // Lower-case forms -> index in lowers_, open addressing, at most half
  // full: a slot is the hash's high half << 32 | (index + 1), 0 if empty;
  // the forms themselves are read in lower_text_ (no second copy).
  std::vector<std::uint64_t> lower_slots_;
  std::size_t lower_mask_ = 0;
  std::vector<Lower> lowers_;
  // The current document's first inner-capital forms (Lower::inner_span),
  // begin and end offsets in the document.
  std::vector<std::pair<std::size_t, std::size_t>> inner_spans_;
  std::string lower_text_;
  std::uint32_t epoch_ = 0;
  std::vector<PairSlot> pairs_;  // open addressing, a power of two in size
  std::size_t pair_count_ = 0;   // slots of this document's epoch

  // propose_words: the shared analysis while the document's Words are
  // looked up (else nullptr), its next run not yet passed, and the Word of
  // each of its forms.
  const WordAnalysis* analysis_ = nullptr;
  const WordAnalysis::Run* run_ = nullptr;
  const WordAnalysis::Run* runs_end_ = nullptr;
  std::vector<std::uint32_t> form_words_;

  // Scratch buffers reused across calls.
  std::vector<names_detail::Token> doc_tokens_;  // the document's, tokenized once
  std::vector<names_detail::LineTokens> doc_lines_;
  std::vector<std::uint32_t> doc_words_;  // the Word of each token
  std::string key_;
  std::string scratch_;
};

}  // namespace copydesk
