// STUB: to be written.
#pragma once

#include "pipeline/resources.h"
#include "pipeline/stage.h"

namespace copydesk {

class NamesStage : public Stage {
 public:
  explicit NamesStage(Resources& resources);
  std::string_view name() const override { return "names"; }
  std::string_view description() const override;
  std::vector<RuleInfo> rules() const override;
  void propose(std::string_view text, std::vector<Edit>& out) override;
};

}  // namespace copydesk
