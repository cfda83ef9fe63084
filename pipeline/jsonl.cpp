#include "pipeline/jsonl.h"

#include <nlohmann/json.hpp>

#include "pipeline/changelog.h"
#include "pipeline/error.h"
#include "pipeline/text.h"

namespace copydesk {

JsonlOutcome clean_jsonl_record(Pipeline& pipeline, std::string_view line, const JsonlOptions& options,
                                QualityScorer* quality) {
  JsonlOutcome outcome;
  std::size_t bad = 0;
  if (!valid_utf8(line, &bad)) {
    outcome.error = "invalid UTF-8 at byte " + std::to_string(bad) + " of the line";
    return outcome;
  }
  nlohmann::ordered_json record;
  try {
    record = nlohmann::ordered_json::parse(line);
  } catch (const nlohmann::json::parse_error& e) {
    outcome.error = std::string("not JSON: ") + e.what();
    return outcome;
  }
  if (!record.is_object()) {
    outcome.error = "not a JSON object";
    return outcome;
  }
  const auto field = record.find(options.text_field);
  if (field == record.end()) {
    outcome.error = "no \"" + options.text_field + "\" field";
    return outcome;
  }
  if (!field->is_string()) {
    outcome.error = "the \"" + options.text_field + "\" field is not a string";
    return outcome;
  }
  // A copy: inserting "copydesk_edits" below may move the record's fields.
  const std::string text = field->get<std::string>();
  outcome.text_bytes = text.size();
  try {
    RunOptions run = options.run;
    run.keep_stage_inputs = run.keep_stage_inputs || options.changes_inline;
    Result result = pipeline.run(text, run);
    for (const auto& s : result.stages) {
      std::size_t n = 0;
      for (const auto& e : s.edits) n += e.kind == EditKind::kChange;
      outcome.changes.push_back(n);
    }
    outcome.flags = result.flags();
    if (quality) {
      const DocumentQuality q = quality->score(result.text, &result);
      outcome.quality = q.score;
      record["copydesk_quality"] = quality_to_json(q, false, options.quality_features);
    }
    if (!options.score_only) record[options.text_field] = std::move(result.text);
    if (options.changes_inline) {
      const auto log = changes_to_json("", text, result);
      record["copydesk_edits"] = log["edits"];
    }
  } catch (const Error& e) {
    outcome.error = e.what();
    return outcome;
  }
  outcome.record = record.dump();
  return outcome;
}

}  // namespace copydesk
