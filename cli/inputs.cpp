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

// Why a folder entry that is not a regular file (nor a folder to walk) cannot
// be cleaned; an empty reason for a folder, which the walk enters.
SkippedInput not_a_file(const fs::directory_entry& entry) {
  SkippedInput skip{entry.path().string(), {}, false};
  std::error_code ec;
  const fs::file_status link = entry.symlink_status(ec);
  if (ec) {
    skip.reason = "cannot be examined (" + ec.message() + ")";
    skip.error = true;
    return skip;
  }
  const fs::file_status target = fs::status(entry.path(), ec);
  if (fs::is_symlink(link)) {
    skip.error = true;
    if (target.type() == fs::file_type::not_found) {
      skip.reason = "a symbolic link to a missing file";
      return skip;
    }
    if (ec) {
      skip.reason = "a symbolic link that cannot be followed (" + ec.message() + ")";
      return skip;
    }
    skip.error = false;
    if (fs::is_directory(target)) {
      skip.reason = "a symbolic link to a folder, which is not followed";
      return skip;
    }
  }
  switch (target.type()) {
    case fs::file_type::directory:
      break;
    case fs::file_type::fifo:
      skip.reason = "a named pipe, not a regular file";
      break;
    case fs::file_type::socket:
      skip.reason = "a socket, not a regular file";
      break;
    case fs::file_type::block:
    case fs::file_type::character:
      skip.reason = "a device, not a regular file";
      break;
    default:
      skip.reason = "not a regular file";
  }
  return skip;
}

}  // namespace

std::vector<InputFile> expand_inputs(const std::vector<std::string>& arguments, const InputFilter& filter,
                                     std::vector<SkippedInput>* skipped) {
  std::vector<InputFile> files;
  for (const auto& arg : arguments) {
    std::error_code ec;
    if (arg == "-" || !fs::is_directory(arg, ec)) {
      files.push_back({arg, arg == "-" ? "-" : fs::path(arg).filename().string()});
      continue;
    }
    std::vector<InputFile> found;
    std::vector<SkippedInput> unreadable;
    // Paths below the folder are taken from the walk itself, never resolved
    // through links: a linked file is written under its own name.
    fs::path base(arg);
    if (!base.has_filename()) base = base.parent_path();
    fs::recursive_directory_iterator it(arg, ec);
    if (ec) throw Error(arg + ": cannot read the folder (" + ec.message() + ")");
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) throw Error(arg + ": cannot read the folder (" + ec.message() + ")");
      const auto name = it->path().filename().string();
      if (!name.empty() && name.front() == '.') {
        std::error_code hidden_ec;
        if (it->is_directory(hidden_ec)) it.disable_recursion_pending();
        continue;
      }
      std::error_code type_ec;
      const bool regular = it->is_regular_file(type_ec);
      // A folder is walked; the filter applies to the files in it.
      if (!regular && !it->is_symlink(type_ec) && it->is_directory(type_ec)) continue;
      std::string relative = it->path().lexically_relative(base).string();
      if (!filter.include.empty() && !matches_any(filter.include, relative, name)) continue;
      if (matches_any(filter.exclude, relative, name)) continue;
      if (!regular) {
        SkippedInput skip = not_a_file(*it);
        if (!skip.reason.empty()) unreadable.push_back(std::move(skip));
        continue;
      }
      found.push_back({it->path().string(), std::move(relative)});
    }
    std::sort(found.begin(), found.end(), [](const InputFile& a, const InputFile& b) { return a.path < b.path; });
    files.insert(files.end(), found.begin(), found.end());
    if (skipped) {
      std::sort(unreadable.begin(), unreadable.end(),
                [](const SkippedInput& a, const SkippedInput& b) { return a.path < b.path; });
      skipped->insert(skipped->end(), unreadable.begin(), unreadable.end());
    }
  }
  return files;
}

}  // namespace copydesk
