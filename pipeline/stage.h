// The Stage interface: one stage looks at the whole document text and proposes
// edits; the Pipeline applies them. A stage never modifies text itself.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "pipeline/batch_evidence.h"
#include "pipeline/edit.h"

namespace copydesk {

class Resources;
class WordAnalysis;

// A rule a stage can apply, as `copydesk stages` and the README list it.
struct RuleInfo {
  std::string_view id;           // e.g. "comma-space"
  std::string_view description;  // one line: what it changes and what it leaves alone
};

class Stage {
 public:
  virtual ~Stage() = default;

  // The registry name, e.g. "spacing". Stable: used by --only/--skip, the config and the change log.
  virtual std::string_view name() const = 0;

  // One line for `copydesk stages`.
  virtual std::string_view description() const = 0;

  // Every rule id the stage may put in an Edit, with its description.
  virtual std::vector<RuleInfo> rules() const = 0;

  // Appends the stage's edits for `text` (the output of the previous stage) to `out`.
  // Edits may come in any order but must not overlap one another; an insertion may
  // sit at the boundary of another edit. A stage object is used by one thread at a
  // time; it may keep caches between calls, but its edits depend on `text` (and
  // the batch evidence) alone: the pipeline does not run a stage again on text
  // it has read, and a run's fixed point relies on it (Pipeline::run).
  virtual void propose(std::string_view text, std::vector<Edit>& out) = 0;

  // A stage that reads the document's words says so here; the pipeline then
  // calls propose_words() with the shared analysis of `text` (computed once
  // per text, pipeline/word_analysis.h), and propose() for a text too large
  // to analyse whole. The edits must be those propose() makes.
  virtual bool reads_words() const { return false; }
  virtual void propose_words(std::string_view text, const WordAnalysis& /*words*/, std::vector<Edit>& out) {
    propose(text, out);
  }

  // Batch evidence (pipeline/batch_evidence.h): a stage that learns from every
  // document of a run returns a collector for the pre-pass, and later receives
  // what it collected (shared by every worker's copy of the stage).
  virtual std::unique_ptr<BatchCollector> batch_collector() const { return nullptr; }
  virtual void use_batch_evidence(std::shared_ptr<const BatchEvidence> /*evidence*/) {}
};

}  // namespace copydesk
