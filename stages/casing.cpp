// STUB: to be written.
#include "stages/casing.h"

namespace copydesk {

CasingStage::CasingStage(Resources& /*resources*/) {}

std::string_view CasingStage::description() const { return "stub"; }

std::vector<RuleInfo> CasingStage::rules() const { return {}; }

void CasingStage::propose(std::string_view /*text*/, std::vector<Edit>& /*out*/) {}

}  // namespace copydesk
