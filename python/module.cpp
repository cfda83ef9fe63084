// The copydesk Python module's native part (copydesk._copydesk): a Pipeline
// built once and reused, documents cleaned with the GIL released, batches
// spread over worker threads with their order kept.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "pipeline/config.h"
#include "pipeline/error.h"
#include "pipeline/pipeline.h"
#include "pipeline/quality.h"
#include "pipeline/registry.h"
#include "pipeline/review.h"

namespace py = pybind11;
using namespace copydesk;

namespace {

struct PyEdit {
  std::string id, stage, rule, kind, reason, before, after;
  std::size_t begin = 0, end = 0;            // code points in the input (str indices)
  std::size_t begin_byte = 0, end_byte = 0;  // bytes in the input's UTF-8
  std::size_t line = 0;                      // 1-based
};

// The quality estimate of a cleaned document (docs/quality.md).
struct PyQuality {
  double score = 0;                  // 0-100
  std::string band;                  // "good", "fair" or "poor"
  std::vector<std::string> reasons;  // the signals that pulled it down most
};

struct PyResult {
  std::string text;
  std::size_t changes = 0, flags = 0;
  std::vector<PyEdit> edits;
  std::optional<PyQuality> quality;  // with Pipeline(quality=True)
};

// Byte offsets of `doc` to code-point offsets and line numbers, in one sweep
// over the sorted offsets.
void fill_positions(std::string_view doc, std::vector<PyEdit>& edits) {
  std::vector<std::size_t> offsets;
  for (const auto& e : edits) {
    offsets.push_back(e.begin_byte);
    offsets.push_back(e.end_byte);
  }
  std::sort(offsets.begin(), offsets.end());
  offsets.erase(std::unique(offsets.begin(), offsets.end()), offsets.end());
  std::vector<std::size_t> points(offsets.size()), lines(offsets.size());
  std::size_t pos = 0, cp = 0, line = 1;
  for (std::size_t i = 0; i < offsets.size(); ++i) {
    const std::size_t stop = std::min(offsets[i], doc.size());
    for (; pos < stop; ++pos) {
      const auto c = static_cast<unsigned char>(doc[pos]);
      cp += (c & 0xC0) != 0x80;
      line += c == '\n';
    }
    points[i] = cp;
    lines[i] = line;
  }
  auto index = [&](std::size_t off) {
    return static_cast<std::size_t>(std::lower_bound(offsets.begin(), offsets.end(), off) - offsets.begin());
  };
  for (auto& e : edits) {
    const std::size_t b = index(e.begin_byte);
    e.begin = points[b];
    e.line = lines[b];
    e.end = points[index(e.end_byte)];
  }
}

PyResult convert(std::string_view doc, const Result& r) {
  PyResult out;
  out.text = r.text;
  out.changes = r.changes();
  out.flags = r.flags();
  std::size_t n = 0;
  for (const auto& e : r.input_edits) {
    out.edits.push_back({"input-" + std::to_string(++n), "input", e.rule, "change", e.reason,
                         std::string(doc.substr(e.begin, e.end - e.begin)), e.replacement, 0, 0, e.begin, e.end, 0});
  }
  for (const auto& run : r.stages) {
    for (std::size_t k = 0; k < run.edits.size(); ++k) {
      const Edit& e = run.edits[k];
      std::string before = run.input.substr(std::min(e.begin, run.input.size()), e.end - e.begin);
      const bool change = e.kind == EditKind::kChange;
      out.edits.push_back({edit_id(run.label(), k), run.stage, e.rule, change ? "change" : "flag", e.reason, before,
                           change ? e.replacement : before, 0, 0, run.original[k].begin, run.original[k].end, 0});
    }
  }
  fill_positions(doc, out.edits);
  return out;
}

std::string as_document(const py::handle& obj) {
  if (py::isinstance<py::bytes>(obj)) return obj.cast<std::string>();
  if (py::isinstance<py::str>(obj)) return obj.cast<std::string>();  // UTF-8; lone surrogates raise
  throw py::type_error("copydesk cleans str (or UTF-8 bytes), not " +
                       std::string(py::str(py::type::handle_of(obj).attr("__name__"))));
}

struct Worker {
  std::unique_ptr<Resources> resources;
  std::unique_ptr<Pipeline> pipeline;
  std::unique_ptr<QualityScorer> scorer;  // with Pipeline(quality=True)

  PyResult run(const std::string& doc, const RunOptions& options) {
    const Result r = pipeline->run(doc, options);
    PyResult out = convert(doc, r);
    if (scorer) {
      const DocumentQuality q = scorer->score(r.text, &r);
      out.quality = PyQuality{q.score, q.band, q.reasons};
    }
    return out;
  }
};

class PyPipeline {
 public:
  PyPipeline(std::optional<std::vector<std::string>> stages, std::optional<std::string> config_file,
             std::vector<std::string> skip, std::vector<std::string> disable, std::vector<std::string> protect,
             std::vector<std::string> protect_patterns, std::optional<bool> ignore_markers,
             std::optional<std::string> dictionaries, std::optional<std::string> hunspell,
             std::vector<std::string> names, bool lossy, bool quality)
      : quality_(quality) {
    config_ = default_config();
    if (config_file) load_config_file(*config_file, config_);
    if (stages) {
      for (const auto& s : *stages) {
        if (!is_stage_name(s)) throw Error("unknown stage '" + s + "' (copydesk.stage_names() lists them)");
      }
      config_.stages = *stages;
    }
    select_stages(config_, {}, skip);
    for (auto& d : disable) config_.rules.disable.push_back(std::move(d));
    for (auto& w : protect) config_.rules.protect.push_back(std::move(w));
    for (auto& p : protect_patterns) config_.rules.protect_patterns.push_back(std::move(p));
    if (ignore_markers) config_.rules.ignore_markers = *ignore_markers;
    if (dictionaries) config_.paths.dictionaries = *dictionaries;
    if (hunspell) config_.paths.hunspell = *hunspell;
    for (auto& n : names) config_.paths.extra_names.push_back(std::move(n));
    options_.lossy = lossy;
    options_.keep_stage_inputs = true;  // the edits' "before" text
    py::gil_scoped_release release;
    workers_.push_back(make_worker());
  }

  PyResult clean(const py::handle& text) {
    const std::string doc = as_document(text);
    py::gil_scoped_release release;
    std::lock_guard lock(mutex_);
    return workers_.front().run(doc, options_);
  }

  std::vector<PyResult> clean_many(const py::iterable& texts, std::optional<unsigned> threads) {
    const unsigned n = threads ? *threads : std::max(1u, std::thread::hardware_concurrency());
    if (n == 0) throw py::value_error("threads must be at least 1");
    std::lock_guard lock(mutex_);  // taken before the GIL is released: one batch at a time per Pipeline
    std::vector<PyResult> out;
    std::vector<std::string> chunk;
    const std::size_t chunk_size = 64 * static_cast<std::size_t>(n);
    std::size_t first = 0;  // index of chunk[0] among all documents
    auto run_chunk = [&] {
      py::gil_scoped_release release;
      const unsigned use = static_cast<unsigned>(std::min<std::size_t>(n, chunk.size()));
      while (workers_.size() < use) workers_.push_back(make_worker());
      std::vector<std::optional<PyResult>> results(chunk.size());
      std::vector<std::string> errors(chunk.size());
      std::atomic<std::size_t> next{0};
      auto work = [&](unsigned w) {
        for (std::size_t i; (i = next.fetch_add(1)) < chunk.size();) {
          try {
            results[i] = workers_[w].run(chunk[i], options_);
          } catch (const std::exception& e) {
            errors[i] = e.what();
          }
        }
      };
      std::vector<std::thread> pool;
      for (unsigned w = 1; w < use; ++w) pool.emplace_back(work, w);
      work(0);
      for (auto& t : pool) t.join();
      for (std::size_t i = 0; i < chunk.size(); ++i) {
        if (!errors[i].empty()) throw Error("document " + std::to_string(first + i) + ": " + errors[i]);
        out.push_back(std::move(*results[i]));
      }
      first += chunk.size();
      chunk.clear();
    };
    for (const auto& item : texts) {
      chunk.push_back(as_document(item));
      if (chunk.size() == chunk_size) run_chunk();
    }
    if (!chunk.empty()) run_chunk();
    return out;
  }

  std::vector<std::string> stages() const { return config_.stages; }
  std::string dictionaries() const { return config_.paths.dictionaries; }

 private:
  Worker make_worker() {
    Worker w;
    // Every worker shares the first one's store of what is read from the dictionaries.
    w.resources = workers_.empty() ? std::make_unique<Resources>(config_.paths) : workers_.front().resources->share();
    w.pipeline = std::make_unique<Pipeline>(Pipeline::build(config_.stages, *w.resources));
    w.pipeline->set_rules(config_.rules);
    w.resources->lexicon();
    w.resources->names();
    if (quality_) w.scorer = std::make_unique<QualityScorer>(*w.resources);
    return w;
  }
  bool quality_ = false;
  Config config_;
  RunOptions options_;
  std::vector<Worker> workers_;
  std::mutex mutex_;
};

}  // namespace

PYBIND11_MODULE(_copydesk, m) {
  m.doc() = "copydesk's native part; use the copydesk package.";
  static py::exception<Error> error(m, "Error");
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const Error& e) {
      error(e.what());
    }
  });
  py::class_<PyEdit>(m, "Edit")
      .def_readonly("id", &PyEdit::id)
      .def_readonly("stage", &PyEdit::stage)
      .def_readonly("rule", &PyEdit::rule)
      .def_readonly("kind", &PyEdit::kind)
      .def_readonly("reason", &PyEdit::reason)
      .def_readonly("before", &PyEdit::before)
      .def_readonly("after", &PyEdit::after)
      .def_readonly("begin", &PyEdit::begin)
      .def_readonly("end", &PyEdit::end)
      .def_readonly("begin_byte", &PyEdit::begin_byte)
      .def_readonly("end_byte", &PyEdit::end_byte)
      .def_readonly("line", &PyEdit::line)
      .def("__repr__", [](const PyEdit& e) {
        return "<copydesk.Edit " + e.id + " " + e.stage + "/" + e.rule + " [" + std::to_string(e.begin) + ":" +
               std::to_string(e.end) + "]>";
      });
  py::class_<PyResult>(m, "Result")
      .def_readonly("text", &PyResult::text)
      .def_readonly("changes", &PyResult::changes)
      .def_readonly("flags", &PyResult::flags)
      .def_readonly("edits", &PyResult::edits)
      .def_readonly("quality", &PyResult::quality)
      .def("__repr__", [](const PyResult& r) {
        return "<copydesk.Result " + std::to_string(r.changes) + " changes, " + std::to_string(r.flags) + " flags>";
      });
  py::class_<PyQuality>(m, "Quality")
      .def_readonly("score", &PyQuality::score)
      .def_readonly("band", &PyQuality::band)
      .def_readonly("reasons", &PyQuality::reasons)
      .def("__repr__", [](const PyQuality& q) {
        char text[64];
        std::snprintf(text, sizeof text, "<copydesk.Quality %.1f %s>", q.score, q.band.c_str());
        return std::string(text);
      });
  py::class_<PyPipeline>(m, "Pipeline")
      .def(py::init<std::optional<std::vector<std::string>>, std::optional<std::string>, std::vector<std::string>,
                    std::vector<std::string>, std::vector<std::string>, std::vector<std::string>, std::optional<bool>,
                    std::optional<std::string>, std::optional<std::string>, std::vector<std::string>, bool, bool>(),
           py::arg("stages"), py::arg("config"), py::arg("skip"), py::arg("disable"), py::arg("protect"),
           py::arg("protect_patterns"), py::arg("ignore_markers"), py::arg("dictionaries"), py::arg("hunspell"),
           py::arg("names"), py::arg("lossy"), py::arg("quality"))
      .def("clean", &PyPipeline::clean, py::arg("text"))
      .def("clean_many", &PyPipeline::clean_many, py::arg("texts"), py::arg("threads") = py::none())
      .def_property_readonly("stages", &PyPipeline::stages)
      .def_property_readonly("dictionaries", &PyPipeline::dictionaries);
  m.def("stage_names", [] {
    std::vector<std::string> names;
    for (auto n : stage_names()) names.emplace_back(n);
    return names;
  });
}
