#include "pipeline/lexicon.h"

#include <hunspell.hxx>

#include <fstream>

#include "pipeline/error.h"

namespace copydesk {

namespace {
void require_file(const std::string& path) {
  if (!std::ifstream(path)) {
    throw Error("cannot read Hunspell dictionary '" + path +
                "' (on Debian: apt-get install hunspell-en-us; or point --hunspell DIR at a folder with "
                "en_US.aff and en_US.dic)");
  }
}
// Hunspell stops at this length; longer tokens are never words.
constexpr std::size_t kMaxWordBytes = 100;
// The cache is cleared rather than grown without bound on endless streams.
constexpr std::size_t kMaxCacheEntries = 1 << 20;
}  // namespace

Lexicon::Lexicon(const std::string& aff_path, const std::string& dic_path) {
  require_file(aff_path);
  require_file(dic_path);
  hunspell_ = std::make_unique<Hunspell>(aff_path.c_str(), dic_path.c_str());
}

Lexicon::~Lexicon() = default;

bool Lexicon::known(std::string_view word) {
  ++lookups_;
  if (word.empty() || word.size() > kMaxWordBytes) return false;
  if (auto it = cache_.find(word); it != cache_.end()) {
    ++hits_;
    return it->second;
  }
  if (cache_.size() >= kMaxCacheEntries) cache_.clear();
  const bool ok = hunspell_->spell(std::string(word));
  cache_.emplace(std::string(word), ok);
  return ok;
}

void Lexicon::add_word(std::string_view word) {
  hunspell_->add(std::string(word));
  cache_.clear();
}

}  // namespace copydesk
