#include "pipeline/io.h"

#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pipeline/error.h"

namespace copydesk {

std::string read_document(const std::string& path) {
  if (path == "-") {
    std::ostringstream buffer;
    buffer << std::cin.rdbuf();
    if (std::cin.bad()) throw Error("cannot read standard input");
    return std::move(buffer).str();
  }
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw Error("is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(std::string("cannot open (") + std::strerror(errno) + ")");
  // Read in blocks into a string sized from the file's length (when it has
  // one): no doubling growth, so a large document costs its own size once,
  // with a little room for the pipeline to apply edits that lengthen it in
  // place (Pipeline::run_owned).
  std::string content;
  if (const auto size = std::filesystem::file_size(path, ec); !ec) content.reserve(size + size / 64 + 64);
  std::array<char, 1 << 16> block;
  while (in.read(block.data(), block.size()) || in.gcount() > 0)
    content.append(block.data(), static_cast<std::size_t>(in.gcount()));
  if (in.bad()) throw Error("read error");
  return content;
}

void put_stdout(std::string_view text) {
  std::cout.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!std::cout) throw OutputError(std::string("standard output: write failed (") + std::strerror(errno) + ")");
}

void flush_stdout() {
  std::cout.flush();
  if (!std::cout) throw OutputError(std::string("standard output: write failed (") + std::strerror(errno) + ")");
}

bool stdin_ready() {
  if (std::cin.rdbuf()->in_avail() > 0) return true;
  pollfd p{STDIN_FILENO, POLLIN, 0};
  return ::poll(&p, 1, 0) != 0;  // data, the end of input or an error: a read returns at once
}

namespace {

// The temporaries in flight, for the signal handler: a fixed table of
// malloc'ed paths read with atomics only (async-signal-safe).
constexpr std::size_t kTempSlots = 64;
std::atomic<char*> temp_slots[kTempSlots];

void register_temp(const std::string& path) {
  char* copy = strdup(path.c_str());
  if (!copy) return;
  for (auto& slot : temp_slots) {
    char* expected = nullptr;
    if (slot.compare_exchange_strong(expected, copy)) return;
  }
  std::free(copy);  // more than kTempSlots at once: not covered
}

void unregister_temp(const std::string& path) {
  for (auto& slot : temp_slots) {
    char* p = slot.load();
    if (p && path == p && slot.compare_exchange_strong(p, nullptr)) {
      std::free(p);
      return;
    }
  }
}

extern "C" void remove_temporaries_and_die(int sig) {
  for (auto& slot : temp_slots) {
    if (char* p = slot.load()) ::unlink(p);
  }
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

// Where output really goes. A symbolic link is followed, so the link stays and
// its target is replaced. A device or FIFO (/dev/null, /dev/stdout, a named
// pipe) cannot be replaced by a rename: it is written to directly.
struct Target {
  std::string path;
  bool direct = false;
};

Target resolve_target(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {path, false};  // a new file
  if (!S_ISREG(st.st_mode)) return {path, true};
  std::error_code ec;
  const auto real = std::filesystem::canonical(path, ec);
  return {ec ? path : real.string(), false};
}

int open_direct(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC);
  if (fd < 0) throw OutputError(path + ": cannot open for writing (" + std::strerror(errno) + ")");
  return fd;
}

// Creates a temporary file beside `path`; returns its descriptor and name.
int make_temp_beside(const std::string& path, std::string& temp) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string name = ".";
  name.append(target.filename().string()).append(".copydesk-XXXXXX");
  temp = (dir / name).string();
  const int fd = mkstemp(temp.data());
  if (fd < 0) {
    throw OutputError(path + ": cannot create a temporary file in " + dir.string() + " (" + std::strerror(errno) + ")");
  }
  register_temp(temp);
  return fd;
}

void write_all(int fd, std::string_view data, const std::string& path) {
  std::size_t written = 0;
  while (written < data.size()) {
    const ssize_t n = ::write(fd, data.data() + written, data.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw OutputError(path + ": write failed (" + std::strerror(errno) + "); the file was left untouched");
    }
    written += static_cast<std::size_t>(n);
  }
}

void remove_temp(const std::string& temp) {
  std::remove(temp.c_str());
  unregister_temp(temp);
}

// Closes `fd` and renames `temp` over `path`, keeping the mode, owner and
// group of a file being replaced (--in-place; the owner only where the process
// may set it); new files get 0644.
void commit_temp(int fd, const std::string& temp, const std::string& path) {
  struct stat st {};
  const bool replacing = ::stat(path.c_str(), &st) == 0;
  if (replacing) {
    if (::fchown(fd, st.st_uid, st.st_gid) != 0) (void)!::fchown(fd, static_cast<uid_t>(-1), st.st_gid);
  }
  ::fchmod(fd, replacing ? (st.st_mode & 07777) : 0644);
  if (::close(fd) != 0 || std::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    remove_temp(temp);
    throw OutputError(path + ": cannot replace the file (" + why + "); the file was left untouched");
  }
  unregister_temp(temp);
}

}  // namespace

void write_file_atomic(const std::string& requested, const std::string& content) {
  const Target target = resolve_target(requested);
  const std::string& path = target.path;
  if (target.direct) {
    const int fd = open_direct(path);
    try {
      write_all(fd, content, path);
    } catch (...) {
      ::close(fd);
      throw;
    }
    ::close(fd);
    return;
  }
  std::string temp;
  const int fd = make_temp_beside(path, temp);
  try {
    write_all(fd, content, path);
  } catch (...) {
    ::close(fd);
    remove_temp(temp);
    throw;
  }
  commit_temp(fd, temp, path);
}

AtomicOutput::AtomicOutput(std::string path) {
  const Target target = resolve_target(path);
  path_ = target.path;
  fd_ = target.direct ? open_direct(path_) : make_temp_beside(path_, temp_);
}

AtomicOutput::~AtomicOutput() {
  if (fd_ >= 0) {
    ::close(fd_);
    if (!temp_.empty()) remove_temp(temp_);
  }
}

void AtomicOutput::write(std::string_view data) { write_all(fd_, data, path_); }

void AtomicOutput::commit() {
  const int fd = fd_;
  fd_ = -1;
  if (temp_.empty()) {
    ::close(fd);  // written directly to a device or FIFO
  } else {
    commit_temp(fd, temp_, path_);
  }
}

void remove_temporaries_on_signal() {
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) {
    struct sigaction old {};
    if (::sigaction(sig, nullptr, &old) != 0 || old.sa_handler == SIG_IGN) continue;  // an ignored signal stays so
    struct sigaction action {};
    action.sa_handler = remove_temporaries_and_die;
    sigemptyset(&action.sa_mask);
    ::sigaction(sig, &action, nullptr);
  }
}

}  // namespace copydesk
