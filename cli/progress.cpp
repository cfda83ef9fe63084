#include "cli/progress.h"

#include <cstdio>

namespace copydesk {

Progress::Progress(bool enabled, std::size_t total_bytes)
    : enabled_(enabled), total_(total_bytes), start_(std::chrono::steady_clock::now()), last_draw_(start_) {}

double Progress::seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void Progress::add(std::size_t bytes) {
  ++documents_;
  bytes_ += bytes;
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  draw();
}

void Progress::draw() {
  const double secs = seconds();
  const double mb = static_cast<double>(bytes_) / (1024.0 * 1024.0);
  const double rate = secs > 0 ? mb / secs : 0.0;
  char eta[32] = "";
  if (total_ > 0 && bytes_ > 0 && bytes_ < total_ && rate > 0) {
    const double left = static_cast<double>(total_ - bytes_) / (1024.0 * 1024.0) / rate;
    const long s = static_cast<long>(left + 0.5);
    std::snprintf(eta, sizeof eta, "  ETA %ld:%02ld", s / 60, s % 60);
  }
  std::fprintf(stderr, "\r\x1b[K%zu documents  %.1f MB  %.1f MB/s%s", documents_, mb, rate, eta);
  std::fflush(stderr);
}

void Progress::finish() {
  if (!enabled_) return;
  std::fprintf(stderr, "\r\x1b[K");
  std::fflush(stderr);
}

}  // namespace copydesk
