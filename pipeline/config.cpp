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
       "names = []\n";
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

void load_config_file(const std::string& path, Config& config) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    throw Error(path + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) + ": " +
                std::string(e.description()));
  }
  reject_unknown_keys(root, {"pipeline", "resources"}, path, "");
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
}

void select_stages(Config& config, const std::vector<std::string>& only, const std::vector<std::string>& skip) {
  for (const auto& n : only) check_stage(n, "--only: ");
  for (const auto& n : skip) check_stage(n, "--skip: ");
  if (!only.empty()) {
    // --only may name a stage the config left out: the stages run in their default order.
    config.stages.clear();
    for (auto name : stage_names())
      if (std::find(only.begin(), only.end(), name) != only.end()) config.stages.emplace_back(name);
  }
  std::erase_if(config.stages,
                [&](const std::string& s) { return std::find(skip.begin(), skip.end(), s) != skip.end(); });
}

}  // namespace copydesk
