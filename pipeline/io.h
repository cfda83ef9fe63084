// Reading and writing documents without ever leaving a half-written file.
#pragma once

#include <string>
#include <string_view>

#include "pipeline/error.h"

namespace copydesk {

// An output could not be written (a full disk, a closed pipe, a folder that
// cannot be written to). The message names the output. Unlike a bad input,
// it ends the run: the CLI exits 3.
class OutputError : public Error {
 public:
  explicit OutputError(const std::string& what) : Error(what) {}
};

// Writes to standard output; throws OutputError("standard output: ...") if it
// fails (now or on an earlier buffered write). flush_stdout() checks the end.
void put_stdout(std::string_view text);
void flush_stdout();

// Whether a read from standard input would return at once (data is buffered
// or waiting, or the input has ended): a stream that would block is idle.
bool stdin_ready();

// Installs handlers for SIGINT, SIGTERM, SIGHUP and SIGPIPE that remove every
// temporary file an AtomicOutput or write_file_atomic still holds, then die of
// the same signal: an interrupted run leaves no ".NAME.copydesk-XXXXXX" behind.
void remove_temporaries_on_signal();

// The whole file, or standard input for "-". Throws Error with the cause
// (the caller names the file).
std::string read_document(const std::string& path);

// Writes `content` to `path` through a temporary file in the same folder that
// is renamed over `path` only once fully written; on failure the temporary is
// removed and OutputError is thrown, and `path` is untouched. A symbolic link
// is followed (the link stays); a device or FIFO such as /dev/null is written
// directly, never replaced. A file being replaced keeps its mode, and its owner
// and group where the process may set them (root can). The new file is a new
// inode: other hard links to the old one keep the old content.
void write_file_atomic(const std::string& path, const std::string& content);

}  // namespace copydesk

namespace copydesk {

// An output file written through a temporary beside it and renamed into place
// by commit(); destroyed without commit() (an error, an exception), the
// temporary is removed and the target is untouched. For streamed output.
class AtomicOutput {
 public:
  explicit AtomicOutput(std::string path);  // throws OutputError if the temporary cannot be created
  ~AtomicOutput();
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;
  void write(std::string_view data);  // throws OutputError on a write failure
  void commit();                      // throws OutputError if the rename fails

 private:
  std::string path_;
  std::string temp_;
  int fd_ = -1;
};

}  // namespace copydesk
