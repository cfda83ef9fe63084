#include "pipeline/io.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

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

void write_file_atomic(const std::string& path, const std::string& content) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string tmpl = (dir / ("." + target.filename().string() + ".copydesk-XXXXXX")).string();
  const int fd = mkstemp(tmpl.data());
  if (fd < 0) throw Error(path + ": cannot create a temporary file in " + dir.string() + " (" + std::strerror(errno) + ")");
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      const std::string why = std::strerror(errno);
      ::close(fd);
      std::remove(tmpl.c_str());
      throw Error(path + ": write failed (" + why + "); the file was left untouched");
    }
    written += static_cast<std::size_t>(n);
  }
  // Keep the mode of a file being replaced (--in-place); new files get 0644.
  struct stat st {};
  const mode_t mode = ::stat(path.c_str(), &st) == 0 ? (st.st_mode & 07777) : 0644;
  ::fchmod(fd, mode);
  if (::close(fd) != 0 || std::rename(tmpl.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    std::remove(tmpl.c_str());
    throw Error(path + ": cannot replace the file (" + why + "); the file was left untouched");
  }
}

}  // namespace copydesk
