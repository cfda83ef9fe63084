#include "pipeline/inputs.h"

#include <algorithm>
#include <filesystem>

#include "pipeline/error.h"

namespace copydesk {

namespace fs = std::filesystem;

std::vector<InputFile> expand_inputs(const std::vector<std::string>& arguments) {
  std::vector<InputFile> files;
  for (const auto& arg : arguments) {
    std::error_code ec;
    if (arg == "-" || !fs::is_directory(arg, ec)) {
      files.push_back({arg, arg == "-" ? "-" : fs::path(arg).filename().string()});
      continue;
    }
    std::vector<InputFile> found;
    fs::recursive_directory_iterator it(arg, ec);
    if (ec) throw Error(arg + ": cannot read the folder (" + ec.message() + ")");
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) throw Error(arg + ": cannot read the folder (" + ec.message() + ")");
      const auto name = it->path().filename().string();
      if (!name.empty() && name.front() == '.') {
        if (it->is_directory()) it.disable_recursion_pending();
        continue;
      }
      if (!it->is_regular_file()) continue;
      found.push_back({it->path().string(), fs::relative(it->path(), arg).string()});
    }
    std::sort(found.begin(), found.end(), [](const InputFile& a, const InputFile& b) { return a.path < b.path; });
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

}  // namespace copydesk
