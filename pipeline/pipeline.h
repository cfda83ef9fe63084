// The runner: decodes the input, runs the stages in order, applies each
// stage's edits and maps every edit back to byte offsets in the original input.
//
//   Resources resources(default_resource_paths());
//   Pipeline pipeline = Pipeline::build(stage_names(), resources);
//   Result r = pipeline.run(article);   // r.text is the cleaned article
//
// Lifecycle: build once, then run() any number of documents. A Pipeline (and the
// Resources it was built from) is used by one thread at a time; a batch uses one
// Pipeline per worker thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/edit.h"
#include "pipeline/resources.h"
#include "pipeline/rules.h"
#include "pipeline/stage.h"
#include "pipeline/text.h"

namespace copydesk {

struct RunOptions {
  // Replace invalid UTF-8 bytes with U+FFFD (logged as edits of the "input"
  // step) instead of rejecting the document.
  bool lossy = false;
  // Keep each stage's input text in the Result (needed for diffs and the
  // change log's "before"); off saves memory when only the text is wanted.
  bool keep_stage_inputs = true;
};

// What one stage did to the document.
struct StageRun {
  std::string stage;
  std::string input;           // the stage's input text (LF line endings); empty unless kept
  std::vector<Edit> edits;     // sorted; offsets into `input`
  std::vector<Span> original;  // per edit: the span it touched in the original input bytes
  double seconds = 0;          // time the stage took to propose its edits
};

struct Result {
  std::string text;               // the cleaned document, line endings as in the input
  bool crlf = false;              // every line ending of the input was CRLF (restored in `text`)
  std::vector<Edit> input_edits;  // invalid bytes replaced in --lossy mode (offsets in the original)
  std::vector<StageRun> stages;   // in run order, one per stage (also when it made no edit)

  std::size_t changes() const;  // edits that change text, all stages
  std::size_t flags() const;
};

class Pipeline {
 public:
  explicit Pipeline(std::vector<std::unique_ptr<Stage>> stages);

  // The stages called `names`, in that order; throws Error for an unknown name.
  static Pipeline build(const std::vector<std::string>& names, Resources& resources);

  // Cleans one document. Throws Error (with the byte offset) for invalid UTF-8
  // unless options.lossy, and for binary input (a NUL byte).
  Result run(std::string_view document, const RunOptions& options = {});

  const std::vector<std::unique_ptr<Stage>>& stages() const { return stages_; }

  // Disabled rules, protected words and patterns, ignore markers (see rules.h),
  // applied to every stage's edits from the next run() on. Throws Error for an
  // unknown rule or a bad pattern. By default nothing is disabled or protected
  // and ignore markers are honoured.
  void set_rules(const RuleOptions& rules);

 private:
  std::vector<std::unique_ptr<Stage>> stages_;
  std::unique_ptr<EditFilter> filter_;
};

// `text` with every "\n" written as "\r\n": how a CRLF input gets its line
// endings back.
std::string restore_crlf(std::string_view text);

// Maps byte offsets of a text derived by edits back to the text it came from.
// Exposed for tests.
class OffsetMap {
 public:
  explicit OffsetMap(std::size_t length);
  // Records that `edits` (normalised, on the current text) were applied.
  void apply(const std::vector<Edit>& edits);
  // The span of the original text that [begin, end) of the current text came
  // from. Positions inside inserted text widen to the whole replaced span.
  Span to_original(std::size_t begin, std::size_t end) const;
  std::size_t length() const { return length_; }

 private:
  struct Piece {
    std::size_t cur = 0;  // start in the current text
    std::size_t cur_len = 0;
    std::size_t orig = 0;  // start in the original
    std::size_t orig_len = 0;
    bool copied = true;  // copied verbatim (cur_len == orig_len), or replaced
  };
  std::size_t piece_at(std::size_t pos) const;
  void append_range(std::size_t from, std::size_t to, std::vector<Piece>& out, std::size_t& cur) const;
  std::vector<Piece> pieces_;
  std::size_t length_ = 0;
};

}  // namespace copydesk
