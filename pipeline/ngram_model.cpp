#include "pipeline/ngram_model.h"

#include <sys/stat.h>
#include <cstdlib>
#include <map>
#include <mutex>

#include <sphinxbase/err.h>
#include <sphinxbase/logmath.h>
#include <sphinxbase/ngram_model.h>

#include "pipeline/error.h"

#ifndef COPYDESK_DEFAULT_NGRAM_MODEL
#define COPYDESK_DEFAULT_NGRAM_MODEL "/usr/share/pocketsphinx/model/en-us/en-us.lm.bin"
#endif

namespace copydesk {

struct NgramModel::Handles {
  // sphinxbase's trie keeps state between look-ups (a test shows threads
  // getting wrong scores without this), so look-ups take turns.
  std::mutex lookup;
  logmath_t* logmath = nullptr;
  ngram_model_t* model = nullptr;
  ~Handles() {
    if (model != nullptr) ngram_model_free(model);
    if (logmath != nullptr) logmath_free(logmath);
  }
};

std::string NgramModel::default_path() {
  if (const char* env = std::getenv("COPYDESK_NGRAM_MODEL"); env != nullptr && *env != '\0') return env;
  return COPYDESK_DEFAULT_NGRAM_MODEL;
}

NgramModel::NgramModel(const std::string& path) : h_(std::make_unique<Handles>()) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    throw Error("language model not found: " + path + " (install pocketsphinx-en-us, or set COPYDESK_NGRAM_MODEL)");
  }
  {
    // sphinxbase logs to standard error by default; its messages are not ours.
    static std::once_flag quiet;
    std::call_once(quiet, [] { err_set_logfp(nullptr); });
  }
  h_->logmath = logmath_init(1.0001, 0, 0);
  h_->model = ngram_model_read(nullptr, path.c_str(), NGRAM_AUTO, h_->logmath);
  if (h_->model == nullptr) throw Error("cannot read language model: " + path);
  const uint32* counts = ngram_model_get_counts(h_->model);
  vocabulary_ = counts != nullptr ? static_cast<int>(counts[0]) : 0;
}

NgramModel::~NgramModel() = default;

std::shared_ptr<const NgramModel> NgramModel::shared(const std::string& path) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const NgramModel>> models;
  const std::string key = path.empty() ? default_path() : path;
  std::lock_guard lock(mutex);
  auto& slot = models[key];
  if (!slot) slot.reset(new NgramModel(key));
  return slot;
}

int NgramModel::id(std::string_view lower_word) const {
  if (lower_word.empty() || lower_word.size() > 64) return kNone;
  char buf[65];
  lower_word.copy(buf, lower_word.size());
  buf[lower_word.size()] = '\0';
  std::lock_guard lock(h_->lookup);
  const int32 wid = ngram_wid(h_->model, buf);
  return wid < 0 || wid == ngram_unknown_wid(h_->model) ? kNone : wid;
}

float NgramModel::log10_prob(int w1, int w2, int w3, int* order) const {
  if (w3 < 0) {
    if (order != nullptr) *order = 0;
    return floor_;
  }
  const int32 word = w3;
  const int32 h1 = w2 < 0 ? NGRAM_INVALID_WID : w2;
  const int32 h2 = (w2 < 0 || w1 < 0) ? NGRAM_INVALID_WID : w1;
  int32 used = 0;
  int32 score = 0;
  {
    std::lock_guard lock(h_->lookup);
    score = ngram_tg_score(h_->model, word, h1, h2, &used);
  }
  if (order != nullptr) *order = used;
  return static_cast<float>(logmath_log_to_log10(h_->logmath, score));
}

}  // namespace copydesk
