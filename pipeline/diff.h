// Rendering a stage's edits as a unified diff with word-level highlighting.
// The diff is drawn from the edits themselves (never by diffing two strings),
// so it shows exactly what the stage changed, with each edit's rule and reason.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pipeline/edit.h"

namespace copydesk {

struct DiffStyle {
  bool color = false;  // ANSI colours (a terminal); otherwise [-old-]{+new+} markers
};

// Appends to `out` the diff of one stage over `input` (the stage's input text):
// a header with the stage name and its edit count, one hunk per group of
// touched lines (no context lines: paragraphs are long), the changed words
// marked inside the lines, then a "#" line per edit with its rule and reason.
// Nothing is written for a stage without edits. `path` names the document.
// `lines`, if not empty, holds each edit's 1-based line in the original input
// (as in the change log): a hunk's header then numbers its lines from the line
// of its first edit there, so every stage's diff counts lines of the input
// the user has, not of the text an earlier stage left.
void render_stage_diff(std::string& out, std::string_view path, std::string_view stage, std::string_view input,
                       const std::vector<Edit>& edits, const DiffStyle& style,
                       const std::vector<std::size_t>& lines = {});

}  // namespace copydesk
