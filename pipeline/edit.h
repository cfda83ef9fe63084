// An edit is the unit of change in copydesk: every diff, change log entry and
// review item is rendered from edits, never re-derived by diffing strings.
#pragma once

#include <cstddef>
#include <string>

namespace copydesk {

enum class EditKind {
  kChange,  // replace [begin, end) with `replacement`
  kFlag,    // draw a reviewer's attention to [begin, end); the text is left as it is
};

struct Edit {
  std::size_t begin = 0;    // byte offset in the stage's input text
  std::size_t end = 0;      // one past the last byte replaced; == begin for an insertion
  std::string replacement;  // UTF-8 text put in place of [begin, end); empty for a deletion or a flag
  std::string rule;         // the rule's id, e.g. "comma-space"; listed by `copydesk stages`
  std::string reason;       // one short sentence for the reviewer
  EditKind kind = EditKind::kChange;
};

// Convenience constructors keep stage code short and uniform.
inline Edit make_change(std::size_t begin, std::size_t end, std::string replacement, std::string rule,
                        std::string reason) {
  return Edit{begin, end, std::move(replacement), std::move(rule), std::move(reason), EditKind::kChange};
}

inline Edit make_flag(std::size_t begin, std::size_t end, std::string rule, std::string reason) {
  return Edit{begin, end, {}, std::move(rule), std::move(reason), EditKind::kFlag};
}

}  // namespace copydesk
