#include "pipeline/dictionary.h"

#include <fstream>
#include <sstream>

#include "pipeline/error.h"
#include "pipeline/text.h"

namespace copydesk {

namespace {
std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}
}  // namespace

std::vector<DictionaryLine> read_dictionary(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error("cannot read dictionary file '" + path +
                "': it does not exist or is not readable (set --dictionaries DIR or COPYDESK_DICTIONARIES "
                "to the folder that holds copydesk's dictionaries/)");
  }
  std::vector<DictionaryLine> entries;
  std::string raw;
  std::size_t number = 0;
  while (std::getline(in, raw)) {
    ++number;
    std::size_t bad = 0;
    if (!valid_utf8(raw, &bad)) {
      throw Error(path + ":" + std::to_string(number) + ": invalid UTF-8 at byte " + std::to_string(bad + 1) +
                  " of the line; dictionary files must be UTF-8");
    }
    const auto text = trim(raw);
    if (text.empty() || text.front() == '#') continue;
    entries.push_back({std::string(text), number});
  }
  return entries;
}

}  // namespace copydesk
