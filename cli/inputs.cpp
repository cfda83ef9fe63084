#include "cli/inputs.h"

#include <fnmatch.h>

#include <algorithm>
#include <filesystem>

#include "pipeline/error.h"

namespace copydesk {

namespace fs = std::filesystem;

namespace {

bool matches_any(const std::vector<std::string>& globs, const std::string& relative, const std::string& name) {
  return std::any_of(globs.begin(), globs.end(), [&](const std::string& g) {
    return fnmatch(g.c_str(), relative.c_str(), FNM_PATHNAME) == 0 || fnmatch(g.c_str(), name.c_str(), 0) == 0;
  });
}

}  // namespace

std::vector<InputFile> expand_inputs(const std::vector<std::string>& arguments, const InputFilter& filter) {
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
      std::string relative = fs::relative(it->path(), arg).string();
      if (!filter.include.empty() && !matches_any(filter.include, relative, name)) continue;
      if (matches_any(filter.exclude, relative, name)) continue;
      found.push_back({it->path().string(), std::move(relative)});
    }
    std::sort(found.begin(), found.end(), [](const InputFile& a, const InputFile& b) { return a.path < b.path; });
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

}  // namespace copydesk
