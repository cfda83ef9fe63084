// STUB: to be written.
#include "stages/names.h"

namespace copydesk {

NamesStage::NamesStage(Resources& /*resources*/) {}

std::string_view NamesStage::description() const { return "stub"; }

std::vector<RuleInfo> NamesStage::rules() const { return {}; }

void NamesStage::propose(std::string_view /*text*/, std::vector<Edit>& /*out*/) {}

}  // namespace copydesk
