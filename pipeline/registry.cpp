#include "pipeline/registry.h"

#include <algorithm>

#include "pipeline/error.h"
#include "stages/boilerplate.h"
#include "stages/casing.h"
#include "stages/dedupe.h"
#include "stages/names.h"
#include "stages/sentences.h"
#include "stages/spacing.h"
#include "stages/spelling.h"
#include "stages/structure.h"
#include "stages/unicode.h"

namespace copydesk {

const std::vector<std::string_view>& stage_names() {
  static const std::vector<std::string_view> kNames = {"unicode", "boilerplate", "dedupe", "structure", "sentences",
                                                       "spacing", "names",       "casing", "spelling"};
  return kNames;
}

bool is_stage_name(std::string_view name) {
  const auto& names = stage_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::unique_ptr<Stage> make_stage(std::string_view name, Resources& resources) {
  if (name == "unicode") return std::make_unique<UnicodeStage>(resources);
  if (name == "boilerplate") return std::make_unique<BoilerplateStage>(resources);
  if (name == "dedupe") return std::make_unique<DedupeStage>(resources);
  if (name == "structure") return std::make_unique<StructureStage>(resources);
  if (name == "sentences") return std::make_unique<SentencesStage>(resources);
  if (name == "spacing") return std::make_unique<SpacingStage>(resources);
  if (name == "names") return std::make_unique<NamesStage>(resources);
  if (name == "casing") return std::make_unique<CasingStage>(resources);
  if (name == "spelling") return std::make_unique<SpellingStage>(resources);
  throw Error("unknown stage '" + std::string(name) + "' (copydesk stages lists them)");
}

}  // namespace copydesk
