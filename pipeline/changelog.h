// The JSON change log: every edit of every stage of a document, with its
// offsets in the original input, what it replaced, its rule and its reason.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "pipeline/pipeline.h"

namespace copydesk {

// {"document": path, "changes": n, "flags": n, "edits": [{"id": "spacing-3", "stage", "rule",
//  "kind": "change"|"flag", "begin", "end", "begin_cp", "end_cp", "line", "before", "after", "reason"}, ...]}
// begin/end are byte offsets in `original`, begin_cp/end_cp the same places in
// code points (a Python str's indexes); line is the 1-based line of begin;
// before is the text the stage saw (needs RunOptions::keep_stage_inputs).
nlohmann::ordered_json changes_to_json(std::string_view path, std::string_view original, const Result& result);

}  // namespace copydesk
