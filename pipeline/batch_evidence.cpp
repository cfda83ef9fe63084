#include "pipeline/batch_evidence.h"

#include "pipeline/pipeline.h"
#include "pipeline/stage.h"

namespace copydesk {

std::uint64_t RecurringLines::key(std::string_view line) {
  // FNV-1a over the collapsed, lower-cased line.
  std::uint64_t h = 14695981039346656037ull;
  std::size_t words = 0;
  bool space = true;  // leading white space is dropped
  bool pending = false;
  for (const char ch : line) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
      if (!space) pending = true;
      space = true;
      continue;
    }
    if (space && ++words > kMaxWords) return 0;
    if (pending) {
      h = (h ^ ' ') * 1099511628211ull;
      pending = false;
    }
    space = false;
    h = (h ^ (c >= 'A' && c <= 'Z' ? c + 32u : c)) * 1099511628211ull;
  }
  return words == 0 ? 0 : (h == 0 ? 1 : h);
}

void RecurringLines::add_document(std::string_view text) {
  ++documents_;
  seen_.clear();
  std::size_t begin = 0;
  while (begin <= text.size()) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    const std::uint64_t k = key(text.substr(begin, end - begin));
    if (k != 0 && seen_.insert(k).second) {
      if (auto it = counts_.find(k); it != counts_.end()) {
        ++it->second;
      } else if (counts_.size() < kMaxLines) {
        counts_.emplace(k, 1);
      }
    }
    begin = end + 1;
  }
}

std::size_t RecurringLines::documents_with(std::string_view line) const {
  const std::uint64_t k = key(line);
  if (k == 0) return 0;
  const auto it = counts_.find(k);
  return it == counts_.end() ? 0 : it->second;
}

BatchPrepass::BatchPrepass(const Pipeline& pipeline) {
  const auto& stages = pipeline.stages();
  for (std::size_t i = 0; i < stages.size(); ++i) {
    if (auto c = stages[i]->batch_collector()) collectors_.emplace_back(i, std::move(c));
  }
}

void BatchPrepass::collect(std::string_view text) {
  for (auto& [index, collector] : collectors_) collector->collect(text);
}

BatchEvidenceSet BatchPrepass::finish() {
  BatchEvidenceSet found;
  for (auto& [index, collector] : collectors_) found.emplace_back(index, collector->finish());
  return found;
}

void publish(const BatchEvidenceSet& evidence, const Pipeline& pipeline) {
  for (const auto& [index, found] : evidence) pipeline.stages()[index]->use_batch_evidence(found);
}

}  // namespace copydesk
