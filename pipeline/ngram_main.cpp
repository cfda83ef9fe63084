// copydesk_ngram: compiles a Sphinx language model (read with sphinxbase) into
// the file copydesk maps at start-up (run by the build; pipeline/ngram_model.h).
//
//   copydesk_ngram OUT_FILE [SOURCE]   (default: pocketsphinx-en-us's en-us.lm.bin)

#include <chrono>
#include <cstdio>
#include <exception>
#include <string>

#include "pipeline/ngram_model.h"

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: copydesk_ngram OUT_FILE [SOURCE]\n");
    return 2;
  }
  const std::string source = argc == 3 ? argv[2] : copydesk::NgramModel::default_source();
  try {
    const auto t0 = std::chrono::steady_clock::now();
    const auto counts = copydesk::NgramModel::compile(source, argv[1]);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("copydesk_ngram: %zu words, %zu bigrams, %zu trigrams of %s compiled into %s (%.1f MB) in %.1f s\n",
                counts.unigrams, counts.bigrams, counts.trigrams, source.c_str(), argv[1],
                static_cast<double>(counts.bytes) / 1e6, secs);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "copydesk_ngram: %s\n", e.what());
    return 4;
  }
  return 0;
}
