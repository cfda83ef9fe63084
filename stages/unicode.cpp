// STUB: to be written.
#include "stages/unicode.h"

namespace copydesk {

UnicodeStage::UnicodeStage(Resources& /*resources*/) {}

std::string_view UnicodeStage::description() const { return "stub"; }

std::vector<RuleInfo> UnicodeStage::rules() const { return {}; }

void UnicodeStage::propose(std::string_view /*text*/, std::vector<Edit>& /*out*/) {}

}  // namespace copydesk
