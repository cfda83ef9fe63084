#include "pipeline/io.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include <fcntl.h>
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
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw Error("read error");
  return content;
}

namespace {

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
  if (fd < 0) throw Error(path + ": cannot open for writing (" + std::strerror(errno) + ")");
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
    throw Error(path + ": cannot create a temporary file in " + dir.string() + " (" + std::strerror(errno) + ")");
  }
  return fd;
}

void write_all(int fd, std::string_view data, const std::string& path) {
  std::size_t written = 0;
  while (written < data.size()) {
    const ssize_t n = ::write(fd, data.data() + written, data.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(path + ": write failed (" + std::strerror(errno) + "); the file was left untouched");
    }
    written += static_cast<std::size_t>(n);
  }
}

// Closes `fd` and renames `temp` over `path`, keeping the mode of a file being
// replaced (--in-place); new files get 0644.
void commit_temp(int fd, const std::string& temp, const std::string& path) {
  struct stat st {};
  const mode_t mode = ::stat(path.c_str(), &st) == 0 ? (st.st_mode & 07777) : 0644;
  ::fchmod(fd, mode);
  if (::close(fd) != 0 || std::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    std::remove(temp.c_str());
    throw Error(path + ": cannot replace the file (" + why + "); the file was left untouched");
  }
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
    std::remove(temp.c_str());
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
    if (!temp_.empty()) std::remove(temp_.c_str());
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

}  // namespace copydesk
