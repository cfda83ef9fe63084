// `copydesk serve`: the pipeline behind an HTTP JSON API.
//
//   POST /clean   {"text": "..."}            -> {"text", "changes", "flags", "edits": [...]}
//                 {"texts": ["...", ...]}    -> {"results": [{...}, ...]} (in order)
//                 add "edits": false to leave the edits out
//   GET  /stages  the stages in run order, with their rules
//   GET  /health  {"status": "ok", "version", "pipelines"}
//
// The dictionaries are loaded once per pipeline, before the port opens; there
// are `threads` pipelines, so that many documents are cleaned at once. A body
// over `max_request_bytes` gets 413. SIGTERM or SIGINT stops accepting, lets
// the requests in progress finish and returns 0.
#pragma once

#include <cstddef>
#include <string>

#include "pipeline/config.h"

namespace copydesk {

struct ServeOptions {
  std::string host = "127.0.0.1";
  unsigned port = 0;
  unsigned threads = 1;                       // pipelines: documents cleaned at once
  std::size_t max_request_bytes = 16u << 20;  // larger bodies: 413
  bool quiet = false;
  std::string version;
};

// Runs until SIGTERM/SIGINT. Returns the process exit code: 0 after a clean
// shutdown, 4 if a dictionary is missing, 2 if the port cannot be bound.
int serve(const Config& config, const ServeOptions& options);

}  // namespace copydesk
