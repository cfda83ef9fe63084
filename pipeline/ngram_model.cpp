#include "pipeline/ngram_model.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <mutex>
#include <random>
#include <sstream>

#include <sphinxbase/ckd_alloc.h>
#include <sphinxbase/err.h>
#include <sphinxbase/logmath.h>
#include <sphinxbase/ngram_model.h>

#include "pipeline/error.h"
#include "pipeline/installed.h"

#ifndef COPYDESK_DEFAULT_NGRAM_MODEL
#define COPYDESK_DEFAULT_NGRAM_MODEL "/usr/share/pocketsphinx/model/en-us/en-us.lm.bin"
#endif
#ifndef COPYDESK_DEFAULT_NGRAM_FILE
#define COPYDESK_DEFAULT_NGRAM_FILE ""
#endif

namespace copydesk {

namespace {

// The compiled file: this header, then its sections in this order, each
// starting on a 64-byte boundary (a cache line):
//   float    unigram_prob[n1], unigram_backoff[n1]   (sphinxbase's log units)
//   uint32   unigram_next[n1 + 1]     bigrams of word w: [next[w], next[w + 1])
//   uint32   word_start[n1 + 1]; char pool[pool_bytes]   the words, by id
//   uint32   slots[slot_count]        vocabulary hash: id + 1, 0 for empty
//   float    prob2[], backoff2[], prob3[]   the distinct values of each
//   uint32   bigram_key[n2]           w2 << backoff_bits | its back-off code
//   uint16   bigram_prob[n2]          prob code
//   uint16   bigram_next_low[n2 + 1]; uint32 bigram_next_base[n2 / 2^next_shift + 1]
//            trigrams of bigram b: [next(b), next(b + 1)), where next(b) is
//            bigram_next_base[b >> next_shift] + bigram_next_low[b]
//   uint32   bigram_sample[n2 / 16]   every 16th bigram_key
//   uint32   trigram_word[n3]; uint16 trigram_prob[n3]
//   uint32   trigram_sample[n3 / 16]
// Every page a process touches counts in its memory (the kernel maps a file's
// cached pages around each one read, 64 KB at a time), and look-ups land all
// over the bigrams, so a bigram takes 8 bytes, not 12: its word and back-off
// code share 32 bits, and where its trigrams start is 16 bits from a sample.
// A bigram prob code of kNoBigram marks a bigram present only as the history of
// trigrams (sphinxbase then finds no bigram; its back-off weight is 0).
constexpr char kMagic[8] = {'C', 'D', 'N', 'G', 'R', 'M', '0', '3'};
constexpr std::uint16_t kNoBigram = 0xFFFF;
constexpr std::uint32_t kNotFound = std::numeric_limits<std::uint32_t>::max();

struct Header {
  char magic[8];
  std::uint32_t n1, n2, n3, slot_count;
  std::uint32_t pool_bytes, prob2_count, backoff2_count, prob3_count;
  double unit;
  float floor;
  std::uint32_t backoff_bits;  // of a bigram key
  std::uint32_t next_shift;    // log2 of the bigrams a bigram_next_base covers
  std::uint32_t reserved;
};
static_assert(sizeof(Header) == 64);

constexpr std::size_t round64(std::size_t n) { return (n + 63) & ~std::size_t{63}; }

// Every kBlock-th id of the bigram and trigram word arrays is sampled into a
// small array (under a megabyte for the whole model, so mostly in cache): a
// search finds its block there and then reads one cache line of ids.
constexpr std::uint32_t kBlock = 16;
constexpr std::size_t samples_of(std::size_t n) { return (n + kBlock - 1) / kBlock; }

// The index of the entry whose id (its bits from `shift` up) is `key` among
// words[first, last) (sorted), or kNotFound. Entries with that id are the
// values from key << shift to that with all low bits set, so the search
// compares whole values.
// The search in two steps: narrow() finds the at most kBlock entries of
// words[first, last) that can hold the key (from the samples alone), pick()
// searches them.
struct Narrowed {
  std::uint32_t a, b;
};
Narrowed narrow(const std::uint32_t* samples, std::uint32_t first, std::uint32_t last, std::uint32_t high) {
  std::uint32_t a = first, b = last;
  if (last - first > kBlock) {
    // The blocks that start inside the range: the last whose first id is at
    // most the key holds it; before the first such block, the range's head.
    const std::uint32_t k_first = (first + kBlock - 1) / kBlock, k_last = (last - 1) / kBlock;
    const std::uint32_t* it = std::upper_bound(samples + k_first, samples + k_last + 1, high);
    if (it == samples + k_first) {
      b = k_first * kBlock;
    } else {
      a = static_cast<std::uint32_t>(it - samples - 1) * kBlock;
      b = std::min(last, a + kBlock);
    }
  }
  return {a, b};
}
std::uint32_t pick(const std::uint32_t* words, Narrowed r, std::uint32_t low, std::uint32_t high) {
  const std::uint32_t* p = std::lower_bound(words + r.a, words + r.b, low);
  return p != words + r.b && *p <= high ? static_cast<std::uint32_t>(p - words) : kNotFound;
}
std::uint32_t find_id(const std::uint32_t* words, const std::uint32_t* samples, std::uint32_t first, std::uint32_t last,
                      std::uint32_t key, unsigned shift) {
  const std::uint32_t low = key << shift, high = low | ((std::uint32_t{1} << shift) - 1);
  return pick(words, narrow(samples, first, last, high), low, high);
}

std::uint64_t hash_word(std::string_view w) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : w) h = (h ^ c) * 1099511628211ULL;
  return h ^ (h >> 29);
}

struct Layout {
  std::size_t uni_prob, uni_backoff, uni_next, word_start, pool, slots, prob2, backoff2, prob3, bi_key, bi_prob,
      bi_next_low, bi_next_base, bi_sample, tri_word, tri_prob, tri_sample, total;
};

Layout layout_of(const Header& h) {
  Layout l{};
  std::size_t at = sizeof(Header);
  auto take = [&at](std::size_t bytes) {
    const std::size_t start = at;
    at += round64(bytes);
    return start;
  };
  l.uni_prob = take(std::size_t{h.n1} * 4);
  l.uni_backoff = take(std::size_t{h.n1} * 4);
  l.uni_next = take((std::size_t{h.n1} + 1) * 4);
  l.word_start = take((std::size_t{h.n1} + 1) * 4);
  l.pool = take(h.pool_bytes);
  l.slots = take(std::size_t{h.slot_count} * 4);
  l.prob2 = take(std::size_t{h.prob2_count} * 4);
  l.backoff2 = take(std::size_t{h.backoff2_count} * 4);
  l.prob3 = take(std::size_t{h.prob3_count} * 4);
  l.bi_key = take(std::size_t{h.n2} * 4);
  l.bi_prob = take(std::size_t{h.n2} * 2);
  l.bi_next_low = take((std::size_t{h.n2} + 1) * 2);
  l.bi_next_base = take(((std::size_t{h.n2} >> h.next_shift) + 1) * 4);
  l.bi_sample = take(samples_of(h.n2) * 4);
  l.tri_word = take(std::size_t{h.n3} * 4);
  l.tri_prob = take(std::size_t{h.n3} * 2);
  l.tri_sample = take(samples_of(h.n3) * 4);
  l.total = at;
  return l;
}

bool is_regular_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

void require_model(const std::string& path) {
  if (!is_regular_file(path)) {
    throw Error("language model not found: " + path + " (install pocketsphinx-en-us, or set COPYDESK_NGRAM_MODEL)");
  }
}

// The distinct values of one kind, sorted; each value's code is its index.
struct Codebook {
  std::vector<float> values;
  void finish(const std::string& what, const std::string& source) {
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    if (values.size() >= kNoBigram) {
      throw Error("cannot compile language model " + source + ": more than 65,535 distinct " + what);
    }
  }
  std::uint16_t code(float v) const {
    return static_cast<std::uint16_t>(std::lower_bound(values.begin(), values.end(), v) - values.begin());
  }
};

template <class T>
void put(std::vector<char>& out, std::size_t at, const std::vector<T>& v) {
  if (!v.empty()) std::memcpy(out.data() + at, v.data(), v.size() * sizeof(T));
}

}  // namespace

// sphinxbase's trie (lm_trie.h of its source, not installed): its reader and
// its lister of n-grams are exported, the types they take are declared here
// as that version lays them out. The compiled model is checked against
// sphinxbase's public scoring after every compilation, so a library laid out
// otherwise fails the build instead of giving other answers.
namespace sphinx {
constexpr char kTrieHeader[] = "Trie Language Model";
struct Unigram {
  float prob, bo;
  std::uint32_t next;
};
struct Trie {
  std::uint8_t* ngram_mem;
  std::size_t ngram_mem_size;
  Unigram* unigrams;
};
struct NodeRange {
  std::uint32_t begin, end;
};
struct RawNgram {
  std::uint32_t* words = nullptr;
  float prob = 0, backoff = 0;
  std::uint32_t order = 0;
};
extern "C" {
Trie* lm_trie_read_bin(std::uint32_t* counts, int order, std::FILE* fp);
void lm_trie_fill_raw_ngram(Trie* trie, RawNgram* raw_ngrams, std::uint32_t* raw_ngram_idx, std::uint32_t* counts,
                            NodeRange range, std::uint32_t* hist, int n_hist, int order, int max_order);
void lm_trie_free(Trie* trie);
}
}  // namespace sphinx

std::string NgramModel::default_source() { return COPYDESK_DEFAULT_NGRAM_MODEL; }

std::string NgramModel::default_path() {
  if (const char* env = std::getenv("COPYDESK_NGRAM_MODEL"); env != nullptr && *env != '\0') return env;
  // Where the installation or the build keeps the compiled model; looked for once.
  static const std::string found = [] {
    if (std::string installed = installed_data_file("copydesk_ngram.bin"); !installed.empty()) return installed;
    const std::string built = COPYDESK_DEFAULT_NGRAM_FILE;
    if (!built.empty() && is_regular_file(built)) return built;
    return std::string();
  }();
  return found.empty() ? default_source() : found;
}

std::vector<char> NgramModel::compile_bytes(const std::string& source, Counts* counts) {
  require_model(source);
  {
    // sphinxbase logs to standard error by default; its messages are not ours.
    static std::once_flag quiet;
    std::call_once(quiet, [] { err_set_logfp(nullptr); });
  }
  struct Handles {
    logmath_t* logmath = nullptr;
    ngram_model_t* model = nullptr;
    sphinx::Trie* trie = nullptr;
    std::FILE* file = nullptr;
    std::string temporary;
    std::vector<sphinx::RawNgram> raw;
    ~Handles() {
      for (auto& r : raw) ckd_free(r.words);
      if (trie != nullptr) sphinx::lm_trie_free(trie);
      if (file != nullptr) std::fclose(file);
      if (model != nullptr) ngram_model_free(model);
      if (logmath != nullptr) logmath_free(logmath);
      if (!temporary.empty()) ::unlink(temporary.c_str());
    }
  } h;
  // The base and the arithmetic are sphinxbase's own, so answers match its.
  h.logmath = logmath_init(1.0001, 0, 0);
  h.model = ngram_model_read(nullptr, source.c_str(), NGRAM_AUTO, h.logmath);
  if (h.model == nullptr) throw Error("cannot read language model: " + source);
  const int order = ngram_model_get_size(h.model);
  if (order > 3) {
    throw Error("cannot compile language model " + source + ": its order is " + std::to_string(order) +
                ", copydesk reads trigram models");
  }
  const std::uint32_t n1 = ngram_model_get_counts(h.model)[0];
  const int32 unknown = ngram_unknown_wid(h.model);

  // The n-grams come from sphinxbase's trie, read from its binary form by its
  // own reader (a model in another form is written in it first).
  std::string trie_file = source;
  auto has_trie_header = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    char head[sizeof sphinx::kTrieHeader - 1] = {};
    in.read(head, sizeof head);
    return in && std::memcmp(head, sphinx::kTrieHeader, sizeof head) == 0;
  };
  if (!has_trie_header(source)) {
    const char* tmpdir = std::getenv("TMPDIR");
    std::string name = std::string(tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp") + "/copydesk-ngram-XXXXXX";
    const int fd = ::mkstemp(name.data());
    if (fd < 0) throw Error("cannot create a temporary file in " + name.substr(0, name.rfind('/')));
    ::close(fd);
    h.temporary = name;
    if (ngram_model_write(h.model, name.c_str(), NGRAM_BIN) != 0 || !has_trie_header(name)) {
      throw Error("cannot convert language model " + source + " to sphinxbase's trie form");
    }
    trie_file = name;
  }
  h.file = std::fopen(trie_file.c_str(), "rb");
  std::uint32_t file_counts[3] = {0, 0, 0};
  {
    char head[sizeof sphinx::kTrieHeader - 1];
    std::uint8_t file_order = 0;
    if (h.file == nullptr || std::fread(head, 1, sizeof head, h.file) != sizeof head ||
        std::fread(&file_order, 1, 1, h.file) != 1 || file_order != order ||
        std::fread(file_counts, 4, file_order, h.file) != file_order || file_counts[0] != n1) {
      throw Error("cannot read the n-grams of language model " + source);
    }
  }
  h.trie = sphinx::lm_trie_read_bin(file_counts, order, h.file);
  if (h.trie == nullptr) throw Error("cannot read the n-grams of language model " + source);

  std::vector<float> uni_prob(n1, 0.0f), uni_backoff(n1, 0.0f);
  for (std::uint32_t w = 0; w < n1; ++w) {
    uni_prob[w] = h.trie->unigrams[w].prob;
    uni_backoff[w] = h.trie->unigrams[w].bo;
  }
  struct Bigram {
    std::uint32_t w1, w2;
    float prob, backoff;
    bool real;
  };
  struct Trigram {
    std::uint32_t w1, w2, w3;
    float prob;
  };
  std::vector<Bigram> bigrams;
  std::vector<Trigram> trigrams;
  // Every n-gram of one order, listed by sphinxbase's own walk of its trie
  // (the one its ARPA writer uses; the writer itself stops on this model at
  // a check of its counts). The trie may hold more bigrams than its header
  // counts (those it adds for trigrams whose last two words are no bigram),
  // so the list has room for them.
  auto read_order = [&](int m) {
    const std::size_t room = std::size_t{file_counts[1]} + (order > 2 ? file_counts[2] : 0) + 16;
    h.raw.assign(room, sphinx::RawNgram{});
    std::uint32_t filled = 0;
    std::uint32_t hist[4] = {0, 0, 0, 0};
    sphinx::lm_trie_fill_raw_ngram(h.trie, h.raw.data(), &filled, file_counts, sphinx::NodeRange{0, 0}, hist, 0, m,
                                   order);
    if (filled > room) throw Error("internal error: sphinxbase listed more n-grams than its trie holds");
    h.raw.resize(filled);
    for (auto& r : h.raw) {
      if (m == 2) {
        bigrams.push_back({r.words[0], r.words[1], r.prob, m < order ? r.backoff : 0.0f, true});
      } else {
        trigrams.push_back({r.words[0], r.words[1], r.words[2], r.prob});
      }
      ckd_free(r.words);
      r.words = nullptr;
    }
    h.raw.clear();
  };
  if (order >= 2) read_order(2);
  if (order >= 3) read_order(3);

  auto bigram_less = [](const Bigram& a, const Bigram& b) { return a.w1 != b.w1 ? a.w1 < b.w1 : a.w2 < b.w2; };
  std::sort(bigrams.begin(), bigrams.end(), bigram_less);
  std::sort(trigrams.begin(), trigrams.end(), [](const Trigram& a, const Trigram& b) {
    if (a.w1 != b.w1) return a.w1 < b.w1;
    return a.w2 != b.w2 ? a.w2 < b.w2 : a.w3 < b.w3;
  });
  // A trigram whose first two words are no bigram gets a bigram entry that
  // only holds its trigrams.
  {
    std::vector<Bigram> histories;
    for (std::size_t i = 0; i < trigrams.size(); ++i) {
      if (i > 0 && trigrams[i].w1 == trigrams[i - 1].w1 && trigrams[i].w2 == trigrams[i - 1].w2) continue;
      const Bigram key{trigrams[i].w1, trigrams[i].w2, 0.0f, 0.0f, false};
      if (!std::binary_search(bigrams.begin(), bigrams.end(), key, bigram_less)) histories.push_back(key);
    }
    if (!histories.empty()) {
      bigrams.insert(bigrams.end(), histories.begin(), histories.end());
      std::sort(bigrams.begin(), bigrams.end(), bigram_less);
    }
  }

  Codebook prob2, backoff2, prob3;
  backoff2.values.push_back(0.0f);
  for (const Bigram& b : bigrams) {
    if (!b.real) continue;
    prob2.values.push_back(b.prob);
    backoff2.values.push_back(b.backoff);
  }
  for (const Trigram& t : trigrams) prob3.values.push_back(t.prob);
  prob2.finish("bigram probabilities", source);
  backoff2.finish("bigram back-off weights", source);
  prob3.finish("trigram probabilities", source);

  const auto n2 = static_cast<std::uint32_t>(bigrams.size());
  const auto n3 = static_cast<std::uint32_t>(trigrams.size());
  std::uint32_t backoff_bits = 1, word_bits = 1;
  while ((std::size_t{1} << backoff_bits) < backoff2.values.size()) ++backoff_bits;
  while ((std::size_t{1} << word_bits) < n1) ++word_bits;
  if (backoff_bits + word_bits > 32) {
    throw Error("cannot compile language model " + source + ": its words and back-off weights need more than 32 bits");
  }
  std::vector<std::uint32_t> uni_next(std::size_t{n1} + 1), bi_key(n2), bi_next(std::size_t{n2} + 1), tri_word(n3);
  std::vector<std::uint16_t> bi_prob(n2), tri_prob(n3);
  {
    std::size_t b = 0;
    for (std::uint32_t w = 0; w <= n1; ++w) {
      while (b < bigrams.size() && bigrams[b].w1 < w) ++b;
      uni_next[w] = static_cast<std::uint32_t>(b);
    }
    std::size_t t = 0;
    for (std::size_t i = 0; i < bigrams.size(); ++i) {
      const Bigram& bg = bigrams[i];
      bi_key[i] = bg.w2 << backoff_bits | backoff2.code(bg.real ? bg.backoff : 0.0f);
      bi_prob[i] = bg.real ? prob2.code(bg.prob) : kNoBigram;
      bi_next[i] = static_cast<std::uint32_t>(t);
      while (t < trigrams.size() && trigrams[t].w1 == bg.w1 && trigrams[t].w2 == bg.w2) ++t;
    }
    bi_next[n2] = static_cast<std::uint32_t>(t);
    if (t != trigrams.size()) throw Error("internal error: trigrams without their bigram in " + source);
    for (std::size_t i = 0; i < trigrams.size(); ++i) {
      tri_word[i] = trigrams[i].w3;
      tri_prob[i] = prob3.code(trigrams[i].prob);
    }
  }

  // The vocabulary: words by id, and a hash table over them (sphinxbase's
  // unknown-word id, if the model has one, is not a word).
  std::vector<std::uint32_t> word_start(std::size_t{n1} + 1);
  std::string pool;
  for (std::uint32_t w = 0; w < n1; ++w) {
    word_start[w] = static_cast<std::uint32_t>(pool.size());
    pool += ngram_word(h.model, static_cast<int32>(w));
  }
  word_start[n1] = static_cast<std::uint32_t>(pool.size());
  std::uint32_t slot_count = 1;
  while (slot_count < 2 * n1 + 2) slot_count *= 2;
  std::vector<std::uint32_t> slots(slot_count, 0);
  for (std::uint32_t w = 0; w < n1; ++w) {
    if (static_cast<int32>(w) == unknown) continue;
    const std::string_view word(pool.data() + word_start[w], word_start[w + 1] - word_start[w]);
    std::uint32_t s = static_cast<std::uint32_t>(hash_word(word)) & (slot_count - 1);
    while (slots[s] != 0) s = (s + 1) & (slot_count - 1);
    slots[s] = w + 1;
  }

  // Where each bigram's trigrams start: a 32-bit base every 2^next_shift
  // bigrams and 16 bits each from it (the largest blocks that fit).
  std::uint32_t next_shift = 8;
  auto next_fits = [&](std::uint32_t shift) {
    for (std::size_t i = 0; i <= n2; ++i)
      if (bi_next[i] - bi_next[(i >> shift) << shift] > 0xFFFF) return false;
    return true;
  };
  while (next_shift > 0 && !next_fits(next_shift)) --next_shift;
  std::vector<std::uint32_t> bi_next_base((std::size_t{n2} >> next_shift) + 1);
  for (std::size_t j = 0; j < bi_next_base.size(); ++j) bi_next_base[j] = bi_next[j << next_shift];
  std::vector<std::uint16_t> bi_next_low(std::size_t{n2} + 1);
  for (std::size_t i = 0; i <= n2; ++i)
    bi_next_low[i] = static_cast<std::uint16_t>(bi_next[i] - bi_next_base[i >> next_shift]);

  Header hd{};
  std::memcpy(hd.magic, kMagic, sizeof kMagic);
  hd.backoff_bits = backoff_bits;
  hd.next_shift = next_shift;
  hd.n1 = n1;
  hd.n2 = n2;
  hd.n3 = n3;
  hd.slot_count = slot_count;
  hd.pool_bytes = static_cast<std::uint32_t>(pool.size());
  hd.prob2_count = static_cast<std::uint32_t>(prob2.values.size());
  hd.backoff2_count = static_cast<std::uint32_t>(backoff2.values.size());
  hd.prob3_count = static_cast<std::uint32_t>(prob3.values.size());
  hd.unit = logmath_log_to_log10(h.logmath, 1);
  hd.floor = -9.5f;
  const Layout l = layout_of(hd);
  std::vector<char> out(l.total, 0);
  std::memcpy(out.data(), &hd, sizeof hd);
  put(out, l.uni_prob, uni_prob);
  put(out, l.uni_backoff, uni_backoff);
  put(out, l.uni_next, uni_next);
  put(out, l.word_start, word_start);
  std::memcpy(out.data() + l.pool, pool.data(), pool.size());
  put(out, l.slots, slots);
  put(out, l.prob2, prob2.values);
  put(out, l.backoff2, backoff2.values);
  put(out, l.prob3, prob3.values);
  put(out, l.bi_key, bi_key);
  put(out, l.bi_prob, bi_prob);
  put(out, l.bi_next_low, bi_next_low);
  put(out, l.bi_next_base, bi_next_base);
  put(out, l.tri_word, tri_word);
  put(out, l.tri_prob, tri_prob);
  auto sample = [](const std::vector<std::uint32_t>& words) {
    std::vector<std::uint32_t> v;
    for (std::size_t i = 0; i < words.size(); i += kBlock) v.push_back(words[i]);
    return v;
  };
  put(out, l.bi_sample, sample(bi_key));
  put(out, l.tri_sample, sample(tri_word));
  // The check: the compiled model answers as sphinxbase's public scoring
  // does, on trigrams of the model, their back-off paths and random triples.
  {
    NgramModel compiled;
    compiled.attach(out.data(), out.size(), source);
    std::mt19937 rng(20261207);
    std::uniform_int_distribution<std::uint32_t> any(0, n1 - 1);
    const std::size_t step = std::max<std::size_t>(1, trigrams.size() / 5000);
    auto check = [&](int w1, int w2, int w3) {
      const int32 h1 = w2 < 0 ? NGRAM_INVALID_WID : w2;
      const int32 h2 = (w2 < 0 || w1 < 0) ? NGRAM_INVALID_WID : w1;
      int32 used = 0;
      const int32 score = ngram_tg_score(h.model, w3, h1, h2, &used);
      const auto want = static_cast<float>(logmath_log_to_log10(h.logmath, score));
      int got_order = -1;
      if (compiled.log10_prob(w1, w2, w3, &got_order) != want || got_order != used) {
        throw Error("internal error: the compiled language model disagrees with sphinxbase on " +
                    std::string(compiled.word(w1)) + " " + std::string(compiled.word(w2)) + " " +
                    std::string(compiled.word(w3)) + " (" + source + ")");
      }
    };
    auto id = [](std::uint32_t w) { return static_cast<int>(w); };
    for (std::size_t i = 0; i < trigrams.size(); i += step) {
      const Trigram& t = trigrams[i];
      check(id(t.w1), id(t.w2), id(t.w3));
      check(id(t.w1), id(t.w2), id(any(rng)));
      check(kNone, id(t.w2), id(t.w3));
      check(id(any(rng)), id(t.w2), id(t.w3));
    }
    for (int i = 0; i < 20000; ++i) check(id(any(rng)), id(any(rng)), id(any(rng)));
  }
  if (counts != nullptr) {
    counts->unigrams = n1;
    counts->bigrams =
        static_cast<std::size_t>(std::count_if(bigrams.begin(), bigrams.end(), [](const Bigram& b) { return b.real; }));
    counts->trigrams = n3;
    counts->bytes = out.size();
  }
  return out;
}

NgramModel::Counts NgramModel::compile(const std::string& source, const std::string& file) {
  Counts counts;
  const std::vector<char> bytes = compile_bytes(source, &counts);
  const std::string tmp = file + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw Error("cannot write the compiled language model '" + tmp + "'");
  }
  std::filesystem::rename(tmp, file);
  return counts;
}

void NgramModel::attach(const char* data, std::size_t size, const std::string& path) {
  Header h{};
  const auto bad = [&path] {
    return Error("malformed compiled language model: " + path + " (rebuild it with copydesk_ngram)");
  };
  if (size < sizeof h) throw bad();
  std::memcpy(&h, data, sizeof h);
  if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0) throw bad();
  if (h.backoff_bits == 0 || h.backoff_bits > 16 || h.next_shift > 16) throw bad();
  const Layout l = layout_of(h);
  if (l.total != size || h.n1 == 0 || (h.slot_count & (h.slot_count - 1)) != 0 || h.slot_count < h.n1) throw bad();
  auto u32 = [data](std::size_t at) { return reinterpret_cast<const std::uint32_t*>(data + at); };
  auto u16 = [data](std::size_t at) { return reinterpret_cast<const std::uint16_t*>(data + at); };
  auto f32 = [data](std::size_t at) { return reinterpret_cast<const float*>(data + at); };
  uni_prob_ = f32(l.uni_prob);
  uni_backoff_ = f32(l.uni_backoff);
  uni_next_ = u32(l.uni_next);
  word_starts_ = u32(l.word_start);
  pool_ = data + l.pool;
  slots_ = u32(l.slots);
  prob2_values_ = f32(l.prob2);
  backoff2_values_ = f32(l.backoff2);
  prob3_values_ = f32(l.prob3);
  bi_key_ = u32(l.bi_key);
  bi_prob_ = u16(l.bi_prob);
  bi_sample_ = u32(l.bi_sample);
  bi_next_low_ = u16(l.bi_next_low);
  bi_next_base_ = u32(l.bi_next_base);
  backoff_bits_ = h.backoff_bits;
  next_shift_ = h.next_shift;
  tri_word_ = u32(l.tri_word);
  tri_prob_ = u16(l.tri_prob);
  tri_sample_ = u32(l.tri_sample);
  if (uni_next_[h.n1] != h.n2 || trigrams_of(h.n2) != h.n3 || word_starts_[h.n1] != h.pool_bytes) throw bad();
  slot_mask_ = h.slot_count - 1;
  unit_ = h.unit;
  floor_ = h.floor;
  vocabulary_ = static_cast<int>(h.n1);
  size_ = size;
}

NgramModel::~NgramModel() {
  if (mapped_ != nullptr) ::munmap(mapped_, size_);
}

std::shared_ptr<const NgramModel> NgramModel::shared(const std::string& path) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const NgramModel>> models;
  const std::string key = path.empty() ? default_path() : path;
  std::lock_guard lock(mutex);
  auto& slot = models[key];
  if (slot) return slot;
  require_model(key);
  std::shared_ptr<NgramModel> model(new NgramModel());
  const int fd = ::open(key.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error("cannot read language model: " + key);
  char magic[sizeof kMagic] = {};
  const bool compiled = ::pread(fd, magic, sizeof magic, 0) == static_cast<ssize_t>(sizeof magic) &&
                        std::memcmp(magic, kMagic, sizeof kMagic) == 0;
  if (compiled) {
    struct stat st {};
    void* m = MAP_FAILED;
    if (::fstat(fd, &st) == 0 && st.st_size > 0) {
      m = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    }
    ::close(fd);
    if (m == MAP_FAILED) throw Error("cannot map language model: " + key);
    model->mapped_ = m;
    model->size_ = static_cast<std::size_t>(st.st_size);
    model->attach(static_cast<const char*>(m), model->size_, key);
  } else {
    // A model in one of sphinxbase's formats: compiled here, kept in memory.
    ::close(fd);
    model->owned_ = compile_bytes(key, nullptr);
    model->attach(model->owned_.data(), model->owned_.size(), key);
  }
  slot = std::move(model);
  return slot;
}

int NgramModel::id(std::string_view lower_word) const {
  if (lower_word.empty() || lower_word.size() > 64) return kNone;
  for (std::uint32_t s = static_cast<std::uint32_t>(hash_word(lower_word)) & slot_mask_;; s = (s + 1) & slot_mask_) {
    const std::uint32_t v = slots_[s];
    if (v == 0) return kNone;
    const std::uint32_t a = word_starts_[v - 1], b = word_starts_[v];
    if (b - a == lower_word.size() && std::memcmp(pool_ + a, lower_word.data(), lower_word.size()) == 0) {
      return static_cast<int>(v - 1);
    }
  }
}

std::string_view NgramModel::word(int id) const {
  if (id < 0 || id >= vocabulary_) return {};
  const auto w = static_cast<std::size_t>(id);
  return {pool_ + word_starts_[w], word_starts_[w + 1] - word_starts_[w]};
}

std::uint32_t NgramModel::find_bigram(std::uint32_t w1, std::uint32_t w2) const {
  return find_id(bi_key_, bi_sample_, uni_next_[w1], uni_next_[w1 + 1], w2, backoff_bits_);
}

void NgramModel::log10_bigrams(const int* previous, const int* words, std::size_t n, float* out, int* orders) const {
  const auto n1 = static_cast<std::uint32_t>(vocabulary_);
  const std::uint32_t ones = (std::uint32_t{1} << backoff_bits_) - 1;
  constexpr std::size_t kGroup = 32;
  std::uint32_t found[kGroup];
  Narrowed range[kGroup];
  for (std::size_t base = 0; base < n; base += kGroup) {
    const std::size_t m = std::min(kGroup, n - base);
    const int* p = previous + base;
    const int* w = words + base;
    auto both = [&](std::size_t k) {
      return p[k] >= 0 && static_cast<std::uint32_t>(p[k]) < n1 && w[k] >= 0 && static_cast<std::uint32_t>(w[k]) < n1;
    };
    // Step 1: where the bigrams of each history word lie.
    for (std::size_t k = 0; k < m; ++k) {
      if (!both(k)) continue;
      __builtin_prefetch(uni_next_ + p[k]);
      __builtin_prefetch(uni_backoff_ + p[k]);
      __builtin_prefetch(uni_prob_ + w[k]);
    }
    // Step 2: the block of bigram keys that can hold each pair.
    for (std::size_t k = 0; k < m; ++k) {
      if (!both(k)) continue;
      const auto u2 = static_cast<std::uint32_t>(p[k]), u3 = static_cast<std::uint32_t>(w[k]);
      const std::uint32_t high = (u3 << backoff_bits_) | ones;
      range[k] = narrow(bi_sample_, uni_next_[u2], uni_next_[u2 + 1], high);
      if (range[k].a < range[k].b) {
        __builtin_prefetch(bi_key_ + range[k].a);
        __builtin_prefetch(bi_key_ + range[k].b - 1);
      }
    }
    // Step 3: the pair among them.
    for (std::size_t k = 0; k < m; ++k) {
      if (!both(k)) continue;
      const auto u3 = static_cast<std::uint32_t>(w[k]);
      const std::uint32_t low = u3 << backoff_bits_;
      found[k] = pick(bi_key_, range[k], low, low | ones);
      if (found[k] != kNotFound) __builtin_prefetch(bi_prob_ + found[k]);
    }
    // Step 4: the answers, as log10_prob() gives them.
    for (std::size_t k = 0; k < m; ++k) {
      if (!both(k)) {
        out[base + k] = log10_prob(kNone, p[k], w[k], orders != nullptr ? orders + base + k : nullptr);
        continue;
      }
      const auto u2 = static_cast<std::uint32_t>(p[k]), u3 = static_cast<std::uint32_t>(w[k]);
      float score = uni_prob_[u3];
      int used = 1;
      const std::uint32_t b23 = found[k];
      if (b23 != kNotFound && bi_prob_[b23] != kNoBigram) {
        score = prob2_values_[bi_prob_[b23]];
        used = 2;
      } else {
        score = score + uni_backoff_[u2];
      }
      if (orders != nullptr) orders[base + k] = used;
      out[base + k] = static_cast<float>(static_cast<double>(static_cast<std::int32_t>(score)) * unit_);
    }
  }
}

// sphinxbase's Katz back-off (lm_trie_score), value for value: its float
// sums in its order, truncated to its integer log scale.
float NgramModel::log10_prob(int w1, int w2, int w3, int* order) const {
  const auto n1 = static_cast<std::uint32_t>(vocabulary_);
  const auto u3 = static_cast<std::uint32_t>(w3), u2 = static_cast<std::uint32_t>(w2),
             u1 = static_cast<std::uint32_t>(w1);
  if (w3 < 0 || u3 >= n1) {
    if (order != nullptr) *order = 0;
    return floor_;
  }
  float score = uni_prob_[u3];
  int used = 1;
  if (w2 < 0 || u2 >= n1) {
    // A unigram.
  } else if (w1 < 0 || u1 >= n1) {
    const std::uint32_t b23 = find_bigram(u2, u3);
    if (b23 != kNotFound && bi_prob_[b23] != kNoBigram) {
      score = prob2_values_[bi_prob_[b23]];
      used = 2;
    } else {
      score = score + uni_backoff_[u2];
    }
  } else {
    // The trigram first: sphinxbase's trie reaches a trigram through its last
    // two words, so where the trigram is, the bigram w2 w3 is too and the
    // answer is the trigram's (the compiler's check holds it to this).
    const std::uint32_t b12 = find_bigram(u1, u2);
    if (b12 != kNotFound) {
      const std::uint32_t t = find_id(tri_word_, tri_sample_, trigrams_of(b12), trigrams_of(b12 + 1), u3, 0);
      if (t != kNotFound) {
        if (order != nullptr) *order = 3;
        return static_cast<float>(static_cast<double>(static_cast<std::int32_t>(prob3_values_[tri_prob_[t]])) * unit_);
      }
    }
    const float backoff12 =
        b12 != kNotFound ? backoff2_values_[bi_key_[b12] & ((std::uint32_t{1} << backoff_bits_) - 1)] : 0.0f;
    const std::uint32_t b23 = find_bigram(u2, u3);
    if (b23 != kNotFound && bi_prob_[b23] != kNoBigram) {
      score = prob2_values_[bi_prob_[b23]] + backoff12;
      used = 2;
    } else {
      score = (score + uni_backoff_[u2]) + backoff12;
    }
  }
  if (order != nullptr) *order = used;
  return static_cast<float>(static_cast<double>(static_cast<std::int32_t>(score)) * unit_);
}

}  // namespace copydesk
