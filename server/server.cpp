#include "server/server.h"

#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <condition_variable>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "pipeline/changelog.h"
#include "pipeline/error.h"
#include "pipeline/pipeline.h"

namespace copydesk {

namespace {

using json = nlohmann::ordered_json;

// The pipelines, one per document in flight; a request borrows one.
class PipelinePool {
 public:
  PipelinePool(const Config& config, unsigned count) {
    for (unsigned i = 0; i < count; ++i) {
      // One store of what is read from the dictionaries, shared by every pipeline.
      resources_.push_back(i == 0 ? std::make_unique<Resources>(config.paths) : resources_.front()->share());
      pipelines_.push_back(std::make_unique<Pipeline>(Pipeline::build(config.stages, *resources_.back())));
      pipelines_.back()->set_rules(config.rules);
      resources_.back()->lexicon();  // loaded now, not on the first request
      resources_.back()->names();
      free_.push_back(pipelines_.back().get());
    }
  }
  class Lease {
   public:
    Lease(PipelinePool& pool, Pipeline* p) : pool_(pool), pipeline_(p) {}
    ~Lease() { pool_.give_back(pipeline_); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Pipeline& operator*() const { return *pipeline_; }

   private:
    PipelinePool& pool_;
    Pipeline* pipeline_;
  };
  Lease borrow() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return !free_.empty(); });
    Pipeline* p = free_.back();
    free_.pop_back();
    return Lease(*this, p);
  }
  std::size_t size() const { return pipelines_.size(); }
  const Pipeline& front() const { return *pipelines_.front(); }

 private:
  void give_back(Pipeline* p) {
    {
      std::lock_guard lock(mutex_);
      free_.push_back(p);
    }
    ready_.notify_one();
  }
  std::vector<std::unique_ptr<Resources>> resources_;
  std::vector<std::unique_ptr<Pipeline>> pipelines_;
  std::vector<Pipeline*> free_;
  std::mutex mutex_;
  std::condition_variable ready_;
};

json clean_one(PipelinePool& pool, const std::string& text, bool with_edits) {
  RunOptions options;
  options.keep_stage_inputs = with_edits;  // the edits' "before" text comes from the stage inputs
  Result result;
  {
    auto lease = pool.borrow();
    result = (*lease).run(text, options);
  }
  json out = {{"text", result.text}, {"changes", result.changes()}, {"flags", result.flags()}};
  if (with_edits) out["edits"] = std::move(changes_to_json("", text, result)["edits"]);
  return out;
}

void reply(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace) + "\n", "application/json");
}

void handle_clean(PipelinePool& pool, const httplib::Request& req, httplib::Response& res) {
  const json body = json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return reply(res, 400, {{"error", "the body must be a JSON object: {\"text\": ...} or {\"texts\": [...]}"}});
  }
  bool with_edits = true;
  if (const auto it = body.find("edits"); it != body.end()) {
    if (!it->is_boolean()) return reply(res, 400, {{"error", "\"edits\" must be true or false"}});
    with_edits = it->get<bool>();
  }
  const auto text = body.find("text");
  const auto texts = body.find("texts");
  if ((text == body.end()) == (texts == body.end())) {
    return reply(res, 400, {{"error", "give either \"text\" (a string) or \"texts\" (an array of strings)"}});
  }
  if (text != body.end()) {
    if (!text->is_string()) return reply(res, 400, {{"error", "\"text\" must be a string"}});
    try {
      return reply(res, 200, clean_one(pool, text->get_ref<const std::string&>(), with_edits));
    } catch (const Error& e) {
      return reply(res, 422, {{"error", e.what()}});
    }
  }
  if (!texts->is_array()) return reply(res, 400, {{"error", "\"texts\" must be an array of strings"}});
  json results = json::array();
  for (std::size_t i = 0; i < texts->size(); ++i) {
    const auto& item = (*texts)[i];
    if (!item.is_string()) {
      return reply(res, 400, {{"error", "\"texts\"[" + std::to_string(i) + "] is not a string"}});
    }
  }
  for (const auto& item : *texts) {
    try {
      results.push_back(clean_one(pool, item.get_ref<const std::string&>(), with_edits));
    } catch (const Error& e) {
      results.push_back({{"error", e.what()}});
    }
  }
  reply(res, 200, {{"results", std::move(results)}});
}

json stages_json(const Pipeline& pipeline) {
  json stages = json::array();
  for (const auto& stage : pipeline.stages()) {
    json rules = json::array();
    for (const auto& rule : stage->rules()) rules.push_back({{"id", rule.id}, {"description", rule.description}});
    stages.push_back({{"name", stage->name()}, {"description", stage->description()}, {"rules", std::move(rules)}});
  }
  return {{"stages", std::move(stages)}};
}

}  // namespace

int serve(const Config& config, const ServeOptions& options) {
  // SIGTERM and SIGINT are taken by one thread with sigwait(); blocked before
  // any other thread starts, so every thread inherits the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  std::unique_ptr<PipelinePool> pool;
  try {
    pool = std::make_unique<PipelinePool>(config, std::max(1u, options.threads));
  } catch (const Error& e) {
    std::cerr << "copydesk: " << e.what() << "\n";
    return 4;
  }
  const std::string stages = stages_json(pool->front()).dump() + "\n";

  httplib::Server server;
  // Enough connection threads that a slow client does not hold up the pipelines.
  const std::size_t connections = std::max<std::size_t>(8, 4 * pool->size());
  server.new_task_queue = [connections] { return new httplib::ThreadPool(connections); };
  server.set_payload_max_length(options.max_request_bytes);
  server.set_tcp_nodelay(true);  // headers and body are separate writes: no Nagle wait between them
  server.set_keep_alive_timeout(2);
  server.set_read_timeout(30, 0);
  server.set_write_timeout(30, 0);
  server.Post("/clean", [&](const httplib::Request& req, httplib::Response& res) { handle_clean(*pool, req, res); });
  server.Get("/stages",
             [&](const httplib::Request&, httplib::Response& res) { res.set_content(stages, "application/json"); });
  server.Get("/health", [&](const httplib::Request&, httplib::Response& res) {
    reply(res, 200, {{"status", "ok"}, {"version", options.version}, {"pipelines", pool->size()}});
  });
  server.set_error_handler([&](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    std::string message = "HTTP " + std::to_string(res.status);
    if (res.status == 413) {
      message = "request body too large: the limit is " + std::to_string(options.max_request_bytes) +
                " bytes (copydesk serve --max-request-bytes)";
    } else if (res.status == 404) {
      message = "no such endpoint: POST /clean, GET /stages, GET /health";
    }
    reply(res, res.status, {{"error", message}});
  });

  if (!server.bind_to_port(options.host, static_cast<int>(options.port))) {
    std::cerr << "copydesk: serve: cannot listen on " << options.host << ":" << options.port << "\n";
    return 2;
  }
  std::thread stopper([&] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    server.stop();
  });
  if (!options.quiet) {
    std::cerr << "copydesk: serving on http://" << options.host << ":" << options.port << " with " << pool->size()
              << (pool->size() == 1 ? " pipeline" : " pipelines") << std::endl;
  }
  const bool ok = server.listen_after_bind();
  // listen_after_bind() returns once stop() ran (or on a socket error): wake the
  // signal thread if it is still waiting, then shut down.
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  if (!options.quiet) std::cerr << "copydesk: server stopped" << std::endl;
  return ok ? 0 : 2;
}

}  // namespace copydesk
