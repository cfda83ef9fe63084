// The configuration file: any bytes give a Config or an Error naming the
// problem, never another exception or a crash.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "fuzz/invariants.h"
#include "pipeline/config.h"

using namespace copydesk;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = "/tmp/copydesk-fuzz-config-" + std::to_string(::getpid()) + ".toml";
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  Config config = default_config();
  try {
    load_config_file(path, config);
    select_stages(config, {}, {});
  } catch (const Error& e) {
    fuzz::expect(std::string(e.what()).size() > 0, "an error without a message");
  }
  std::remove(path.c_str());
  return 0;
}
