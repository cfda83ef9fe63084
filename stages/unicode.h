// The unicode stage runs first: it repairs the character-level damage that the
// later, word-level stages should never have to think about.
//
// Rules:
//   nfc        NFC normalisation, one edit per changed combining sequence
//              ("e" + U+0301 -> "é"). Text that is already NFC is untouched.
//   invisible  Zero-width and control characters removed: U+200B, U+2060,
//              U+FEFF, U+00AD, C0/C1 controls except '\n', '\t' and '\r'.
//              VT, FF and NEL become a space when they sit between two
//              non-spaces (they separate words). ZWJ/ZWNJ only between two
//              ASCII letters (elsewhere they shape emoji and scripts).
//   odd-space  No-break, thin, en/em, ideographic and other Zs spaces -> ' '.
//              Left alone between two digits ("10 000" with a thin space) and,
//              for U+3000, next to a wide (CJK) character, where it is the
//              script's own space.
//   mojibake   UTF-8 read as Windows-1252/Latin-1 decoded back ("Ã©" -> "é",
//              "â€™" -> "’"), repeated to a fixed point for double encoding.
//
// Mojibake evidence: a sequence is a lead U+00C2..U+00F4 followed by 1-3
// characters whose cp1252/Latin-1 byte is 0x80..0xBF, together valid UTF-8 for
// a printable code point. A chain of two or more adjacent sequences, or one
// sequence with lead Â/Ã (Latin-1), â (punctuation), ð..ô (emoji) or "ï»¿"
// (BOM), is strong evidence and is always repaired. Any other single sequence
// ("Å“", "Ä‡", "Ð¾", "á»‡") is repaired only when the document also holds
// strong evidence: a document really read as cp1252 has no genuine non-ASCII
// characters left, while "SPÖ—" in clean German text must stay as it is.
// An all-caps word ending in Ã before a symbol ("IRMÃ»") is weak evidence.
// Double encoding may pass through C1 controls ("Ã¢Â\u0080Â\u009D" -> "”");
// a chain whose fixed point still holds one is not repaired.
//
// Known limits: mojibake whose NBSP was later turned into a plain space
// ("Ã " for "à") is not repaired (ambiguous). Combining sequences longer
// than 32 code points (Zalgo text) are not normalised, which keeps the stage
// linear. Curly and straight quotes are never changed.
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

 private:
  // One mojibake sequence: cps[at, at + len) of a run decode to `cp`.
  struct Sequence {
    std::size_t at = 0;
    std::size_t len = 0;
    char32_t cp = 0;
  };
  // Adjacent sequences seqs[first, last) accepted as mojibake.
  struct ChainRef {
    std::size_t first = 0;
    std::size_t last = 0;
  };
  // A repaired chain in the text.
  struct Chain {
    std::size_t begin = 0;
    std::size_t end = 0;
    std::string replacement;
  };

  bool has_strong_mojibake(std::string_view text);
  // Reads the run of cp1252-mappable characters starting at `begin` (a lead)
  // into run_cps_/run_offsets_ and returns its end.
  std::size_t collect_run(std::string_view text, std::size_t begin);
  // Fills chains_ with the repaired chains of the run starting at `begin`; returns the run's end.
  std::size_t scan_mojibake_run(std::string_view text, std::size_t begin);
  // decode_run fills chains_ for run [begin, run_end); false if `allow_c1` let a C1 control through.
  bool decode_run(std::string_view text, std::size_t begin, std::size_t run_end, bool allow_c1);
  // Appends `cps` cleaned (invisible dropped, odd spaces made plain) and NFC to `out`.
  void clean_into(const std::vector<char32_t>& cps, char32_t before, char32_t after, std::string& out);
  // True if NFC changes `segment`; the normal form goes to `out`.
  bool nfc_differs(std::string_view segment, std::string& out);

  bool doc_has_strong_ = false;
  // Scratch buffers reused between calls so the hot path never allocates.
  std::vector<char32_t> run_cps_;
  std::vector<std::size_t> run_offsets_;
  std::vector<char32_t> decoded_;
  std::vector<char32_t> level_;
  std::vector<Sequence> seqs_;
  std::vector<ChainRef> refs_;
  std::vector<Sequence> fp_seqs_;
  std::vector<ChainRef> fp_refs_;
  std::vector<Chain> chains_;
  std::vector<std::int32_t> nfc_buf_;
  std::string scratch_;
  std::string nfc_out_;
};

}  // namespace copydesk
