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
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "pipeline/changelog.h"
#include "pipeline/config.h"
#include "pipeline/diff.h"
#include "pipeline/error.h"
#include "pipeline/inputs.h"
#include "pipeline/io.h"
#include "pipeline/jsonl.h"
#include "pipeline/parallel.h"
#include "pipeline/pipeline.h"
#include "pipeline/progress.h"
#include "pipeline/registry.h"
#include "pipeline/report.h"
#include "pipeline/review.h"
#include "pipeline/text.h"
#include "stages/names.h"

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
    "  copydesk stages                        list the stages in order, with their rules\n"
    "  copydesk config --default              print the default configuration (TOML)\n"
    "  copydesk --help | --version\n"
    "\n"
    "Exit codes: 0 done (with --check: nothing to change); 1 --check found changes to make;\n"
    "2 bad usage or configuration (also: an output that is an input or another output);\n"
    "3 an input could not be read or cleaned (invalid UTF-8, binary, missing file; the other\n"
    "inputs are still processed), or an output could not be written; 4 a dictionary is missing.\n";

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
  std::string report;           // --report: the HTML review page
  bool apply = false;           // `copydesk apply`: leave out the edits named in `rejections`
  bool batch_evidence = false;  // names: what one document writes is evidence for all
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
  RunOptions run;
};

// One pipeline per worker thread, each with its own Resources (Hunspell is not
// thread-safe). The first is built before any input is read, so a missing
// dictionary is reported first; the others on their thread's first document,
// so idle threads cost nothing. get(w) is called by worker w only.
class Workers {
 public:
  Workers(const Config& config, unsigned threads) : config_(config), resources_(threads), pipelines_(threads) {
    get(0);
  }
  Pipeline& get(unsigned w) {
    if (!pipelines_[w]) {
      resources_[w] = std::make_unique<Resources>(config_.paths);
      pipelines_[w].emplace(Pipeline::build(config_.stages, *resources_[w]));
      resources_[w]->lexicon();
      resources_[w]->names();
      if (evidence_) share_with(*pipelines_[w]);
    }
    return *pipelines_[w];
  }
  void share(std::shared_ptr<const NameEvidence> evidence) {
    evidence_ = std::move(evidence);
    for (auto& p : pipelines_) {
      if (p) share_with(*p);
    }
  }

 private:
  void share_with(Pipeline& pipeline) {
    for (const auto& stage : pipeline.stages()) {
      if (auto* names = dynamic_cast<NamesStage*>(stage.get())) names->set_batch_evidence(evidence_);
    }
  }
  Config config_;
  std::vector<std::unique_ptr<Resources>> resources_;
  std::vector<std::optional<Pipeline>> pipelines_;
  std::shared_ptr<const NameEvidence> evidence_;
};

// --batch-evidence: a first pass over every input collects the names stage's
// evidence (canonical-looking forms), which then counts in every document.
// Inputs are read twice, so standard input is not allowed.
void share_batch_evidence(const CleanOptions& o, Workers& workers) {
  NameEvidence evidence;
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
            evidence.collect(text);
          }
        }
      }
    }
  } else {
    for (const auto& file : expand_inputs(o.inputs)) {
      try {
        const std::string text = read_document(file.path);
        if (valid_utf8(text)) evidence.collect(text);
      } catch (const Error&) {
        // reported by the cleaning pass
      }
    }
  }
  workers.share(std::make_shared<const NameEvidence>(std::move(evidence)));
}

// Totals for the closing summary line.
struct Totals {
  std::vector<std::size_t> changes;  // per stage
  std::size_t flags = 0;
  std::size_t errors = 0;
  bool any_change = false;
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

struct FileJob {
  InputFile file;
  std::string content;  // standard input is read by the producer
};

struct FileOut {
  InputFile file;
  std::string original;
  Result result;
  std::string error;
};

int clean_files(const CleanOptions& o, Workers& workers, const std::vector<std::string>& stages) {
  const std::vector<InputFile> files = expand_inputs(o.inputs);
  std::size_t total_bytes = 0;
  for (const auto& f : files) total_bytes += known_size(f.path);
  Progress progress(!o.quiet && isatty(STDERR_FILENO), total_bytes);
  Totals totals;
  totals.changes.assign(stages.size(), 0);
  ChangeLog log(o.changes);
  std::unique_ptr<ReportWriter> report;
  if (!o.report.empty()) report = std::make_unique<ReportWriter>(std::string("copydesk ") + COPYDESK_VERSION);
  std::set<std::string> out_names;
  int status = kExitOk;

  std::size_t next_file = 0;
  auto next = [&]() -> std::optional<FileJob> {
    if (next_file == files.size()) return std::nullopt;
    FileJob job{files[next_file++], {}};
    if (job.file.path == "-") job.content = read_document("-");
    return job;
  };
  auto work = [&](unsigned worker, FileJob& job) -> FileOut {
    FileOut out{job.file, {}, {}, {}};
    try {
      out.original = job.file.path == "-" ? std::move(job.content) : read_document(job.file.path);
      out.result = workers.get(worker).run(out.original, o.run);
    } catch (const Error& e) {
      out.error = e.what();
    } catch (const std::exception& e) {  // e.g. out of memory: this document only
      out.error = std::string("cannot be cleaned (") + e.what() + ")";
    }
    return out;
  };
  auto emit = [&](FileOut& out) {
    const std::string label = out.file.path == "-" ? "<stdin>" : out.file.path;
    progress.add(out.original.size());
    try {
      if (!out.error.empty()) throw Error(out.error);
      Result& result = out.result;
      if (report) report->add(label, result);
      if (o.apply) {
        ReviewOutcome review = apply_review(result, rejections_for(o.rejections, label));
        for (const auto& id : review.unknown) {
          std::cerr << "copydesk: " << label << ": rejected id " << id << " names no edit of this run\n";
        }
        if (!review.skipped.empty() && !o.quiet) {
          std::cerr << "copydesk: " << label << ": skipped (they depend on rejected edits):";
          for (const auto& id : review.skipped) std::cerr << ' ' << id;
          std::cerr << '\n';
        }
        result.text = std::move(review.text);
      }
      for (std::size_t i = 0; i < result.stages.size(); ++i) {
        for (const auto& e : result.stages[i].edits) totals.changes[i] += e.kind == EditKind::kChange;
      }
      totals.flags += result.flags();
      if (log.enabled()) log.add(changes_to_json(label, out.original, result));
      if (o.diff) {
        std::string text;
        const DiffStyle style{o.color};
        for (const auto& run : result.stages) render_stage_diff(text, label, run.stage, run.input, run.edits, style);
        put_stdout(text);
      }
      const std::size_t n = result.changes();
      if (n > 0) totals.any_change = true;
      if (o.check) {
        if (n > 0 && !o.quiet) {
          progress.finish();
          std::cerr << "would change: " << label << " (" << n << (n == 1 ? " edit)\n" : " edits)\n");
        }
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
  if (report) {
    std::ostringstream html;
    report->finish(html);
    write_file_atomic(o.report, html.str());
  }
  progress.finish();
  if (!o.quiet && files.size() > 1) print_summary(stages, totals, progress);
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
      out.outcome = clean_jsonl_record(workers.get(worker), out.line, o.record);
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
    write_out(r.record + "\n");
  };
  run_ordered<LineJob, LineOut>(o.threads, 64 * o.threads, next, work, emit);
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
  if (!o.quiet) print_summary(stages, totals, progress);
  if (status != kExitOk) return status;
  if (totals.errors > 0 && o.on_error != OnError::kPass) return kExitInput;
  return o.check && totals.any_change ? kExitWouldChange : kExitOk;
}

// At most four worker threads per core (each holds its own dictionaries, tens
// of MB), and never more than 256.
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
  po::options_description general("Options");
  general.add_options()("help,h", "show this help")("version", "print the version")(
      "output,o", po::value<std::string>(), "write the cleaned text to FILE (one input)")(
      "in-place,i", po::bool_switch(), "rewrite each input FILE with its cleaned text")(
      "out-dir", po::value<std::string>(), "write each cleaned FILE into DIR under its own name")(
      "diff", po::bool_switch(),
      "print per-stage diffs to standard output instead of the text "
      "(the text still goes to -o/--out-dir/--in-place if given)")(
      "color", po::value<std::string>()->default_value("auto"), "diff colours: auto, always or never")(
      "changes", po::value<std::string>(), "write the JSON change log of every edit to FILE (- for stdout)")(
      "check", po::bool_switch(), "change nothing; exit 1 if any change would be made")(
      "only", po::value<std::vector<std::string>>()->composing(),
      "run only these stages (comma-separated, repeatable)")("skip", po::value<std::vector<std::string>>()->composing(),
                                                             "do not run these stages")(
      "config", po::value<std::string>(), "read the configuration from this TOML file")(
      "dictionaries", po::value<std::string>(),
      "folder of copydesk's data files (default: $COPYDESK_DICTIONARIES or the built-in)")(
      "hunspell", po::value<std::string>(),
      "folder with Hunspell's en_US and en_GB .aff/.dic (default: /usr/share/hunspell)")(
      "names", po::value<std::vector<std::string>>()->composing(),
      "an extra names file (format of dictionaries/names.txt); repeatable")(
      "lossy", po::bool_switch(), "replace invalid UTF-8 bytes with U+FFFD (logged) instead of rejecting the input")(
      "jsonl", po::bool_switch(), "read and write JSON Lines records ({\"id\": ..., \"text\": ...}), one per line")(
      "text-field", po::value<std::string>()->default_value("text"), "with --jsonl: the field holding the article")(
      "changes-inline", po::bool_switch(), "with --jsonl: add each record's edits as \"copydesk_edits\"")(
      "on-error", po::value<std::string>()->default_value("pass"),
      "with --jsonl, a record that cannot be cleaned: fail (stop, exit 3), skip (leave it out) or pass (copy it "
      "unchanged); it always goes to the error output")(
      "errors", po::value<std::string>(),
      "with --jsonl: write rejected records (file, line, error, input) to FILE, "
      "not standard error")("threads,j", po::value<std::string>(),
                            "worker threads, 4 per core at most (default: all cores); output order is kept")(
      "report", po::value<std::string>(), "write the HTML review page of every document to FILE")(
      "batch-evidence", po::bool_switch(),
      "names: a name's canonical form in any input counts as evidence in all "
      "(reads FILE inputs twice)")("reject", po::value<std::string>(),
                                   "with `apply`: the rejected-ids file exported from the review page")(
      "quiet,q", po::bool_switch(), "no messages on standard error but errors")(
      "default", po::bool_switch(), "with `config`: print the default configuration");
  po::options_description hidden;
  hidden.add_options()("command", po::value<std::string>())("inputs", po::value<std::vector<std::string>>());
  po::options_description all;
  all.add(general).add(hidden);
  po::positional_options_description positional;
  positional.add("command", 1).add("inputs", -1);

  po::variables_map vm;
  po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
  po::notify(vm);

  if (vm.count("version")) {
    std::cout << "copydesk " << COPYDESK_VERSION << "\n";
    return kExitOk;
  }
  if (vm.count("help") || !vm.count("command")) {
    std::cout << kUsage << "\n" << general;
    return vm.count("help") ? kExitOk : kExitUsage;
  }
  const std::string command = vm["command"].as<std::string>();

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
  if (command != "clean" && command != "apply") {
    throw po::error("unknown command '" + command + "' (clean, apply, stages, config)");
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
  if (o.apply) o.rejections = parse_rejections(read_document(vm["reject"].as<std::string>()));
  o.in_place = vm["in-place"].as<bool>();
  o.diff = vm["diff"].as<bool>();
  o.check = vm["check"].as<bool>();
  o.quiet = vm["quiet"].as<bool>();
  o.jsonl = vm["jsonl"].as<bool>();
  o.run.lossy = vm["lossy"].as<bool>();
  o.run.keep_stage_inputs = o.diff || !o.changes.empty() || !o.report.empty() || o.apply;
  o.color = o.diff && use_color(vm["color"].as<std::string>());
  o.record.text_field = vm["text-field"].as<std::string>();
  o.record.changes_inline = vm["changes-inline"].as<bool>();
  o.record.run = o.run;
  const std::string on_error = vm["on-error"].as<std::string>();
  if (on_error == "fail") {
    o.on_error = OnError::kFail;
  } else if (on_error == "skip") {
    o.on_error = OnError::kSkip;
  } else if (on_error != "pass") {
    throw po::error("--on-error must be fail, skip or pass");
  }
  o.threads = vm.count("threads") ? parse_threads(vm["threads"].as<std::string>(), vm["quiet"].as<bool>())
                                  : std::clamp(std::thread::hardware_concurrency(), 1u, max_threads());

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

  select_stages(config,
                split_list(vm.count("only") ? vm["only"].as<std::vector<std::string>>() : std::vector<std::string>{}),
                split_list(vm.count("skip") ? vm["skip"].as<std::vector<std::string>>() : std::vector<std::string>{}));
  std::optional<Workers> workers;
  try {
    workers.emplace(config, o.threads);
  } catch (const Error& e) {
    std::cerr << "copydesk: " << e.what() << "\n";
    return kExitResources;
  }
  if (o.batch_evidence) share_batch_evidence(o, *workers);
  return o.jsonl ? clean_jsonl(o, *workers, config.stages) : clean_files(o, *workers, config.stages);
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
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
