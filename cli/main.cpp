// The copydesk command: argument parsing and file handling over the library.
// Exit codes: 0 done (--check: nothing to change), 1 --check: changes would be
// made, 2 bad usage or configuration, 3 an input could not be read or cleaned
// (the others still were) or an output could not be written, 4 a dictionary is
// missing or malformed.

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "cli/inputs.h"
#include "cli/progress.h"
#include "pipeline/batch_evidence.h"
#include "pipeline/changelog.h"
#include "pipeline/config.h"
#include "pipeline/diff.h"
#include "pipeline/error.h"
#include "pipeline/io.h"
#include "pipeline/jsonl.h"
#include "pipeline/parallel.h"
#include "pipeline/pipeline.h"
#include "pipeline/quality.h"
#include "pipeline/registry.h"
#include "pipeline/review.h"
#include "pipeline/text.h"
#include "review/report.h"
#include "server/server.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;
using namespace copydesk;

namespace {

constexpr int kExitOk = 0;
constexpr int kExitWouldChange = 1;
constexpr int kExitUsage = 2;
constexpr int kExitInput = 3;
constexpr int kExitResources = 4;

constexpr const char* kUsage =
    "copydesk: staged cleanup of scraped, machine-translated news articles.\n"
    "\n"
    "Usage:\n"
    "  copydesk clean [OPTIONS] [FILE|DIR...|-]  clean articles (standard input if none);\n"
    "                                         a DIR is cleaned file by file, mirrored under --out-dir\n"
    "  copydesk apply --reject FILE [OPTIONS] FILE...\n"
    "                                         clean, leaving out the edits rejected in the review page\n"
    "  copydesk score [OPTIONS] [FILE|DIR...|-]  only score quality (0-100): a JSON line per document;\n"
    "                                         with --jsonl, each record with \"copydesk_quality\"\n"
    "  copydesk serve --port PORT             serve the HTTP JSON API (POST /clean, GET /stages, GET /health)\n"
    "  copydesk stages                        list the stages in order, with their rules\n"
    "  copydesk config --default              print the default configuration (TOML)\n"
    "  copydesk --help | --version\n"
    "\n"
    "Exit codes: 0 done (with --check: nothing to change); 1 --check found changes to make;\n"
    "2 bad usage or configuration (also: an output that is an input or another output; apply: rejections\n"
    "made for another text or configuration); 3 an input could not be read or cleaned (invalid UTF-8, binary,\n"
    "missing file; the other inputs are still processed), or an output could not be written; 4 a dictionary\n"
    "is missing.\n"
    "`copydesk COMMAND --help` lists the options of one command.\n";

const std::map<std::string, std::string> kCommandUsage = {
    {"clean",
     "copydesk clean [OPTIONS] [FILE|DIR...|-]\n  Cleans articles (standard input if none); a DIR is cleaned file by "
     "file."},
    {"apply",
     "copydesk apply --reject FILE [OPTIONS] FILE...\n  Cleans, leaving out the edits rejected in the review page."},
    {"serve",
     "copydesk serve --port PORT [--host ADDRESS] [OPTIONS]\n  Serves the HTTP JSON API: POST /clean, GET /stages, GET "
     "/health."},
    {"score",
     "copydesk score [OPTIONS] [FILE|DIR...|-]\n  Only scores quality (0-100): a JSON line per document; with --jsonl, "
     "each record with \"copydesk_quality\"."},
    {"stages", "copydesk stages\n  Lists the stages in order, with their rules."},
    {"config", "copydesk config --default\n  Prints the default configuration (TOML)."}};

std::vector<std::string> split_list(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& v : values) {
    std::size_t b = 0;
    while (b <= v.size()) {
      const auto e = std::min(v.find(',', b), v.size());
      if (e > b) out.push_back(v.substr(b, e - b));
      b = e + 1;
    }
  }
  return out;
}

bool destinations_given(const po::variables_map& vm) {
  return vm.count("output") || vm.count("out-dir") || vm["in-place"].as<bool>();
}

bool use_color(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  if (mode != "auto") throw po::error("--color must be auto, always or never");
  const char* term = std::getenv("TERM");
  return isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr && term && std::string(term) != "dumb";
}

int cmd_stages(Resources& resources) {
  for (auto name : stage_names()) {
    const auto stage = make_stage(name, resources);
    std::cout << stage->name() << ": " << stage->description() << "\n";
    for (const auto& rule : stage->rules()) std::cout << "    " << rule.id << ": " << rule.description << "\n";
  }
  return kExitOk;
}

enum class OnError { kFail, kSkip, kPass };

struct CleanOptions {
  std::vector<std::string> inputs;
  std::string output;
  std::string out_dir;
  std::string changes;
  std::string errors;           // --errors: where rejected JSONL records go ("" = standard error)
  std::string report;           // --report: the HTML review page (a directory: one page per document)
  std::string config_hash;      // config_fingerprint, for --report and apply
  bool apply = false;           // `copydesk apply`: leave out the edits named in `rejections`
  bool batch_evidence = false;  // a pre-pass over every input feeds the stages that learn from the batch
  Rejections rejections;
  bool in_place = false;
  bool diff = false;
  bool check = false;
  bool quiet = false;
  bool color = false;
  bool jsonl = false;
  OnError on_error = OnError::kPass;
  unsigned threads = 1;
  JsonlOptions record;  // --jsonl: text field, --changes-inline, run options
  InputFilter filter;   // --include / --exclude for folder inputs
  RunOptions run;
  bool score_only = false;  // `copydesk score`
};

// One pipeline per worker thread, each with its own Resources (the Lexicon
// facade is not thread-safe), all sharing one store of what is read from the
// dictionaries (Resources::share). The first is built before any input is
// read, so a missing dictionary is reported first; the others on their
// thread's first document, so idle threads cost nothing. get(w) is called by
// worker w only.
class Workers {
 public:
  Workers(const Config& config, unsigned threads) : config_(config), resources_(threads), pipelines_(threads) {
    get(0);
  }
  Pipeline& get(unsigned w) {
    if (!pipelines_[w]) {
      resources_[w] = w == 0 ? std::make_unique<Resources>(config_.paths) : resources_[0]->share();
      pipelines_[w].emplace(Pipeline::build(config_.stages, *resources_[w]));
      resources_[w]->lexicon();
      resources_[w]->names();
      if (rules_) pipelines_[w]->set_rules(*rules_);
      publish(evidence_, *pipelines_[w]);
    }
    return *pipelines_[w];
  }
  // Rule control ([rules], --skip STAGE/RULE) for every pipeline. Throws Error
  // on a rule id that names no rule.
  void set_rules(const RuleOptions& rules) {
    rules_ = rules;
    for (auto& p : pipelines_) {
      if (p) p->set_rules(*rules_);
    }
  }
  // Worker w's quality scorer (nullptr when scoring is off).
  QualityScorer* scorer(unsigned w) {
    get(w);
    return quality ? quality->scorer(w, *resources_[w]) : nullptr;
  }
  // Batch evidence for every pipeline, built or still to be built.
  void share(BatchEvidenceSet evidence) {
    evidence_ = std::move(evidence);
    for (auto& p : pipelines_) {
      if (p) publish(evidence_, *p);
    }
  }

  std::unique_ptr<QualityRun> quality;  // --quality, --min-quality, `score`

 private:
  Config config_;
  std::vector<std::unique_ptr<Resources>> resources_;
  std::vector<std::optional<Pipeline>> pipelines_;
  BatchEvidenceSet evidence_;
  std::optional<RuleOptions> rules_;
};

// --batch-evidence: a first pass over every input feeds the stages that learn
// from the whole batch (pipeline/batch_evidence.h). Inputs are read twice, so
// standard input is not allowed.
void share_batch_evidence(const CleanOptions& o, Workers& workers) {
  BatchPrepass prepass(workers.get(0));
  if (prepass.empty()) return;
  if (o.jsonl) {
    for (const auto& path : o.inputs) {
      std::ifstream in(path, std::ios::binary);
      if (!in) continue;  // reported by the cleaning pass
      std::string line;
      while (std::getline(in, line)) {
        if (!valid_utf8(line)) continue;
        const JsonScan scan = scan_json(line);
        std::string text;
        for (const auto& m : scan.members) {
          if (m.key == o.record.text_field && m.is_string &&
              decode_json_string(std::string_view(line).substr(m.value_begin, m.value_end - m.value_begin), text)) {
            prepass.collect(text);
          }
        }
      }
    }
  } else {
    for (const auto& file : expand_inputs(o.inputs, o.filter)) {
      try {
        const std::string text = read_document(file.path);
        if (valid_utf8(text)) prepass.collect(text);
      } catch (const Error&) {
        // reported by the cleaning pass
      }
    }
  }
  workers.share(prepass.finish());
}

// Totals for the closing summary.
struct Totals {
  std::vector<std::size_t> changes;  // per stage
  std::size_t flags = 0;
  std::size_t errors = 0;
  bool any_change = false;
  std::vector<SkippedInput> unreadable;  // inputs that could not be read, each listed under the summary line
};

void print_summary(const std::vector<std::string>& stages, const Totals& t, const Progress& progress) {
  std::ostringstream s;
  s << "copydesk: " << progress.documents() << (progress.documents() == 1 ? " document, " : " documents, ");
  s.setf(std::ios::fixed);
  s.precision(1);
  s << static_cast<double>(progress.bytes()) / (1024.0 * 1024.0) << " MB; edits:";
  bool any = false;
  for (std::size_t i = 0; i < stages.size(); ++i) {
    if (t.changes[i] == 0) continue;
    s << (any ? ", " : " ") << stages[i] << " " << t.changes[i];
    any = true;
  }
  if (!any) s << " none";
  s << "; flags " << t.flags << "; errors " << t.errors << "; ";
  s.precision(2);
  s << progress.seconds() << " s\n";
  for (const auto& u : t.unreadable) s << "copydesk: not read: " << u.path << ": " << u.reason << "\n";
  std::cerr << s.str();
}

// The JSON change log, streamed document by document to an atomic file (or
// standard output), so a batch of any size keeps memory flat.
class ChangeLog {
 public:
  explicit ChangeLog(const std::string& path) {
    if (path.empty()) return;
    if (path != "-") file_ = std::make_unique<AtomicOutput>(path);
    put(std::string("{\"copydesk\": \"") + COPYDESK_VERSION + "\", \"documents\": [\n");
    enabled_ = true;
  }
  bool enabled() const { return enabled_; }
  void add(const nlohmann::ordered_json& document) {
    // A file name that is not UTF-8 is logged with U+FFFD for its bad bytes.
    put(std::string(first_ ? "" : ",\n") + document.dump(1, ' ', false, nlohmann::json::error_handler_t::replace));
    first_ = false;
  }
  void finish() {
    if (!enabled_) return;
    put("\n]}\n");
    if (file_) file_->commit();
  }

 private:
  void put(const std::string& text) {
    if (file_) {
      file_->write(text);
    } else {
      put_stdout(text);
    }
  }
  std::unique_ptr<AtomicOutput> file_;
  bool enabled_ = false;
  bool first_ = true;
};

// The size of an input for the progress display; 0 for standard input or a
// file that cannot be read (its error is reported when it is cleaned).
std::size_t known_size(const std::string& path) {
  if (path == "-") return 0;
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<std::size_t>(size);
}

// apply: the rejected-edits file does not belong to this text or run (exit 2).
struct Refused : Error {
  using Error::Error;
};

constexpr const char* kTextDiffers =
    "its text differs from the text the review page was made from (SHA-256 mismatch); refusing to apply "
    "rejections made for another text (make the report again from this file)";

// --report FILE, or --report DIR (an existing folder or a path ending in '/'):
// an index page and one page per document.
void write_report(const ReportWriter& report, const CleanOptions& o) {
  if (o.report.back() == '/' || fs::is_directory(o.report)) {
    report.finish_dir(o.report);
    return;
  }
  constexpr std::size_t kOnePageLimit = 256u << 20;  // V8 cannot hold one string much larger
  if (report.data_size() > kOnePageLimit)
    throw Error("--report " + o.report + ": " + std::to_string(report.data_size() >> 20) +
                " MB of review data is more than one page can hold; give a folder (--report DIR/) for an index "
                "page and one page per document");
  std::ostringstream html;
  report.finish(html);
  write_file_atomic(o.report, html.str());
}

// apply, before anything is cleaned or written: the configuration and every
// FILE's text must be those the rejected-edits file was made from.
bool check_apply_inputs(const CleanOptions& o) {
  if (o.rejections.config != o.config_hash) {
    std::cerr << "copydesk: apply: the rejected-edits file was made with another configuration (stages, data "
                 "files or copydesk version); refusing: run apply with the report's configuration\n";
    return false;
  }
  bool ok = true;
  for (const auto& file : expand_inputs(o.inputs)) {
    if (file.path == "-") continue;  // checked when read
    const DocumentRejections* entry = rejections_for(o.rejections, file.path);
    if (!entry) continue;  // said when it is cleaned
    try {
      if (entry->input_hash == content_hash(read_document(file.path))) continue;
      std::cerr << "copydesk: " << file.path << ": " << kTextDiffers << "\n";
      ok = false;
    } catch (const Error&) {
      // reported when it is cleaned
    }
  }
  return ok;
}

struct FileJob {
  InputFile file;
  std::string content;  // standard input is read by the producer
};

struct FileOut {
  InputFile file;
  std::string original;  // the input, when a later step reads it (else handed to the pipeline)
  std::size_t original_size = 0;
  Result result;
  std::string error;
  bool unreadable = false;  // `error` came from reading the file
  DocumentQuality quality;
};

int clean_files(const CleanOptions& o, Workers& workers, const std::vector<std::string>& stages) {
  Totals totals;
  totals.changes.assign(stages.size(), 0);
  std::vector<SkippedInput> skipped;  // folder entries that are not files to read
  const std::vector<InputFile> files = expand_inputs(o.inputs, o.filter, &skipped);
  int status = kExitOk;
  for (const auto& s : skipped) {
    std::cerr << "copydesk: " << s.path << ": not read: " << s.reason << "\n";
    if (!s.error) continue;
    ++totals.errors;
    status = kExitInput;
  }
  totals.unreadable = skipped;
  std::size_t total_bytes = 0;
  for (const auto& f : files) total_bytes += known_size(f.path);
  Progress progress(!o.quiet && isatty(STDERR_FILENO), total_bytes);
  ChangeLog log(o.changes);
  std::unique_ptr<ReportWriter> report;
  if (!o.report.empty())
    report = std::make_unique<ReportWriter>(std::string("copydesk ") + COPYDESK_VERSION, o.config_hash);
  std::set<std::string> out_names;
  bool refused = false;  // apply: a document's rejections do not fit its run

  // The change log, the diff, the report, a review's check and --in-place's
  // comparison read the input after the run; otherwise the pipeline takes it
  // over, so a large document is not held twice.
  const bool keep_original = log.enabled() || o.diff || report || o.apply || o.in_place;
  std::size_t next_file = 0;
  auto next = [&]() -> std::optional<FileJob> {
    if (next_file == files.size()) return std::nullopt;
    FileJob job{files[next_file++], {}};
    if (job.file.path == "-") job.content = read_document("-");
    return job;
  };
  auto work = [&](unsigned worker, FileJob& job) -> FileOut {
    FileOut out{job.file, {}, 0, {}, {}, false, {}};
    try {
      if (job.file.path == "-") {
        out.original = std::move(job.content);
      } else {
        try {
          out.original = read_document(job.file.path);
        } catch (const Error&) {
          out.unreadable = true;
          throw;
        }
      }
      out.original_size = out.original.size();
      out.result = keep_original ? workers.get(worker).run(out.original, o.run)
                                 : workers.get(worker).run_owned(std::move(out.original), o.run);
      if (auto* q = workers.scorer(worker)) out.quality = q->score(out.result.text, &out.result);
    } catch (const Error& e) {
      out.error = e.what();
    } catch (const std::exception& e) {  // e.g. out of memory: this document only
      out.error = std::string("cannot be cleaned (") + e.what() + ")";
    }
    return out;
  };
  auto emit = [&](FileOut& out) {
    const std::string label = out.file.path == "-" ? "<stdin>" : out.file.path;
    progress.add(out.original_size);
    try {
      if (out.unreadable) totals.unreadable.push_back({label, out.error, true});
      if (!out.error.empty()) throw Error(out.error);
      Result& result = out.result;
      const bool low = workers.quality->enabled() && workers.quality->add(out.quality.score);
      if (o.score_only) {
        auto line = nlohmann::ordered_json{{"document", label}};
        const auto quality = quality_to_json(out.quality, false, o.record.quality_features);
        for (const auto& [k, v] : quality.items()) line[k] = v;
        put_stdout(line.dump() + "\n");
        return;
      }
      if (report) report->add(label, out.original, result, workers.quality->enabled() ? &out.quality : nullptr);
      if (o.apply) {
        const DocumentRejections* entry = rejections_for(o.rejections, label);
        if (entry && entry->input_hash != content_hash(out.original)) throw Refused(kTextDiffers);
        if (!entry && !o.quiet) {
          progress.finish();
          std::cerr << "copydesk: " << label << ": not in the rejected-edits file; every edit is applied\n";
        }
        ReviewOutcome review = apply_review(result, entry ? entry->ids : std::set<std::string>{});
        if (!review.unknown.empty()) {
          std::string ids;
          for (const auto& id : review.unknown) ids += " " + id;
          throw Refused("rejected id(s)" + ids + " name no edit of this run; not written");
        }
        if (!review.skipped.empty() && !o.quiet) {
          std::cerr << "copydesk: " << label << ": skipped (they depend on rejected edits):";
          for (const auto& id : review.skipped) std::cerr << ' ' << id;
          std::cerr << '\n';
        }
        result.text = std::move(review.text);
      }
      for (const auto& run : result.stages) {
        for (const auto& e : run.edits) totals.changes[run.index] += e.kind == EditKind::kChange;
      }
      totals.flags += result.flags();
      if (log.enabled()) {
        auto doc = changes_to_json(label, out.original, result);
        if (workers.quality->enabled()) doc["quality"] = quality_to_json(out.quality, true);
        log.add(doc);
      }
      if (o.diff) {
        std::string text;
        const DiffStyle style{o.color};
        std::vector<std::size_t> newlines, lines;  // each edit's line in the original input
        for (std::size_t i = 0; i < out.original.size(); ++i)
          if (out.original[i] == '\n') newlines.push_back(i);
        for (const auto& run : result.stages) {
          lines.clear();
          for (const auto& span : run.original)
            lines.push_back(
                std::size_t(std::lower_bound(newlines.begin(), newlines.end(), span.begin) - newlines.begin()) + 1);
          render_stage_diff(text, label, run.label(), run.input, run.edits, style, lines);
        }
        put_stdout(text);
      }
      const std::size_t n = result.changes();
      if (n > 0) totals.any_change = true;
      if (o.check) {
        if (n > 0 && !o.quiet) {
          progress.finish();
          std::cerr << "would change: " << label << " (" << n << (n == 1 ? " edit)\n" : " edits)\n");
        }
      } else if (low) {
        const bool named = !out.file.relative.empty() && out.file.relative != "-";
        workers.quality->write_file(named ? out.file.relative : "stdin.txt", label, result.text, out.quality);
      } else if (o.in_place) {
        if (result.text != out.original) write_file_atomic(out.file.path, result.text);
      } else if (!o.out_dir.empty()) {
        if (!out_names.insert(out.file.relative).second) {
          throw Error("another input is also written to " + out.file.relative + " under --out-dir");
        }
        const auto target = std::filesystem::path(o.out_dir) / out.file.relative;
        std::error_code ec;
        std::filesystem::create_directories(target.parent_path(), ec);
        write_file_atomic(target.string(), result.text);
      } else if (!o.output.empty()) {
        write_file_atomic(o.output, result.text);
      } else if (!o.diff) {
        put_stdout(result.text);
      }
    } catch (const OutputError&) {
      throw;  // an output that cannot be written ends the run
    } catch (const Refused& e) {
      progress.finish();
      std::cerr << "copydesk: " << label << ": " << e.what() << "\n";
      ++totals.errors;
      refused = true;
    } catch (const Error& e) {
      progress.finish();
      std::cerr << "copydesk: " << label << ": " << e.what() << "\n";
      ++totals.errors;
      status = kExitInput;
    }
  };
  const unsigned threads =
      static_cast<unsigned>(std::min<std::size_t>(o.threads, std::max<std::size_t>(1, files.size())));
  run_ordered<FileJob, FileOut>(threads, 4 * threads, next, work, emit);
  flush_stdout();
  log.finish();
  if (report) write_report(*report, o);
  progress.finish();
  workers.quality->commit();
  if (!o.quiet && files.size() + skipped.size() > 1) print_summary(stages, totals, progress);
  if (!o.quiet) std::cerr << workers.quality->summary();
  if (refused) return kExitUsage;
  if (status != kExitOk) return status;
  return o.check && totals.any_change ? kExitWouldChange : kExitOk;
}

struct LineJob {
  std::string source;
  std::size_t number = 0;
  std::string line;
};

struct LineOut {
  std::string source;
  std::size_t number = 0;
  std::string line;
  JsonlOutcome outcome;
};

// How many JSON objects without the text field, with none holding it, make the
// run an error naming --text-field (fewer if the stream ends first).
constexpr std::size_t kFieldProbe = 10;
// Records held back while that is being decided, at most (a stream of lines
// that are not JSON objects at all is then streamed as errors).
constexpr std::size_t kMaxHeld = 1000;
// Of a rejected record written to standard error, at most this many bytes of
// its input are echoed (an --errors FILE keeps the whole record).
constexpr std::size_t kEchoBytes = 1000;

int clean_jsonl(const CleanOptions& o, Workers& workers, const std::vector<std::string>& stages) {
  // Records are read line by line from each input in turn (standard input for "-").
  std::size_t total_bytes = 0;
  for (const auto& f : o.inputs) total_bytes += known_size(f);
  Progress progress(!o.quiet && isatty(STDERR_FILENO), total_bytes);
  Totals totals;
  totals.changes.assign(stages.size(), 0);
  std::unique_ptr<AtomicOutput> out_file;
  if (!o.output.empty()) out_file = std::make_unique<AtomicOutput>(o.output);
  std::unique_ptr<AtomicOutput> errors_file;
  if (!o.errors.empty()) errors_file = std::make_unique<AtomicOutput>(o.errors);
  // Until a record holding the text field is seen, output is held back, so a
  // misnamed --text-field writes nothing.
  bool holding = true;
  std::vector<std::pair<bool, std::string>> held;  // (to the output, text)
  std::size_t field_missing = 0;
  std::vector<std::string> fields_seen;  // the keys of the first object without the field
  auto out_now = [&](const std::string& text) {
    if (o.check) return;
    if (out_file) {
      out_file->write(text);
    } else {
      put_stdout(text);
    }
  };
  auto error_now = [&](const std::string& text) {
    if (errors_file) {
      errors_file->write(text);
    } else {
      progress.finish();
      std::cerr << text;
    }
  };
  auto write_out = [&](std::string text) {
    if (holding) {
      held.emplace_back(true, std::move(text));
    } else {
      out_now(text);
    }
  };
  auto write_error = [&](std::string text) {
    if (holding) {
      held.emplace_back(false, std::move(text));
    } else {
      error_now(text);
    }
  };
  auto release_held = [&] {
    holding = false;
    for (const auto& [to_out, text] : held) to_out ? out_now(text) : error_now(text);
    held.clear();
  };

  std::size_t input_index = 0;
  std::unique_ptr<std::ifstream> file;
  std::istream* in = nullptr;
  std::string source;
  std::size_t number = 0;
  bool stop = false;         // read no more input
  bool wrong_field = false;  // no record has the text field
  std::string failed_at;     // --on-error fail: where and why it stopped
  int status = kExitOk;
  auto next = [&]() -> std::optional<LineJob> {
    while (!stop) {
      if (!in) {
        if (input_index == o.inputs.size()) return std::nullopt;
        source = o.inputs[input_index++];
        number = 0;
        if (source == "-") {
          in = &std::cin;
        } else {
          file = std::make_unique<std::ifstream>(source, std::ios::binary);
          if (!*file) {
            progress.finish();
            std::cerr << "copydesk: " << source << ": cannot open (" << std::strerror(errno) << ")\n";
            status = kExitInput;
            continue;
          }
          in = file.get();
        }
      }
      LineJob job;
      if (!std::getline(*in, job.line)) {
        in = nullptr;
        continue;
      }
      job.number = ++number;
      job.source = source;
      // Blank lines are not records (JSON Lines allows none): they are skipped.
      if (job.line.find_first_not_of(" \t\r") == std::string::npos) continue;
      return job;
    }
    return std::nullopt;
  };
  auto work = [&](unsigned worker, LineJob& job) -> LineOut {
    LineOut out{std::move(job.source), job.number, std::move(job.line), {}};
    try {
      out.outcome = clean_jsonl_record(workers.get(worker), out.line, o.record, workers.scorer(worker));
    } catch (const std::exception& e) {  // e.g. out of memory: this record only
      out.outcome = {};
      out.outcome.error = to_valid_utf8(std::string("cannot be cleaned (") + e.what() + ")");
    }
    return out;
  };
  auto emit = [&](LineOut& out) {
    if (stop) return;  // results already in flight after a stop are dropped
    progress.add(out.line.size());
    const JsonlOutcome& r = out.outcome;
    if (holding) {
      if (r.has_field) {
        release_held();  // the field exists in this stream
      } else if (r.missing_field) {
        if (field_missing++ == 0) fields_seen = r.fields;
        if (field_missing == kFieldProbe) {
          wrong_field = stop = true;
          return;
        }
      }
    }
    if (!r.error.empty()) {
      ++totals.errors;
      const std::string label = out.source == "-" ? "<stdin>" : out.source;
      nlohmann::ordered_json e;
      e["file"] = label;
      e["line"] = out.number;
      e["error"] = r.error;
      if (errors_file || out.line.size() <= kEchoBytes) {
        e["input"] = to_valid_utf8(out.line);  // every rejected record is kept, even with bad bytes
      } else {
        std::size_t cut = kEchoBytes;
        while (cut > 0 && (static_cast<unsigned char>(out.line[cut]) & 0xC0) == 0x80) --cut;
        e["input"] = to_valid_utf8(std::string_view(out.line).substr(0, cut));
        e["input_bytes"] = out.line.size();
        e["input_truncated"] = true;
      }
      write_error(e.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
      if (o.on_error == OnError::kPass) write_out(out.line + "\n");
      if (o.on_error == OnError::kFail) {
        stop = true;
        status = kExitInput;
        failed_at = label + " line " + std::to_string(out.number) + ": " + r.error;
      }
      return;
    }
    for (std::size_t i = 0; i < r.changes.size() && i < totals.changes.size(); ++i) {
      totals.changes[i] += r.changes[i];
      if (r.changes[i]) totals.any_change = true;
    }
    totals.flags += r.flags;
    if (workers.quality->enabled() && workers.quality->add(r.quality)) {
      if (!o.check) workers.quality->write_record(r.record);
    } else {
      write_out(r.record + "\n");
    }
  };
  // A kept-open pipe: while standard input has nothing to read, the records in
  // flight are answered and flushed before copydesk waits for more.
  auto input_ready = [&] { return in != &std::cin || stdin_ready(); };
  auto idle = [&] {
    if (!out_file && !o.check) flush_stdout();
  };
  run_ordered<LineJob, LineOut>(o.threads, 64 * o.threads, next, work, emit, input_ready, idle);
  if (holding && field_missing > 0) wrong_field = true;
  progress.finish();
  if (wrong_field) {
    std::string seen;
    for (const auto& f : fields_seen) seen += (seen.empty() ? "\"" : ", \"") + to_valid_utf8(f) + "\"";
    std::cerr << "copydesk: no record has a \"" << o.record.text_field << "\" field (" << field_missing
              << (field_missing == 1 ? " JSON object" : " JSON objects") << " checked; the first has "
              << (seen.empty() ? std::string("no fields") : seen)
              << "): name the field holding the article with --text-field; nothing was written\n";
    return kExitUsage;
  }
  release_held();
  flush_stdout();
  if (!failed_at.empty()) {
    if (errors_file) errors_file->commit();
    std::cerr << "copydesk: stopped at the first bad record (--on-error fail), " << failed_at << "\n"
              << "copydesk: "
              << (out_file ? o.output + " was not written" : std::string("the records before it were written"))
              << (errors_file ? "; the bad record is in " + o.errors : std::string()) << "\n";
    return status;  // the -o AtomicOutput is dropped: nothing half-written
  }
  if (out_file) out_file->commit();
  if (errors_file) errors_file->commit();
  workers.quality->commit();
  if (!o.quiet) print_summary(stages, totals, progress);
  if (!o.quiet) std::cerr << workers.quality->summary();
  if (status != kExitOk) return status;
  if (totals.errors > 0 && o.on_error != OnError::kPass) return kExitInput;
  return o.check && totals.any_change ? kExitWouldChange : kExitOk;
}

// At most four worker threads per core (each holds its own vocabularies, tens
// of MB on a long stream), and never more than 256.
unsigned max_threads() { return std::clamp(4 * std::thread::hardware_concurrency(), 4u, 256u); }

// --threads: a whole number from 1; above max_threads() it is clamped.
unsigned parse_threads(const std::string& value, bool quiet) {
  if (value.empty() || value.find_first_not_of("0123456789") != std::string::npos ||
      value.find_first_not_of('0') == std::string::npos) {
    throw po::error("--threads must be a whole number from 1, not '" + value + "'");
  }
  const std::string digits = value.substr(value.find_first_not_of('0'));
  const unsigned n = digits.size() > 4 ? 10000u : static_cast<unsigned>(std::stoul(digits));
  if (n <= max_threads()) return n;
  if (!quiet) std::cerr << "copydesk: --threads " << value << ": using " << max_threads() << " (4 per core at most)\n";
  return max_threads();
}

// One file, however it is named: device and inode for a file that exists,
// the normalised absolute path for one still to be created. Devices, FIFOs
// and other special files are never "the same" as anything (/dev/null may be
// given for several outputs).
struct FileIdentity {
  bool special = false;
  dev_t dev = 0;
  ino_t ino = 0;
  std::string path;
};

FileIdentity identify(const std::string& path) {
  FileIdentity id;
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    id.special = !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
    id.dev = st.st_dev;
    id.ino = st.st_ino;
    return id;
  }
  std::error_code ec;
  id.path = fs::weakly_canonical(fs::absolute(path, ec), ec).string();
  return id;
}

bool same_file(const FileIdentity& a, const FileIdentity& b) {
  if (a.special || b.special) return false;
  if (a.path.empty() != b.path.empty()) return false;
  return a.path.empty() ? a.dev == b.dev && a.ino == b.ino : a.path == b.path;
}

// Refuses, before anything is read or written, an output that is one of the
// inputs or another output (--in-place is the way to rewrite an input).
void check_output_paths(const CleanOptions& o) {
  struct Named {
    std::string what;
    std::string path;
    FileIdentity id;
  };
  std::vector<Named> outputs;
  auto add_output = [&](const std::string& what, const std::string& path) {
    if (!path.empty() && path != "-") outputs.push_back({what, path, identify(path)});
  };
  add_output("-o", o.output);
  add_output("--changes", o.changes);
  add_output("--errors", o.errors);
  add_output("--report", o.report);
  std::vector<Named> inputs;
  std::vector<InputFile> files;
  if (o.jsonl) {
    for (const auto& path : o.inputs) files.push_back({path, path});
  } else {
    try {
      files = expand_inputs(o.inputs);
    } catch (const Error&) {
      // reported when the inputs are read
    }
  }
  for (const auto& f : files) {
    if (f.path == "-") continue;
    inputs.push_back({"input", f.path, identify(f.path)});
    if (!o.out_dir.empty()) {
      const std::string target = (fs::path(o.out_dir) / f.relative).string();
      const FileIdentity id = identify(target);
      if (same_file(id, inputs.back().id)) {
        throw po::error("--out-dir would write " + target +
                        " over the input itself (use --in-place to rewrite inputs)");
      }
      outputs.push_back({"--out-dir", target, id});
    }
  }
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    for (const auto& in : inputs) {
      if (same_file(outputs[i].id, in.id)) {
        throw po::error(outputs[i].what + " " + outputs[i].path + " is also an input (" + in.path + ")");
      }
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (outputs[j].what == "--out-dir" && outputs[i].what == "--out-dir") continue;  // checked per file later
      if (same_file(outputs[i].id, outputs[j].id)) {
        throw po::error(outputs[i].what + " " + outputs[i].path + " and " + outputs[j].what + " " + outputs[j].path +
                        " are the same file");
      }
    }
  }
}

int run(int argc, char** argv) {
  auto text = [](const char* name) { return po::value<std::string>()->value_name(name); };
  auto list = [](const char* name) { return po::value<std::vector<std::string>>()->composing()->value_name(name); };
  po::options_description common("Options of every command");
  common.add_options()("help,h", "show this help (after a command: that command's)")("version", "print the version")(
      "config", text("FILE"), "read the configuration from this TOML file")(
      "dictionaries", text("DIR"), "folder of copydesk's data files (default: $COPYDESK_DICTIONARIES, else installed)")(
      "hunspell", text("DIR"), "folder with Hunspell's en_US and en_GB .aff/.dic (default: /usr/share/hunspell)")(
      "names", list("FILE"), "an extra names file (format of dictionaries/names.txt); repeatable")(
      "only", list("STAGE,..."), "run only these stages (comma-separated, repeatable)")(
      "skip", list("STAGE[/RULE],..."), "do not run these stages, or drop the edits of these rules")(
      "threads,j", text("N"), "worker threads, 4 per core at most (default: all cores); output order is kept")(
      "quiet,q", po::bool_switch(), "no messages on standard error but errors");
  po::options_description clean("Options of clean and apply");
  clean.add_options()("output,o", text("FILE"), "write the cleaned text to FILE (one input)")(
      "in-place,i", po::bool_switch(), "rewrite each input FILE with its cleaned text")(
      "out-dir", text("DIR"), "write each cleaned FILE into DIR under its own name")(
      "include", list("GLOB"), "folder inputs: take only files matching GLOB (path below the folder or name)")(
      "exclude", list("GLOB"), "folder inputs: leave out files matching GLOB")(
      "diff", po::bool_switch(),
      "print per-stage diffs to standard output instead of the text "
      "(the text still goes to -o/--out-dir/--in-place if given)")("color", text("WHEN")->default_value("auto"),
                                                                   "diff colours: auto, always or never")(
      "changes", text("FILE"), "write the JSON change log of every edit to FILE (- for stdout)")(
      "check", po::bool_switch(), "change nothing; exit 1 if any change would be made")(
      "lossy", po::bool_switch(), "replace invalid UTF-8 bytes with U+FFFD (logged) instead of rejecting the input")(
      "jsonl", po::bool_switch(), "read and write JSON Lines records ({\"id\": ..., \"text\": ...}), one per line")(
      "text-field", text("FIELD")->default_value("text"), "with --jsonl: the field holding the article")(
      "changes-inline", po::bool_switch(), "with --jsonl: add each record's edits as \"copydesk_edits\"")(
      "on-error", text("ACTION")->default_value("pass"),
      "with --jsonl, a record that cannot be cleaned: fail (stop, exit 3), skip (leave it out) or pass (copy it "
      "unchanged); it always goes to the error output")(
      "errors", text("FILE"),
      "with --jsonl: write rejected records (file, line, error, input) to FILE, not standard error")(
      "report", text("FILE|DIR/"),
      "write the HTML review page of every document to FILE; to DIR (a folder, or a path ending in '/'): an "
      "index page and one page per document")(
      "batch-evidence", po::bool_switch(),
      "a first pass over all inputs: names seen in any input and lines recurring in "
      "many count as evidence in all (reads FILE inputs twice)")(
      "reject", list("FILE"), "with `apply`: the rejected-ids file exported from the review page (repeatable)")(
      "quality", po::bool_switch(), "estimate each document's quality (0-100; change log, JSON Lines, summary)")(
      "min-quality", po::value<double>()->value_name("N"),
      "send documents scoring below N to --low-quality (implies --quality)")(
      "low-quality", text("FILE|DIR"),
      "with --min-quality: the FILE (--jsonl) or DIR that receives the low documents, with their reasons")(
      "features", po::bool_switch(), "with `score`: add every signal's value (for training the model)");
  po::options_description serve_opts("Options of serve");
  serve_opts.add_options()("port", po::value<unsigned>()->value_name("PORT"), "TCP port to listen on (required)")(
      "host", text("ADDRESS")->default_value("127.0.0.1"), "address to listen on")(
      "max-request-bytes", po::value<std::size_t>()->value_name("N")->default_value(16u << 20),
      "larger request bodies are refused with 413");
  po::options_description config_opts("Options of config");
  config_opts.add_options()("default", po::bool_switch(), "print the default configuration");
  po::options_description hidden;
  hidden.add_options()("command", po::value<std::string>())("inputs", po::value<std::vector<std::string>>());
  po::options_description all;
  all.add(common).add(clean).add(serve_opts).add(config_opts).add(hidden);
  po::positional_options_description positional;
  positional.add("command", 1).add("inputs", -1);

  po::variables_map vm;
  // No abbreviations: --dif is an unknown option, not --diff.
  const int style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
  po::store(po::command_line_parser(argc, argv).options(all).positional(positional).style(style).run(), vm);
  po::notify(vm);

  if (vm.count("version")) {
    const DictionariesChoice dict = default_dictionaries();
    std::cout << "copydesk " << COPYDESK_VERSION << "\ndictionaries: " << dict.path << " (" << dict.origin
              << ")\nhunspell: " << default_resource_paths().hunspell << "\n";
    return kExitOk;
  }
  const std::string command = vm.count("command") ? vm["command"].as<std::string>() : "";
  // Each command's options; any other option given is an error, whatever the mode.
  const std::map<std::string, std::vector<const po::options_description*>> commands = {
      {"clean", {&clean, &common}},      {"apply", {&clean, &common}}, {"score", {&clean, &common}},
      {"serve", {&serve_opts, &common}}, {"stages", {&common}},        {"config", {&config_opts, &common}}};
  const auto found = commands.find(command);
  if (vm.count("help") || command.empty()) {
    if (found == commands.end()) {
      std::cout << kUsage << "\n" << common << "\n" << clean << "\n" << serve_opts << "\n" << config_opts;
    } else {
      std::cout << "Usage: " << kCommandUsage.at(command) << "\n\n";
      for (const auto* group : found->second) std::cout << *group << "\n";
    }
    return vm.count("help") ? kExitOk : kExitUsage;
  }
  if (found == commands.end()) {
    throw po::error("unknown command '" + command + "' (clean, apply, score, serve, stages, config)");
  }
  for (const auto& [name, value] : vm) {
    if (value.defaulted() || name == "command" || name == "inputs") continue;
    const bool allowed = std::any_of(found->second.begin(), found->second.end(),
                                     [&](const auto* group) { return group->find_nothrow(name, false) != nullptr; });
    if (!allowed) throw po::error("--" + name + " is not an option of `copydesk " + command + "`");
  }
  if (vm.count("inputs") && command != "clean" && command != "apply" && command != "score") {
    throw po::error("`copydesk " + command + "` takes no FILE arguments");
  }
  // Values are checked whatever the mode: `--color sometimes` is an error even without --diff.
  const std::string color = vm["color"].as<std::string>();
  if (color != "auto" && color != "always" && color != "never")
    throw po::error("--color must be auto, always or never");
  const std::string on_error = vm["on-error"].as<std::string>();
  if (on_error != "fail" && on_error != "skip" && on_error != "pass") {
    throw po::error("--on-error must be fail, skip or pass");
  }
  if (vm.count("threads")) parse_threads(vm["threads"].as<std::string>(), true);  // checked in every mode

  Config config = default_config();
  if (vm.count("config")) load_config_file(vm["config"].as<std::string>(), config);
  if (vm.count("dictionaries")) config.paths.dictionaries = vm["dictionaries"].as<std::string>();
  if (vm.count("hunspell")) config.paths.hunspell = vm["hunspell"].as<std::string>();
  if (vm.count("names")) {
    for (const auto& file : vm["names"].as<std::vector<std::string>>()) config.paths.extra_names.push_back(file);
  }

  if (command == "config") {
    if (!vm["default"].as<bool>()) throw po::error("config: use `copydesk config --default`");
    std::cout << default_config_toml();
    return kExitOk;
  }
  Resources resources(config.paths);
  if (command == "stages") return cmd_stages(resources);
  const std::vector<std::string> only =
      split_list(vm.count("only") ? vm["only"].as<std::vector<std::string>>() : std::vector<std::string>{});
  const std::vector<std::string> skip =
      split_list(vm.count("skip") ? vm["skip"].as<std::vector<std::string>>() : std::vector<std::string>{});
  if (command == "serve") {
    if (!vm.count("port")) throw po::error("serve needs --port PORT");
    select_stages(config, only, skip);
    ServeOptions serve_options;
    serve_options.port = vm["port"].as<unsigned>();
    if (serve_options.port > 65535) throw po::error("--port must be at most 65535");
    serve_options.host = vm["host"].as<std::string>();
    serve_options.max_request_bytes = vm["max-request-bytes"].as<std::size_t>();
    serve_options.threads = vm.count("threads") ? parse_threads(vm["threads"].as<std::string>(), vm["quiet"].as<bool>())
                                                : std::max(1u, std::thread::hardware_concurrency());
    serve_options.quiet = vm["quiet"].as<bool>();
    serve_options.version = COPYDESK_VERSION;
    return serve(config, serve_options);
  }

  CleanOptions o;
  if (vm.count("inputs")) o.inputs = vm["inputs"].as<std::vector<std::string>>();
  if (o.inputs.empty()) o.inputs.push_back("-");
  if (vm.count("output")) o.output = vm["output"].as<std::string>();
  if (vm.count("out-dir")) o.out_dir = vm["out-dir"].as<std::string>();
  if (vm.count("changes")) o.changes = vm["changes"].as<std::string>();
  if (vm.count("errors")) o.errors = vm["errors"].as<std::string>();
  if (vm.count("report")) o.report = vm["report"].as<std::string>();
  o.apply = command == "apply";
  o.batch_evidence = vm["batch-evidence"].as<bool>();
  if (o.apply != (vm.count("reject") > 0)) throw po::error("--reject goes with `copydesk apply`, and `apply` needs it");
  if (o.apply)
    for (const auto& file : vm["reject"].as<std::vector<std::string>>())
      merge_rejections(o.rejections, parse_rejections(read_document(file)));
  o.in_place = vm["in-place"].as<bool>();
  o.diff = vm["diff"].as<bool>();
  o.check = vm["check"].as<bool>();
  o.quiet = vm["quiet"].as<bool>();
  o.jsonl = vm["jsonl"].as<bool>();
  o.run.lossy = vm["lossy"].as<bool>();
  o.run.keep_stage_inputs = o.diff || !o.changes.empty() || !o.report.empty() || o.apply;
  o.color = o.diff && use_color(color);
  o.record.text_field = vm["text-field"].as<std::string>();
  o.record.changes_inline = vm["changes-inline"].as<bool>();
  o.score_only = o.record.score_only = command == "score";
  o.record.quality_features = vm["features"].as<bool>();
  if (o.score_only && (destinations_given(vm) || o.diff || o.check || !o.report.empty() || !o.changes.empty() ||
                       vm.count("min-quality"))) {
    throw po::error("`score` writes only scores to standard output");
  }
  if (o.score_only) o.run.keep_stage_inputs = false;
  o.record.run = o.run;
  if (on_error == "fail") {
    o.on_error = OnError::kFail;
  } else if (on_error == "skip") {
    o.on_error = OnError::kSkip;
  }
  o.threads = vm.count("threads") ? parse_threads(vm["threads"].as<std::string>(), vm["quiet"].as<bool>())
                                  : std::clamp(std::thread::hardware_concurrency(), 1u, max_threads());
  if (vm.count("include")) o.filter.include = vm["include"].as<std::vector<std::string>>();
  if (vm.count("exclude")) o.filter.exclude = vm["exclude"].as<std::vector<std::string>>();

  const int destinations = !o.output.empty() + !o.out_dir.empty() + o.in_place;
  if (destinations > 1) throw po::error("-o, --out-dir and --in-place exclude one another");
  if (o.jsonl) {
    if (!o.out_dir.empty() || o.in_place) throw po::error("--jsonl writes one stream: use -o FILE or standard output");
    if (o.diff || !o.changes.empty()) throw po::error("with --jsonl, use --changes-inline for the edits");
    if (!o.report.empty() || o.apply) throw po::error("--report and apply work on files, not --jsonl streams");
  } else {
    if (o.record.changes_inline || vm.count("errors")) throw po::error("--changes-inline and --errors go with --jsonl");
    if (!o.output.empty() && (o.inputs.size() > 1 || std::filesystem::is_directory(o.inputs.front()))) {
      throw po::error("-o takes one input; use --out-dir for several");
    }
  }
  const bool reads_stdin = std::find(o.inputs.begin(), o.inputs.end(), "-") != o.inputs.end();
  if (reads_stdin && o.batch_evidence) throw po::error("--batch-evidence reads its inputs twice: give FILEs");
  if (reads_stdin && (o.in_place || !o.out_dir.empty())) {
    throw po::error("--in-place and --out-dir need FILE inputs, not standard input");
  }
  if (o.changes == "-" && !o.check && !o.diff && destinations == 0) {
    throw po::error("--changes - would mix the log with the text on standard output");
  }
  if (o.changes == "-" && o.diff) throw po::error("--diff and --changes - would both write to standard output");
  check_output_paths(o);
  if (!o.out_dir.empty()) {
    std::error_code ec;
    fs::create_directories(o.out_dir, ec);
    if (ec) throw Error("--out-dir " + o.out_dir + ": " + ec.message());
  }

  select_stages(config, only, skip);
  std::optional<Workers> workers;
  try {
    workers.emplace(config, o.threads);
  } catch (const Error& e) {
    std::cerr << "copydesk: " << e.what() << "\n";
    return kExitResources;
  }
  if (o.apply || !o.report.empty()) o.config_hash = config_fingerprint(COPYDESK_VERSION, config.stages, config.paths);
  if (o.apply && !check_apply_inputs(o)) return kExitUsage;
  workers->set_rules(config.rules);  // a bad rule id: usage error
  if (o.batch_evidence) share_batch_evidence(o, *workers);
  try {
    const bool quality = o.score_only || vm["quality"].as<bool>();
    workers->quality = std::make_unique<QualityRun>(
        quality, vm.count("min-quality") ? vm["min-quality"].as<double>() : -1.0,
        vm.count("low-quality") ? vm["low-quality"].as<std::string>() : std::string(), o.jsonl);
    if (workers->quality->enabled() && o.in_place && vm.count("min-quality")) {
      throw po::error("--min-quality routes documents: use --out-dir or -o, not --in-place");
    }
    workers->quality->set_threads(o.threads);
    workers->quality->set_all_signals(o.record.quality_features);
    workers->scorer(0);  // a missing model file is reported before any input is read
  } catch (const Error& e) {
    std::cerr << "copydesk: " << e.what() << "\n";
    return vm.count("min-quality") || vm.count("low-quality") ? kExitUsage : kExitResources;
  }
  return o.jsonl ? clean_jsonl(o, *workers, config.stages) : clean_files(o, *workers, config.stages);
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  use_flat_heap();  // peak memory of long streams (pipeline/resources.h)
  remove_temporaries_on_signal();
  try {
    return run(argc, argv);
  } catch (const OutputError& e) {
    std::cerr << "copydesk: " << e.what() << "\n";
    return kExitInput;
  } catch (const po::error& e) {
    std::cerr << "copydesk: " << e.what() << " (copydesk --help)\n";
    return kExitUsage;
  } catch (const Error& e) {
    std::cerr << "copydesk: " << e.what() << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "copydesk: internal error: " << e.what() << "\n";
    return 70;
  }
}
