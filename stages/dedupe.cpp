// STUB: to be written.
#include "stages/dedupe.h"

namespace copydesk {

DedupeStage::DedupeStage(Resources& /*resources*/) {}

std::string_view DedupeStage::description() const { return "stub"; }

std::vector<RuleInfo> DedupeStage::rules() const { return {}; }

void DedupeStage::propose(std::string_view /*text*/, std::vector<Edit>& /*out*/) {}

}  // namespace copydesk
