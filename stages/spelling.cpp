// STUB: to be written.
#include "stages/spelling.h"

namespace copydesk {

SpellingStage::SpellingStage(Resources& /*resources*/) {}

std::string_view SpellingStage::description() const { return "stub"; }

std::vector<RuleInfo> SpellingStage::rules() const { return {}; }

void SpellingStage::propose(std::string_view /*text*/, std::vector<Edit>& /*out*/) {}

}  // namespace copydesk
