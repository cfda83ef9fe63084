// The invariants every fuzz target checks on a pipeline run. A failed check
// prints what broke and aborts, so libFuzzer saves the input as a crash.
#pragma once

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <set>
#include <string>
#include <string_view>

#include "pipeline/apply.h"
#include "pipeline/error.h"
#include "pipeline/pipeline.h"
#include "pipeline/resources.h"
#include "pipeline/review.h"
#include "pipeline/text.h"

namespace copydesk::fuzz {

[[noreturn]] inline void fail(const std::string& what) {
  std::fprintf(stderr, "INVARIANT BROKEN: %s\n", what.c_str());
  std::abort();
}

inline void expect(bool ok, const std::string& what) {
  if (!ok) fail(what);
}

// The source tree's dictionaries and the system Hunspell, loaded once.
inline Resources& resources() {
  static Resources r(ResourcePaths{COPYDESK_SOURCE_DIR "/dictionaries", "/usr/share/hunspell", {}});
  return r;
}

inline std::string describe(const Edit& e) {
  return e.rule + " [" + std::to_string(e.begin) + "," + std::to_string(e.end) + ") -> \"" + e.replacement + "\"";
}

// Idempotence: checked (a failure aborts) unless COPYDESK_FUZZ_IDEMPOTENCE is
// 0 (not checked) or "report" (each failure printed as one "IDEMPOTENCE:" line
// and the run goes on: for surveying the classes of failure).
inline const char* idempotence_mode() {
  static const char* mode = [] {
    const char* v = std::getenv("COPYDESK_FUZZ_IDEMPOTENCE");
    return v == nullptr ? "1" : v;
  }();
  return mode;
}
inline bool check_idempotence() { return std::string_view(idempotence_mode()) != "0"; }
inline void not_idempotent(const std::string& what, std::string_view input = {}) {
  if (std::string_view(idempotence_mode()) == "report") {
    std::fprintf(stderr, "IDEMPOTENCE: %s\n", what.c_str());
    if (const char* dir = std::getenv("COPYDESK_FUZZ_SURVEY_DIR")) {  // keep one input per kind
      const std::string path = std::string(dir) + "/" + std::to_string(std::hash<std::string>()(what.substr(0, 60)));
      if (std::FILE* f = std::fopen(path.c_str(), "wb")) {
        std::fwrite(input.data(), 1, input.size(), f);
        std::fclose(f);
      }
    }
    return;
  }
  fail("not idempotent: " + what);
}

// Runs `pipeline` on `input` and checks: valid UTF-8 input is never rejected
// (only a NUL byte, binary, is) and invalid input is rejected unless lossy;
// the output is valid UTF-8; every stage's edits are in range, on character
// boundaries, sorted and non-overlapping; the stage inputs chain (each stage's
// edits applied to its input give the next one's); replaying the log gives the
// output; rejecting every edit gives the input back; and a second run changes
// nothing (one run reaches the fixed point).
inline void check_run(Pipeline& pipeline, std::string_view input, bool lossy) {
  RunOptions options;
  options.lossy = lossy;
  options.keep_stage_inputs = true;
  Result result;
  try {
    result = pipeline.run(input, options);
  } catch (const Error&) {
    const bool binary = input.find('\0') != std::string_view::npos;
    expect(binary || (!lossy && !valid_utf8(input)), "a valid text input was rejected");
    return;
  }
  expect(input.find('\0') == std::string_view::npos, "a NUL byte was accepted");
  expect(valid_utf8(result.text), "the output is not valid UTF-8");

  std::string chained = result.stages.empty() ? std::string() : result.stages.front().input;
  for (std::size_t k = 0; k < result.stages.size(); ++k) {
    const StageRun& run = result.stages[k];
    expect(run.input == chained, "stage " + run.stage + "'s input is not the previous stage's output");
    expect(run.original.size() == run.edits.size(), run.stage + ": one original span per edit");
    std::size_t last_begin = 0;
    std::size_t reach = 0;
    for (std::size_t i = 0; i < run.edits.size(); ++i) {
      const Edit& e = run.edits[i];
      expect(e.begin <= e.end && e.end <= run.input.size(), run.stage + ": edit out of range: " + describe(e));
      expect(e.begin >= last_begin, run.stage + ": edits out of order");
      last_begin = e.begin;
      expect(run.original[i].begin <= run.original[i].end && run.original[i].end <= input.size(),
             run.stage + ": original span out of range");
      expect(valid_utf8(e.replacement), run.stage + ": replacement not UTF-8: " + describe(e));
      if (e.kind != EditKind::kChange) continue;
      expect(valid_utf8(std::string_view(run.input).substr(e.begin, e.end - e.begin)),
             run.stage + ": edit inside a character: " + describe(e));
      expect(e.begin >= reach, run.stage + ": overlapping changes");
      expect(std::string_view(run.input).substr(e.begin, e.end - e.begin) != e.replacement,
             run.stage + ": a change that changes nothing: " + describe(e));
      reach = e.end;
    }
    chained = apply_edits(run.input, run.edits);
  }
  if (!result.stages.empty()) {
    const std::string expected = result.crlf ? restore_crlf(chained) : chained;
    expect(expected == result.text, "the stages' edits do not replay to the output");
    expect(apply_review(result, {}).text == result.text, "replaying the log does not give the output");
    std::set<std::string> all;
    for (const auto& run : result.stages) {
      for (std::size_t i = 0; i < run.edits.size(); ++i) all.insert(edit_id(run.label(), i));
    }
    if (result.input_edits.empty()) {
      expect(apply_review(result, all).text == input, "rejecting every edit does not give the input back");
    }
  }
  if (!check_idempotence()) return;
  static const bool one_pass = [] {
    const char* v = std::getenv("COPYDESK_FUZZ_ONE_PASS");
    return v != nullptr && std::string_view(v) == "1";
  }();
  if (one_pass) {
    for (const auto& run : result.stages) {
      const auto change =
          std::find_if(run.edits.begin(), run.edits.end(), [](const Edit& x) { return x.kind == EditKind::kChange; });
      if (run.pass == 1 || change == run.edits.end()) continue;
      const Edit& e = *change;
      std::string context = run.input.substr(e.begin > 30 ? e.begin - 30 : 0, 60);
      for (auto& c : context) c = c == '\n' ? '|' : c;
      not_idempotent(
          "a second pass was needed: " + run.label() + "/" + describe(e) + " in \"" + to_valid_utf8(context) + "\"",
          input);
      return;
    }
  }
  const Result again = pipeline.run(result.text, options);
  for (const auto& run : again.stages) {
    for (const auto& e : run.edits) {
      if (e.kind == EditKind::kChange) {
        std::string context = run.input.substr(e.begin > 30 ? e.begin - 30 : 0, 60);
        for (auto& c : context) c = c == '\n' ? '|' : c;
        not_idempotent("a second run changes the output: " + run.stage + "/" + describe(e) + " in \"" +
                           to_valid_utf8(context) + "\"",
                       input);
        return;
      }
    }
  }
  if (!again.input_edits.empty()) not_idempotent("the second run changes line endings or bytes", input);
}

}  // namespace copydesk::fuzz
