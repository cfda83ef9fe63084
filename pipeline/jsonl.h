// Cleaning one JSON Lines record: {"id": ..., "text": ...} in, the same record
// with its text cleaned out.
//
// The record is never re-serialised: the cleaned text is spliced into the
// record's own bytes, so every other field, number literal (big integers,
// -0, 1e400), key order, escape and space comes out exactly as it went in.
// The scanner is iterative, so records nested to any depth are handled.
// Duplicate keys: a second text field (or "copydesk_edits" with
// --changes-inline) makes the record an error; other duplicate keys are
// copied through untouched like any other field.
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
  std::string error;                 // why the record could not be processed (ASCII and valid UTF-8); empty if it was
  bool has_field = false;            // the record is a JSON object with the text field (even if it is bad)
  bool missing_field = false;        // the error is that a JSON object lacks the text field
  std::vector<std::string> fields;   // with missing_field: the object's top-level keys (the first few)
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

// The structure of one JSON text as the record cleaner sees it. Exposed for
// tests and the fuzzers.
struct JsonScan {
  struct Member {
    std::string key;  // decoded (a lone surrogate escape becomes U+FFFD)
    std::size_t value_begin = 0;
    std::size_t value_end = 0;
    bool is_string = false;
  };
  std::string error;            // empty if `text` is one valid JSON value (RFC 8259)
  bool is_object = false;       // the value is an object; then:
  std::vector<Member> members;  // its members, in order
  std::size_t close = 0;        // the offset of its closing brace
};
JsonScan scan_json(std::string_view text);

// Decodes a JSON string literal (quotes included, already validated by
// scan_json). Returns false for a lone surrogate escape.
bool decode_json_string(std::string_view literal, std::string& out);

}  // namespace copydesk
