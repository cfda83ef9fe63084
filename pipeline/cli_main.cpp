// The copydesk command: argument parsing and file handling over the library.
// Exit codes: 0 done (--check: nothing to change), 1 --check: changes would be
// made, 2 bad usage or configuration, 3 an input could not be read or cleaned
// (the others still were), 4 a dictionary is missing or malformed.

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
#include "server/server.h"
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
    "  copydesk serve --port PORT             serve the HTTP JSON API (POST /clean, GET /stages, GET /health)\n"
    "  copydesk stages                        list the stages in order, with their rules\n"
    "  copydesk config --default              print the default configuration (TOML)\n"
    "  copydesk --help | --version\n"
    "\n"
    "Exit codes: 0 done (with --check: nothing to change); 1 --check found changes to make;\n"
    "2 bad usage or configuration; 3 an input could not be read or cleaned (invalid UTF-8,\n"
    "binary, missing file; the other inputs are still processed); 4 a dictionary is missing.\n"
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
  InputFilter filter;   // --include / --exclude for folder inputs
  RunOptions run;
};

// One pipeline per worker thread, each with its own Resources (Hunspell is not
// thread-safe). Built before any input is read, so a missing dictionary is
// reported first.
struct Workers {
  std::vector<std::unique_ptr<Resources>> resources;
  std::vector<Pipeline> pipelines;
};

Workers make_workers(const Config& config, unsigned threads) {
  Workers w;
  for (unsigned i = 0; i < threads; ++i) {
    w.resources.push_back(std::make_unique<Resources>(config.paths));
    w.pipelines.push_back(Pipeline::build(config.stages, *w.resources.back()));
    w.resources.back()->lexicon();
    w.resources.back()->names();
  }
  return w;
}

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
        const auto record = nlohmann::json::parse(line, nullptr, false);
        if (!record.is_object()) continue;
        const auto field = record.find(o.record.text_field);
        if (field != record.end() && field->is_string()) evidence.collect(field->get_ref<const std::string&>());
      }
    }
  } else {
    for (const auto& file : expand_inputs(o.inputs, o.filter)) {
      try {
        const std::string text = read_document(file.path);
        if (valid_utf8(text)) evidence.collect(text);
      } catch (const Error&) {
        // reported by the cleaning pass
      }
    }
  }
  const auto shared = std::make_shared<const NameEvidence>(std::move(evidence));
  for (auto& pipeline : workers.pipelines) {
    for (const auto& stage : pipeline.stages()) {
      if (auto* names = dynamic_cast<NamesStage*>(stage.get())) names->set_batch_evidence(shared);
    }
  }
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
    put(std::string(first_ ? "" : ",\n") + document.dump(1));
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
      std::cout << text;
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
  const std::vector<InputFile> files = expand_inputs(o.inputs, o.filter);
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
      out.result = workers.pipelines[worker].run(out.original, o.run);
    } catch (const Error& e) {
      out.error = e.what();
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
        std::cout << text;
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
        std::cout << result.text;
      }
    } catch (const Error& e) {
      progress.finish();
      std::cerr << "copydesk: " << label << ": " << e.what() << "\n";
      ++totals.errors;
      status = kExitInput;
    }
  };
  run_ordered<FileJob, FileOut>(o.threads, 4 * o.threads, next, work, emit);
  std::cout.flush();
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
  auto write_out = [&](const std::string& text) {
    if (o.check) return;
    if (out_file) {
      out_file->write(text);
    } else {
      std::cout << text;
    }
  };
  auto write_error = [&](const std::string& text) {
    if (errors_file) {
      errors_file->write(text);
    } else {
      progress.finish();
      std::cerr << text;
    }
  };

  std::size_t input_index = 0;
  std::unique_ptr<std::ifstream> file;
  std::istream* in = nullptr;
  std::string source;
  std::size_t number = 0;
  bool stop = false;
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
    out.outcome = clean_jsonl_record(workers.pipelines[worker], out.line, o.record);
    return out;
  };
  auto emit = [&](LineOut& out) {
    progress.add(out.line.size());
    const JsonlOutcome& r = out.outcome;
    if (!r.error.empty()) {
      ++totals.errors;
      nlohmann::ordered_json e;
      e["file"] = out.source == "-" ? "<stdin>" : out.source;
      e["line"] = out.number;
      e["error"] = r.error;
      e["input"] = to_valid_utf8(out.line);  // every rejected record is kept, even with bad bytes
      write_error(e.dump() + "\n");
      if (o.on_error == OnError::kPass) write_out(out.line + "\n");
      if (o.on_error == OnError::kFail) {
        stop = true;
        status = kExitInput;
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
  std::cout.flush();
  progress.finish();
  if (status == kExitInput && o.on_error == OnError::kFail) {
    std::cerr << "copydesk: stopped at the first bad record (--on-error=fail); no output file was written\n";
    return status;  // the AtomicOutputs are dropped: nothing half-written
  }
  if (out_file) out_file->commit();
  if (errors_file) errors_file->commit();
  if (!o.quiet) print_summary(stages, totals, progress);
  if (status != kExitOk) return status;
  if (totals.errors > 0 && o.on_error != OnError::kPass) return kExitInput;
  return o.check && totals.any_change ? kExitWouldChange : kExitOk;
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
      "threads,j", po::value<unsigned>()->value_name("N"), "worker threads (default: all cores)")(
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
      "errors", text("FILE"), "with --jsonl: write rejected records (file, line, error, input) to FILE")(
      "report", text("FILE"), "write the HTML review page of every document to FILE")(
      "batch-evidence", po::bool_switch(),
      "names: a name's canonical form in any input counts as evidence in all (reads FILE inputs twice)")(
      "reject", text("FILE"), "with `apply`: the rejected-ids file exported from the review page");
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
      {"clean", {&clean, &common}},
      {"apply", {&clean, &common}},
      {"serve", {&serve_opts, &common}},
      {"stages", {&common}},
      {"config", {&config_opts, &common}}};
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
    throw po::error("unknown command '" + command + "' (clean, apply, serve, stages, config)");
  }
  for (const auto& [name, value] : vm) {
    if (value.defaulted() || name == "command" || name == "inputs") continue;
    const bool allowed = std::any_of(found->second.begin(), found->second.end(),
                                     [&](const auto* group) { return group->find_nothrow(name, false) != nullptr; });
    if (!allowed) throw po::error("--" + name + " is not an option of `copydesk " + command + "`");
  }
  if (vm.count("inputs") && command != "clean" && command != "apply") {
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
  if (vm.count("threads") && vm["threads"].as<unsigned>() == 0) throw po::error("--threads must be at least 1");

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
    serve_options.threads =
        vm.count("threads") ? vm["threads"].as<unsigned>() : std::max(1u, std::thread::hardware_concurrency());
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
  if (o.apply) o.rejections = parse_rejections(read_document(vm["reject"].as<std::string>()));
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
  o.record.run = o.run;
  if (on_error == "fail") {
    o.on_error = OnError::kFail;
  } else if (on_error == "skip") {
    o.on_error = OnError::kSkip;
  }
  o.threads = vm.count("threads") ? vm["threads"].as<unsigned>() : std::max(1u, std::thread::hardware_concurrency());
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
  if (!o.out_dir.empty()) {
    std::error_code ec;
    fs::create_directories(o.out_dir, ec);
    if (ec) throw Error("--out-dir " + o.out_dir + ": " + ec.message());
  }

  select_stages(config, only, skip);
  Workers workers;
  try {
    workers = make_workers(config, o.threads);
  } catch (const Error& e) {
    std::cerr << "copydesk: " << e.what() << "\n";
    return kExitResources;
  }
  for (auto& pipeline : workers.pipelines) pipeline.set_rules(config.rules);  // a bad rule id: usage error
  if (o.batch_evidence) share_batch_evidence(o, workers);
  return o.jsonl ? clean_jsonl(o, workers, config.stages) : clean_files(o, workers, config.stages);
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  try {
    return run(argc, argv);
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
