#include "pipeline/installed.h"

#include <dlfcn.h>

#include <filesystem>
#include <vector>

namespace copydesk {

std::string installed_data_file(std::string_view name) {
  namespace fs = std::filesystem;
  std::vector<fs::path> starts;
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&installed_data_file), &info) != 0 && info.dli_fname &&
      std::string_view(info.dli_fname).find('/') != std::string_view::npos) {
    starts.emplace_back(info.dli_fname);
  }
  starts.emplace_back("/proc/self/exe");
  for (const auto& start : starts) {
    std::error_code ec;
    fs::path dir = fs::canonical(start, ec).parent_path();
    if (ec) continue;
    for (int up = 0; up < 5 && !dir.empty(); ++up, dir = dir.parent_path()) {
      const fs::path candidate = dir / "share" / "copydesk" / "dictionaries" / name;
      if (fs::is_regular_file(candidate, ec)) return candidate.string();
      if (dir == dir.root_path()) break;
    }
  }
  return {};
}

}  // namespace copydesk
