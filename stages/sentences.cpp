// STUB: to be written.
#include "stages/sentences.h"

namespace copydesk {

SentencesStage::SentencesStage(Resources& /*resources*/) {}

std::string_view SentencesStage::description() const { return "stub"; }

std::vector<RuleInfo> SentencesStage::rules() const { return {}; }

void SentencesStage::propose(std::string_view /*text*/, std::vector<Edit>& /*out*/) {}

}  // namespace copydesk
