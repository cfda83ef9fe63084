// Reading and writing documents without ever leaving a half-written file.
#pragma once

#include <string>
#include <string_view>

namespace copydesk {

// The whole file, or standard input for "-". Throws Error with the cause
// (the caller names the file).
std::string read_document(const std::string& path);

// Writes `content` to `path` through a temporary file in the same folder that
// is renamed over `path` only once fully written; on failure the temporary is
// removed and Error is thrown, and `path` is untouched. A symbolic link is
// followed (the link stays); a device or FIFO such as /dev/null is written
// directly, never replaced.
void write_file_atomic(const std::string& path, const std::string& content);

}  // namespace copydesk

namespace copydesk {

// An output file written through a temporary beside it and renamed into place
// by commit(); destroyed without commit() (an error, an exception), the
// temporary is removed and the target is untouched. For streamed output.
class AtomicOutput {
 public:
  explicit AtomicOutput(std::string path);  // throws Error if the temporary cannot be created
  ~AtomicOutput();
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;
  void write(std::string_view data);  // throws Error on a write failure
  void commit();                      // throws Error if the rename fails

 private:
  std::string path_;
  std::string temp_;
  int fd_ = -1;
};

}  // namespace copydesk
