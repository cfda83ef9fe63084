// Reviewing a run: the cleaned text with some of its edits rejected.
//
//   Result r = pipeline.run(article);                  // keep_stage_inputs on
//   ReviewOutcome o = apply_review(r, {"spacing-3"});  // o.text: r.text without spacing-3
//
// The same replay is written a second time in JavaScript inside the HTML
// report (pipeline/report_template.h, function replay); both must give the
// same bytes, which tests/browser/run.sh checks. Change one, change the other.
//
// Semantics. The stages are replayed in order from the decoded input
// (stages[0].input). Two texts are kept: F, the run's own text (every edit
// applied; F_k is stage k's input), and A, the text with accepted edits only.
// A piece map tiles both: aligned pieces where A holds the same bytes as F,
// divergent pieces where a rejected edit left them different. For stage k:
//   - a rejected change makes a divergent piece (A keeps what F replaced);
//   - an accepted change is applied to A at the translated offsets when its
//     whole span lies in aligned pieces (an insertion: its point touches no
//     divergent piece, and a change: no divergent piece overlaps it, nor a
//     rejected deletion point strictly inside it); otherwise it depends on a
//     rejected edit, is SKIPPED (A left as it is) and listed in `skipped`;
//   - flags never change text.
// At the end CRLF line endings are restored if the input had them.
// Limits: an accepted edit whose *context* (not span) came from a rejected
// edit is still applied, e.g. a space inserted after a word a rejected edit
// re-capitalised. Edits of the "input" step (--lossy U+FFFD) cannot be
// rejected.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/pipeline.h"

namespace copydesk {

struct ReviewOutcome {
  std::string text;                  // the document with only the accepted edits, line endings as in the input
  std::vector<std::string> skipped;  // accepted edits not applied because they depend on a rejected one (run order)
  std::vector<std::string> unknown;  // rejected ids that name no change of this run (sorted)
};

// The edit id the change log and the report use: "STAGE-N", N 1-based in the
// stage's sorted edits (flags included).
std::string edit_id(std::string_view stage, std::size_t index);

// Replays `result` (run with RunOptions::keep_stage_inputs) without the edits
// named in `rejected`. Rejecting nothing gives result.text. Throws Error if
// the stage inputs were not kept.
ReviewOutcome apply_review(const Result& result, const std::set<std::string>& rejected);

// The rejected-ids file the report page exports:
//   {"copydesk_rejected": 1, "documents": {"PATH": ["spacing-3", ...], ...}}
// PATH is the document's name as given to `copydesk clean` (the report's label).
using Rejections = std::map<std::string, std::set<std::string>>;

// Parses that file; throws Error naming the problem (not JSON, wrong version,
// a non-string id).
Rejections parse_rejections(std::string_view json);

// The rejected ids for document `path`: its exact entry, else the only entry
// with the same file name (the report may have been made from another folder),
// else none. Throws Error if several entries share that file name.
std::set<std::string> rejections_for(const Rejections& rejections, std::string_view path);

}  // namespace copydesk
