// Helpers for stage unit tests: run one stage on a string, see its edits and
// its output.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pipeline/apply.h"
#include "pipeline/resources.h"
#include "pipeline/stage.h"

namespace copydesk::testing {

// Resources reading the source tree's dictionaries/ and the system Hunspell.
inline Resources& test_resources() {
  static Resources resources(ResourcePaths{COPYDESK_SOURCE_DIR "/dictionaries", "/usr/share/hunspell", {}});
  return resources;
}

// The stage's edits on `text`, normalised (sorted, checked).
inline std::vector<Edit> edits_of(Stage& stage, std::string_view text) {
  std::vector<Edit> edits;
  stage.propose(text, edits);
  normalize_edits(text, edits);
  return edits;
}

// `text` after the stage's changes.
inline std::string run_stage(Stage& stage, std::string_view text) { return apply_edits(text, edits_of(stage, text)); }

// The rule ids of the stage's edits on `text`, in order.
inline std::vector<std::string> rules_of(Stage& stage, std::string_view text) {
  std::vector<std::string> ids;
  for (const auto& e : edits_of(stage, text)) ids.push_back(e.rule);
  return ids;
}

// The same edits, one for one: spans, replacements, rules and kinds (reasons
// aside).
inline bool same_edits(const std::vector<Edit>& a, const std::vector<Edit>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].begin != b[i].begin || a[i].end != b[i].end || a[i].replacement != b[i].replacement ||
        a[i].rule != b[i].rule || a[i].kind != b[i].kind)
      return false;
  }
  return true;
}

}  // namespace copydesk::testing
