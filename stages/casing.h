// STUB: to be written.
#pragma once

#include "pipeline/resources.h"
#include "pipeline/stage.h"

namespace copydesk {

class CasingStage : public Stage {
 public:
  explicit CasingStage(Resources& resources);
  std::string_view name() const override { return "casing"; }
  std::string_view description() const override;
  std::vector<RuleInfo> rules() const override;
  void propose(std::string_view text, std::vector<Edit>& out) override;
};

}  // namespace copydesk
