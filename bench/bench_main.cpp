// copydesk_bench: throughput of the full default pipeline on a large input,
// single thread, beside `hunspell -l` and `aspell list` over the same bytes.
//
//   copydesk_bench [--mb 50] [--dir ../shared/eval/dev] [--no-spellers]
//
// The corpus is every *.txt of --dir, repeated until it reaches --mb
// megabytes; each file copy is one document. Reports MB/s, documents/s and
// the process's peak resident memory.

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "pipeline/error.h"
#include "pipeline/io.h"
#include "pipeline/pipeline.h"
#include "pipeline/registry.h"

namespace fs = std::filesystem;
using namespace copydesk;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

long peak_rss_kb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// Seconds a shell command took, or -1 if it failed.
double time_command(const std::string& command) {
  const auto t0 = Clock::now();
  const int rc = std::system(command.c_str());
  return rc == 0 ? seconds_since(t0) : -1.0;
}

}  // namespace

int main(int argc, char** argv) {
  double mb = 50;
  std::string dir = COPYDESK_SOURCE_DIR "/../shared/eval/dev";
  bool spellers = true;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--mb" && i + 1 < argc) {
      mb = std::atof(argv[++i]);
    } else if (arg == "--dir" && i + 1 < argc) {
      dir = argv[++i];
    } else if (arg == "--no-spellers") {
      spellers = false;
    } else {
      std::cerr << "usage: copydesk_bench [--mb N] [--dir DIR] [--no-spellers]\n";
      return 2;
    }
  }
  try {
    std::vector<std::string> texts;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir))
      if (entry.path().extension() == ".txt") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) texts.push_back(read_document(f.string()));
    if (texts.empty()) throw Error("no .txt files in " + dir);

    const auto target = static_cast<std::size_t>(mb * 1024 * 1024);
    std::vector<const std::string*> docs;
    std::size_t bytes = 0;
    while (bytes < target) {
      for (const auto& t : texts) {
        docs.push_back(&t);
        bytes += t.size();
        if (bytes >= target) break;
      }
    }

    Resources resources(default_resource_paths());
    std::vector<std::string> names(stage_names().begin(), stage_names().end());
    Pipeline pipeline = Pipeline::build(names, resources);
    RunOptions options;
    options.keep_stage_inputs = false;  // as `copydesk clean` without --diff/--changes

    std::size_t edits = 0;
    std::vector<double> stage_seconds(names.size(), 0.0);
    const auto t0 = Clock::now();
    for (const auto* doc : docs) {
      const Result r = pipeline.run(*doc, options);
      edits += r.changes();
      for (std::size_t i = 0; i < r.stages.size(); ++i) stage_seconds[i] += r.stages[i].seconds;
    }
    const double secs = seconds_since(t0);
    const double in_mb = static_cast<double>(bytes) / (1024.0 * 1024.0);
    std::printf("input: %.1f MB, %zu documents from %zu files in %s\n", in_mb, docs.size(), files.size(), dir.c_str());
    std::printf("copydesk (all %zu stages, 1 thread): %.2f s, %.2f MB/s, %.0f documents/s, %zu edits\n",
                names.size(), secs, in_mb / secs, static_cast<double>(docs.size()) / secs, edits);
    std::printf("per stage:");
    for (std::size_t i = 0; i < names.size(); ++i) std::printf(" %s %.2f s;", names[i].c_str(), stage_seconds[i]);
    std::printf("\n");
    std::printf("peak RSS: %.1f MB\n", static_cast<double>(peak_rss_kb()) / 1024.0);
    const auto& lex = resources.lexicon();
    std::printf("lexicon: %zu look-ups, %.1f%% answered by the cache\n", lex.lookups(),
                lex.lookups() ? 100.0 * static_cast<double>(lex.cache_hits()) / static_cast<double>(lex.lookups()) : 0.0);

    if (spellers) {
      const fs::path corpus = fs::temp_directory_path() / "copydesk_bench_corpus.txt";
      {
        std::ofstream out(corpus, std::ios::binary);
        for (const auto* doc : docs) out << *doc << '\n';
      }
      const std::string file = corpus.string();
      const double hun = time_command("hunspell -d en_US -l < " + file + " > /dev/null");
      const double asp = time_command("aspell --lang=en list < " + file + " > /dev/null");
      auto report = [&](const char* name, double s) {
        if (s < 0) {
          std::printf("%s: not run (not installed?)\n", name);
        } else {
          std::printf("%s: %.2f s, %.2f MB/s\n", name, s, in_mb / s);
        }
      };
      report("hunspell -l", hun);
      report("aspell list", asp);
      fs::remove(corpus);
    }
  } catch (const std::exception& e) {
    std::cerr << "copydesk_bench: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
