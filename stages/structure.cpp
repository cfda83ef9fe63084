// STUB: to be written.
#include "stages/structure.h"

namespace copydesk {

StructureStage::StructureStage(Resources& /*resources*/) {}

std::string_view StructureStage::description() const { return "stub"; }

std::vector<RuleInfo> StructureStage::rules() const { return {}; }

void StructureStage::propose(std::string_view /*text*/, std::vector<Edit>& /*out*/) {}

}  // namespace copydesk
