#include "pipeline/rules.h"

#include <algorithm>

#include <unicode/regex.h>
#include <unicode/utext.h>

#include "pipeline/error.h"
#include "pipeline/registry.h"
#include "pipeline/stage.h"
#include "pipeline/text.h"

namespace copydesk {

std::pair<std::string, std::string> split_rule_id(std::string_view id) {
  const auto slash = id.find('/');
  if (slash == std::string_view::npos) return {std::string(id), {}};
  return {std::string(id.substr(0, slash)), std::string(id.substr(slash + 1))};
}

namespace {

// A word as a pattern: its characters literally, not inside a longer word.
std::string word_pattern(std::string_view word) {
  std::string p = "(?<![\\p{L}\\p{N}_])";
  for (char c : word) {
    const auto u = static_cast<unsigned char>(c);
    const bool plain = u >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!plain) p.push_back('\\');
    p.push_back(c);
  }
  return p + "(?![\\p{L}\\p{N}_])";
}

struct UTextCloser {
  void operator()(UText* t) const { utext_close(t); }
};
using UTextPtr = std::unique_ptr<UText, UTextCloser>;

UTextPtr open_utf8(std::string_view s) {
  UErrorCode status = U_ZERO_ERROR;
  UTextPtr t(utext_openUTF8(nullptr, s.data(), static_cast<int64_t>(s.size()), &status));
  if (U_FAILURE(status)) throw Error(std::string("cannot read text for matching: ") + u_errorName(status));
  return t;
}

}  // namespace

struct EditFilter::Patterns {
  std::string source;  // kept alive: the compiled pattern's UText reads it
  std::unique_ptr<icu::RegexPattern> pattern;
  std::unique_ptr<icu::RegexMatcher> matcher;
};

EditFilter::EditFilter(const RuleOptions& options, const std::vector<std::unique_ptr<Stage>>& stages)
    : ignore_markers_(options.ignore_markers) {
  for (const auto& id : options.disable) {
    auto [stage, rule] = split_rule_id(id);
    if (stage.empty() || rule.empty()) throw Error("rule '" + id + "' is not STAGE/RULE (copydesk stages lists them)");
    if (!is_stage_name(stage))
      throw Error("unknown stage '" + stage + "' in rule '" + id + "' (copydesk stages lists them)");
    for (const auto& s : stages) {
      if (s->name() != stage) continue;
      const auto rules = s->rules();
      const std::string_view wanted = rule;  // clang 14 cannot capture a structured binding
      if (std::none_of(rules.begin(), rules.end(), [wanted](const RuleInfo& r) { return r.id == wanted; })) {
        throw Error("stage " + stage + " has no rule '" + rule + "' (copydesk stages lists them)");
      }
    }
    disabled_.emplace_back(std::move(stage), std::move(rule));
  }
  // Every word and pattern in one alternation: one pass over the text finds all.
  for (const auto& p : options.protect_patterns) {
    // Each pattern compiled alone first, so an error names the one at fault.
    UErrorCode status = U_ZERO_ERROR;
    UParseError where{};
    auto text = open_utf8(p);
    std::unique_ptr<icu::RegexPattern> alone(icu::RegexPattern::compile(text.get(), 0, where, status));
    if (U_FAILURE(status)) {
      throw Error("protect pattern '" + p + "': " + u_errorName(status) + " at character " +
                  std::to_string(where.offset));
    }
  }
  std::string source;
  for (const auto& w : options.protect) {
    if (w.empty()) throw Error("protect: an empty word");
    if (!source.empty()) source.push_back('|');
    source.append(word_pattern(w));
  }
  for (const auto& p : options.protect_patterns) {
    if (!source.empty()) source.push_back('|');
    source.append("(?:").append(p).push_back(')');
  }
  if (!source.empty()) {
    patterns_ = std::make_unique<Patterns>();
    patterns_->source = std::move(source);
    UErrorCode status = U_ZERO_ERROR;
    UParseError where{};
    auto text = open_utf8(patterns_->source);
    patterns_->pattern.reset(icu::RegexPattern::compile(text.get(), 0, where, status));
    if (U_SUCCESS(status)) patterns_->matcher.reset(patterns_->pattern->matcher(status));
    if (U_FAILURE(status)) throw Error(std::string("protect list: ") + u_errorName(status));
  }
}

EditFilter::~EditFilter() = default;

bool EditFilter::markers_in(std::string_view document) const {
  return ignore_markers_ && document.find(kIgnoreStart) != std::string_view::npos;
}

void EditFilter::filter(std::string_view stage, std::string_view text, bool markers, std::vector<Edit>& edits) {
  if (edits.empty()) return;
  std::erase_if(edits, [&](const Edit& e) {
    return std::any_of(disabled_.begin(), disabled_.end(),
                       [&](const auto& d) { return d.first == stage && d.second == e.rule; });
  });
  // Protected spans of `text`, in order (they may overlap).
  std::vector<Span> spans;
  if (markers) {
    for (std::size_t start = text.find(kIgnoreStart); start != std::string_view::npos;) {
      const std::size_t line = text.rfind('\n', start);
      const std::size_t begin = line == std::string_view::npos ? 0 : line + 1;
      const std::size_t stop = text.find(kIgnoreEnd, start + kIgnoreStart.size());
      std::size_t end = text.size();
      if (stop != std::string_view::npos) {
        const std::size_t nl = text.find('\n', stop);
        end = nl == std::string_view::npos ? text.size() : nl + 1;
      }
      spans.push_back({begin, end});
      start = end >= text.size() ? std::string_view::npos : text.find(kIgnoreStart, end);
    }
  }
  if (patterns_ && !edits.empty()) {
    auto input = open_utf8(text);
    UErrorCode status = U_ZERO_ERROR;
    auto& m = *patterns_->matcher;
    m.reset(input.get());
    while (m.find(status) && U_SUCCESS(status)) {
      const auto b = static_cast<std::size_t>(m.start64(status));
      const auto e = static_cast<std::size_t>(m.end64(status));
      if (e > b) spans.push_back({b, e});
    }
    m.reset(icu::UnicodeString());  // drop the reference to `text`
  }
  if (spans.empty()) return;
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
  std::vector<Span> merged;  // disjoint, in order: ends increase too
  for (const auto& s : spans) {
    if (!merged.empty() && s.begin <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, s.end);
    } else {
      merged.push_back(s);
    }
  }
  std::erase_if(edits, [&](const Edit& e) {
    // The first span ending after the edit's start is the only one it can touch first.
    auto it = std::upper_bound(merged.begin(), merged.end(), e.begin,
                               [](std::size_t pos, const Span& s) { return pos < s.end; });
    if (it == merged.end()) return false;
    if (e.begin == e.end) return it->begin < e.begin;  // an insertion strictly inside
    return it->begin < e.end;
  });
}

}  // namespace copydesk
