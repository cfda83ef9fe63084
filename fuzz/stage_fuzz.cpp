// One stage alone (COPYDESK_FUZZ_STAGE, set by the build) on arbitrary text:
// the same invariants as the whole pipeline, idempotence of the stage itself
// included.
#include <cstddef>
#include <cstdint>

#include "fuzz/invariants.h"

using namespace copydesk;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Pipeline pipeline = Pipeline::build({COPYDESK_FUZZ_STAGE}, fuzz::resources());
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  fuzz::check_run(pipeline, input, true);
  return 0;
}
