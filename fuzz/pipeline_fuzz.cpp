// The whole pipeline on arbitrary bytes: the first byte's low bit selects
// --lossy, the rest is the document.
#include <cstddef>
#include <cstdint>

#include "fuzz/invariants.h"
#include "pipeline/registry.h"

using namespace copydesk;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Pipeline pipeline = [] {
    std::vector<std::string> names(stage_names().begin(), stage_names().end());
    return Pipeline::build(names, fuzz::resources());
  }();
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  fuzz::check_run(pipeline, input, (data[0] & 1) != 0);
  return 0;
}
