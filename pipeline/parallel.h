// An ordered parallel map: jobs are produced on the calling thread, processed
// on worker threads, and their results handed back in production order. At
// most `window` jobs are in flight, so memory stays flat on endless streams.
//
//   run_ordered<Job, Out>(threads, 4 * threads,
//       [&]() -> std::optional<Job> { ... },        // next job, or nullopt at the end
//       [&](unsigned worker, Job& job) { ... },     // runs on worker `worker`
//       [&](Out& out) { ... });                     // in order, on the calling thread
//
// `work` must not throw (return errors inside Out); if it does, the run stops
// and the exception is rethrown on the calling thread. With threads <= 1 all
// runs on the calling thread.
//
// Kept-open streams: `input_ready` (optional) says whether next() would return
// without blocking. When it would block, the jobs in flight are finished and
// emitted first, and `idle` (optional, e.g. a flush) is called once nothing is
// left in flight, so a client that writes a record and waits for its answer
// gets it with any thread count.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace copydesk {

template <typename Job, typename Out>
void run_ordered(unsigned threads, std::size_t window, const std::function<std::optional<Job>()>& next,
                 const std::function<Out(unsigned, Job&)>& work, const std::function<void(Out&)>& emit,
                 const std::function<bool()>& input_ready = nullptr, const std::function<void()>& idle = nullptr) {
  auto would_block = [&] { return input_ready && !input_ready(); };
  if (threads <= 1) {
    for (;;) {
      if (idle && would_block()) idle();
      auto job = next();
      if (!job) break;
      Out out = work(0, *job);
      emit(out);
    }
    return;
  }
  if (window < threads) window = threads;

  std::mutex mutex;
  std::condition_variable job_ready;     // workers wait for jobs
  std::condition_variable result_ready;  // the caller waits for results
  std::deque<std::pair<std::size_t, Job>> jobs;
  std::map<std::size_t, Out> results;
  std::exception_ptr failure;
  bool done = false;

  std::vector<std::thread> workers;
  workers.reserve(threads);
  for (unsigned w = 0; w < threads; ++w) {
    workers.emplace_back([&, w] {
      for (;;) {
        std::pair<std::size_t, Job> item;
        {
          std::unique_lock lock(mutex);
          job_ready.wait(lock, [&] { return done || !jobs.empty(); });
          if (jobs.empty()) return;
          item = std::move(jobs.front());
          jobs.pop_front();
        }
        try {
          Out out = work(w, item.second);
          std::lock_guard lock(mutex);
          results.emplace(item.first, std::move(out));
        } catch (...) {
          std::lock_guard lock(mutex);
          if (!failure) failure = std::current_exception();
          done = true;
          job_ready.notify_all();
        }
        result_ready.notify_one();
      }
    });
  }

  auto stop = [&] {
    {
      std::lock_guard lock(mutex);
      done = true;
    }
    job_ready.notify_all();
    for (auto& t : workers) t.join();
  };

  try {
    std::size_t produced = 0;
    std::size_t emitted = 0;
    bool exhausted = false;
    while (!exhausted || emitted < produced) {
      while (!exhausted && produced - emitted < window) {
        if (would_block()) {
          if (emitted < produced) break;  // answer what is in flight before waiting for input
          if (idle) idle();
        }
        auto job = next();
        if (!job) {
          exhausted = true;
          break;
        }
        {
          std::lock_guard lock(mutex);
          jobs.emplace_back(produced++, std::move(*job));
        }
        job_ready.notify_one();
      }
      if (emitted == produced) continue;
      Out out;
      {
        std::unique_lock lock(mutex);
        result_ready.wait(lock, [&] { return failure || results.count(emitted) > 0; });
        if (failure) break;
        auto it = results.find(emitted);
        out = std::move(it->second);
        results.erase(it);
      }
      emit(out);
      ++emitted;
    }
  } catch (...) {
    stop();
    throw;
  }
  stop();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace copydesk
