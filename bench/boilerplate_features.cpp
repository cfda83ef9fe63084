// Prints the boilerplate stage's model inputs for every line of some documents,
// for the training script (bench/boilerplate/train.py).
//
//   boilerplate_features DICTIONARY_DIR < docs.jsonl > features.jsonl
//
// Input: one JSON object a line with a "text" field. Output: one JSON object a
// line, {"features": [[...] or null, ...], "p": [...]}, one entry per line of
// the text (split at '\n'); null for a line the model does not score.
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "pipeline/config.h"
#include "pipeline/resources.h"
#include "stages/boilerplate.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: boilerplate_features DICTIONARY_DIR < docs.jsonl\n";
    return 2;
  }
  copydesk::ResourcePaths paths = copydesk::default_resource_paths();
  paths.dictionaries = argv[1];
  copydesk::Resources resources(paths);
  copydesk::BoilerplateStage stage(resources);
  std::string line;
  while (std::getline(std::cin, line)) {
    const auto doc = nlohmann::json::parse(line);
    const auto scores = stage.score_lines(doc.at("text").get<std::string>());
    nlohmann::json features = nlohmann::json::array();
    nlohmann::json p = nlohmann::json::array();
    for (const auto& s : scores) {
      features.push_back(s.features.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.features));
      p.push_back(s.p);
    }
    std::cout << nlohmann::json{{"features", features}, {"p", p}}.dump() << "\n";
  }
  return 0;
}
