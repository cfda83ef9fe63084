// copydesk_bench: throughput of the full default pipeline on a large input,
// beside `hunspell -l` and `aspell list` over the same bytes, and the memory of
// a `copydesk clean --jsonl` stream.
//
//   copydesk_bench [--mb 50] [--dir ../shared/eval/dev] [--suffix .txt] [--threads 1] [--no-spellers] [--no-hunspell]
//   copydesk_bench --unique --dir DIR_OR_FILE [--suffix .txt] [--mb N] ...
//   copydesk_bench --stream-mb 1024 --copydesk build/copydesk [--threads 2] [--dir ...]
//   copydesk_bench --document-mb 1,10,50 [--one-line] --copydesk build/copydesk [--dir ...]
//   copydesk_bench --unique --dir DIR --quality --no-spellers   # also the quality estimate's cost
//   copydesk_bench --unique --dir DIR --no-spellers --pipelines 2  # one thread, documents to 2 pipelines in turn
//
// The corpus is every file of --dir whose name ends in --suffix (".txt"; the
// dev set's clean texts alone: ".gold.txt"), repeated until it reaches --mb
// megabytes; each file copy is one document. With --unique, every document is
// used once, never repeated (up to --mb if given): --dir is a folder of
// documents (e.g. bench/brown_prose.py's Brown corpus samples) or one file whose
// documents are separated by form-feed lines. Unique text is the honest figure:
// repeated documents find every word in the stages' caches. Reports MB/s, documents/s, time
// per stage and the process's peak resident memory. Besides wall-clock time it
// reports CPU time (copydesk's own, the spell checkers' as children): on a
// shared machine the CPU figures are the steadier comparison. --no-hunspell
// skips `hunspell -l` (about 75 s for 20 MB). With --stream-mb, it runs
// the copydesk command on a JSON Lines stream of that size generated on the
// fly (one record per corpus paragraph, fed through a pipe: nothing is stored)
// and reports the command's throughput and peak resident memory.
// With --document-mb, it writes one document of each listed size (the
// corpus' documents one after another, cycled when the size asks for more)
// and runs `copydesk clean -q --threads 1` on it: CPU time, seconds per MB
// (linear time keeps it flat) and the command's peak resident memory; with
// --one-line the document is one line (its line breaks made spaces).
// With --quality, each document is also scored (as `clean --quality` does, one
// scorer per thread) and the scoring time is reported beside the stages'.
// With more than one thread, it reports where each worker's wall-clock time
// went (on a CPU, waiting for a core other processes held, idle) and the
// calling thread's share. --pipelines N (one thread) hands the documents to N
// pipelines in turn: the CPU cost of the per-pipeline state alone (what N
// threads pay for their separate vocabularies), without a second core.

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/error.h"
#include "pipeline/io.h"
#include "pipeline/parallel.h"
#include "pipeline/pipeline.h"
#include "pipeline/quality.h"
#include "pipeline/registry.h"

namespace fs = std::filesystem;
using namespace copydesk;
using Clock = std::chrono::steady_clock;

namespace {

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// The calling thread's time on a CPU and time spent runnable but waiting for
// one (other processes holding the cores), in seconds, from the scheduler's
// own account (/proc/thread-self/schedstat); zeros where it is not available.
struct SchedTimes {
  double on_cpu = 0;
  double waiting = 0;
};
SchedTimes thread_sched_times() {
  SchedTimes t;
  if (std::FILE* f = std::fopen("/proc/thread-self/schedstat", "r")) {
    unsigned long long run = 0, wait = 0;
    if (std::fscanf(f, "%llu %llu", &run, &wait) == 2) {
      t.on_cpu = static_cast<double>(run) * 1e-9;
      t.waiting = static_cast<double>(wait) * 1e-9;
    }
    std::fclose(f);
  }
  return t;
}

long peak_rss_kb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

double cpu_seconds(int who) {
  rusage usage{};
  getrusage(who, &usage);
  auto secs = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6; };
  return secs(usage.ru_utime) + secs(usage.ru_stime);
}

struct Timing {
  double wall = -1.0;  // -1: the command failed
  double cpu = 0.0;
};

// Wall-clock and CPU seconds of a shell command (the shell's children included).
Timing time_command(const std::string& command) {
  const double cpu0 = cpu_seconds(RUSAGE_CHILDREN);
  const auto t0 = Clock::now();
  const int rc = std::system(command.c_str());
  Timing t;
  if (rc == 0) t.wall = seconds_since(t0);
  t.cpu = cpu_seconds(RUSAGE_CHILDREN) - cpu0;
  return t;
}

// Feeds `megabytes` of JSON Lines records (the corpus' paragraphs, cycled) to
// `copydesk clean --jsonl` and prints its throughput and peak memory.
int run_stream(const std::string& copydesk, double megabytes, unsigned threads, const std::vector<std::string>& texts) {
  std::vector<std::string> records;
  for (const auto& t : texts) {
    std::size_t b = 0;
    while (b < t.size()) {
      std::size_t e = t.find('\n', b);
      if (e == std::string::npos) e = t.size();
      if (e > b)
        records.push_back(nlohmann::json({{"id", records.size()}, {"text", t.substr(b, e - b)}}).dump() + "\n");
      b = e + 1;
    }
  }
  int to_child[2];
  int from_child[2];
  if (pipe(to_child) != 0 || pipe(from_child) != 0) throw Error("pipe failed");
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(to_child[0], STDIN_FILENO);
    dup2(from_child[1], STDOUT_FILENO);
    close(to_child[1]);
    close(from_child[0]);
    const std::string t = std::to_string(threads);
    execl(copydesk.c_str(), copydesk.c_str(), "clean", "--jsonl", "--quiet", "--threads", t.c_str(), nullptr);
    _exit(127);
  }
  close(to_child[0]);
  close(from_child[1]);
  std::size_t out_bytes = 0;
  std::thread drain([&] {
    std::vector<char> buf(1 << 16);
    ssize_t n;
    while ((n = read(from_child[0], buf.data(), buf.size())) > 0) out_bytes += static_cast<std::size_t>(n);
    close(from_child[0]);
  });
  const auto target = static_cast<std::size_t>(megabytes * 1024 * 1024);
  std::size_t in_bytes = 0;
  std::size_t count = 0;
  const auto t0 = Clock::now();
  for (std::size_t i = 0; in_bytes < target; ++i) {
    const std::string& r = records[i % records.size()];
    std::size_t done = 0;
    while (done < r.size()) {
      const ssize_t n = write(to_child[1], r.data() + done, r.size() - done);
      if (n <= 0) throw Error("the copydesk command stopped reading");
      done += static_cast<std::size_t>(n);
    }
    in_bytes += r.size();
    ++count;
  }
  close(to_child[1]);
  drain.join();
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  const double secs = seconds_since(t0);
  const double mb = static_cast<double>(in_bytes) / (1024.0 * 1024.0);
  std::printf("stream: %.0f MB, %zu JSON Lines records through `%s clean --jsonl --threads %u`\n", mb, count,
              copydesk.c_str(), threads);
  std::printf("stream: %.1f s, %.2f MB/s, exit %d, output %.0f MB, peak RSS of copydesk: %.1f MB\n", secs, mb / secs,
              WIFEXITED(status) ? WEXITSTATUS(status) : -1, static_cast<double>(out_bytes) / (1024.0 * 1024.0),
              static_cast<double>(usage.ru_maxrss) / 1024.0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

// Runs `copydesk clean -q --threads 1 FILE` on one document of each size and
// prints its CPU time and peak resident memory.
int run_documents(const std::string& copydesk, const std::vector<double>& sizes, const std::vector<std::string>& texts,
                  bool one_line) {
  int rc = 0;
  for (const double megabytes : sizes) {
    const auto target = static_cast<std::size_t>(megabytes * 1024 * 1024);
    const fs::path file = fs::temp_directory_path() / "copydesk_bench_document.txt";
    std::size_t bytes = 0;
    std::size_t parts = 0;
    {
      std::ofstream out(file, std::ios::binary);
      for (std::size_t i = 0; bytes < target; ++i, ++parts) {
        std::string t = texts[i % texts.size()];
        if (one_line) std::replace(t.begin(), t.end(), '\n', ' ');
        out << t;
        bytes += t.size();
      }
    }
    const pid_t pid = fork();
    if (pid == 0) {
      const int null = ::open("/dev/null", O_WRONLY);
      dup2(null, STDOUT_FILENO);
      execl(copydesk.c_str(), copydesk.c_str(), "clean", "-q", "--threads", "1", file.c_str(), nullptr);
      _exit(127);
    }
    int status = 0;
    rusage usage{};
    const auto t0 = Clock::now();
    wait4(pid, &status, 0, &usage);
    const double secs = seconds_since(t0);
    auto tv = [](const timeval& v) { return static_cast<double>(v.tv_sec) + static_cast<double>(v.tv_usec) / 1e6; };
    const double cpu = tv(usage.ru_utime) + tv(usage.ru_stime);
    const double mb = static_cast<double>(bytes) / (1024.0 * 1024.0);
    const double rss = static_cast<double>(usage.ru_maxrss) / 1024.0;
    std::printf(
        "document: %.1f MB (%zu corpus documents in one), %.2f s, CPU %.2f s (%.3f s per MB), exit %d, "
        "peak RSS %.1f MB (%.1f bytes per input byte)\n",
        mb, parts, secs, cpu, cpu / mb, WIFEXITED(status) ? WEXITSTATUS(status) : -1, rss, rss / mb);
    fs::remove(file);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) rc = 1;
  }
  return rc;
}

}  // namespace

int main(int argc, char** argv) {
  double mb = 50;
  std::string dir = COPYDESK_SOURCE_DIR "/../shared/eval/dev";
  std::string suffix = ".txt";
  bool spellers = true;
  bool hunspell = true;
  bool unique = false;
  bool mb_given = false;
  bool quality = false;
  unsigned threads = 1;
  unsigned pipeline_count = 0;  // --pipelines: on one thread, documents to this many pipelines in turn
  double stream_mb = 0;
  std::vector<double> document_mb;
  bool one_line = false;
  std::string copydesk;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--mb" && i + 1 < argc) {
      mb = std::atof(argv[++i]);
      mb_given = true;
    } else if (arg == "--unique") {
      unique = true;
    } else if (arg == "--quality") {
      quality = true;
    } else if (arg == "--threads" && i + 1 < argc) {
      threads = static_cast<unsigned>(std::max(1, std::atoi(argv[++i])));
    } else if (arg == "--pipelines" && i + 1 < argc) {
      pipeline_count = static_cast<unsigned>(std::max(1, std::atoi(argv[++i])));
    } else if (arg == "--stream-mb" && i + 1 < argc) {
      stream_mb = std::atof(argv[++i]);
    } else if (arg == "--document-mb" && i + 1 < argc) {
      const std::string list = argv[++i];
      for (std::size_t b = 0; b < list.size();) {
        std::size_t e = list.find(',', b);
        if (e == std::string::npos) e = list.size();
        document_mb.push_back(std::atof(list.substr(b, e - b).c_str()));
        b = e + 1;
      }
    } else if (arg == "--one-line") {
      one_line = true;
    } else if (arg == "--copydesk" && i + 1 < argc) {
      copydesk = argv[++i];
    } else if (arg == "--dir" && i + 1 < argc) {
      dir = argv[++i];
    } else if (arg == "--suffix" && i + 1 < argc) {
      suffix = argv[++i];
    } else if (arg == "--no-spellers") {
      spellers = false;
    } else if (arg == "--no-hunspell") {
      hunspell = false;
    } else {
      std::cerr
          << "usage: copydesk_bench [--mb N] [--dir DIR] [--suffix S] [--threads N] [--no-spellers] [--no-hunspell]\n"
             "       copydesk_bench --unique --dir DIR_OR_FILE [--suffix S] [--mb N] [--threads N | --pipelines N]\n"
             "                      [--quality] ...\n"
             "       copydesk_bench --stream-mb N --copydesk BINARY [--threads N] [--dir DIR]\n"
             "       copydesk_bench --document-mb N[,N...] [--one-line] --copydesk BINARY [--dir DIR]\n";
      return 2;
    }
  }
  try {
    std::vector<std::string> texts;
    std::vector<fs::path> files;
    if (fs::is_regular_file(dir)) {
      // One file of documents separated by form-feed lines.
      const std::string all = read_document(dir);
      files.push_back(dir);
      std::size_t b = 0;
      while (b < all.size()) {
        std::size_t e = all.find("\n\f\n", b);
        if (e == std::string::npos) e = all.size();
        if (e > b) texts.push_back(all.substr(b, e - b + (e < all.size() ? 1 : 0)));
        b = e + 3;
      }
    } else {
      for (const auto& entry : fs::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        if (name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
          files.push_back(entry.path());
      }
      std::sort(files.begin(), files.end());
      for (const auto& f : files) texts.push_back(read_document(f.string()));
    }
    if (texts.empty()) throw Error("no *" + suffix + " files in " + dir);
    if (stream_mb > 0) {
      if (copydesk.empty()) throw Error("--stream-mb needs --copydesk BINARY");
      return run_stream(copydesk, stream_mb, threads, texts);
    }
    if (!document_mb.empty()) {
      if (copydesk.empty()) throw Error("--document-mb needs --copydesk BINARY");
      return run_documents(copydesk, document_mb, texts, one_line);
    }

    const auto target = static_cast<std::size_t>(mb * 1024 * 1024);
    std::vector<const std::string*> docs;
    std::size_t bytes = 0;
    if (unique) {
      for (const auto& t : texts) {
        if (mb_given && bytes >= target) break;
        docs.push_back(&t);
        bytes += t.size();
      }
    }
    while (!unique && bytes < target) {
      for (const auto& t : texts) {
        docs.push_back(&t);
        bytes += t.size();
        if (bytes >= target) break;
      }
    }

    // One pipeline per thread, as the CLI does.
    std::vector<std::string> names(stage_names().begin(), stage_names().end());
    std::vector<std::unique_ptr<Resources>> resources;
    std::vector<Pipeline> pipelines;
    std::vector<std::unique_ptr<QualityScorer>> scorers;
    if (pipeline_count > 0 && threads > 1) throw Error("--pipelines runs on one thread: leave out --threads");
    const unsigned pipeline_total = pipeline_count > 0 ? pipeline_count : threads;
    std::vector<double> setup_seconds;  // per pipeline: its Resources and Pipeline (the CLI builds them on the thread)
    for (unsigned t = 0; t < pipeline_total; ++t) {
      const double c0 = thread_cpu_seconds();
      resources.push_back(t == 0 ? std::make_unique<Resources>(default_resource_paths()) : resources.front()->share());
      pipelines.push_back(Pipeline::build(names, *resources.back()));
      resources.back()->lexicon();
      resources.back()->names();
      if (quality) scorers.push_back(std::make_unique<QualityScorer>(*resources.back()));
      setup_seconds.push_back(thread_cpu_seconds() - c0);
    }
    RunOptions options;
    options.keep_stage_inputs = false;  // as `copydesk clean` without --diff/--changes

    struct Done {
      std::size_t edits = 0;
      std::vector<double> stage_seconds;  // per stage of the pipeline, every pass
      double run_cpu = 0, quality_cpu = 0;
      std::size_t passes = 1;
    };
    std::size_t edits = 0;
    double run_cpu = 0, quality_cpu = 0;  // the worker threads' CPU time in pipeline runs and in scoring
    std::vector<double> stage_seconds(names.size(), 0.0);
    std::size_t next_doc = 0;
    std::size_t later_passes = 0;  // documents that took a second pass (Pipeline::run)
    std::size_t turn = 0;          // --pipelines: the next document's pipeline
    // Per worker (each writes only its own, on a cache line of its own): the
    // scheduler's account at its first document and after its latest one,
    // its documents, and the wall-clock span from the run's start to its
    // latest document's end.
    struct alignas(64) Worker {
      bool started = false;
      SchedTimes first, last;
      std::size_t documents = 0;
      double end = 0;
    };
    std::vector<Worker> worker_stats(threads);
    const SchedTimes main0 = thread_sched_times();
    const double cpu0 = cpu_seconds(RUSAGE_SELF);
    const auto t0 = Clock::now();
    run_ordered<const std::string*, Done>(
        threads, 4 * threads,
        [&]() -> std::optional<const std::string*> {
          if (next_doc == docs.size()) return std::nullopt;
          return docs[next_doc++];
        },
        [&](unsigned worker, const std::string*& doc) {
          Worker& ws = worker_stats[worker];
          if (!ws.started) {
            ws.first = thread_sched_times();
            ws.started = true;
          }
          const double c0 = thread_cpu_seconds();
          const std::size_t p = pipeline_count > 0 ? turn++ % pipeline_count : worker;
          const Result r = pipelines[p].run(*doc, options);
          const double c1 = thread_cpu_seconds();
          Done d{r.changes(), std::vector<double>(names.size(), 0.0), c1 - c0, 0, 1};
          for (const auto& s : r.stages) {
            d.stage_seconds[s.index] += s.seconds;
            d.passes = std::max(d.passes, s.pass);
          }
          if (quality) {
            scorers[p]->score(r.text, &r);
            d.quality_cpu = thread_cpu_seconds() - c1;
          }
          ws.last = thread_sched_times();
          ++ws.documents;
          ws.end = seconds_since(t0);
          return d;
        },
        [&](Done& d) {
          edits += d.edits;
          run_cpu += d.run_cpu;
          quality_cpu += d.quality_cpu;
          later_passes += d.passes > 1;
          for (std::size_t i = 0; i < d.stage_seconds.size(); ++i) stage_seconds[i] += d.stage_seconds[i];
        });
    const double secs = seconds_since(t0);
    const double cpu = cpu_seconds(RUSAGE_SELF) - cpu0;
    const SchedTimes main1 = thread_sched_times();
    const double in_mb = static_cast<double>(bytes) / (1024.0 * 1024.0);
    std::printf("input: %.1f MB, %zu documents from %zu files in %s%s\n", in_mb, docs.size(), files.size(), dir.c_str(),
                unique ? " (each once)" : "");
    std::printf(
        "copydesk (all %zu stages, %u thread%s, %u pipeline%s): %.2f s, %.2f MB/s, %.0f documents/s, %zu edits\n",
        names.size(), threads, threads == 1 ? "" : "s", pipeline_total, pipeline_total == 1 ? "" : "s", secs,
        in_mb / secs, static_cast<double>(docs.size()) / secs, edits);
    std::printf("copydesk CPU time: %.2f s, %.2f MB per CPU second\n", cpu, in_mb / cpu);
    std::printf("documents that took a second pass: %zu of %zu\n", later_passes, docs.size());
    std::printf("per stage (summed over threads):");
    for (std::size_t i = 0; i < names.size(); ++i) std::printf(" %s %.2f s;", names[i].c_str(), stage_seconds[i]);
    std::printf("\n");
    if (quality) {
      std::printf(
          "quality estimate (thread CPU time, summed over threads): %.2f s, %.1f%% on top of cleaning's %.2f s\n",
          quality_cpu, 100.0 * quality_cpu / run_cpu, run_cpu);
    }
    // Where the wall-clock time of each thread went: on a CPU, runnable but
    // waiting for a core other processes held, or idle (waiting for a
    // document). On a shared machine the waiting, not copydesk, is what keeps
    // two threads from twice the speed of one.
    std::printf("setup before the run (Resources and Pipeline), CPU:");
    for (std::size_t t = 0; t < setup_seconds.size(); ++t)
      std::printf(" pipeline %zu %.3f s;", t + 1, setup_seconds[t]);
    std::printf("\n");
    if (threads > 1) {
      double busiest = 0;
      for (std::size_t w = 0; w < worker_stats.size(); ++w) {
        const Worker& ws = worker_stats[w];
        const double on_cpu = ws.last.on_cpu - ws.first.on_cpu;
        const double waiting = ws.last.waiting - ws.first.waiting;
        busiest = std::max(busiest, on_cpu);
        std::printf(
            "worker %zu: %zu documents, last done at %.2f s; on a CPU %.2f s, runnable but waiting for a core %.2f s, "
            "idle %.2f s\n",
            w + 1, ws.documents, ws.end, on_cpu, waiting, std::max(0.0, ws.end - on_cpu - waiting));
      }
      std::printf("calling thread (reads, orders, sums): on a CPU %.3f s, waiting for a core %.3f s\n",
                  main1.on_cpu - main0.on_cpu, main1.waiting - main0.waiting);
      if (busiest > 0)
        std::printf("wall-clock time with a core for each worker (the busiest worker's CPU time): %.2f s\n", busiest);
    }
    std::printf("peak RSS: %.1f MB\n", static_cast<double>(peak_rss_kb()) / 1024.0);
    const auto& lex = resources.front()->lexicon();
    std::printf("lexicon (thread 1): %zu look-ups, %zu of them left to Hunspell (%zu answered by its cache)\n",
                lex.lookups(), lex.fallbacks(), lex.cache_hits());

    if (spellers) {
      const fs::path corpus = fs::temp_directory_path() / "copydesk_bench_corpus.txt";
      {
        std::ofstream out(corpus, std::ios::binary);
        for (const auto* doc : docs) out << *doc << '\n';
      }
      const std::string file = corpus.string();
      auto report = [&](const char* name, const Timing& t) {
        if (t.wall < 0) {
          std::printf("%s: not run (not installed?)\n", name);
        } else {
          std::printf("%s: %.2f s, %.2f MB/s; CPU time %.2f s, %.2f MB per CPU second\n", name, t.wall, in_mb / t.wall,
                      t.cpu, in_mb / t.cpu);
        }
      };
      if (hunspell) report("hunspell -l", time_command("hunspell -d en_US -l < " + file + " > /dev/null"));
      report("aspell list", time_command("aspell --lang=en list < " + file + " > /dev/null"));
      fs::remove(corpus);
    }
  } catch (const std::exception& e) {
    std::cerr << "copydesk_bench: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
