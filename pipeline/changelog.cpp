#include "pipeline/changelog.h"

#include <algorithm>

#include "pipeline/review.h"

namespace copydesk {

namespace {

// Lines and code points of the original input, for any byte offset.
class TextIndex {
 public:
  explicit TextIndex(std::string_view text) : text_(text) {
    std::size_t points = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (i % kBlock == 0) block_points_.push_back(points);
      if (text[i] == '\n') newlines_.push_back(i);
      points += !is_continuation(text[i]);
    }
  }
  std::size_t line_of(std::size_t pos) const {
    return static_cast<std::size_t>(std::lower_bound(newlines_.begin(), newlines_.end(), pos) - newlines_.begin()) + 1;
  }
  // Code points before byte `pos` (what a Python str index counts). A byte
  // that is not UTF-8 (lossy input) counts as one.
  std::size_t code_point_of(std::size_t pos) const {
    if (pos >= text_.size()) pos = text_.size();
    if (pos == 0) return 0;
    const std::size_t block = (pos - 1) / kBlock;
    std::size_t points = block_points_[block];
    for (std::size_t i = block * kBlock; i < pos; ++i) points += !is_continuation(text_[i]);
    return points;
  }

 private:
  static constexpr std::size_t kBlock = 256;
  static bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }
  std::string_view text_;
  std::vector<std::size_t> newlines_;
  std::vector<std::size_t> block_points_;  // code points before each kBlock-byte block
};

nlohmann::ordered_json edit_json(std::string id, std::string_view stage, const Edit& e, Span orig,
                                 std::string_view before, const TextIndex& index) {
  return {{"id", std::move(id)},
          {"stage", stage},
          {"rule", e.rule},
          {"kind", e.kind == EditKind::kChange ? "change" : "flag"},
          {"begin", orig.begin},
          {"end", orig.end},
          {"begin_cp", index.code_point_of(orig.begin)},
          {"end_cp", index.code_point_of(orig.end)},
          {"line", index.line_of(orig.begin)},
          {"before", before},
          {"after", e.kind == EditKind::kChange ? e.replacement : std::string(before)},
          {"reason", e.reason}};
}

}  // namespace

nlohmann::ordered_json changes_to_json(std::string_view path, std::string_view original, const Result& result) {
  const TextIndex lines(original);
  auto edits = nlohmann::ordered_json::array();
  std::size_t n = 0;
  for (const auto& e : result.input_edits) {
    // Lossy replacements: the "before" bytes are not UTF-8, so they are given as hex.
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    for (std::size_t i = e.begin; i < e.end; ++i) {
      const auto c = static_cast<unsigned char>(original[i]);
      hex.append("\\x").push_back(kHex[c >> 4]);
      hex.push_back(kHex[c & 15]);
    }
    edits.push_back(edit_json("input-" + std::to_string(++n), "input", e, {e.begin, e.end}, hex, lines));
  }
  for (const auto& run : result.stages) {
    for (std::size_t k = 0; k < run.edits.size(); ++k) {
      const auto& e = run.edits[k];
      const std::string_view before =
          run.input.empty() ? std::string_view{} : std::string_view(run.input).substr(e.begin, e.end - e.begin);
      auto edit = edit_json(edit_id(run.label(), k), run.stage, e, run.original[k], before, lines);
      if (run.pass > 1) edit["pass"] = run.pass;  // a later pass (see Pipeline::run)
      edits.push_back(std::move(edit));
    }
  }
  return {{"document", path}, {"changes", result.changes()}, {"flags", result.flags()}, {"edits", std::move(edits)}};
}

}  // namespace copydesk
