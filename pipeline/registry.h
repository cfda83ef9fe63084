// The one place that knows every stage: their names, default order and how to
// build them.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "pipeline/resources.h"
#include "pipeline/stage.h"

namespace copydesk {

// All stage names in their default order.
const std::vector<std::string_view>& stage_names();

bool is_stage_name(std::string_view name);

// Builds the stage called `name`; throws Error for an unknown name.
std::unique_ptr<Stage> make_stage(std::string_view name, Resources& resources);

}  // namespace copydesk
