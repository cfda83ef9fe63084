// STUB: to be written.
#include "stages/spacing.h"

namespace copydesk {

SpacingStage::SpacingStage(Resources& /*resources*/) {}

std::string_view SpacingStage::description() const { return "stub"; }

std::vector<RuleInfo> SpacingStage::rules() const { return {}; }

void SpacingStage::propose(std::string_view /*text*/, std::vector<Edit>& /*out*/) {}

}  // namespace copydesk
