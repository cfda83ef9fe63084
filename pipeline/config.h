// copydesk's configuration: which stages run, in which order, and where the
// dictionaries are. Read from a TOML file; `copydesk config --default` prints
// the default, which documents every key.
#pragma once

#include <string>
#include <vector>

#include "pipeline/resources.h"
#include "pipeline/rules.h"

namespace copydesk {

struct Config {
  std::vector<std::string> stages;  // run in this order; default: every stage
  ResourcePaths paths;              // default: default_resource_paths()
  RuleOptions rules;                // [rules]: disabled rules, protected words and patterns
};

Config default_config();

// The default configuration as commented TOML.
std::string default_config_toml();

// Reads a TOML file over `config`. Throws Error with the file, line and cause
// for a syntax error, an unknown key or an unknown stage name.
void load_config_file(const std::string& path, Config& config);

// Applies --only (keep just these, in default order) and --skip (drop these
// stages; a STAGE/RULE entry disables that rule only). Throws Error for an
// unknown stage name.
void select_stages(Config& config, const std::vector<std::string>& only, const std::vector<std::string>& skip);

}  // namespace copydesk
