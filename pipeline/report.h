// The HTML review report: one self-contained page (inline CSS and JS, no
// network) for every document of a run, where a reviewer reads each edit in
// context, filters by document, stage and rule, rejects edits and exports
// either the text with the accepted edits only or the rejected ids for
// `copydesk apply --reject` (see docs/report.md and pipeline/review.h).
//
//   ReportWriter report("copydesk 0.1.0");
//   for (each document) report.add(path, pipeline.run(text));  // keep_stage_inputs on
//   report.finish(out);
//
// The writer keeps one compact JSON string per document (its decoded input
// and its edits, about the size of the input), so it is meant for review runs,
// not for millions of documents.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/pipeline.h"

namespace copydesk {

class ReportWriter {
 public:
  // `generator` is shown in the page, e.g. "copydesk 0.1.0".
  explicit ReportWriter(std::string generator = "copydesk");

  // Adds one document. `result` must come from a run with
  // RunOptions::keep_stage_inputs (throws Error otherwise).
  void add(std::string_view path, const Result& result);

  // Writes the page. The writer can go on collecting afterwards.
  void finish(std::ostream& out) const;

  std::size_t documents() const { return documents_.size(); }

 private:
  std::string generator_;
  std::vector<std::string> documents_;  // compact JSON, one per document
};

// The page's data block for `documents` (JSON, with '<', '>' and '&' written
// as \u escapes so no article text can close the <script> element). Exposed
// for tests.
std::string report_data_json(std::string_view generator, const std::vector<std::string>& documents);

}  // namespace copydesk
