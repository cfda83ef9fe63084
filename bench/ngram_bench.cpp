// ngram_bench: the trigram model's load and look-up times, the compiled model
// (pipeline/ngram_model.h) against sphinxbase read directly with a mutex
// around its look-ups (as copydesk used it before the model was compiled).
//
//   ngram_bench DIR [MAX_WORDS]
//
// The queries are every trigram of the lower-cased words of the *.txt files
// under DIR (bench/sentence_words.h: <s> and </s> around sentences), asked in text order, from
// one thread and then from two threads at once (each asking all of them).

#include <sphinxbase/err.h>
#include <sphinxbase/logmath.h>
#include <sphinxbase/ngram_model.h>

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bench/sentence_words.h"
#include "pipeline/ngram_model.h"

using copydesk::NgramModel;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Timing {
  double wall_ns;  // wall time per query
  double cpu_ns;   // CPU time per query, summed over the threads
};

std::vector<std::string> read_words(const std::string& dir, std::size_t max_words) {
  std::vector<std::string> out;
  copydesk::bench::append_sentence_words(dir, ".txt", out, max_words);
  if (out.size() > max_words) out.resize(max_words);
  return out;
}

// Runs `pass` (one pass over the queries) from `threads` threads at once:
// the wall time per query, and the CPU time per query asked.
Timing timed(int threads, std::size_t queries, const std::function<double()>& pass, double& sink) {
  std::vector<double> sums(static_cast<std::size_t>(threads)), cpu(static_cast<std::size_t>(threads));
  const auto t0 = Clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      const double c0 = thread_cpu_seconds();
      sums[static_cast<std::size_t>(t)] = pass();
      cpu[static_cast<std::size_t>(t)] = thread_cpu_seconds() - c0;
    });
  }
  for (auto& th : pool) th.join();
  const double secs = seconds_since(t0);
  double cpu_sum = 0;
  for (int t = 0; t < threads; ++t) {
    sink += sums[static_cast<std::size_t>(t)];
    cpu_sum += cpu[static_cast<std::size_t>(t)];
  }
  return {secs * 1e9 / static_cast<double>(queries),
          cpu_sum * 1e9 / static_cast<double>(queries * static_cast<std::size_t>(threads))};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: ngram_bench DIR [MAX_WORDS]\n");
    return 2;
  }
  const std::size_t max_words = argc == 3 ? std::stoul(argv[2]) : 2000000;
  double sink = 0;

  auto t0 = Clock::now();
  auto lm = NgramModel::shared();
  const double load_compiled = seconds_since(t0);
  std::printf("compiled model: %s, %.1f MB, mapped in %.3f ms\n", NgramModel::default_path().c_str(),
              static_cast<double>(lm->bytes()) / 1e6, load_compiled * 1e3);

  err_set_logfp(nullptr);
  t0 = Clock::now();
  logmath_t* logmath = logmath_init(1.0001, 0, 0);
  ngram_model_t* sphinx = ngram_model_read(nullptr, NgramModel::default_source().c_str(), NGRAM_AUTO, logmath);
  const double load_sphinx = seconds_since(t0);
  if (sphinx == nullptr) {
    std::fprintf(stderr, "ngram_bench: cannot read %s\n", NgramModel::default_source().c_str());
    return 4;
  }
  std::printf("sphinxbase model: %s, read in %.1f ms\n", NgramModel::default_source().c_str(), load_sphinx * 1e3);

  const std::vector<std::string> words = read_words(argv[1], max_words);
  std::vector<int> ids(words.size());
  t0 = Clock::now();
  for (std::size_t i = 0; i < words.size(); ++i) ids[i] = lm->id(words[i]);
  const double id_compiled = seconds_since(t0) * 1e9 / static_cast<double>(words.size());
  std::mutex mutex;
  t0 = Clock::now();
  for (std::size_t i = 0; i < words.size(); ++i) {
    std::lock_guard lock(mutex);
    sink += ngram_wid(sphinx, words[i].c_str());
  }
  const double id_sphinx = seconds_since(t0) * 1e9 / static_cast<double>(words.size());
  const std::size_t queries = words.size() - 2;
  std::printf("%zu words, %zu trigram queries\n", words.size(), queries);
  std::printf("word id:            compiled %6.1f ns   sphinxbase %6.1f ns\n", id_compiled, id_sphinx);

  auto compiled_pass = [&] {
    double sum = 0;
    for (std::size_t i = 2; i < ids.size(); ++i) sum += lm->log10_prob(ids[i - 2], ids[i - 1], ids[i]);
    return sum;
  };
  auto sphinx_pass = [&] {
    double sum = 0;
    for (std::size_t i = 2; i < ids.size(); ++i) {
      if (ids[i] < 0) continue;
      const int32 h1 = ids[i - 1] < 0 ? NGRAM_INVALID_WID : ids[i - 1];
      const int32 h2 = (ids[i - 1] < 0 || ids[i - 2] < 0) ? NGRAM_INVALID_WID : ids[i - 2];
      int32 used = 0, score = 0;
      {
        std::lock_guard lock(mutex);
        score = ngram_tg_score(sphinx, ids[i], h1, h2, &used);
      }
      sum += logmath_log_to_log10(logmath, score);
    }
    return sum;
  };
  timed(1, queries, compiled_pass, sink);  // pages the compiled model in
  const Timing c1 = timed(1, queries, compiled_pass, sink);
  const Timing c2 = timed(2, queries, compiled_pass, sink);
  const Timing s1 = timed(1, queries, sphinx_pass, sink);
  const Timing s2 = timed(2, queries, sphinx_pass, sink);
  std::printf("log10_prob per query (wall time for all queries / queries; CPU time / queries asked):\n");
  std::printf("  1 thread:   compiled wall %6.1f ns, CPU %6.1f ns   sphinxbase wall %6.1f ns, CPU %6.1f ns\n",
              c1.wall_ns, c1.cpu_ns, s1.wall_ns, s1.cpu_ns);
  std::printf(
      "  2 threads:  compiled wall %6.1f ns, CPU %6.1f ns   sphinxbase wall %6.1f ns, CPU %6.1f ns"
      "  (each thread asks all)\n",
      c2.wall_ns, c2.cpu_ns, s2.wall_ns, s2.cpu_ns);
  std::printf("(checksum %.1f)\n", sink);
  ngram_model_free(sphinx);
  logmath_free(logmath);
  return 0;
}
