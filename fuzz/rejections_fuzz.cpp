// The rejected-ids file exported by the review page: any bytes give
// Rejections or an Error, never another exception or a crash; look-ups by
// path never throw anything but Error.
#include <cstddef>
#include <cstdint>

#include "fuzz/invariants.h"

using namespace copydesk;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const Rejections r = parse_rejections(text);
    for (const auto& [path, entry] : r.documents) {
      const DocumentRejections* found = rejections_for(r, path);
      fuzz::expect(found != nullptr && found->ids == entry.ids && found->input_hash == entry.input_hash,
                   "a document's own entry is not found");
    }
    (void)rejections_for(r, "samples/a.txt");
  } catch (const Error&) {
  }
  return 0;
}
