// The dedupe stage: a line printed twice in a row is kept once.
#pragma once

#include "pipeline/resources.h"
#include "pipeline/stage.h"

namespace copydesk {

// Rules:
//   repeated-line  A non-blank line equal to the previous non-blank line (after
//                  collapsing white space; blank lines between the copies do not
//                  separate them) is removed together with the blank lines between
//                  the copies. A run of N copies keeps the first.
// Leaves alone: blank lines, table rows (lines starting with '|'), lines with
// fewer than 3 letters (separators, bullets, counters), and repeats that are not
// adjacent (a sentence quoted again later in the article).
// Known limits: the comparison is case-sensitive and exact apart from white space,
// so a repeat that differs by one typo or by its case is not caught.
class DedupeStage : public Stage {
 public:
  explicit DedupeStage(Resources& resources);
  std::string_view name() const override { return "dedupe"; }
  std::string_view description() const override;
  std::vector<RuleInfo> rules() const override;
  void propose(std::string_view text, std::vector<Edit>& out) override;
};

}  // namespace copydesk
