// One JSON Lines record: never an exception, an error record's message valid
// UTF-8, a cleaned record a JSON object with the same structure, its other
// fields byte for byte as they were, and cleaning it again changes nothing.
#include <cstddef>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "fuzz/invariants.h"
#include "pipeline/jsonl.h"
#include "pipeline/registry.h"

using namespace copydesk;

namespace {

// The record without the value of `field`: what must come out unchanged.
std::string without_field(std::string_view record, const std::string& field) {
  const JsonScan scan = scan_json(record);
  for (const auto& m : scan.members) {
    if (m.key == field) {
      return std::string(record.substr(0, m.value_begin)) + std::string(record.substr(m.value_end));
    }
  }
  return std::string(record);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Pipeline pipeline = [] {
    std::vector<std::string> names(stage_names().begin(), stage_names().end());
    return Pipeline::build(names, fuzz::resources());
  }();
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  if (line.find('\n') != std::string_view::npos) return 0;  // one line is one record
  JsonlOptions options;
  const JsonlOutcome out = clean_jsonl_record(pipeline, line, options);
  if (!out.error.empty()) {
    fuzz::expect(out.record.empty(), "an error record has output");
    fuzz::expect(valid_utf8(out.error), "an error message is not UTF-8");
    return 0;
  }
  fuzz::expect(valid_utf8(out.record), "the output record is not UTF-8");
  const JsonScan scan = scan_json(out.record);
  fuzz::expect(scan.error.empty() && scan.is_object, "the output record is not a JSON object: " + scan.error);
  fuzz::expect(without_field(out.record, "text") == without_field(line, "text"), "a field other than the text changed");
  // nlohmann's own parser agrees the output is JSON (it rejects numbers out of
  // range and deep nesting is costly: only shallow records without exponents).
  if (line.size() < 4096 && line.find_first_of("eE[{", 1) == std::string_view::npos) {
    fuzz::expect(nlohmann::json::accept(out.record), "nlohmann rejects the output record");
  }
  if (fuzz::check_idempotence()) {
    const JsonlOutcome again = clean_jsonl_record(pipeline, out.record, options);
    if (!again.error.empty() || again.record != out.record)
      fuzz::not_idempotent("cleaning the record again changes it");
  }
  return 0;
}
