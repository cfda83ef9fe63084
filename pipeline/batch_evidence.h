// Batch evidence: a pre-pass over every document of a run, before any of them
// is cleaned, lets a stage learn from the whole batch (a name spelled the same
// way in many articles, a line every page of a site repeats). Front ends only
// feed documents to a BatchPrepass; they know no particular stage.
//
//   BatchPrepass prepass(pipelines.front());   // asks each stage for a collector
//   for (const auto& doc : docs) prepass.collect(doc);
//   const BatchEvidenceSet found = prepass.finish();
//   for (auto& p : pipelines) publish(found, p); // each stage gets its evidence
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace copydesk {

class Pipeline;

// What a stage learned from a batch; the stage that made it knows its type.
class BatchEvidence {
 public:
  virtual ~BatchEvidence() = default;
};

// Gathers one stage's evidence, one document at a time (one thread).
class BatchCollector {
 public:
  virtual ~BatchCollector() = default;
  virtual void collect(std::string_view text) = 0;
  // The finished evidence, shared read-only by every worker's copy of the stage.
  virtual std::shared_ptr<const BatchEvidence> finish() = 0;
};

// Short lines that recur verbatim across the documents of a batch: how many
// documents have each one. A line is its text with white space collapsed and
// ASCII letters lower-cased, hashed to 64 bits; only lines of at most
// kMaxWords words are counted, once per document. Memory is bounded: at most
// kMaxLines distinct lines are kept (about 40 bytes each with the hash
// table's buckets: about 21 MB);
// once full, new lines are not added while those kept go on being counted.
class RecurringLines : public BatchEvidence {
 public:
  static constexpr std::size_t kMaxWords = 16;
  static constexpr std::size_t kMaxLines = std::size_t{1} << 19;

  // Counts the short lines of one document.
  void add_document(std::string_view text);
  // The number of documents that have `line` (0 for a long line).
  std::size_t documents_with(std::string_view line) const;
  std::size_t documents() const { return documents_; }
  std::size_t distinct() const { return counts_.size(); }
  // The key of a line, or 0 when it is blank or longer than kMaxWords words.
  static std::uint64_t key(std::string_view line);

 private:
  std::unordered_map<std::uint64_t, std::uint32_t> counts_;
  std::unordered_set<std::uint64_t> seen_;  // scratch: this document's lines
  std::size_t documents_ = 0;
};

// What a pre-pass found: each subscribing stage's evidence, by stage index.
using BatchEvidenceSet = std::vector<std::pair<std::size_t, std::shared_ptr<const BatchEvidence>>>;

// The pre-pass: one collector per stage of `pipeline` that subscribes
// (Stage::batch_collector() returns one).
class BatchPrepass {
 public:
  explicit BatchPrepass(const Pipeline& pipeline);
  bool empty() const { return collectors_.empty(); }
  void collect(std::string_view text);
  // Ends the pass: what each subscribing stage collected.
  BatchEvidenceSet finish();

 private:
  std::vector<std::pair<std::size_t, std::unique_ptr<BatchCollector>>> collectors_;  // by stage index
};

// Hands each subscribing stage of `pipeline` (built like the pre-pass's) its
// evidence; a pipeline built later gets the same set.
void publish(const BatchEvidenceSet& evidence, const Pipeline& pipeline);

}  // namespace copydesk
