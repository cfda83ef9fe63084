// The unicode stage runs first: it repairs the character-level damage that the
// later, word-level stages should never have to think about.
//
// Rules:
//   nfc        NFC normalisation, one edit per changed combining sequence
//              ("e" + U+0301 -> "é"). Text that is already NFC is untouched.
//   invisible  Known invisible characters removed: U+200B, U+2060, U+FEFF,
//              U+00AD, ZWJ/ZWNJ between two ASCII letters (elsewhere they
//              shape emoji and scripts), and the ASCII controls that are only
//              ever residue (NUL, BEL, BS, ESC, DEL). Other controls are
//              flagged and left in place.
//   odd-space  Thin, hair, en/em, ideographic and other rare spaces -> ' '
//              (kept between digits, U+3000 kept next to CJK). A no-break
//              space is kept: it is changed only where it stands beside
//              another space or at the edge of a line.
//   mojibake   UTF-8 that was decoded with a legacy single-byte encoding
//              (Windows-1252 with its C1 bytes, Latin-1, Windows-1250,
//              Windows-1251, MacRoman, ISO-8859-2, cp437) encoded back to its
//              bytes and decoded as UTF-8 (or CESU-8), repeated for double
//              encodings. A lone C1 control is the Windows-1252 character of
//              its byte.
//
// How mojibake is decided: a run of characters that one of the encodings
// can represent is turned back into that encoding's bytes; where the bytes
// hold valid UTF-8 sequences (a space may stand for one lost 0xA0 byte), the
// decoded text is compared with the original by a badness score: a count of
// character sequences that real text almost never holds (a capital after a
// small letter inside a word, a currency sign or a symbol glued inside a
// word, C1 controls, rare signs such as "¤" or "‡", letters of two scripts
// inside one word...). The repair is accepted only if the result is
// printable and strictly less bad. A repair of a single two-byte sequence
// ("cafÃ©") is weak evidence: it is made only when the document also holds
// strong mojibake or has no other non-ASCII text (a document read in the
// wrong encoding has no intact non-ASCII text left), or where the letters it
// gives fit the language of the document's intact letters while the letters
// as written fit none (CLDR's exemplar letters); otherwise it is flagged.
// A valid repair that is no less bad is made only on a line that holds
// other repairs and whose every non-ASCII character lies in a repair. Runs
// are read as one document: a run two encodings read alike, or that no
// encoding makes less bad, takes the encoding the document's other runs show.
// docs/stages/unicode.md lists every badness rule.
//
// Known limits: Combining sequences longer than 32 code points (Zalgo text)
// are not normalised, which keeps the stage linear. Curly and straight
// quotes are never changed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/resources.h"
#include "pipeline/stage.h"

namespace copydesk {

class UnicodeStage : public Stage {
 public:
  explicit UnicodeStage(Resources& resources);
  std::string_view name() const override { return "unicode"; }
  std::string_view description() const override;
  std::vector<RuleInfo> rules() const override;
  void propose(std::string_view text, std::vector<Edit>& out) override;

  // One UTF-8 sequence found in a run re-encoded with a legacy encoding:
  // code points [at, at + len) of the run decode to `cp`.
  struct Sequence {
    std::size_t at = 0;
    std::size_t len = 0;
    char32_t cp = 0;
    int bytes = 0;         // UTF-8 (or CESU-8) bytes it took
    bool lost_a0 = false;  // a space stood for the byte 0xA0
  };

 private:
  // How much evidence a repair carries on its own.
  enum class Evidence {
    kStrong,    // several sequences, a three- or four-byte one, C1 bytes or a double encoding
    kWeak,      // one two-byte sequence: made where the document supports it, else flagged
    kLostByte,  // one two-byte sequence with a space for its 0xA0: made where supported, else dropped
    kNeutral,   // no less bad, but valid: made only on a line whose every non-ASCII
                // character is in a repair and which holds a strong one
  };
  // A mojibake repair found by the analysis pass.
  struct Repair {
    std::size_t begin = 0;
    std::size_t end = 0;
    std::string replacement;
    std::string reason;
    Evidence evidence = Evidence::kStrong;
    std::size_t non_ascii = 0;  // non-ASCII characters it covers, C1 controls aside
    bool letters_fit = false;   // weak, but its letters are the document's language's (settle_weak)
    // ISO-8859-2 and Windows-1250 read the run alike and repair it into
    // different text, and nothing in the document tells which: flagged,
    // naming both readings (resolve_ties).
    bool undecided = false;
    std::string alternative;  // the other encoding's reading of the span, where undecided
    // A decoding level taken though no less bad (redecode): the text without
    // it, used unless the document shows strictly better levels of that encoding.
    int even_codec = -1;
    std::string shallow;
    std::string shallow_reason;
    unsigned strict_codecs = 0;  // bit k: a level through encoding k made it strictly less bad
  };
  // A candidate repair of run code points [first, last).
  struct Candidate {
    std::size_t first = 0;
    std::size_t last = 0;
    std::vector<char32_t> decoded;
    std::string reason;
    Evidence evidence = Evidence::kStrong;
    int even_codec = -1;
    std::vector<char32_t> shallow;
    std::string shallow_reason;
    unsigned strict_codecs = 0;
  };

  // First pass: finds every mojibake repair of the document into repairs_.
  void analyse(std::string_view text);
  // Reads the run of characters some legacy encoding can represent starting
  // at `begin` into run_cps_/run_offsets_ and returns its end.
  std::size_t collect_run(std::string_view text, std::size_t begin);
  // Appends the accepted repairs of the current run to repairs_.
  void repair_run(std::string_view text);
  // Candidates of the current run for one encoding; returns their summed gain in badness.
  int run_candidates(std::string_view text, int codec, std::vector<Candidate>& out);
  // Makes repairs of the candidates, in order, onto `out`.
  void build_repairs(std::string_view text, std::vector<Candidate>& cands, std::vector<Repair>& out);
  // Where ISO-8859-2 and Windows-1250 tied, takes the ISO-8859-2 repairs when
  // only they give the document letters some language writes together.
  void resolve_ties(std::string_view text);
  // Marks the tied runs the two Central European encodings repair differently
  // as undecided (flagged, not changed).
  void mark_undecided();
  // Adds the repairs of runs that only had valid, no less bad readings: the
  // reading of the encoding the document's other runs agreed with.
  void settle_pending(std::string_view text);
  // Keeps the neutral repairs only on lines that support them.
  void settle_neutral(std::string_view text);
  // Marks the weak repairs whose decoded letters some language writes together
  // with the document's intact ones, while the letters as written fit none.
  void settle_weak(std::string_view text);
  // Decodes `cand.decoded` again while that makes it less bad (double
  // encoding); appends the encodings used to `labels`. Returns the number of
  // extra levels.
  int redecode(Candidate& cand, const std::vector<char32_t>& before, const std::vector<char32_t>& after,
               std::string& labels);
  // Where the document shows no strictly better level of an encoding, the
  // repairs that took an even level of it keep the text before that level.
  void settle_even();
  // Appends `cps` cleaned (invisible dropped, odd spaces made plain) and NFC to `out`.
  void clean_into(const std::vector<char32_t>& cps, char32_t before, char32_t after, std::string& out);
  // True if NFC changes `segment`; the normal form goes to `out`.
  bool nfc_differs(std::string_view segment, std::string& out);

  std::vector<Repair> repairs_;
  // A run where ISO-8859-2 tied with the chosen Windows-1250: its repairs
  // repairs_[first, first + count) and the ISO-8859-2 ones.
  struct Tie {
    std::size_t first = 0;
    std::size_t count = 0;
    std::vector<Repair> alternative;
  };
  std::vector<Tie> ties_;
  std::vector<Candidate> tied_;
  std::vector<int> votes_;     // per encoding: earlier runs it repaired as well as the chosen one
  std::vector<int> decisive_;  // per encoding: runs it alone of ISO-8859-2 and Windows-1250 repaired best
  // The neutral repairs of a run no encoding repaired, one encoding's.
  struct Pending {
    std::size_t run = 0;
    int codec = -1;
    std::vector<Repair> repairs;
  };
  std::vector<Pending> pending_;
  std::size_t run_count_ = 0;
  bool doc_has_strong_ = false;
  bool has_neutral_ = false;           // set by run_candidates
  std::size_t coverage_ = 0;           // set by run_candidates: run characters its repairs cover
  bool c1_checked_ = false;            // the document was searched for C1 controls
  std::size_t genuine_non_ascii_ = 0;  // non-ASCII characters but C1 controls
  std::size_t covered_non_ascii_ = 0;  // those of them inside repairs
  // Scratch buffers reused between calls so the hot path never allocates.
  std::vector<char32_t> run_cps_;
  std::vector<std::size_t> run_offsets_;
  std::vector<unsigned char> bytes_;
  std::vector<Sequence> seqs_;
  std::vector<Sequence> level_seqs_;
  std::vector<char32_t> window_;
  std::vector<char32_t> before_;
  std::vector<char32_t> after_;
  std::vector<Candidate> candidates_;
  std::vector<Candidate> best_;
  std::vector<std::int32_t> nfc_buf_;
  std::string scratch_;
  std::string nfc_out_;
};

}  // namespace copydesk
