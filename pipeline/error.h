// One error type for the library: its message names the file, line or byte
// offset and the likely cause. The CLI catches it and exits non-zero.
#pragma once

#include <stdexcept>
#include <string>

namespace copydesk {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace copydesk
