#include "pipeline/config.h"

#include <algorithm>
#include <sstream>

#include <toml++/toml.h>

#include "pipeline/error.h"
#include "pipeline/registry.h"

namespace copydesk {

Config default_config() {
  Config c;
  for (auto name : stage_names()) c.stages.emplace_back(name);
  c.paths = default_resource_paths();
  return c;
}

std::string default_config_toml() {
  std::ostringstream s;
  s << "# copydesk configuration. Use it with: copydesk clean --config FILE ...\n"
       "\n"
       "[pipeline]\n"
       "# The stages to run, in this order (`copydesk stages` describes them).\n"
       "# Remove a name to skip that stage; --only and --skip apply on top.\n"
       "stages = [";
  const auto& names = stage_names();
  for (std::size_t i = 0; i < names.size(); ++i) s << (i ? ", " : "") << '"' << names[i] << '"';
  s << "]\n"
       "\n"
       "[resources]\n"
       "# Folder of copydesk's own data files (boilerplate.txt, names.txt, words.txt...).\n"
       "# Empty: $COPYDESK_DICTIONARIES, or the dictionaries/ folder copydesk was built from.\n"
       "dictionaries = \"\"\n"
       "# Folder holding Hunspell's en_US and en_GB .aff/.dic (Debian: hunspell-en-us, hunspell-en-gb).\n"
       "# Empty: $COPYDESK_HUNSPELL, or /usr/share/hunspell.\n"
       "hunspell = \"\"\n"
       "# Extra names files, same format as dictionaries/names.txt, read after it\n"
       "# (--names FILE adds more).\n"
       "names = []\n"
       "\n"
       "[rules]\n"
       "# Rules whose edits are dropped, as STAGE/RULE (e.g. \"spelling/unsure\"); --skip STAGE/RULE adds more.\n"
       "disable = []\n"
       "# Words never changed: whole words, case-sensitive (e.g. a brand written your way).\n"
       "protect = []\n"
       "# Regular expressions (ICU syntax) whose matches are never changed.\n"
       "protect_patterns = []\n"
       "# Leave alone the lines from one holding \"copydesk: ignore-start\" to one holding\n"
       "# \"copydesk: ignore-end\" (or the end of the document).\n"
       "ignore_markers = true\n";
  return s.str();
}

namespace {

void check_stage(const std::string& name, const std::string& where) {
  if (!is_stage_name(name)) throw Error(where + "unknown stage '" + name + "' (copydesk stages lists them)");
}

void reject_unknown_keys(const toml::table& table, std::initializer_list<std::string_view> known,
                         const std::string& path, std::string_view section) {
  for (const auto& [key, node] : table) {
    if (std::find(known.begin(), known.end(), key.str()) == known.end()) {
      throw Error(path + ":" + std::to_string(node.source().begin.line) + ": unknown key '" + std::string(section) +
                  std::string(section.empty() ? "" : ".") + std::string(key.str()) +
                  "' (copydesk config --default shows every key)");
    }
  }
}

}  // namespace

void load_rules(const toml::table& root, const std::string& path, RuleOptions& rules);

void load_config_file(const std::string& path, Config& config) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    throw Error(path + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) + ": " +
                std::string(e.description()));
  }
  reject_unknown_keys(root, {"pipeline", "resources", "rules"}, path, "");
  if (const auto* pipeline = root["pipeline"].as_table()) {
    reject_unknown_keys(*pipeline, {"stages"}, path, "pipeline");
    if (const auto* node = pipeline->get("stages")) {
      const auto* array = node->as_array();
      const std::string where = path + ":" + std::to_string(node->source().begin.line) + ": ";
      if (!array) throw Error(where + "pipeline.stages must be an array of stage names");
      config.stages.clear();
      for (const auto& item : *array) {
        const auto name = item.value<std::string>();
        if (!name) throw Error(where + "pipeline.stages must hold strings");
        check_stage(*name, where);
        config.stages.push_back(*name);
      }
    }
  }
  if (const auto* resources = root["resources"].as_table()) {
    reject_unknown_keys(*resources, {"dictionaries", "hunspell", "names"}, path, "resources");
    if (auto dir = (*resources)["dictionaries"].value<std::string>(); dir && !dir->empty())
      config.paths.dictionaries = *dir;
    if (auto dir = (*resources)["hunspell"].value<std::string>(); dir && !dir->empty()) config.paths.hunspell = *dir;
    if (const auto* node = resources->get("names")) {
      const auto* array = node->as_array();
      const std::string where = path + ":" + std::to_string(node->source().begin.line) + ": ";
      if (!array) throw Error(where + "resources.names must be an array of file names");
      for (const auto& item : *array) {
        const auto file = item.value<std::string>();
        if (!file) throw Error(where + "resources.names must hold strings");
        config.paths.extra_names.push_back(*file);
      }
    }
  }
  load_rules(root, path, config.rules);
}

namespace {

std::vector<std::string> string_list(const toml::table& table, std::string_view key, const std::string& path,
                                     std::string_view section) {
  std::vector<std::string> out;
  const auto* node = table.get(key);
  if (!node) return out;
  const auto* array = node->as_array();
  const std::string where = path + ":" + std::to_string(node->source().begin.line) + ": " + std::string(section) + "." +
                            std::string(key) + " must be an array of strings";
  if (!array) throw Error(where);
  for (const auto& item : *array) {
    const auto value = item.value<std::string>();
    if (!value) throw Error(where);
    out.push_back(*value);
  }
  return out;
}

}  // namespace

void load_rules(const toml::table& root, const std::string& path, RuleOptions& rules) {
  const auto* table = root["rules"].as_table();
  if (!table) return;
  reject_unknown_keys(*table, {"disable", "protect", "protect_patterns", "ignore_markers"}, path, "rules");
  for (auto& id : string_list(*table, "disable", path, "rules")) {
    const auto [stage, rule] = split_rule_id(id);
    const std::string where = path + ":" + std::to_string(table->get("disable")->source().begin.line) + ": ";
    if (rule.empty()) throw Error(where + "rules.disable: '" + id + "' is not STAGE/RULE");
    check_stage(stage, where);
    rules.disable.push_back(std::move(id));
  }
  for (auto& w : string_list(*table, "protect", path, "rules")) rules.protect.push_back(std::move(w));
  for (auto& p : string_list(*table, "protect_patterns", path, "rules")) rules.protect_patterns.push_back(std::move(p));
  if (const auto* node = table->get("ignore_markers")) {
    const auto value = node->value<bool>();
    if (!value) {
      throw Error(path + ":" + std::to_string(node->source().begin.line) +
                  ": rules.ignore_markers must be true or false");
    }
    rules.ignore_markers = *value;
  }
}

void select_stages(Config& config, const std::vector<std::string>& only, const std::vector<std::string>& skip) {
  for (const auto& n : only) check_stage(n, "--only: ");
  std::vector<std::string> skip_stages;
  for (const auto& n : skip) {
    const auto [stage, rule] = split_rule_id(n);
    check_stage(stage, "--skip: ");
    if (n.find('/') == std::string::npos) {
      skip_stages.push_back(n);
    } else if (rule.empty()) {
      throw Error("--skip: '" + n + "' is not STAGE or STAGE/RULE");
    } else {
      config.rules.disable.push_back(n);
    }
  }
  if (!only.empty()) {
    // --only may name a stage the config left out: the stages run in their default order.
    config.stages.clear();
    for (auto name : stage_names())
      if (std::find(only.begin(), only.end(), name) != only.end()) config.stages.emplace_back(name);
  }
  std::erase_if(config.stages, [&](const std::string& s) {
    return std::find(skip_stages.begin(), skip_stages.end(), s) != skip_stages.end();
  });
}

}  // namespace copydesk
