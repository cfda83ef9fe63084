// copydesk_lexicon: compiles the Hunspell dictionaries into the file copydesk
// maps at start-up (run by the build; copydesk also compiles it on first use
// when it is missing or was made from other dictionaries).
//
//   copydesk_lexicon OUT_FILE [HUNSPELL_DIR]     (default: /usr/share/hunspell)

#include <chrono>
#include <cstdio>
#include <exception>
#include <string>

#include "pipeline/lexicon.h"

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: copydesk_lexicon OUT_FILE [HUNSPELL_DIR]\n");
    return 2;
  }
  const std::string dir = argc == 3 ? argv[2] : "/usr/share/hunspell";
  try {
    const auto t0 = std::chrono::steady_clock::now();
    const std::size_t forms = copydesk::CompiledLexicon::compile_to(
        {{dir + "/en_US.aff", dir + "/en_US.dic"}, {dir + "/en_GB.aff", dir + "/en_GB.dic"}}, argv[1]);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("copydesk_lexicon: %zu word forms compiled into %s in %.1f s\n", forms, argv[1], secs);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "copydesk_lexicon: %s\n", e.what());
    return 4;
  }
  return 0;
}
