#include "pipeline/english_stats.h"

#include <charconv>
#include <fstream>
#include <map>
#include <mutex>

#include "pipeline/error.h"

namespace copydesk {

namespace {

bool parse_u64(std::string_view s, std::uint64_t& out) {
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size() && !s.empty();
}

}  // namespace

void EnglishStats::add(std::string_view form, WordStats stats) {
  std::string key(form);
  for (char& c : key)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  forms_.insert(key, stats);
}

// Smoothing: every form counts as if it had also been seen kPrior times at
// the corpus's average rates.
constexpr double kPrior = 20.0;

double EnglishStats::open_odds(std::string_view form) const {
  const double t = tokens_ > 0 ? static_cast<double>(tokens_) : 1.0;
  const double initial_rate = static_cast<double>(sentences_) / t;
  const double cap_rate = static_cast<double>(cap_mid_total_) / t;
  const WordStats* w = find(form);
  const double initial = w ? w->initial : 0.0;
  const double cap_mid = w ? w->cap_mid : 0.0;
  return (initial + kPrior * initial_rate) / (cap_mid + kPrior * cap_rate + 1e-9);
}

double EnglishStats::end_ratio(std::string_view form) const {
  const WordStats* w = find(form);
  if (w == nullptr || tokens_ == 0) return 1.0;
  const double rate = static_cast<double>(sentences_) / static_cast<double>(tokens_);
  const double final = w->final + kPrior * rate;
  const double other = (w->total - w->final) + kPrior * (1.0 - rate);
  return (final / other) / (rate / (1.0 - rate));
}

const WordStats* EnglishStats::find(std::string_view form) const {
  char buf[64];
  if (form.empty() || form.size() > sizeof buf) return nullptr;
  for (std::size_t i = 0; i < form.size(); ++i) {
    const char c = form[i];
    buf[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return forms_.find(std::string_view(buf, form.size()));
}

std::shared_ptr<const EnglishStats> EnglishStats::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot read " + path + " (rebuild it with dictionaries/build/brown_data.py)");
  auto stats = std::make_shared<EnglishStats>();
  std::string line;
  std::size_t number = 0;
  auto bad = [&](const char* what) {
    return Error(path + ":" + std::to_string(number) + ": " + what +
                 " (format: form<TAB>total<TAB>initial<TAB>final<TAB>cap_mid<TAB>low_mid)");
  };
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    std::string_view rest = line;
    std::string_view fields[6];
    std::size_t n = 0;
    while (n < 6) {
      const auto tab = rest.find('\t');
      fields[n++] = rest.substr(0, tab);
      if (tab == std::string_view::npos) break;
      rest.remove_prefix(tab + 1);
    }
    std::uint64_t v[5] = {};
    if (line[0] == '@') {
      if (n != 2 || !parse_u64(fields[1], v[0])) throw bad("malformed total line");
      if (fields[0] == "@sentences")
        stats->sentences_ = v[0];
      else if (fields[0] == "@tokens")
        stats->tokens_ = v[0];
      continue;
    }
    if (n != 6 || fields[0].empty()) throw bad("expected six tab-separated fields");
    for (std::size_t k = 0; k < 5; ++k)
      if (!parse_u64(fields[k + 1], v[k]) || v[k] > UINT32_MAX) throw bad("malformed count");
    stats->cap_mid_total_ += v[3];
    stats->add(fields[0], WordStats{static_cast<std::uint32_t>(v[0]), static_cast<std::uint32_t>(v[1]),
                                    static_cast<std::uint32_t>(v[2]), static_cast<std::uint32_t>(v[3]),
                                    static_cast<std::uint32_t>(v[4])});
  }
  if (stats->sentences_ == 0 || stats->tokens_ == 0) throw Error(path + ": no @sentences or @tokens line");
  stats->forms_.shrink();
  return stats;
}

std::shared_ptr<const EnglishStats> EnglishStats::shared(const std::string& path) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const EnglishStats>, std::less<>> loaded;
  const std::lock_guard<std::mutex> lock(mutex);
  auto& slot = loaded[path];
  if (!slot) slot = load(path);
  return slot;
}

}  // namespace copydesk
