// Cleaning one JSON Lines record: {"id": ..., "text": ...} in, the same record
// with its text cleaned out. Key order and every other field are kept.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pipeline/pipeline.h"
#include "pipeline/quality.h"

namespace copydesk {

struct JsonlOptions {
  std::string text_field = "text";  // the field holding the article
  bool changes_inline = false;      // add the edits as "copydesk_edits" to each record
  RunOptions run;
  bool score_only = false;        // quality: keep the text as it came (`copydesk score`)
  bool quality_features = false;  // quality: add the signal values to "copydesk_quality"
};

struct JsonlOutcome {
  std::string record;                // the output record, one line, no newline; empty on error
  std::string error;                 // why the record could not be processed; empty if it was
  std::vector<std::size_t> changes;  // per stage of the pipeline
  std::size_t flags = 0;
  std::size_t text_bytes = 0;
  double quality = -1;  // the record's quality score when a scorer was given
};

// Never throws for bad input: a line that is not a JSON object, lacks the text
// field, holds a non-string there, or carries invalid UTF-8 gives an `error`.
// With a `quality` scorer, the record gets a "copydesk_quality" object.
JsonlOutcome clean_jsonl_record(Pipeline& pipeline, std::string_view line, const JsonlOptions& options,
                                QualityScorer* quality = nullptr);

}  // namespace copydesk
