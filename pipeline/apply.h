// Applying one stage's edits to its input text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pipeline/edit.h"

namespace copydesk {

// Drops changes that replace a span with the same bytes (no-ops), sorts
// `edits` by position and checks them: offsets inside `text` and on
// UTF-8 boundaries, no two changes overlapping. A change that fails the check
// is turned into a flag whose reason says why, so nothing is lost silently.
// Insertions at the same offset keep the order the stage proposed them in.
void normalize_edits(std::string_view text, std::vector<Edit>& edits);

// `text` with the changes of `edits` (already normalised) applied; flags are
// skipped. The result has room for `spare` more bytes (see apply_edits_in_place).
std::string apply_edits(std::string_view text, const std::vector<Edit>& edits, std::size_t spare = 0);

// The same in `text`'s own buffer, when the result fits in its capacity at
// every step (no text is held twice); returns false, leaving `text` as it
// was, when it does not.
bool apply_edits_in_place(std::string& text, const std::vector<Edit>& edits);

}  // namespace copydesk
