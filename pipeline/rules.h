// Per-rule control applied by the Pipeline to every stage's edits, so that no
// stage needs to know about it:
//   - disabled rules ("STAGE/RULE"): their edits are dropped;
//   - protected words and patterns: an edit that would touch a match is dropped;
//   - ignore markers: the lines from one holding "copydesk: ignore-start" to the
//     next holding "copydesk: ignore-end" (or the end of the document) are left
//     exactly as they are, markers included.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/edit.h"

namespace copydesk {

class Stage;

struct RuleOptions {
  std::vector<std::string> disable;           // "STAGE/RULE" ids whose edits are dropped
  std::vector<std::string> protect;           // words (whole-word, case-sensitive) never changed
  std::vector<std::string> protect_patterns;  // ICU regular expressions whose matches are never changed
  bool ignore_markers = true;                 // honour copydesk: ignore-start / ignore-end lines
};

inline constexpr std::string_view kIgnoreStart = "copydesk: ignore-start";
inline constexpr std::string_view kIgnoreEnd = "copydesk: ignore-end";

// "spelling/misspelling" -> {"spelling", "misspelling"}; an id without a slash
// gives an empty rule.
std::pair<std::string, std::string> split_rule_id(std::string_view id);

class EditFilter {
 public:
  // Throws Error for a malformed "STAGE/RULE" id, an unknown stage, a rule the
  // stage does not have (when it is among `stages`), or a pattern that does not
  // compile.
  EditFilter(const RuleOptions& options, const std::vector<std::unique_ptr<Stage>>& stages);
  ~EditFilter();
  EditFilter(const EditFilter&) = delete;
  EditFilter& operator=(const EditFilter&) = delete;

  // Whether ignore markers are looked for in `document` (checked once per
  // document: no stage writes a marker).
  bool markers_in(std::string_view document) const;

  // True when some rule is disabled or something is protected.
  bool active() const { return !disabled_.empty() || patterns_ != nullptr; }

  // Removes from `edits` (proposed by `stage` on `text`) every edit of a
  // disabled rule and every edit touching a protected span of `text`, or with
  // `markers`, an ignored region.
  void filter(std::string_view stage, std::string_view text, bool markers, std::vector<Edit>& edits);

 private:
  struct Patterns;
  std::vector<std::pair<std::string, std::string>> disabled_;
  std::unique_ptr<Patterns> patterns_;
  bool ignore_markers_ = true;
};

}  // namespace copydesk
