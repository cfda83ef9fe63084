// Reviewing a run: the cleaned text with some of its edits rejected.
//
//   Result r = pipeline.run(article);                  // keep_stage_inputs on
//   ReviewOutcome o = apply_review(r, {"spacing-3"});  // o.text: r.text without spacing-3
//
// The same replay is written a second time in JavaScript inside the HTML
// report (review/report_template.h, function replay); both must give the
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
//   {"copydesk_rejected": 2, "config": "SHA256",
//    "documents": {"PATH": {"input": "SHA256", "rejected": ["spacing-3", ...]}, ...}}
// PATH is the document's name as given to `copydesk clean` (the report's
// label); "input" is the SHA-256 of that document's bytes as read and "config"
// the run's config_fingerprint, so `copydesk apply` can refuse a file made
// from another text or configuration (edit ids are positions in a run).
struct DocumentRejections {
  std::string input_hash;
  std::set<std::string> ids;
};

struct Rejections {
  std::string config;
  std::map<std::string, DocumentRejections> documents;
};

// Parses that file; throws Error naming the problem (not JSON, wrong version,
// a missing hash, a non-string id).
Rejections parse_rejections(std::string_view json);

// Adds the documents of `more` (another page of a `--report DIR`) to `into`;
// throws Error if the configurations differ or a document is in both.
void merge_rejections(Rejections& into, Rejections more);

// The entry for document `path`: its exact entry, else the only entry with the
// same file name (the report may have been made from another folder), else
// nullptr. Throws Error if several entries share that file name.
const DocumentRejections* rejections_for(const Rejections& rejections, std::string_view path);

// SHA-256 of `bytes` as 64 lowercase hex digits.
std::string content_hash(std::string_view bytes);

// What decides a run's edits and their ids, hashed: `version` (copydesk's),
// the stages in order, and the contents of the data files the stages read
// (every *.txt in the dictionaries folder, the Hunspell en_US/en_GB files, the
// extra names files). Paths do not count, only contents. Throws Error if a
// named extra names file cannot be read.
std::string config_fingerprint(std::string_view version, const std::vector<std::string>& stages,
                               const ResourcePaths& paths);

}  // namespace copydesk
