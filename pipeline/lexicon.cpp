#include "pipeline/lexicon.h"

#include <hunspell.hxx>

#include <fstream>

#include "pipeline/error.h"

namespace copydesk {

namespace {
void require_file(const std::string& path) {
  if (!std::ifstream(path)) {
    throw Error("cannot read Hunspell dictionary '" + path +
                "' (on Debian: apt-get install hunspell-en-us hunspell-en-gb; or point --hunspell DIR at a folder with "
                "en_US.aff/.dic and en_GB.aff/.dic)");
  }
}
// Hunspell stops at this length; longer tokens are never words.
constexpr std::size_t kMaxWordBytes = 100;
// The cache is cleared rather than grown without bound on endless streams.
constexpr std::size_t kMaxCacheEntries = 1 << 20;
}  // namespace

Lexicon::Lexicon(const std::vector<std::pair<std::string, std::string>>& dictionaries) {
  for (const auto& [aff, dic] : dictionaries) {
    require_file(aff);
    require_file(dic);
    hunspell_.push_back(std::make_unique<Hunspell>(aff.c_str(), dic.c_str()));
  }
  if (hunspell_.empty()) throw Error("no Hunspell dictionary given");
}

Lexicon::~Lexicon() = default;

bool Lexicon::known(std::string_view word) {
  ++lookups_;
  if (word.empty() || word.size() > kMaxWordBytes) return false;
  if (const bool* cached = cache_.find(word)) {
    ++hits_;
    return *cached;
  }
  if (cache_.size() >= kMaxCacheEntries) cache_.clear();
  word_.assign(word);
  bool ok = false;
  for (const auto& h : hunspell_) {
    if (h->spell(word_)) {
      ok = true;
      break;
    }
  }
  cache_.insert(word, ok);
  return ok;
}

const std::vector<std::string>& Lexicon::suggest(std::string_view word) {
  if (auto it = suggestions_.find(word); it != suggestions_.end()) return it->second;
  if (suggestions_.size() >= kMaxCacheEntries / 16) suggestions_.clear();
  std::vector<std::string> list;
  if (!word.empty() && word.size() <= kMaxWordBytes) list = hunspell_.front()->suggest(std::string(word));
  return suggestions_.emplace(std::string(word), std::move(list)).first->second;
}

void Lexicon::add_word(std::string_view word) {
  for (const auto& h : hunspell_) h->add(std::string(word));
  cache_.clear();
}

}  // namespace copydesk
