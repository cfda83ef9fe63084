// The HTML review report: one self-contained page (inline CSS and JS, no
// network) for every document of a run, where a reviewer reads each article
// with its changes marked in place, or the changes listed by stage and rule,
// rejects edits one by one or in bulk and exports either the text with the
// accepted edits only or the rejected ids for `copydesk apply --reject` (see
// docs/report.md and pipeline/review.h).
//
//   ReportWriter report("copydesk 0.1.0", config_fingerprint(...));
//   for (each document) report.add(path, original, pipeline.run(original));  // keep_stage_inputs on
//   report.finish(out);            // one page
//   report.finish_dir("review/");  // or: review/index.html and one page per document
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
#include "pipeline/quality.h"

namespace copydesk {

class ReportWriter {
 public:
  // `generator` is shown in the page, e.g. "copydesk 0.1.0"; `config_hash`
  // (config_fingerprint) goes into the exported rejected-ids file.
  explicit ReportWriter(std::string generator = "copydesk", std::string config_hash = {});

  // Adds one document; `original` is its bytes as read (hashed for apply, and
  // the text whose lines number the edits). `result` must come from a run with
  // RunOptions::keep_stage_inputs (throws Error otherwise). `quality`, if
  // given (--quality), puts the document's score badge, its reasons and its
  // worst sentences (report_worst_sentences) into the page.
  void add(std::string_view path, std::string_view original, const Result& result,
           const DocumentQuality* quality = nullptr);

  // Writes the page. The writer can go on collecting afterwards.
  void finish(std::ostream& out) const;

  // Writes DIR/index.html (every document with its counts, linked) and
  // DIR/docs/NNNNN.html, one page per document, for runs too large for one page.
  // With quality, also DIR/index-by-score.html: the same table, lowest score first.
  void finish_dir(const std::string& dir) const;

  std::size_t documents() const { return documents_.size(); }
  // Bytes of the data block of the one-page report.
  std::size_t data_size() const;

 private:
  struct Summary {
    std::string path;
    std::size_t changes = 0;
    std::size_t flags = 0;
    double score = -1;  // -1: not scored
    std::string band;
    std::string reasons;  // the reasons' phrases, for the index's tooltip
  };
  std::string index_page(const std::vector<std::size_t>& order, bool by_score) const;
  std::string generator_;
  std::string config_hash_;
  std::vector<std::string> documents_;  // compact JSON, one per document
  std::vector<Summary> summaries_;
};

// The page's data block for `documents` (JSON, with '<', '>', '&', U+2028 and
// U+2029 written as \u escapes so no article text can close the <script>
// element or break a script). `index` is the link back to the index page of a
// --report DIR ("" for none). Exposed for tests.
// The sentences the page highlights as the document's worst: the lowest-scoring
// sentences (headings aside) under the "good" band, at most three and at most
// a fifth of the sentences (at least one), lowest first. Indices into q.sentences.
std::vector<std::size_t> report_worst_sentences(const DocumentQuality& q);

std::string report_data_json(std::string_view generator, std::string_view config_hash,
                             const std::vector<std::string>& documents, std::string_view index = {});

}  // namespace copydesk
