#include "pipeline/diff.h"

#include <algorithm>

#include "pipeline/text.h"

namespace copydesk {

namespace {

constexpr std::string_view kRed = "\x1b[31m";
constexpr std::string_view kGreen = "\x1b[32m";
constexpr std::string_view kYellow = "\x1b[33m";
constexpr std::string_view kCyan = "\x1b[36m";
constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kReverse = "\x1b[7m";
constexpr std::string_view kNoReverse = "\x1b[27m";
constexpr std::string_view kReset = "\x1b[0m";

bool space_at(std::string_view s, std::size_t i) { return s[i] == ' ' || s[i] == '\t' || s[i] == '\n'; }

// Widens [b, e) to whole words within `line`: a highlight of a lone inserted
// space or comma is hard to see; the word it touches is not.
Span widen(std::string_view line, std::size_t b, std::size_t e) {
  while (b > 0 && !space_at(line, b - 1)) --b;
  while (e < line.size() && !space_at(line, e)) ++e;
  return {b, e};
}

std::vector<Span> merge(std::vector<Span> spans) {
  std::sort(spans.begin(), spans.end(), [](Span a, Span b) { return a.begin < b.begin; });
  std::vector<Span> merged;
  for (auto s : spans) {
    if (!merged.empty() && s.begin <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, s.end);
    } else {
      merged.push_back(s);
    }
  }
  return merged;
}

// Writes one diff line: prefix, then `text` with `marks` highlighted.
void write_line(std::string& out, char prefix, std::string_view text, const std::vector<Span>& marks,
                const DiffStyle& style) {
  // '-' removed, '+' added, ' ' a flagged line the stage left as it is.
  const bool removed = prefix == '-';
  const bool flagged = prefix == ' ';
  const std::string_view open = flagged ? "[?" : removed ? "[-" : "{+";
  const std::string_view close = flagged ? "?]" : removed ? "-]" : "+}";
  if (style.color) out.append(flagged ? kYellow : removed ? kRed : kGreen);
  out.push_back(prefix);
  std::size_t pos = 0;
  for (const auto& m : marks) {
    out.append(text.substr(pos, m.begin - pos));
    if (style.color) {
      out.append(kReverse).append(text.substr(m.begin, m.size())).append(kNoReverse);
    } else {
      out.append(open).append(text.substr(m.begin, m.size())).append(close);
    }
    pos = m.end;
  }
  out.append(text.substr(pos));
  if (style.color) out.append(kReset);
  out.push_back('\n');
}

// Cuts a long string for the "#" explanation lines.
std::string clip(std::string_view s) {
  constexpr std::size_t kMax = 60;
  std::string out;
  if (s.size() <= kMax) {
    out.assign(s);
  } else {
    std::size_t cut = kMax;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    out.assign(s.substr(0, cut)).append("…");
  }
  // One explanation stays on one line; a newline shows as ⏎.
  for (std::size_t nl = out.find('\n'); nl != std::string::npos; nl = out.find('\n', nl)) out.replace(nl, 1, "⏎");
  return out;
}

std::size_t line_of(const std::vector<std::size_t>& starts, std::size_t pos) {
  return static_cast<std::size_t>(std::upper_bound(starts.begin(), starts.end(), pos) - starts.begin()) - 1;
}

}  // namespace

void render_stage_diff(std::string& out, std::string_view path, std::string_view stage, std::string_view input,
                       const std::vector<Edit>& edits, const DiffStyle& style, const std::vector<std::size_t>& lines) {
  if (edits.empty()) return;
  std::size_t changes = 0;
  for (const auto& e : edits) changes += e.kind == EditKind::kChange;
  const std::size_t flags = edits.size() - changes;

  // Start offset of every input line; a final '\n' does not open a line.
  std::vector<std::size_t> starts{0};
  for (std::size_t i = 0; i < input.size(); ++i)
    if (input[i] == '\n' && i + 1 < input.size()) starts.push_back(i + 1);
  auto line_end = [&](std::size_t line) {
    return line + 1 < starts.size() ? starts[line + 1] - 1
                                    : (input.empty() || input.back() != '\n' ? input.size() : input.size() - 1);
  };

  if (style.color) out.append(kBold);
  out.append("=== ")
      .append(stage)
      .append(": ")
      .append(std::to_string(changes))
      .append(changes == 1 ? " edit" : " edits");
  if (flags) out.append(", ").append(std::to_string(flags)).append(flags == 1 ? " flag" : " flags");
  out.append(" ===\n");
  out.append("--- a/").append(path).append("\t(before ").append(stage).append(")\n");
  out.append("+++ b/").append(path).append("\t(after ").append(stage).append(")\n");
  if (style.color) out.append(kReset);

  long line_delta = 0;  // new line number minus old line number, for hunks so far
  std::size_t i = 0;
  while (i < edits.size()) {
    // A hunk: consecutive edits whose line ranges touch.
    std::size_t first = line_of(starts, edits[i].begin);
    std::size_t last = line_of(starts, edits[i].end > edits[i].begin ? edits[i].end - 1 : edits[i].begin);
    last = std::max(last, first);
    std::size_t j = i + 1;
    while (j < edits.size() && line_of(starts, edits[j].begin) <= last) {
      const auto& e = edits[j];
      last = std::max(last, line_of(starts, e.end > e.begin ? e.end - 1 : e.begin));
      ++j;
    }
    const std::size_t hb = starts[first];
    std::size_t he = line_end(last);
    // A deletion may swallow the newline after the last line.
    for (std::size_t k = i; k < j; ++k) he = std::max(he, edits[k].end);
    const std::string_view old_text = input.substr(hb, he - hb);

    // New text of the hunk, with the spans each replacement occupies.
    std::string new_text;
    std::vector<Span> old_marks;
    std::vector<Span> new_marks;
    std::size_t pos = hb;
    for (std::size_t k = i; k < j; ++k) {
      const auto& e = edits[k];
      if (e.kind != EditKind::kChange) continue;
      new_text.append(input.substr(pos, e.begin - pos));
      old_marks.push_back({e.begin - hb, e.end - hb});
      new_marks.push_back({new_text.size(), new_text.size() + e.replacement.size()});
      new_text.append(e.replacement);
      pos = e.end;
    }
    new_text.append(input.substr(pos, he - pos));
    const bool flags_only = old_marks.empty();
    if (flags_only) {
      for (std::size_t k = i; k < j; ++k) old_marks.push_back({edits[k].begin - hb, edits[k].end - hb});
    }

    // Split both sides into lines and mark the touched words on each line.
    auto emit = [&](char prefix, std::string_view text, const std::vector<Span>& marks) -> std::size_t {
      std::size_t count = 0;
      std::size_t b = 0;
      const bool whole_text_removed = prefix == '-' && !marks.empty() && marks.front().begin == 0 &&
                                      marks.front().end >= text.size() && marks.size() == 1;
      while (b <= text.size()) {
        std::size_t e = text.find('\n', b);
        if (e == std::string_view::npos) e = text.size();
        if (b == text.size() && b > 0) break;  // nothing after the final newline
        const std::string_view line = text.substr(b, e - b);
        std::vector<Span> line_marks;
        if (!whole_text_removed) {
          for (const auto& m : marks) {
            if (m.end < b || m.begin > e) continue;
            const std::size_t mb = std::max(m.begin, b) - b;
            const std::size_t me = std::min(m.end, e) - b;
            line_marks.push_back(widen(line, mb, me));
          }
        }
        write_line(out, prefix, line, merge(std::move(line_marks)), style);
        ++count;
        if (e == text.size()) break;
        b = e + 1;
      }
      return count;
    };
    // Count lines first for the hunk header.
    auto count_lines = [](std::string_view t) -> std::size_t {
      if (t.empty()) return 0;
      std::size_t n = static_cast<std::size_t>(std::count(t.begin(), t.end(), '\n'));
      return t.back() == '\n' ? n : n + 1;
    };
    const std::size_t old_count = count_lines(old_text);
    const std::size_t new_count = count_lines(new_text);
    const std::size_t old_start = i < lines.size() ? lines[i] : first + 1;
    const long new_start = static_cast<long>(old_start) + line_delta;
    if (style.color) out.append(kCyan);
    out.append("@@ -").append(std::to_string(old_start)).append(",").append(std::to_string(old_count));
    out.append(" +").append(std::to_string(new_count == 0 ? new_start - 1 : new_start)).append(",");
    out.append(std::to_string(new_count)).append(" @@");
    if (style.color) out.append(kReset);
    out.push_back('\n');
    if (flags_only) {
      emit(' ', old_text, old_marks);
    } else {
      if (old_count) emit('-', old_text, old_marks);
      if (new_count) emit('+', new_text, new_marks);
    }
    for (std::size_t k = i; k < j; ++k) {
      const auto& e = edits[k];
      out.append("# ").append(stage).append("/").append(e.rule);
      if (e.kind == EditKind::kFlag) {
        out.append(" FLAG \"").append(clip(input.substr(e.begin, e.end - e.begin))).append("\"");
      } else {
        out.append(" \"").append(clip(input.substr(e.begin, e.end - e.begin))).append("\" -> \"");
        out.append(clip(e.replacement)).append("\"");
      }
      out.append(": ").append(e.reason).append("\n");
    }
    line_delta += static_cast<long>(new_count) - static_cast<long>(old_count);
    i = j;
  }
}

}  // namespace copydesk
