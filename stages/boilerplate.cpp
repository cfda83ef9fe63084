// STUB: to be written.
#include "stages/boilerplate.h"

namespace copydesk {

BoilerplateStage::BoilerplateStage(Resources& /*resources*/) {}

std::string_view BoilerplateStage::description() const { return "stub"; }

std::vector<RuleInfo> BoilerplateStage::rules() const { return {}; }

void BoilerplateStage::propose(std::string_view /*text*/, std::vector<Edit>& /*out*/) {}

}  // namespace copydesk
