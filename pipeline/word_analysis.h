// One analysis of a document's words, shared by the stages that read words
// (names, casing, spelling): every run of letters with its offsets and the id
// of its written form, the document's distinct forms with their counts, and
// the lines. The pipeline computes it once per text it hands to those stages
// (again only when a stage changed the text), so the document is scanned and
// its words are hashed once, into a table the size of the document; a stage
// then maps each distinct form to its own facts once per document instead of
// looking every token up in its own large vocabulary.
//
//   WordAnalysis words;
//   words.analyse(text);
//   for (const WordAnalysis::Run& r : words.runs()) ... words.form(r.form) ...
//
// Large documents (over kMaxBytes) are not analysed as a whole: the stages
// read them a block of lines at a time with their own bounded passes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace copydesk {

struct Edit;

class WordAnalysis {
 public:
  // The largest text analysed in one piece (the word stages' whole-document limit).
  static constexpr std::size_t kMaxBytes = std::size_t{4} << 20;
  static constexpr std::uint32_t kNone = 0xFFFFFFFF;

  // A maximal run of letters (Unicode letters, is_letter in pipeline/text.h):
  // "don't" is two runs, "x86" one ("x"), "café" one.
  struct Run {
    std::uint32_t begin = 0;  // byte offsets in the text
    std::uint32_t end = 0;
    std::uint32_t form = 0;  // its written form, an index of forms()
    std::uint32_t line = 0;  // its line, an index of line_starts()
  };
  // A distinct written form ("Minister", "minister" and "MINISTER" are three).
  struct Form {
    std::uint32_t begin = 0;  // its first run in the text
    std::uint32_t size = 0;   // bytes
    std::uint32_t count = 0;  // runs of this form in the document
    bool ascii = true;        // ASCII letters only
  };

  // Analyses `text` (valid UTF-8, at most kMaxBytes), replacing the previous
  // analysis; the views below point into `text`, which must outlive their use.
  void analyse(std::string_view text);

  // True when the change edits among `edits` (sorted, not overlapping, on
  // `text`) only change the case of ASCII letters: each replaces its bytes
  // with as many, every byte it changes an ASCII letter made another case of
  // the same letter. The text they give has the same runs and lines.
  static bool case_only(std::string_view text, std::span<const Edit> edits);
  // The analysis of `text` when the analysed text became `text` through such
  // edits only (any number of rounds): the runs and lines are kept and only
  // the forms are taken again, run by run, so the result is analyse(text)'s.
  void recase(std::string_view text);

  std::string_view text() const { return text_; }
  std::span<const Run> runs() const { return runs_; }
  const Form& form_info(std::uint32_t id) const { return forms_[id]; }
  std::string_view form(std::uint32_t id) const { return text_.substr(forms_[id].begin, forms_[id].size); }
  std::size_t forms() const { return forms_.size(); }
  // Where each line starts ("\n" ends a line; the first starts at 0).
  std::span<const std::uint32_t> line_starts() const { return line_starts_; }
  // The first '\r' of each line, kNone if it has none.
  std::span<const std::uint32_t> line_crs() const { return line_crs_; }

 private:
  struct Slot {
    std::uint64_t head = 0;  // the form's first eight bytes, zero-padded
    std::uint64_t hash = 0;
    std::uint32_t size = 0;
    std::uint32_t id = kNone;
  };
  std::uint32_t intern(std::size_t begin, std::size_t size, bool ascii);
  void grow();
  // An empty slot table sized for `bytes` of text.
  void reset_slots(std::size_t bytes);

  std::string_view text_;
  std::vector<Run> runs_;
  std::vector<Form> forms_;
  std::vector<std::uint32_t> line_starts_;
  std::vector<std::uint32_t> line_crs_;
  std::vector<Slot> slots_;      // open addressing over forms_, at most half full
  std::vector<Form> old_forms_;  // recase(): the forms before
  std::size_t mask_ = 0;
};

}  // namespace copydesk
