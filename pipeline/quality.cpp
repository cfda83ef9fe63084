#include "pipeline/quality.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>
#include <mutex>
#include <numeric>
#include <sstream>

#include "pipeline/error.h"
#include "pipeline/io.h"
#include "pipeline/text.h"

namespace copydesk {

namespace {

constexpr std::array<std::string_view, kSignalCount> kNames = {
    "lm_mean",         "lm_min",           "lm_spread",      "class_mean", "class_min",
    "lm_gain",         "class_gain",       "log_words",      "short",      "long",
    "unknown_rate",    "rare_rate",        "nonword_rate",   "name_rate",  "repeated_word",
    "repeated_phrase", "repeated_trigram", "foreign_script", "romanised",  "no_verb",
    "unbalanced",      "unfinished",       "digit_rate",     "comma_rate", "edit_rate",
    "spelling_rate",   "casing_rate",      "spacing_rate",   "flag_rate",  "tg_mean",
    "tg_min",          "tg_spread",        "tg_gain",        "tg_unigram", "tg_oov",
    "tg_rarity",       "tg_surprise",      "glued"};

constexpr std::array<std::string_view, kSignalCount> kPhrases = {"word sequences unusual in edited English",
                                                                 "a very unlikely word sequence",
                                                                 "uneven fluency",
                                                                 "unusual word-class sequences",
                                                                 "a very unlikely word-class sequence",
                                                                 "words that do not fit together",
                                                                 "word classes that do not fit together",
                                                                 "sentence length",
                                                                 "very short sentences",
                                                                 "very long sentences",
                                                                 "many words unknown to the language model",
                                                                 "many rare words",
                                                                 "non-words",
                                                                 "many unknown names",
                                                                 "a word repeated",
                                                                 "a phrase repeated",
                                                                 "a phrase recurring in the sentence",
                                                                 "foreign-script text",
                                                                 "leftover romanised words",
                                                                 "sentences without a verb",
                                                                 "unbalanced quotes or brackets",
                                                                 "sentences without final punctuation",
                                                                 "many numbers",
                                                                 "many commas",
                                                                 "many repairs",
                                                                 "many spelling repairs",
                                                                 "many casing repairs",
                                                                 "many spacing repairs",
                                                                 "flags left for review",
                                                                 "word sequences unlikely in general English",
                                                                 "a word very unlikely in its context",
                                                                 "uneven fluency in general English",
                                                                 "words that do not fit their context",
                                                                 "words without a familiar context",
                                                                 "many words unknown to general English",
                                                                 "many uncommon words",
                                                                 "many words very unlikely in their context",
                                                                 "words run together"};

// The punctuation tokens of the word model, by kind.
constexpr std::array<std::string_view, 7> kPunct = {".", ",", ":", "(", ")", "\"", "-"};
enum PunctKind : std::size_t { kPeriod, kComma, kColon, kOpen, kClose, kQuote, kDash, kNoPunct };

constexpr double kDiscount = 0.75;         // Kneser-Ney absolute discount
constexpr std::size_t kMaxForms = 200000;  // per-thread vocabulary reset size

// The shape classes of words the corpus model does not know (as in
// dictionaries/build/brown_data.py).
std::string_view unknown_shape(std::string_view word, std::string_view lower, bool capitalised) {
  if (word.find('-') != std::string_view::npos) return "<unk-hyph>";
  if (capitalised) return "<unk-cap>";
  auto ends = [&](std::string_view suffix) {
    return lower.size() > suffix.size() + 2 && lower.substr(lower.size() - suffix.size()) == suffix;
  };
  if (ends("ing")) return "<unk-ing>";
  if (ends("ed")) return "<unk-ed>";
  if (ends("ly")) return "<unk-ly>";
  if (ends("s")) return "<unk-s>";
  return "<unk>";
}

bool latin_letter(char32_t c) {
  return c < 0x250 || (c >= 0x1E00 && c <= 0x1EFF) || (c >= 0x2C60 && c <= 0x2C7F) || (c >= 0xA720 && c <= 0xA7FF) ||
         (c >= 0xFF21 && c <= 0xFF5A);
}

std::vector<std::string_view> fields(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    const std::size_t b = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > b) out.push_back(line.substr(b, i - b));
  }
  return out;
}

double number(std::string_view s, const std::string& where) {
  try {
    std::size_t used = 0;
    const double v = std::stod(std::string(s), &used);
    if (used == s.size()) return v;
  } catch (const std::exception&) {
  }
  throw Error(where + ": '" + std::string(s) + "' is not a number");
}

// An open-addressing table of word-pair log probabilities.
class PairTable {
 public:
  void reserve(std::size_t n) {
    std::size_t size = 64;
    while (size < 2 * n) size *= 2;
    keys_.assign(size, kEmpty);
    values_.assign(size, 0.0f);
    mask_ = size - 1;
  }
  void put(std::uint64_t key, float value) {
    std::size_t i = slot(key);
    while (keys_[i] != kEmpty && keys_[i] != key) i = (i + 1) & mask_;
    keys_[i] = key;
    values_[i] = value;
  }
  // Starts loading the slot of `key` (a look-up soon after then rarely waits for memory).
  void prefetch(std::uint64_t key) const { __builtin_prefetch(&keys_[slot(key)]); }
  const float* find(std::uint64_t key) const {
    for (std::size_t i = slot(key);; i = (i + 1) & mask_) {
      if (keys_[i] == key) return &values_[i];
      if (keys_[i] == kEmpty) return nullptr;
    }
  }

 private:
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};
  std::size_t slot(std::uint64_t key) const {
    key *= 0x9E3779B97F4A7C15ULL;
    return static_cast<std::size_t>(key ^ (key >> 29)) & mask_;
  }
  std::vector<std::uint64_t> keys_;
  std::vector<float> values_;
  std::size_t mask_ = 0;
};

}  // namespace

std::string_view quality_signal_name(std::size_t signal) { return signal < kSignalCount ? kNames[signal] : ""; }
std::string_view quality_signal_phrase(std::size_t signal) { return signal < kSignalCount ? kPhrases[signal] : ""; }

std::string_view quality_band(double score) { return score >= 62 ? "good" : score >= 52 ? "fair" : "poor"; }

// ---------------------------------------------------------------------------
// The shared model: corpus statistics and weights.

class QualityModel {
 public:
  explicit QualityModel(const std::string& folder) {
    load_lm(folder + "/quality_lm.txt");
    load_weights(folder + "/quality_model.txt");
    const std::string tiers = folder + "/word_tiers.txt";
    for (const auto& line : read_dictionary(tiers)) {
      const auto f = fields(line.text);
      if (f.size() != 2) throw Error(tiers + ":" + std::to_string(line.line) + ": expected 'word tier'");
      if (number(f[1], tiers) <= 35) common_.insert(f[0], true);
    }
  }

  // Fluency seam: the word model's log10 P(next | previous). Another
  // language model (a larger n-gram model of the word stages) can take its
  // place here.
  double word_logprob(std::uint32_t previous, std::uint32_t next) const {
    if (const float* p = pairs_.find((std::uint64_t{previous} << 32) | next)) return *p;
    return backoff_[previous] + continuation_[next];
  }
  double class_logprob(std::uint32_t previous, std::uint32_t next) const {
    return class_pairs_[previous * class_count_ + next];
  }
  // Unigram log10 probabilities, for the gain over frequency alone.
  double word_unigram(std::uint32_t id) const { return unigram_[id]; }
  double class_unigram(std::uint32_t cls) const { return class_unigram_[cls]; }

  std::uint32_t id(std::string_view token) const {
    const std::uint32_t* v = ids_.find(token);
    return v ? *v : unknown_;
  }
  // Starts loading what word_logprob(previous, next) reads.
  void prefetch_pair(std::uint32_t previous, std::uint32_t next) const {
    pairs_.prefetch((std::uint64_t{previous} << 32) | next);
  }
  bool in_vocabulary(std::string_view token) const { return ids_.find(token) != nullptr; }
  std::uint32_t word_class(std::uint32_t id) const { return class_of_[id]; }
  bool finite(std::uint32_t id) const { return finite_[id]; }
  bool common(std::string_view lower) const { return common_.find(lower) != nullptr; }
  // The model's punctuation tokens, by kind (see kPunct).
  std::uint32_t punct(std::size_t kind) const { return punct_[kind]; }
  std::uint32_t start() const { return start_; }
  std::uint32_t end() const { return end_; }
  std::uint32_t start_class() const { return class_of_[start_]; }

  struct Weight {
    double mean = 0, sd = 1, weight = 0;
  };
  const std::array<Weight, kSignalCount>& weights() const { return weights_; }
  double bias() const { return bias_; }
  // The document's score: (1 - low_weight) * the word-weighted mean of its
  // sentences' scores + low_weight * the mean of its worst low_share of words.
  double low_weight() const { return low_weight_; }
  double low_share() const { return low_share_; }

  // A regression tree node: a split (`feature` < kSignalCount; go left when
  // the value as float is <= threshold) or a leaf. `value` is the mean
  // prediction of the training rows reaching the node (for the reasons).
  // All trees' nodes lie in one array; children are absolute indices.
  struct Node {
    float threshold = 0;  // the file's threshold rounded down to a float: the same decisions for float values
    float value = 0;
    std::uint32_t left = 0, right = 0;
    std::uint32_t feature = kSignalCount;
  };
  // For the walk, each tree is laid out complete (node i's children at 2i+1
  // and 2i+2, a leaf above the bottom repeated below itself with a split that
  // changes nothing), so a walk is `depth` steps without branches.
  struct Step {
    float threshold = 0;
    float value = 0;
    std::uint32_t feature = 0;
  };
  struct Tree {
    std::uint32_t offset = 0, depth = 0;
  };
  const std::vector<Step>& steps() const { return steps_; }
  const std::vector<Tree>& trees() const { return trees_; }
  // A weight other than 0 or a split in some tree: the score depends on the signal.
  bool uses(std::size_t signal) const { return used_[signal]; }
  // The signals whose linear weight is not 0.
  const std::vector<std::size_t>& weighted() const { return weighted_; }

 private:
  void load_lm(const std::string& path) {
    const auto lines = read_dictionary(path);
    struct Counts {
      double count = 0, followers = 0, continuations = 0;
    };
    std::vector<Counts> counts;
    std::map<std::string, std::uint32_t, std::less<>> classes;
    auto class_id = [&](std::string_view name) {
      auto [it, added] = classes.emplace(std::string(name), static_cast<std::uint32_t>(classes.size()));
      return it->second;
    };
    struct Pair {
      std::uint32_t a, b;
      double count;
    };
    std::vector<Pair> word_pairs, class_pair_counts;
    double continuation_total = 0;
    for (const auto& line : lines) {
      const auto f = fields(line.text);
      const std::string where = path + ":" + std::to_string(line.line);
      if (!f.empty() && f[0] == "w" && f.size() == 7) {
        const auto id = static_cast<std::uint32_t>(counts.size());
        if (!ids_.insert(f[1], id).second) throw Error(where + ": word listed twice");
        counts.push_back({number(f[2], where), number(f[3], where), number(f[4], where)});
        continuation_total += counts.back().continuations;
        class_of_.push_back(class_id(f[5]));
        finite_.push_back(f[6] == "1");
      } else if (!f.empty() && f[0] == "b" && f.size() == 4) {
        const std::uint32_t* a = ids_.find(f[1]);
        const std::uint32_t* b = ids_.find(f[2]);
        if (!a || !b) throw Error(where + ": a word pair of unlisted words");
        word_pairs.push_back({*a, *b, number(f[3], where)});
      } else if (!f.empty() && f[0] == "c" && f.size() == 4) {
        class_pair_counts.push_back({class_id(f[1]), class_id(f[2]), number(f[3], where)});
      } else {
        throw Error(where +
                    ": expected 'w WORD COUNT FOLLOWERS CONTINUATIONS CLASS FINITE', "
                    "'b WORD NEXT COUNT' or 'c CLASS NEXT COUNT'");
      }
    }
    auto need = [&](std::string_view token) {
      const std::uint32_t* v = ids_.find(token);
      if (!v) throw Error(path + ": no line for " + std::string(token));
      return *v;
    };
    for (std::size_t k = 0; k < kPunct.size(); ++k) punct_[k] = id(kPunct[k]);
    start_ = need("<s>");
    end_ = need("</s>");
    unknown_ = need("<unk>");
    if (continuation_total <= 0) throw Error(path + ": no word counts");
    // Interpolated Kneser-Ney: P(b|a) = max(c(ab) - D, 0) / c(a) + D N1+(a.) / c(a) * Pcont(b).
    continuation_.resize(counts.size());
    backoff_.resize(counts.size());
    unigram_.resize(counts.size());
    double tokens = 0;
    for (const auto& c : counts) tokens += c.count;
    for (std::size_t i = 0; i < counts.size(); ++i) {
      unigram_[i] = std::log10(std::max(counts[i].count, 0.5) / tokens);
      continuation_[i] = std::log10(std::max(counts[i].continuations, 0.5) / continuation_total);
      backoff_[i] =
          counts[i].count > 0 ? std::log10(kDiscount * std::max(counts[i].followers, 1.0) / counts[i].count) : 0.0;
    }
    pairs_.reserve(word_pairs.size());
    for (const auto& p : word_pairs) {
      const double c = counts[p.a].count;
      const double prob = (p.count - kDiscount) / c + std::pow(10.0, backoff_[p.a] + continuation_[p.b]);
      pairs_.put((std::uint64_t{p.a} << 32) | p.b, static_cast<float>(std::log10(prob)));
    }
    // Class pairs: add-half smoothing over the full table.
    class_count_ = static_cast<std::uint32_t>(classes.size());
    std::vector<double> table(std::size_t{class_count_} * class_count_, 0.5), rows(class_count_, 0.0);
    for (const auto& p : class_pair_counts) table[p.a * class_count_ + p.b] += p.count;
    for (std::uint32_t a = 0; a < class_count_; ++a)
      for (std::uint32_t b = 0; b < class_count_; ++b) rows[a] += table[a * class_count_ + b];
    class_pairs_.resize(table.size());
    class_unigram_.assign(class_count_, 0.0);
    double all = 0;
    for (std::uint32_t a = 0; a < class_count_; ++a) all += rows[a];
    for (std::uint32_t b = 0; b < class_count_; ++b) {
      double column = 0;
      for (std::uint32_t a = 0; a < class_count_; ++a) column += table[a * class_count_ + b];
      class_unigram_[b] = std::log10(column / all);
    }
    for (std::uint32_t a = 0; a < class_count_; ++a)
      for (std::uint32_t b = 0; b < class_count_; ++b)
        class_pairs_[a * class_count_ + b] = std::log10(table[a * class_count_ + b] / rows[a]);
  }

  void load_weights(const std::string& path) {
    bool have_bias = false;
    std::array<bool, kSignalCount> seen{};
    auto signal = [&](std::string_view name, const std::string& where) {
      const auto it = std::find(kNames.begin(), kNames.end(), name);
      if (it == kNames.end()) throw Error(where + ": unknown signal '" + std::string(name) + "'");
      return static_cast<std::size_t>(it - kNames.begin());
    };
    for (const auto& line : read_dictionary(path)) {
      const auto f = fields(line.text);
      const std::string where = path + ":" + std::to_string(line.line);
      if (f.size() == 2 && f[0] == "bias") {
        bias_ = number(f[1], where);
        have_bias = true;
        continue;
      }
      if (f.size() == 3 && f[0] == "aggregate") {
        low_weight_ = number(f[1], where);
        low_share_ = number(f[2], where);
        if (low_weight_ < 0 || low_weight_ > 1 || low_share_ <= 0 || low_share_ > 1)
          throw Error(where + ": 'aggregate A Q' needs A in 0-1 and Q in (0, 1]");
        continue;
      }
      if (f.size() == 1 && f[0] == "tree") {
        if (!roots_.empty() && roots_.back() == nodes_.size()) throw Error(path + ": a 'tree' without nodes");
        roots_.push_back(static_cast<std::uint32_t>(nodes_.size()));
        continue;
      }
      if ((f.size() == 6 && f[0] == "node") || (f.size() == 2 && f[0] == "leaf")) {
        if (roots_.empty()) throw Error(where + ": a node before the first 'tree' line");
        Node n;
        const std::uint32_t root = roots_.back();
        if (f[0] == "node") {
          n.feature = static_cast<std::uint32_t>(signal(f[1], where));
          const double threshold = number(f[2], where);
          n.threshold = static_cast<float>(threshold);
          if (static_cast<double>(n.threshold) > threshold)
            n.threshold = std::nextafter(n.threshold, -std::numeric_limits<float>::infinity());
          const double left = number(f[3], where), right = number(f[4], where);
          // Children come after their parent, so every walk ends.
          const auto self = static_cast<double>(nodes_.size() - root);
          if (left <= self || right <= self) throw Error(where + ": a child must come after its node");
          n.left = root + static_cast<std::uint32_t>(left);
          n.right = root + static_cast<std::uint32_t>(right);
          n.value = static_cast<float>(number(f[5], where));
        } else {
          n.value = static_cast<float>(number(f[1], where));
        }
        nodes_.push_back(n);
        continue;
      }
      if (f.size() != 5 || f[0] != "signal") {
        throw Error(where +
                    ": expected 'signal NAME MEAN SD WEIGHT', 'bias VALUE', 'aggregate A Q', 'tree', "
                    "'node SIGNAL THRESHOLD LEFT RIGHT VALUE' or 'leaf VALUE'");
      }
      const auto i = signal(f[1], where);
      weights_[i] = {number(f[2], where), number(f[3], where), number(f[4], where)};
      if (weights_[i].sd <= 0) throw Error(where + ": SD must be positive");
      seen[i] = true;
    }
    if (!have_bias) throw Error(path + ": no 'bias' line");
    if (!roots_.empty() && roots_.back() == nodes_.size()) throw Error(path + ": a 'tree' without nodes");
    for (std::size_t t = 0; t < roots_.size(); ++t) {
      const std::size_t end = t + 1 < roots_.size() ? roots_[t + 1] : nodes_.size();
      for (std::size_t i = roots_[t]; i < end; ++i) {
        const Node& n = nodes_[i];
        if (n.feature < kSignalCount && (n.left >= end || n.right >= end)) {
          throw Error(path + ": a tree node points past its tree");
        }
      }
    }
    for (std::size_t i = 0; i < kSignalCount; ++i) {
      if (!seen[i]) throw Error(path + ": no line for signal '" + std::string(kNames[i]) + "'");
      used_[i] = weights_[i].weight != 0;
      if (used_[i]) weighted_.push_back(i);
    }
    for (const Node& n : nodes_)
      if (n.feature < kSignalCount) used_[n.feature] = true;
    layout(path);
  }

  void layout(const std::string& path) {
    constexpr std::uint32_t kMaxDepth = 10;
    for (const std::uint32_t root : roots_) {
      auto depth_of = [&](auto& self, std::uint32_t n) -> std::uint32_t {
        const Node& node = nodes_[n];
        return node.feature < kSignalCount ? 1 + std::max(self(self, node.left), self(self, node.right)) : 0;
      };
      const std::uint32_t depth = depth_of(depth_of, root);
      if (depth > kMaxDepth) throw Error(path + ": a tree deeper than " + std::to_string(kMaxDepth));
      const auto offset = static_cast<std::uint32_t>(steps_.size());
      steps_.resize(steps_.size() + (std::size_t{2} << depth) - 1);
      auto place = [&](auto& self, std::uint32_t n, std::uint32_t at, std::uint32_t level) -> void {
        const Node& node = nodes_[n];
        Step& step = steps_[offset + at];
        step.value = node.value;
        if (level == depth) return;
        if (node.feature < kSignalCount) {
          step.feature = node.feature;
          step.threshold = node.threshold;
          self(self, node.left, 2 * at + 1, level + 1);
          self(self, node.right, 2 * at + 2, level + 1);
        } else {  // a leaf above the bottom: both sides lead to itself
          step.feature = 0;
          step.threshold = std::numeric_limits<float>::infinity();
          self(self, n, 2 * at + 1, level + 1);
          self(self, n, 2 * at + 2, level + 1);
        }
      };
      place(place, root, 0, 0);
      trees_.push_back({offset, depth});
    }
  }

  WordMap<std::uint32_t> ids_;
  std::vector<std::uint32_t> class_of_;
  std::vector<bool> finite_;
  std::vector<double> continuation_, backoff_, unigram_, class_unigram_;
  PairTable pairs_;
  std::vector<double> class_pairs_;
  std::uint32_t class_count_ = 0;
  std::uint32_t start_ = 0, end_ = 0, unknown_ = 0;
  std::array<std::uint32_t, 7> punct_{};
  WordMap<bool> common_;
  std::array<Weight, kSignalCount> weights_{};
  std::array<bool, kSignalCount> used_{};
  std::vector<std::size_t> weighted_;
  double bias_ = 50;
  double low_weight_ = 0.25, low_share_ = 0.25;
  std::vector<Node> nodes_;  // as read
  std::vector<std::uint32_t> roots_;
  std::vector<Step> steps_;  // as walked
  std::vector<Tree> trees_;
};

namespace {

std::shared_ptr<const QualityModel> shared_model(const std::string& folder) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const QualityModel>> models;
  const std::lock_guard lock(mutex);
  auto& slot = models[folder];
  if (!slot) slot = std::make_shared<const QualityModel>(folder);
  return slot;
}

}  // namespace

// ---------------------------------------------------------------------------
// Per-thread scorer.

struct QualityScorer::WordInfo {
  std::uint32_t id = 0;   // the model's token
  std::uint32_t cls = 0;  // its word class
  bool unknown = false;   // not in the model's vocabulary (a shape class)
  bool finite = false;    // often a finite verb
  bool capitalised = false;
  bool lower_word = false;  // an all-letter word starting in lower case
  bool nonword = false;     // lower-case and rejected by Hunspell
  bool rare = false;        // lower-case, not common in SCOWL and not in the model
  bool romanised = false;
  bool glued = false;  // an ASCII non-word that splits into two common words
  bool number = false;
  std::uint32_t letters = 0;
  std::uint32_t foreign = 0;      // letters outside the Latin script
  int ngram = NgramModel::kNone;  // the trigram model's id (lower case)
  float ngram_unigram = 0;        // and its unigram log10 probability
};

struct QualityScorer::Scored {
  float unigram = 0;     // the word's unigram log10 probability
  bool look_up = false;  // asked given the word before it (else the unigram answers)
};

struct QualityScorer::Token {
  std::uint32_t info = 0;  // index into infos_ (words and numbers), or a punctuation id
  bool word = false;
  bool comma = false;
  std::size_t begin = 0;
};

QualityScorer::QualityScorer(Resources& resources, bool all_signals)
    : model_(shared_model(resources.paths().dictionaries)),
      ngram_(NgramModel::shared()),
      lexicon_(resources.lexicon()),
      sentence_start_(ngram_->id("<s>")),
      sentence_end_(ngram_->id("</s>")),
      sentence_end_unigram_(ngram_->log10_unigram(sentence_end_)),
      all_signals_(all_signals) {
  auto any = [&](std::initializer_list<QualitySignal> group) {
    return std::any_of(group.begin(), group.end(), [&](QualitySignal g) { return model_->uses(g); });
  };
  corpus_fluency_ = any({kLmMean, kLmMin, kLmSpread, kLmGain, kClassMean, kClassMin, kClassGain});
  context_fluency_ = any({kTgMean, kTgMin, kTgSpread, kTgGain, kTgUnigram, kTgSurprise});
}

QualityScorer::~QualityScorer() = default;

std::uint64_t QualityScorer::FormIndex::head(std::string_view form) {
  std::uint64_t x = 0;
  std::memcpy(&x, form.data(), std::min<std::size_t>(form.size(), 8));
  return x;
}

std::uint32_t QualityScorer::FormIndex::find(std::string_view form, std::uint64_t h) const {
  if (slots_.empty()) return kNone;
  const std::uint64_t first = head(form);
  for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
    const Slot& s = slots_[i];
    if (s.index == kNone) return kNone;
    if (s.hash == h && s.size == form.size() && s.head == first &&
        (form.size() <= 8 || std::memcmp(keys_.data() + offsets_[s.index] + 8, form.data() + 8, form.size() - 8) == 0))
      return s.index;
  }
}

void QualityScorer::FormIndex::insert(std::string_view form, std::uint64_t h, std::uint32_t index) {
  if ((size_ + 1) * 2 > slots_.size()) {  // at most half full
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(std::max<std::size_t>(1024, old.size() * 2), Slot{});
    mask_ = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.index == kNone) continue;
      std::size_t i = s.hash & mask_;
      while (slots_[i].index != kNone) i = (i + 1) & mask_;
      slots_[i] = s;
    }
  }
  std::size_t i = h & mask_;
  while (slots_[i].index != kNone) i = (i + 1) & mask_;
  slots_[i] = {h, head(form), static_cast<std::uint32_t>(form.size()), index};
  if (offsets_.size() <= index) offsets_.resize(std::size_t{index} + 1);
  offsets_[index] = static_cast<std::uint32_t>(keys_.size());
  keys_.append(form);
  ++size_;
}

void QualityScorer::FormIndex::clear() {
  if (size_ == 0) return;
  std::fill(slots_.begin(), slots_.end(), Slot{});
  size_ = 0;
  keys_.clear();
  offsets_.clear();
}

std::uint32_t QualityScorer::word_info(std::string_view word, std::uint64_t h) {
  if (const std::uint32_t i = vocabulary_.find(word, h); i != FormIndex::kNone) return i;
  WordInfo info;
  std::string lower = to_lower(word);
  for (auto& c : lower)
    if (c == '\0') c = ' ';
  // Typographic apostrophes as the corpus writes them.
  if (lower.find("\xE2\x80\x99") != std::string::npos) {
    std::string plain;
    for (std::size_t k = 0; k < lower.size(); ++k) {
      if (lower.compare(k, 3, "\xE2\x80\x99") == 0) {
        plain.push_back('\'');
        k += 2;
      } else {
        plain.push_back(lower[k]);
      }
    }
    lower = std::move(plain);
  }
  bool digit = false, letters_only = true, diacritic = false;
  for (std::size_t i = 0; i < word.size();) {
    std::size_t n = 1;
    const char32_t c = decode_at(word, i, &n);
    if (is_digit(c)) digit = true;
    if (is_letter(c)) {
      ++info.letters;
      if (!latin_letter(c)) ++info.foreign;
      if (c >= 0xC0 && latin_letter(c)) diacritic = true;
    } else {
      letters_only = false;
    }
    i += n;
  }
  info.capitalised = !word.empty() && is_upper(decode_at(word, 0));
  const QualityModel& m = *model_;
  if (digit) {
    info.number = true;
    info.id = m.id("<num>");
  } else if (m.in_vocabulary(lower)) {
    info.id = m.id(lower);
    info.finite = m.finite(info.id);
  } else {
    info.unknown = true;
    const auto shape = unknown_shape(word, lower, info.capitalised);
    info.id = m.id(shape);
    info.finite = shape == "<unk-ed>";
  }
  info.cls = m.word_class(info.id);
  if (!digit) {
    info.ngram = ngram_->id(lower);
    if (info.ngram != NgramModel::kNone) info.ngram_unigram = ngram_->log10_unigram(info.ngram);
  }
  if (!digit && !info.capitalised && info.letters > 0) {
    info.lower_word = true;
    bool known = true;
    // A hyphenated compound is a word if its parts are.
    std::size_t b = 0;
    while (b <= word.size()) {
      const std::size_t e = std::min(word.find('-', b), word.size());
      if (e > b && !lexicon_.known(word.substr(b, e - b))) known = false;
      b = e + 1;
    }
    info.nonword = !known;
    info.rare = info.unknown && !m.common(lower);
    if (info.nonword && info.foreign == 0 && letters_only) {
      static constexpr std::array<std::string_view, 9> kDigraphs = {"aa", "ii", "uu", "kh", "dh",
                                                                    "bh", "jh", "zh", "q"};
      bool odd = diacritic;
      for (auto d : kDigraphs) {
        if (d == "q" ? (lower.find('q') != std::string::npos && lower.find("qu") == std::string::npos)
                     : lower.find(d) != std::string::npos)
          odd = true;
      }
      info.romanised = odd;
    }
  }
  // Words run together ("Keptout", "theyknew"): a word of 5+ ASCII letters,
  // unknown to both models and the lexicon (as written and in lower case),
  // that splits into two common words. A name the article writes again is
  // not one (checked per document in score()).
  if (!digit && letters_only && info.foreign == 0 && info.letters >= 5 && info.letters == word.size() &&
      info.ngram == NgramModel::kNone && info.unknown) {
    bool lower_rest = true;
    for (std::size_t k = 1; k < word.size(); ++k) lower_rest = lower_rest && is_lower(static_cast<char32_t>(word[k]));
    if (lower_rest && !lexicon_.known(word) && !lexicon_.known(lower)) {
      const std::string_view l = lower;
      for (std::size_t cut = 3; cut + 2 <= l.size() && !info.glued; ++cut) {
        const std::string_view a = l.substr(0, cut), b = l.substr(cut);
        info.glued = m.common(a) && m.common(b) && lexicon_.known(a) && lexicon_.known(b);
      }
    }
  }
  const auto index = static_cast<std::uint32_t>(infos_.size());
  infos_.push_back(info);
  vocabulary_.insert(word, h, index);
  return index;
}

namespace {

// Opening and closing marks: ( ) [ ] { } “ ” ‘ (opening) and straight double quotes.
// Returns the byte offsets of the marks in `text` left without their partner.
std::vector<std::size_t> unbalanced_marks(std::string_view text) {
  std::vector<std::size_t> unmatched;
  std::vector<std::pair<char32_t, std::size_t>> open;
  std::size_t straight_count = 0, last_straight = 0;
  for (std::size_t i = 0; i < text.size();) {
    // Most bytes are none of the marks: only these and the lead byte of “ and ” are decoded.
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80 && byte != '(' && byte != ')' && byte != '[' && byte != ']' && byte != '{' && byte != '}' &&
        byte != '"') {
      ++i;
      continue;
    }
    std::size_t n = 1;
    const char32_t c = decode_at(text, i, &n);
    char32_t want = 0;
    switch (c) {
      case '(':
      case '[':
      case '{':
      case U'\u201C':
        open.push_back({c, i});
        break;
      case ')':
        want = '(';
        break;
      case ']':
        want = '[';
        break;
      case '}':
        want = '{';
        break;
      case U'\u201D':
        want = U'\u201C';
        break;
      case '"':
        ++straight_count;
        last_straight = i;
        break;
      default:
        break;
    }
    if (want) {
      // Close the nearest matching opener; anything opened after it is unmatched.
      auto it = std::find_if(open.rbegin(), open.rend(), [&](const auto& o) { return o.first == want; });
      if (it == open.rend()) {
        unmatched.push_back(i);
      } else {
        const auto keep = static_cast<std::size_t>(open.rend() - it) - 1;
        for (std::size_t k = keep + 1; k < open.size(); ++k) unmatched.push_back(open[k].second);
        open.resize(keep);
      }
    }
    i += n;
  }
  for (const auto& o : open) unmatched.push_back(o.second);
  if (straight_count % 2 == 1) unmatched.push_back(last_straight);
  std::sort(unmatched.begin(), unmatched.end());
  return unmatched;
}

bool sentence_end_char(char c) { return c == '.' || c == '!' || c == '?'; }

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_ascii_word_char(char c) { return is_ascii_letter(c) || (c >= '0' && c <= '9'); }

// How often `text` writes each of the ASCII `words` as a whole word (a maximal run
// of ASCII letters and digits), in any case: one pass over the text.
std::vector<std::size_t> whole_word_counts(std::string_view text, const std::vector<std::string_view>& words) {
  std::map<std::string, std::size_t, std::less<>> counts;
  std::size_t longest = 0;
  for (const auto w : words) {
    counts.emplace(to_lower(w), 0);
    longest = std::max(longest, w.size());
  }
  std::string run;
  for (std::size_t i = 0; i < text.size();) {
    if (!is_ascii_word_char(text[i])) {
      ++i;
      continue;
    }
    std::size_t e = i;
    while (e < text.size() && is_ascii_word_char(text[e])) ++e;
    if (e - i <= longest) {
      run.assign(text.substr(i, e - i));
      for (auto& c : run) c = static_cast<char>(c | (is_ascii_letter(c) ? 0x20 : 0));
      if (const auto it = counts.find(run); it != counts.end()) ++it->second;
    }
    i = e;
  }
  std::vector<std::size_t> out;
  for (const auto w : words) out.push_back(counts.find(to_lower(w))->second);
  return out;
}

}  // namespace

std::vector<Span> QualityScorer::sentences(std::string_view text) const {
  std::vector<Span> out;
  for (const Span line : split_lines(text)) {
    std::size_t b = line.begin;
    while (b < line.end && (text[b] == ' ' || text[b] == '\t' || text[b] == '\r')) ++b;
    std::size_t i = b;
    while (i < line.end) {
      if (!sentence_end_char(text[i])) {
        ++i;
        continue;
      }
      std::size_t j = i;
      while (j < line.end && sentence_end_char(text[j])) ++j;
      // Closing quotes and brackets stay with the sentence.
      while (j < line.end) {
        std::size_t n = 1;
        const char32_t c = decode_at(text, j, &n);
        if (c == '"' || c == ')' || c == ']' || c == U'\u201D' || c == U'\u2019' || c == '\'') {
          j += n;
        } else {
          break;
        }
      }
      if (j >= line.end || text[j] != ' ') {
        i = j;
        continue;
      }
      std::size_t k = j;
      while (k < line.end && text[k] == ' ') ++k;
      if (k >= line.end) break;
      std::size_t n = 1;
      const char32_t next = decode_at(text, k, &n);
      // A new sentence starts with a capital, a digit or an opening mark,
      // and not after an initial ("J. Smith") or a short capitalised abbreviation.
      bool starts = is_upper(next) || is_digit(next) || next == '"' || next == U'\u201C' || next == '(';
      if (starts && text[i] == '.') {
        std::size_t w = i;
        while (w > b && is_letter(decode_before(text, w))) w = prev_start(text, w);
        const std::string_view before = text.substr(w, i - w);
        static constexpr std::array<std::string_view, 12> kAbbreviations = {"Mr", "Mrs", "Ms",  "Dr",  "Prof", "St",
                                                                            "Jr", "Sr",  "Gen", "Gov", "Sen",  "Rep"};
        if (before.size() == 1 || in_list(kAbbreviations, before)) starts = false;
      }
      if (!starts) {
        i = j;
        continue;
      }
      out.push_back({b, j});
      b = k;
      i = k;
    }
    std::size_t e = line.end;
    while (e > b && (text[e - 1] == ' ' || text[e - 1] == '\t' || text[e - 1] == '\r')) --e;
    if (e > b) out.push_back({b, e});
  }
  return out;
}

QualityFeatures QualityScorer::sentence_features(std::string_view s) {
  glued_.clear();
  QualityFeatures f = features(s, true, true);
  glued_.clear();
  return f;
}

QualityFeatures QualityScorer::features(std::string_view s, bool standalone, bool all) {
  QualityFeatures f{};
  const QualityModel& m = *model_;
  if (infos_.size() >= kMaxForms) {  // memory stays flat; the facts are recomputed alike
    vocabulary_.clear();
    infos_.clear();
  }
  // Tokens: words (letters and digits with inner apostrophes, hyphens and
  // abbreviation periods) and the punctuation the model knows.
  tokens_.clear();
  hashes_.clear();
  auto& seq = seq_;
  auto& classes = classes_;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t n = 1;
    const char32_t c = decode_at(s, i, &n);
    if (is_letter(c) || is_digit(c)) {
      const std::size_t b = i;
      bool dotted = false;
      i += n;
      while (i < s.size()) {
        const char32_t d = decode_at(s, i, &n);
        if (is_letter(d) || is_digit(d) || (d >= 0x300 && d < 0x370)) {
          i += n;
          continue;
        }
        // Inner apostrophe, hyphen, period (U.S.) or digit separator.
        if ((d == '\'' || d == U'\u2019' || d == '-' || d == '.' || d == ',') && i + n < s.size()) {
          std::size_t n2 = 1;
          const char32_t e = decode_at(s, i + n, &n2);
          const bool letter_next = is_letter(e), digit_next = is_digit(e);
          if (((d == '\'' || d == U'\u2019' || d == '-') && (letter_next || digit_next)) ||
              (d == '.' && letter_next && !is_lower(e) && (i + n + n2 >= s.size() || s[i + n + n2] == '.')) ||
              ((d == '.' || d == ',') && digit_next && is_digit(decode_before(s, i)))) {
            dotted = dotted || d == '.';
            i += n;
            continue;
          }
        }
        break;
      }
      if (dotted && i < s.size() && s[i] == '.' && !is_digit(decode_before(s, i))) ++i;  // "U.S."
      // Found below, once the sentence's look-ups are under way.
      const std::uint64_t h = FormIndex::hash(s.substr(b, i - b));
      vocabulary_.prefetch(h);
      hashes_.push_back(h);
      tokens_.push_back({static_cast<std::uint32_t>(i - b), true, false, b});
      continue;
    }
    std::size_t punct = kNoPunct;
    switch (c) {
      case '.':
      case '!':
      case '?':
        punct = kPeriod;
        break;
      case ',':
        punct = kComma;
        break;
      case ';':
      case ':':
        punct = kColon;
        break;
      case '(':
      case '[':
        punct = kOpen;
        break;
      case ')':
      case ']':
        punct = kClose;
        break;
      case '"':
      case U'\u201C':
      case U'\u201D':
      case U'\u00AB':
      case U'\u00BB':
        punct = kQuote;
        break;
      case U'\u2014':
      case U'\u2013':
        punct = kDash;
        break;
      case '-':
        if (i + 1 < s.size() && s[i + 1] == '-') {
          punct = kDash;
          ++i;
        }
        break;
      default:
        break;
    }
    if (punct != kNoPunct) {
      // Runs of sentence-final marks ("?!", "...") count once.
      const std::uint32_t id = m.punct(punct);
      if (!(punct == kPeriod && !tokens_.empty() && !tokens_.back().word && tokens_.back().info == id)) {
        tokens_.push_back({id, false, punct == kComma, i});
      }
    }
    i += n;
  }
  // The words' facts (a word token's `info` held its length until here).
  {
    std::size_t k = 0;
    for (Token& t : tokens_) {
      if (!t.word) continue;
      t.info = word_info(s.substr(t.begin, t.info), hashes_[k++]);
      __builtin_prefetch(&infos_[t.info]);
    }
  }

  // Fluency under the corpus bigram models (when the model uses it).
  if (all || corpus_fluency_) {
    seq.assign(1, m.start());
    classes.assign(1, m.start_class());
    for (const Token& t : tokens_) {
      const std::uint32_t id = t.word ? infos_[t.info].id : t.info;
      seq.push_back(id);
      classes.push_back(t.word ? infos_[t.info].cls : m.word_class(id));
    }
    seq.push_back(m.end());
    classes.push_back(m.word_class(m.end()));
    double sum = 0, sum2 = 0, low = 0, csum = 0, clow = 0, gain = 0, cgain = 0;
    const std::size_t predictions = seq.size() - 1;
    for (std::size_t k = 1; k < seq.size(); ++k) m.prefetch_pair(seq[k - 1], seq[k]);
    for (std::size_t k = 1; k < seq.size(); ++k) {
      const double lp = m.word_logprob(seq[k - 1], seq[k]);
      sum += lp;
      sum2 += lp * lp;
      low = std::min(low, lp);
      const double cp = m.class_logprob(classes[k - 1], classes[k]);
      csum += cp;
      clow = std::min(clow, cp);
      if (k + 1 < seq.size()) {
        gain += lp - m.word_unigram(seq[k]);
        cgain += cp - m.class_unigram(classes[k]);
      }
    }
    const double inner_tokens = std::max<double>(1.0, static_cast<double>(predictions) - 1.0);
    f[kLmGain] = gain / inner_tokens;
    f[kClassGain] = cgain / inner_tokens;
    const double mean = sum / static_cast<double>(predictions);
    f[kLmMean] = mean;
    f[kLmMin] = low;
    f[kLmSpread] = std::sqrt(std::max(0.0, sum2 / static_cast<double>(predictions) - mean * mean));
    f[kClassMean] = csum / static_cast<double>(predictions);
    f[kClassMin] = clow;
  }

  // Fluency under the n-gram model of general English: each known word
  // given the word before it (a number or an unknown word breaks the
  // context), then the sentence end. Unknown words count in tg_oov only.
  // The model's bigrams, not its trigrams: a trigram look-up searches the
  // pair before the word and then its trigrams before it can back off to the
  // bigram, three searches where the bigram takes one, for 0.006 of held-out
  // Pearson (docs/quality.md).
  {
    const NgramModel& lm = *ngram_;
    // Without the context signals only tg_oov and tg_rarity are computed (no look-up).
    const bool context = all || context_fluency_;
    int previous = sentence_start_;
    double tsum = 0, tsum2 = 0, tlow = 0, tgain = 0, rarity = 0;
    std::size_t known = 0, unigram = 0, oov = 0, scored = 0, surprise = 0;
    // The scored words in order, and the pairs to look up: all of a
    // sentence's look-ups are made at once (their memory reads overlap).
    scored_.clear();
    pair_before_.clear();
    pair_word_.clear();
    auto note = [&](int w, float unigram_lp) {
      // Without a word before it the answer is the unigram's, already known.
      const bool look_up = previous != NgramModel::kNone && context;
      scored_.push_back({unigram_lp, look_up});
      if (look_up) {
        pair_before_.push_back(previous);
        pair_word_.push_back(w);
      }
      previous = w;
    };
    for (const Token& t : tokens_) {
      if (!t.word) continue;
      const WordInfo& w = infos_[t.info];
      if (w.number || w.letters == 0) {
        previous = NgramModel::kNone;
        continue;
      }
      if (w.ngram == NgramModel::kNone) {
        ++oov;
        previous = NgramModel::kNone;
        continue;
      }
      ++known;
      rarity += w.ngram_unigram;
      note(w.ngram, w.ngram_unigram);
    }
    if (known > 0) {
      note(sentence_end_, sentence_end_unigram_);
      pair_lp_.resize(pair_word_.size());
      pair_order_.resize(pair_word_.size());
      lm.log10_bigrams(pair_before_.data(), pair_word_.data(), pair_word_.size(), pair_lp_.data(), pair_order_.data());
      std::size_t next_pair = 0;
      for (const Scored& sc : scored_) {
        const double unigram_lp = sc.unigram;
        int order = 1;
        double lp = unigram_lp;
        if (sc.look_up) {
          lp = pair_lp_[next_pair];
          order = pair_order_[next_pair];
          ++next_pair;
        }
        tsum += lp;
        tsum2 += lp * lp;
        tlow = std::min(tlow, lp);
        tgain += lp - unigram_lp;
        unigram += order <= 1;
        surprise += lp < -4.0;
        ++scored;
      }
      const double n = static_cast<double>(scored);
      f[kTgMean] = tsum / n;
      f[kTgMin] = tlow;
      f[kTgSpread] = std::sqrt(std::max(0.0, tsum2 / n - f[kTgMean] * f[kTgMean]));
      f[kTgGain] = tgain / n;
      f[kTgUnigram] = static_cast<double>(unigram) / n;
      f[kTgRarity] = rarity / static_cast<double>(known);
      f[kTgSurprise] = static_cast<double>(surprise) / n;
    } else {
      // Nothing the model knows: the values of an unlikely sentence.
      f[kTgMean] = f[kTgMin] = f[kTgRarity] = lm.unknown_floor();
      f[kTgUnigram] = f[kTgSurprise] = 1;
    }
    if (!context) f[kTgMean] = f[kTgMin] = f[kTgSpread] = f[kTgGain] = f[kTgUnigram] = f[kTgSurprise] = 0;
    f[kTgOov] = known + oov ? static_cast<double>(oov) / static_cast<double>(known + oov) : 0.0;
  }

  // Word-level rates and artefacts.
  auto& words = words_;  // infos_ indices of the words, in order
  words.clear();
  std::size_t numbers = 0, commas = 0, unknown = 0, lower = 0, rare = 0, nonword = 0, inner = 0, names = 0;
  std::uint32_t letters = 0, foreign = 0;
  bool finite = false;
  for (std::size_t k = 0; k < tokens_.size(); ++k) {
    const Token& t = tokens_[k];
    if (!t.word) {
      commas += t.comma;
      continue;
    }
    const WordInfo& w = infos_[t.info];
    words.push_back(t.info);
    letters += w.letters;
    foreign += w.foreign;
    if (w.number) {
      ++numbers;
      continue;
    }
    unknown += w.unknown;
    finite = finite || (w.finite && !w.capitalised) || (w.finite && words.size() > 1);
    if (w.lower_word) {
      ++lower;
      rare += w.rare;
      nonword += w.nonword;
      f[kRomanised] += w.romanised;
    } else if (words.size() > 1) {
      ++inner;
      names += w.unknown && w.capitalised;
    }
  }
  const double nw = static_cast<double>(words.size());
  f[kLogWords] = std::log2(1.0 + nw);
  f[kShort] = words.size() < 4;
  f[kLong] = std::log2(1.0 + std::max(0.0, nw - 40.0));
  const double non_numbers = std::max<double>(1.0, nw - static_cast<double>(numbers));
  f[kUnknownRate] = static_cast<double>(unknown) / non_numbers;
  f[kRareRate] = lower ? static_cast<double>(rare) / static_cast<double>(lower) : 0.0;
  f[kNonWordRate] = lower ? static_cast<double>(nonword) / static_cast<double>(lower) : 0.0;
  f[kNameRate] = inner ? static_cast<double>(names) / non_numbers : 0.0;
  f[kForeignScript] = letters ? static_cast<double>(foreign) / letters : 0.0;
  f[kNoVerb] = words.size() >= 4 && !finite;
  f[kDigitRate] = nw > 0 ? static_cast<double>(numbers) / nw : 0.0;
  f[kCommaRate] = nw > 0 ? static_cast<double>(commas) / nw : 0.0;
  // (score() pairs quotes and brackets per paragraph instead.)
  if (standalone) f[kUnbalanced] = std::log2(1.0 + static_cast<double>(unbalanced_marks(s).size()));
  {
    std::size_t e = s.size();
    while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '"' || s[e - 1] == ')' || s[e - 1] == '\'')) --e;
    while (e >= 3 && (s.compare(e - 3, 3, "\xE2\x80\x9D") == 0 || s.compare(e - 3, 3, "\xE2\x80\x99") == 0)) e -= 3;
    f[kUnfinished] = words.size() >= 4 && (e == 0 || !sentence_end_char(s[e - 1]));
  }

  // Repetition, on lower-cased forms: infos_ indices differ by case, so
  // compare model tokens for known words and the exact form otherwise.
  auto key = [&](std::uint32_t w) -> std::uint64_t {
    const WordInfo& info = infos_[w];
    return info.unknown || info.number ? (std::uint64_t{1} << 40) | w : info.id;
  };
  auto& keys = keys_;
  keys.clear();
  for (const std::uint32_t w : words) keys.push_back(key(w));
  for (std::size_t k = 1; k < words.size(); ++k) {
    const WordInfo& w = infos_[words[k]];
    if (!w.number && w.letters > 0 && keys[k] == keys[k - 1]) f[kRepeatedWord] += 1;
  }
  for (std::size_t n = 2; n <= 4; ++n) {
    for (std::size_t k = 0; k + 2 * n <= words.size(); ++k) {
      bool same = true;
      for (std::size_t q = 0; q < n && same; ++q) same = keys[k + q] == keys[k + n + q];
      if (same) f[kRepeatedPhrase] += 1;
    }
  }
  const std::size_t limit = std::min<std::size_t>(words.size(), 120);
  for (std::size_t a = 0; a + 3 <= limit; ++a) {
    for (std::size_t b = a + 3; b + 3 <= limit; ++b) {
      if (keys[a] == keys[b] && keys[a + 1] == keys[b + 1] && keys[a + 2] == keys[b + 2]) {
        f[kRepeatedTrigram] += 1;
        break;
      }
    }
  }
  // Glued words written once in the sentence (score() then asks the whole document).
  bool any_glued = false;
  for (const std::uint32_t w : words) any_glued = any_glued || infos_[w].glued;
  if (any_glued) {
    sorted_keys_.assign(keys.begin(), keys.end());
    std::sort(sorted_keys_.begin(), sorted_keys_.end());
  }
  for (std::size_t k = 0; any_glued && k < tokens_.size(); ++k) {
    const Token& t = tokens_[k];
    if (!t.word || !infos_[t.info].glued) continue;
    const auto [lo, hi] = std::equal_range(sorted_keys_.begin(), sorted_keys_.end(), key(t.info));
    if (hi - lo > 1) continue;
    f[kGlued] += 1;
    std::size_t e = t.begin;
    while (e < s.size() && is_ascii_letter(s[e])) ++e;
    glued_.push_back(s.substr(t.begin, e - t.begin));
  }
  for (auto k : {kRepeatedWord, kRepeatedPhrase, kRepeatedTrigram, kRomanised, kGlued}) f[k] = std::log2(1.0 + f[k]);
  return f;
}

double QualityScorer::predict(const QualityFeatures& x, QualityFeatures* contributions) const {
  double y = model_->bias();
  const auto& w = model_->weights();
  for (const std::size_t i : model_->weighted()) {
    const double c = w[i].weight * std::clamp((x[i] - w[i].mean) / w[i].sd, -5.0, 5.0);
    y += c;
    if (contributions) (*contributions)[i] += c;
  }
  // Trees: the leaf's value; each split on the way credits its signal with
  // the change it made (the training average sits at the root).
  std::array<float, kSignalCount> xf;
  for (std::size_t i = 0; i < kSignalCount; ++i) xf[i] = static_cast<float>(x[i]);
  // Right when the value is not <= the threshold (as the file says; a NaN goes right).
  const QualityModel::Step* steps = model_->steps().data();
  for (const auto& tree : model_->trees()) {
    const QualityModel::Step* t = steps + tree.offset;
    std::uint32_t at = 0;
    if (!contributions) {
      for (std::uint32_t d = 0; d < tree.depth; ++d)
        at = 2 * at + 1 + static_cast<std::uint32_t>(!(xf[t[at].feature] <= t[at].threshold));
      y += t[at].value;
      continue;
    }
    y += t[0].value;
    for (std::uint32_t d = 0; d < tree.depth; ++d) {
      const std::uint32_t next = 2 * at + 1 + static_cast<std::uint32_t>(!(xf[t[at].feature] <= t[at].threshold));
      const double c = static_cast<double>(t[next].value) - static_cast<double>(t[at].value);
      y += c;
      (*contributions)[t[at].feature] += c;
      at = next;
    }
  }
  return std::clamp(y, 0.0, 100.0);
}

DocumentQuality QualityScorer::score(std::string_view text, const Result* result) {
  DocumentQuality q;
  const auto spans = sentences(text);
  glued_.clear();
  std::vector<std::size_t> glued_from;  // per sentence, its first entry in glued_
  // Quotes and brackets may span sentences: they are paired per paragraph.
  std::vector<std::size_t> unmatched;
  for (const Span line : split_lines(text)) {
    for (const auto p : unbalanced_marks(text.substr(line.begin, line.size()))) unmatched.push_back(line.begin + p);
  }
  for (const Span sp : spans) {
    SentenceQuality sq;
    sq.begin = sp.begin;
    sq.end = sp.end;
    const std::string_view s = text.substr(sp.begin, sp.size());
    glued_from.push_back(glued_.size());
    sq.features = features(s, false, all_signals_);
    sq.words = static_cast<std::size_t>(std::lround(std::exp2(sq.features[kLogWords]) - 1.0));
    sq.features[kUnbalanced] =
        std::log2(1.0 + static_cast<double>(std::lower_bound(unmatched.begin(), unmatched.end(), sp.end) -
                                            std::lower_bound(unmatched.begin(), unmatched.end(), sp.begin)));
    const char last = s.empty() ? '\0' : s.back();
    sq.heading =
        sq.words <= 12 && !sentence_end_char(last) && last != '"' && last != ')' &&
        !(s.size() >= 3 && (s.substr(s.size() - 3) == "\xE2\x80\x9D" || s.substr(s.size() - 3) == "\xE2\x80\x99"));
    q.words += sq.words;
    q.sentences.push_back(sq);
  }
  // A glued word the article writes again elsewhere is a name or a term of the article.
  if (!glued_.empty()) {
    glued_from.push_back(glued_.size());
    const auto counts = whole_word_counts(text, glued_);
    for (std::size_t k = 0; k < q.sentences.size(); ++k) {
      if (glued_from[k] == glued_from[k + 1]) continue;
      std::size_t once = 0;
      for (std::size_t g = glued_from[k]; g < glued_from[k + 1]; ++g) once += counts[g] == 1;
      q.sentences[k].features[kGlued] = std::log2(1.0 + static_cast<double>(once));
    }
  }
  // The document's repairs and flags per 100 words, shared by its sentences.
  std::array<double, kSignalCount> doc{};
  if (result) {
    for (const auto& run : result->stages) {
      std::size_t changes = 0, flags = 0;
      for (const auto& e : run.edits) (e.kind == EditKind::kChange ? changes : flags) += 1;
      const auto c = static_cast<double>(changes);
      doc[kEditRate] += c;
      doc[kFlagRate] += static_cast<double>(flags);
      if (run.stage == "spelling") {
        doc[kSpellingRate] += c;
      } else if (run.stage == "casing" || run.stage == "names") {
        doc[kCasingRate] += c;
      } else if (run.stage != "boilerplate" && run.stage != "dedupe") {
        doc[kSpacingRate] += c;
      }
    }
    const double per = 100.0 / static_cast<double>(std::max<std::size_t>(q.words, 1));
    for (auto s : {kEditRate, kSpellingRate, kCasingRate, kSpacingRate, kFlagRate}) doc[s] *= per;
  }
  // Sentence scores; the document's is the word-weighted mean over its
  // sentences (headings left out), pulled towards its worst ones (the model
  // file's 'aggregate' line, chosen on whole training articles).
  std::size_t counted = 0;
  for (const auto& sq : q.sentences) counted += sq.heading ? 0 : sq.words;
  const bool all = counted == 0;
  double total = 0, weight = 0;
  std::vector<std::pair<double, double>> by_score;  // (score, words)
  QualityFeatures pulled{};                         // word-weighted mean contribution of each signal
  for (auto& sq : q.sentences) {
    for (auto s : {kEditRate, kSpellingRate, kCasingRate, kSpacingRate, kFlagRate}) sq.features[s] = doc[s];
    QualityFeatures c{};
    sq.score = predict(sq.features, &c);
    if (sq.heading && !all) continue;
    const double w = static_cast<double>(std::max<std::size_t>(sq.words, 1));
    total += sq.score * w;
    weight += w;
    for (std::size_t i = 0; i < kSignalCount; ++i) {
      q.features[i] += sq.features[i] * w;
      pulled[i] += c[i] * w;
    }
    by_score.push_back({sq.score, w});
  }
  if (weight == 0) {
    // No sentence at all: an empty document reads as nothing, scored from its repairs alone.
    q.features = doc;
    for (std::size_t i = 0; i < kSignalCount; ++i) {
      if (i < kEditRate || i > kFlagRate) q.features[i] = model_->weights()[i].mean;
    }
    q.score = predict(q.features, &pulled);
  } else {
    for (auto& v : q.features) v /= weight;
    for (auto& v : pulled) v /= weight;
    const double mean = total / weight;
    std::stable_sort(by_score.begin(), by_score.end());
    double low_total = 0, low_weight = 0;
    for (const auto& [s, w] : by_score) {
      if (low_weight >= weight * model_->low_share()) break;
      low_total += s * w;
      low_weight += w;
    }
    const double a = model_->low_weight();
    q.score = (1 - a) * mean + a * (low_total / low_weight);
  }
  q.score = std::round(q.score * 10.0) / 10.0;
  q.band = std::string(quality_band(q.score));
  // Reasons: the signals that pulled the sentences' scores down most (their
  // word-weighted mean contribution against the training average).
  std::vector<std::pair<double, std::size_t>> pulls;
  for (std::size_t i = 0; i < kSignalCount; ++i) {
    if (i == kLogWords) continue;  // length alone is not a fault
    if (pulled[i] < -1.0) pulls.push_back({pulled[i], i});
  }
  std::stable_sort(pulls.begin(), pulls.end());
  for (std::size_t k = 0; k < pulls.size() && k < 3; ++k) q.reasons.emplace_back(kNames[pulls[k].second]);
  return q;
}

nlohmann::ordered_json quality_to_json(const DocumentQuality& q, bool sentences, bool features) {
  nlohmann::ordered_json j;
  j["score"] = q.score;
  j["band"] = q.band;
  auto reasons = nlohmann::ordered_json::array();
  for (const auto& r : q.reasons) {
    const auto it = std::find(kNames.begin(), kNames.end(), r);
    reasons.push_back({{"signal", r}, {"why", kPhrases[static_cast<std::size_t>(it - kNames.begin())]}});
  }
  j["reasons"] = std::move(reasons);
  if (sentences) {
    auto list = nlohmann::ordered_json::array();
    for (const auto& s : q.sentences) {
      list.push_back({{"begin", s.begin}, {"end", s.end}, {"score", std::round(s.score * 10.0) / 10.0}});
    }
    j["sentences"] = std::move(list);
  }
  if (features) {
    // The words its sentences hold (0: nothing left to score, the signals are the training means).
    j["words"] = q.words;
    nlohmann::ordered_json f;
    for (std::size_t i = 0; i < kSignalCount; ++i) f[std::string(kNames[i])] = q.features[i];
    j["features"] = std::move(f);
  }
  return j;
}

// ---------------------------------------------------------------------------
// Command-line plumbing.

QualityRun::QualityRun(bool enabled, double min_quality, std::string low, bool jsonl)
    : enabled_(enabled || min_quality >= 0), min_(min_quality), low_(std::move(low)) {
  if (min_ >= 0 && low_.empty()) throw Error("--min-quality needs --low-quality (a FILE with --jsonl, else a DIR)");
  if (min_ < 0 && !low_.empty()) throw Error("--low-quality goes with --min-quality N");
  if (min_ > 100) throw Error("--min-quality must be between 0 and 100");
  if (min_ < 0) return;
  if (!jsonl) {
    std::error_code ec;
    std::filesystem::create_directories(low_, ec);
    if (ec) throw Error("--low-quality " + low_ + ": " + ec.message());
    out_ = std::make_unique<AtomicOutput>((std::filesystem::path(low_) / "quality.jsonl").string());
  } else {
    out_ = std::make_unique<AtomicOutput>(low_);
  }
}

QualityRun::~QualityRun() = default;

QualityScorer* QualityRun::scorer(unsigned worker, Resources& resources) {
  if (!enabled_) return nullptr;
  if (!scorers_[worker]) scorers_[worker] = std::make_unique<QualityScorer>(resources, all_signals_);
  return scorers_[worker].get();
}

bool QualityRun::add(double score) {
  scores_.push_back(score);
  const bool low = min_ >= 0 && score < min_;
  routed_ += low;
  return low;
}

void QualityRun::write_record(const std::string& record_line) { out_->write(record_line + "\n"); }

void QualityRun::write_file(const std::string& relative, const std::string& label, const std::string& text,
                            const DocumentQuality& q) {
  const auto target = std::filesystem::path(low_) / relative;
  std::error_code ec;
  std::filesystem::create_directories(target.parent_path(), ec);
  write_file_atomic(target.string(), text);
  nlohmann::ordered_json j{{"document", label}, {"written", target.string()}};
  const auto quality = quality_to_json(q, false);
  for (const auto& [k, v] : quality.items()) j[k] = v;
  out_->write(j.dump() + "\n");
}

void QualityRun::commit() {
  if (out_) out_->commit();
}

std::string QualityRun::summary() const {
  if (!enabled_ || scores_.empty()) return {};
  std::vector<double> sorted = scores_;
  std::sort(sorted.begin(), sorted.end());
  const double mean = std::accumulate(sorted.begin(), sorted.end(), 0.0) / static_cast<double>(sorted.size());
  const std::size_t mid = sorted.size() / 2;
  const double median = sorted.size() % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  std::size_t good = 0, fair = 0, poor = 0;
  for (double v : sorted) (v >= 62 ? good : v >= 52 ? fair : poor) += 1;
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(1);
  s << "copydesk: quality: mean " << mean << ", median " << median << ", lowest " << sorted.front() << "; good " << good
    << ", fair " << fair << ", poor " << poor;
  if (min_ >= 0) s << "; below " << min_ << ": " << routed_ << " (to " << low_ << ")";
  s << "\n";
  return s.str();
}

}  // namespace copydesk
