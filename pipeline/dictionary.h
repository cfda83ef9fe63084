// Reading the plain-text data files of dictionaries/. Every file shares one
// format: UTF-8, one entry a line, '#' starts a comment line, blank lines are
// ignored, surrounding white space is trimmed.
#pragma once

#include <string>
#include <vector>

namespace copydesk {

struct DictionaryLine {
  std::string text;      // the entry, trimmed
  std::size_t line = 0;  // 1-based line number, for error messages
};

// The entries of `path`. Throws Error naming the file if it cannot be read or
// is not valid UTF-8 (with the line number).
std::vector<DictionaryLine> read_dictionary(const std::string& path);

}  // namespace copydesk
