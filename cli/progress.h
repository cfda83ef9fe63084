// A one-line progress display on standard error: documents, megabytes, rate
// and, when the total is known, the time left. Silent unless enabled (the CLI
// enables it only on a terminal and without --quiet).
#pragma once

#include <chrono>
#include <cstddef>

namespace copydesk {

class Progress {
 public:
  // total_bytes 0: unknown (a stream), no ETA.
  Progress(bool enabled, std::size_t total_bytes);
  // Records one more document of `bytes`; redraws at most ten times a second.
  void add(std::size_t bytes);
  // Clears the line.
  void finish();
  double seconds() const;
  std::size_t documents() const { return documents_; }
  std::size_t bytes() const { return bytes_; }

 private:
  void draw();
  bool enabled_;
  std::size_t total_;
  std::size_t documents_ = 0;
  std::size_t bytes_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace copydesk
