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

// What one stage did to the document in one pass.
struct StageRun {
  std::string stage;           // the stage's registry name
  std::size_t index = 0;       // its position in the pipeline (0-based)
  std::size_t pass = 1;        // 1, or a later pass that reached the fixed point (see Pipeline::run)
  std::string input;           // the stage's input text (LF line endings); empty unless kept
  std::vector<Edit> edits;     // sorted; offsets into `input`
  std::vector<Span> original;  // per edit: the span it touched in the original input bytes
  double seconds = 0;          // time the stage took to propose its edits

  // The name edit ids, the change log and the report use: the stage's name
  // in the first pass ("spelling"), with the pass after "@" in a later one
  // ("spelling@2").
  std::string label() const { return pass == 1 ? stage : stage + "@" + std::to_string(pass); }
};

struct Result {
  std::string text;               // the cleaned document, line endings as in the input
  bool crlf = false;              // every line ending of the input was CRLF (restored in `text`)
  std::vector<Edit> input_edits;  // invalid bytes replaced in --lossy mode (offsets in the original)
  // In run order: one per stage in the first pass (also when it made no
  // edit), then, in a later pass, one per stage that made an edit there.
  std::vector<StageRun> stages;

  std::size_t changes() const;  // edits that change text, all stages
  std::size_t flags() const;
};

class WordAnalysis;

class Pipeline {
 public:
  explicit Pipeline(std::vector<std::unique_ptr<Stage>> stages);
  Pipeline(Pipeline&&) noexcept;
  Pipeline& operator=(Pipeline&&) noexcept;
  ~Pipeline();

  // The stages called `names`, in that order; throws Error for an unknown name.
  static Pipeline build(const std::vector<std::string>& names, Resources& resources);

  // Cleans one document. Throws Error (with the byte offset) for invalid UTF-8
  // unless options.lossy, and for binary input (a NUL byte).
  //
  // Fixed point: cleaning the output again changes nothing. One pass runs
  // every stage in order; a stage may decide on text a later stage then
  // changes (a furniture line spelled right, a repeat whose typo is fixed), so
  // if a pass changed anything, another pass runs over its output, up to
  // kMaxPasses in all. A later pass is appended to Result::stages as runs of
  // their own (StageRun::pass), with their edits on their own input and their
  // spans mapped to the original input like every other edit, so the change
  // log, the diff, the report and `apply --reject` replay them in order. A
  // later pass repeats no flag an earlier pass of the stage made on the same
  // span. Text that the first pass leaves alone is read once.
  Result run(std::string_view document, const RunOptions& options = {});
  // The same, taking the document over: its buffer is the first text the
  // stages read, and is freed once a stage has changed it, so a large
  // document is held once while the stages read it (twice while a stage's
  // edits are applied), not once more for the caller.
  Result run_owned(std::string&& document, const RunOptions& options = {});

  // Passes at most; the fixed point of real text is reached in two (the
  // second one changing nothing) or three.
  static constexpr std::size_t kMaxPasses = 4;

  const std::vector<std::unique_ptr<Stage>>& stages() const { return stages_; }

  // Disabled rules, protected words and patterns, ignore markers (see rules.h),
  // applied to every stage's edits from the next run() on. Throws Error for an
  // unknown rule or a bad pattern. By default nothing is disabled or protected
  // and ignore markers are honoured.
  void set_rules(const RuleOptions& rules);

 private:
  // run() on `document`; when `own` is given, `document` is *own's text and
  // the run may take its buffer.
  Result run(std::string_view document, std::string* own, const RunOptions& options);

  std::vector<std::unique_ptr<Stage>> stages_;
  std::unique_ptr<EditFilter> filter_;
  // The words of the current text, for the stages that read them (Stage::reads_words).
  std::unique_ptr<WordAnalysis> words_;
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
