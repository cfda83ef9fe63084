// Reading and writing documents without ever leaving a half-written file.
#pragma once

#include <string>

namespace copydesk {

// The whole file, or standard input for "-". Throws Error with the cause
// (the caller names the file).
std::string read_document(const std::string& path);

// Writes `content` to `path` through a temporary file in the same folder that
// is renamed over `path` only once fully written; on failure the temporary is
// removed and Error is thrown, and `path` is untouched.
void write_file_atomic(const std::string& path, const std::string& content);

}  // namespace copydesk
