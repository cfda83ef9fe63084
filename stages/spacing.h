// The spacing stage: spaces and small punctuation slips around words, the
// last stage of the pipeline. Each line is scanned once, left to right; a
// position handled by one rule is skipped by the others, so edits never
// overlap. Quote pairing is worked out per line before the scan.
//
// Rules:
//   comma-space        "DeepSeek,a" -> "DeepSeek, a"; never inside numbers ("10,000") or in
//                      tokens holding "://", "@" or "www.".
//   currency-space     "$ 100" -> "$100" (also €, £, ¥).
//   hyphen-space       "Chinese -educated" -> "Chinese-educated": letter, one space, '-', then a
//                      lower-case word of >= 3 letters. Leaves " - ", "-5", "-v", "-Wall", bullets.
//   space-before-punct "hand , is" -> "hand, is"; also ';' and '.', '!', '?', ':' at a clause end.
//                      Leaves ".NET", " ...", ":)", "3 : 1".
//   duplicate-comma    "control, , Then" -> "control, Then".
//   space-run          two or more spaces inside a line -> one; trailing spaces removed.
//   quote-space        "”wrote" -> "” wrote" and "said.“Next" -> "said. “Next", when the
//                      quote's pairing on the line shows it is a closing / opening quote.
//   quote-direction    a “ that can only close the open quote ("Seriously! “Wrote another") is
//                      turned into ” with the space after it; a following attribution verb
//                      ("Wrote", "He said") is lower-cased.
//   reference-marker   "[1]", "[[12]]" after a word are removed when the article has no
//                      reference list.
//
// Known limits: table rows (lines starting with '|') and leading indentation
// are left to their author for the space rules; only curly double quotes are
// paired (straight and single quotes are ambiguous); a line whose quotes do
// not pair up in an obvious way gets no quote edits after the first oddity.
#pragma once

#include <string>
#include <vector>

#include "pipeline/resources.h"
#include "pipeline/stage.h"

namespace copydesk {

class SpacingStage : public Stage {
 public:
  explicit SpacingStage(Resources& resources);
  std::string_view name() const override { return "spacing"; }
  std::string_view description() const override;
  std::vector<RuleInfo> rules() const override;
  void propose(std::string_view text, std::vector<Edit>& out) override;

 private:
  // The per-line state of the scan.
  struct Line {
    std::size_t begin = 0;
    std::size_t end = 0;  // without a trailing '\r'
    bool table = false;   // starts with '|': space rules leave it alone
  };

  void plan_quotes(std::string_view text, const Line& line);
  void plan_single_quotes(std::string_view text, const Line& line);
  bool fix_quote_direction(std::string_view text, const Line& line, std::size_t quote);
  void scan_line(std::string_view text, const Line& line, std::vector<Edit>& out);

  // Each on_* handles the construct starting at `i` and returns where the scan resumes;
  // an edit is only emitted when it ends at or before `limit` (the next quote edit).
  std::size_t on_space(std::string_view text, const Line& line, std::size_t i, std::size_t limit,
                       std::vector<Edit>& out) const;
  std::size_t on_comma(std::string_view text, const Line& line, std::size_t i, std::size_t limit,
                       std::vector<Edit>& out);
  std::size_t on_currency(std::string_view text, const Line& line, std::size_t i, std::size_t limit,
                          std::vector<Edit>& out) const;
  std::size_t on_marker(std::string_view text, const Line& line, std::size_t i, std::size_t limit,
                        std::vector<Edit>& out) const;

  bool in_url_token(std::string_view text, const Line& line, std::size_t i);

  bool markers_removable_ = false;   // the article has no reference list
  std::vector<std::size_t> quotes_;  // offsets of curly double quotes on the current line
  std::vector<Edit> quote_edits_;    // the quote rules' edits on the current line, in order
  std::size_t token_begin_ = 0;      // cache of the last token checked for URLs
  std::size_t token_end_ = 0;
  bool token_is_url_ = false;
};

}  // namespace copydesk
