// The copydesk command: argument parsing and file handling over the library.
// Exit codes: 0 done (--check: nothing to change), 1 --check: changes would be
// made, 2 bad usage or configuration, 3 an input could not be read or cleaned
// (the others still were), 4 a dictionary is missing or malformed.

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "pipeline/changelog.h"
#include "pipeline/config.h"
#include "pipeline/diff.h"
#include "pipeline/error.h"
#include "pipeline/io.h"
#include "pipeline/pipeline.h"
#include "pipeline/registry.h"

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
    "  copydesk clean [OPTIONS] [FILE...|-]   clean articles (standard input if no FILE)\n"
    "  copydesk stages                        list the stages in order, with their rules\n"
    "  copydesk config --default              print the default configuration (TOML)\n"
    "  copydesk --help | --version\n"
    "\n"
    "Exit codes: 0 done (with --check: nothing to change); 1 --check found changes to make;\n"
    "2 bad usage or configuration; 3 an input could not be read or cleaned (invalid UTF-8,\n"
    "binary, missing file; the other inputs are still processed); 4 a dictionary is missing.\n";

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

struct CleanOptions {
  std::vector<std::string> inputs;
  std::string output;
  std::string out_dir;
  std::string changes;
  bool in_place = false;
  bool diff = false;
  bool check = false;
  bool quiet = false;
  bool color = false;
  RunOptions run;
};

int clean(const CleanOptions& o, Pipeline& pipeline) {
  int status = kExitOk;
  bool would_change = false;
  nlohmann::json log = {{"copydesk", COPYDESK_VERSION}, {"documents", nlohmann::json::array()}};
  std::set<std::string> out_names;
  for (const auto& path : o.inputs) {
    const std::string label = path == "-" ? "<stdin>" : path;
    try {
      const std::string original = read_document(path);
      const Result result = pipeline.run(original, o.run);
      if (!o.changes.empty()) log["documents"].push_back(changes_to_json(label, original, result));
      if (o.diff) {
        std::string out;
        const DiffStyle style{o.color};
        for (const auto& run : result.stages) render_stage_diff(out, label, run.stage, run.input, run.edits, style);
        std::cout << out;
      }
      const std::size_t n = result.changes();
      if (o.check) {
        if (n > 0) {
          would_change = true;
          if (!o.quiet) std::cerr << "would change: " << label << " (" << n << (n == 1 ? " edit)\n" : " edits)\n");
        }
      } else if (o.in_place) {
        if (result.text != original) write_file_atomic(path, result.text);
      } else if (!o.out_dir.empty()) {
        const std::string name = fs::path(path).filename().string();
        if (!out_names.insert(name).second) throw Error("two inputs are both named '" + name + "' for --out-dir");
        write_file_atomic((fs::path(o.out_dir) / name).string(), result.text);
      } else if (!o.output.empty()) {
        write_file_atomic(o.output, result.text);
      } else if (!o.diff) {
        std::cout << result.text;
      }
    } catch (const Error& e) {
      std::cerr << "copydesk: " << label << ": " << e.what() << "\n";
      status = kExitInput;
    }
  }
  std::cout.flush();
  if (!o.changes.empty()) {
    const std::string json = log.dump(1) + "\n";
    if (o.changes == "-") {
      std::cout << json;
    } else {
      write_file_atomic(o.changes, json);
    }
  }
  if (status != kExitOk) return status;
  return would_change ? kExitWouldChange : kExitOk;
}

int run(int argc, char** argv) {
  po::options_description general("Options");
  general.add_options()
      ("help,h", "show this help")
      ("version", "print the version")
      ("output,o", po::value<std::string>(), "write the cleaned text to FILE (one input)")
      ("in-place,i", po::bool_switch(), "rewrite each input FILE with its cleaned text")
      ("out-dir", po::value<std::string>(), "write each cleaned FILE into DIR under its own name")
      ("diff", po::bool_switch(), "print per-stage diffs to standard output instead of the text "
                                  "(the text still goes to -o/--out-dir/--in-place if given)")
      ("color", po::value<std::string>()->default_value("auto"), "diff colours: auto, always or never")
      ("changes", po::value<std::string>(), "write the JSON change log of every edit to FILE (- for stdout)")
      ("check", po::bool_switch(), "change nothing; exit 1 if any change would be made")
      ("only", po::value<std::vector<std::string>>()->composing(), "run only these stages (comma-separated, repeatable)")
      ("skip", po::value<std::vector<std::string>>()->composing(), "do not run these stages")
      ("config", po::value<std::string>(), "read the configuration from this TOML file")
      ("dictionaries", po::value<std::string>(), "folder of copydesk's data files (default: $COPYDESK_DICTIONARIES or the built-in)")
      ("hunspell", po::value<std::string>(), "folder with Hunspell's en_US and en_GB .aff/.dic (default: /usr/share/hunspell)")
      ("names", po::value<std::vector<std::string>>()->composing(), "an extra names file (format of dictionaries/names.txt); repeatable")
      ("lossy", po::bool_switch(), "replace invalid UTF-8 bytes with U+FFFD (logged) instead of rejecting the input")
      ("quiet,q", po::bool_switch(), "no messages on standard error but errors")
      ("default", po::bool_switch(), "with `config`: print the default configuration");
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
  if (command != "clean") throw po::error("unknown command '" + command + "' (clean, stages, config)");

  CleanOptions o;
  if (vm.count("inputs")) o.inputs = vm["inputs"].as<std::vector<std::string>>();
  if (o.inputs.empty()) o.inputs.push_back("-");
  if (vm.count("output")) o.output = vm["output"].as<std::string>();
  if (vm.count("out-dir")) o.out_dir = vm["out-dir"].as<std::string>();
  if (vm.count("changes")) o.changes = vm["changes"].as<std::string>();
  o.in_place = vm["in-place"].as<bool>();
  o.diff = vm["diff"].as<bool>();
  o.check = vm["check"].as<bool>();
  o.quiet = vm["quiet"].as<bool>();
  o.run.lossy = vm["lossy"].as<bool>();
  o.run.keep_stage_inputs = o.diff || !o.changes.empty();
  o.color = o.diff && use_color(vm["color"].as<std::string>());

  const int destinations = !o.output.empty() + !o.out_dir.empty() + o.in_place;
  if (destinations > 1) throw po::error("-o, --out-dir and --in-place exclude one another");
  if (!o.output.empty() && o.inputs.size() > 1) throw po::error("-o takes one input; use --out-dir for several");
  const bool reads_stdin = std::find(o.inputs.begin(), o.inputs.end(), "-") != o.inputs.end();
  if (reads_stdin && (o.in_place || !o.out_dir.empty())) throw po::error("--in-place and --out-dir need FILE inputs, not standard input");
  if (o.changes == "-" && !o.check && !o.diff && destinations == 0) throw po::error("--changes - would mix the log with the text on standard output");
  if (!o.out_dir.empty()) {
    std::error_code ec;
    fs::create_directories(o.out_dir, ec);
    if (ec) throw Error("--out-dir " + o.out_dir + ": " + ec.message());
  }

  select_stages(config, split_list(vm.count("only") ? vm["only"].as<std::vector<std::string>>() : std::vector<std::string>{}),
                split_list(vm.count("skip") ? vm["skip"].as<std::vector<std::string>>() : std::vector<std::string>{}));
  Pipeline pipeline = [&] {
    try {
      Pipeline p = Pipeline::build(config.stages, resources);
      resources.lexicon();  // a missing dictionary is reported before any input is read
      resources.names();
      return p;
    } catch (const Error& e) {
      std::cerr << "copydesk: " << e.what() << "\n";
      std::exit(kExitResources);
    }
  }();
  return clean(o, pipeline);
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
