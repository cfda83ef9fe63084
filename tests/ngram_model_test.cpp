#include "pipeline/ngram_model.h"

#include "bench/sentence_words.h"

#include <sphinxbase/err.h>
#include <sphinxbase/logmath.h>
#include <sphinxbase/ngram_model.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <thread>
#include <vector>

using copydesk::NgramModel;

TEST_CASE("the trigram model knows common words and not invented ones") {
  auto lm = NgramModel::shared();
  CHECK(lm->vocabulary() > 50000);
  CHECK(lm->id("the") != NgramModel::kNone);
  CHECK(lm->id("government") != NgramModel::kNone);
  CHECK(lm->id("qzxvbnw") == NgramModel::kNone);
  CHECK(lm->id("") == NgramModel::kNone);
  CHECK(lm->id(std::string(100, 'a')) == NgramModel::kNone);
  // The model is lower case.
  CHECK(lm->id("Government") == NgramModel::kNone);
}

TEST_CASE("context makes the expected word likelier than a look-alike") {
  auto lm = NgramModel::shared();
  const int we = lm->id("we"), will = lm->id("will"), well = lm->id("well");
  const int in = lm->id("in"), the = lm->id("the"), morning = lm->id("morning"), mourning = lm->id("mourning");
  CHECK(lm->log10_prob(NgramModel::kNone, we, will) > lm->log10_prob(NgramModel::kNone, we, well));
  CHECK(lm->log10_prob(in, the, morning) > lm->log10_prob(in, the, mourning));
  int order = 0;
  lm->log10_prob(in, the, morning, &order);
  CHECK(order == 3);
  // A history the model lacks backs off to the unigram.
  const float uni = lm->log10_unigram(morning);
  CHECK(lm->log10_prob(NgramModel::kNone, NgramModel::kNone, morning) == uni);
  CHECK(uni < 0.0f);
  CHECK(uni > lm->unknown_floor());
  CHECK(lm->log10_prob(in, the, NgramModel::kNone, &order) == lm->unknown_floor());
  CHECK(order == 0);
}

TEST_CASE("a word's fit in its window sums the trigrams that hold it, up to the first missing word") {
  auto lm = NgramModel::shared();
  const int in = lm->id("in"), the = lm->id("the"), morning = lm->id("morning"), mourning = lm->id("mourning");
  const int we = lm->id("we"), left = lm->id("left");
  const double full = static_cast<double>(lm->log10_prob(in, the, morning)) + lm->log10_prob(the, morning, we) +
                      lm->log10_prob(morning, we, left);
  CHECK(lm->fit_in_window(in, the, morning, we, left) == full);
  // A missing word after w ends the window there; a missing word before it
  // only shortens the history.
  CHECK(lm->fit_in_window(in, the, morning, NgramModel::kNone, left) == lm->log10_prob(in, the, morning));
  CHECK(lm->fit_in_window(NgramModel::kNone, the, morning, we, NgramModel::kNone) ==
        static_cast<double>(lm->log10_prob(NgramModel::kNone, the, morning)) + lm->log10_prob(the, morning, we));
  CHECK(lm->fit_in_window(in, the, morning, we, left) > lm->fit_in_window(in, the, mourning, we, left));
}

TEST_CASE("one model per process, same answers from every thread") {
  auto a = NgramModel::shared();
  auto b = NgramModel::shared(NgramModel::default_path());
  CHECK(a.get() == b.get());
  const char* words[] = {"the", "court", "said", "on", "monday", "that", "it", "would", "rule", "soon"};
  std::vector<int> ids;
  for (const char* w : words) ids.push_back(a->id(w));
  auto total = [&] {
    double sum = 0;
    for (int r = 0; r < 2000; ++r)
      for (std::size_t i = 2; i < ids.size(); ++i) sum += a->log10_prob(ids[i - 2], ids[i - 1], ids[i]);
    return sum;
  };
  const double expected = total();
  double got[2] = {0, 0};
  std::thread t1([&] { got[0] = total(); });
  std::thread t2([&] { got[1] = total(); });
  t1.join();
  t2.join();
  CHECK(got[0] == expected);
  CHECK(got[1] == expected);
}

TEST_CASE("a missing model file is a clear error") {
  CHECK_THROWS_WITH(NgramModel::shared("/nonexistent/model.lm.bin"), Catch::Contains("language model not found"));
}

namespace {

// sphinxbase's own answer, read as copydesk read it before the model was compiled.
struct Sphinx {
  logmath_t* logmath = nullptr;
  ngram_model_t* model = nullptr;
  explicit Sphinx(const std::string& path) {
    err_set_logfp(nullptr);
    logmath = logmath_init(1.0001, 0, 0);
    model = ngram_model_read(nullptr, path.c_str(), NGRAM_AUTO, logmath);
  }
  ~Sphinx() {
    if (model != nullptr) ngram_model_free(model);
    if (logmath != nullptr) logmath_free(logmath);
  }
  Sphinx(const Sphinx&) = delete;
  Sphinx& operator=(const Sphinx&) = delete;
  int id(const std::string& w) const {
    const int32 wid = ngram_wid(model, w.c_str());
    return wid < 0 || wid == ngram_unknown_wid(model) ? NgramModel::kNone : wid;
  }
  float prob(int w1, int w2, int w3, int* order) const {
    if (w3 < 0) {
      *order = 0;
      return -9.5f;
    }
    const int32 h1 = w2 < 0 ? NGRAM_INVALID_WID : w2;
    const int32 h2 = (w2 < 0 || w1 < 0) ? NGRAM_INVALID_WID : w1;
    int32 used = 0;
    const int32 score = ngram_tg_score(model, w3, h1, h2, &used);
    *order = used;
    return static_cast<float>(logmath_log_to_log10(logmath, score));
  }
};

struct Query {
  int w1, w2, w3;
};

// 200,000 queries: every trigram of the repository's English text (samples,
// their reviewed outputs, the documentation), the same with a one-word
// history and with a random last word (the back-off paths), then random id
// triples.
std::vector<Query> queries(const Sphinx& sphinx, int vocabulary) {
  std::vector<std::string> words;
  const std::filesystem::path root = COPYDESK_SOURCE_DIR;
  copydesk::bench::append_sentence_words(root / "samples", ".txt", words);
  copydesk::bench::append_sentence_words(root / "docs", ".md", words);
  copydesk::bench::append_sentence_words(root / "dictionaries", ".txt", words);
  std::vector<int> ids;
  for (const auto& w : words) ids.push_back(sphinx.id(w));
  std::mt19937 rng(20261207);
  std::uniform_int_distribution<int> any(0, vocabulary - 1);
  std::vector<Query> q;
  const std::size_t target = 200000;
  for (std::size_t i = 2; i < ids.size() && q.size() < target / 2; ++i) q.push_back({ids[i - 2], ids[i - 1], ids[i]});
  const std::size_t text = q.size();
  for (std::size_t i = 0; i < text && q.size() < target * 3 / 4; i += 2)
    q.push_back({NgramModel::kNone, q[i].w2, q[i].w3});
  for (std::size_t i = 1; i < text && q.size() < target * 7 / 8; i += 2) q.push_back({q[i].w1, q[i].w2, any(rng)});
  while (q.size() < target) q.push_back({any(rng), any(rng), any(rng)});
  return q;
}

}  // namespace

TEST_CASE("the compiled model answers as sphinxbase does") {
  const std::string source = NgramModel::default_source();
  if (!std::filesystem::exists(source)) {
    WARN("no Sphinx model at " + source + ": nothing to compare with");
    return;
  }
  const Sphinx sphinx(source);
  REQUIRE(sphinx.model != nullptr);
  auto lm = NgramModel::shared();
  const int n = lm->vocabulary();
  REQUIRE(n == static_cast<int>(ngram_model_get_counts(sphinx.model)[0]));
  // Every word has sphinxbase's id.
  int id_mismatches = 0;
  for (int w = 0; w < n; ++w) {
    const std::string word = ngram_word(sphinx.model, w);
    if (lm->id(word) != sphinx.id(word) || lm->word(w) != word) ++id_mismatches;
  }
  CHECK(id_mismatches == 0);

  const std::vector<Query> q = queries(sphinx, n);
  REQUIRE(q.size() == 200000);
  std::size_t order_mismatches = 0, exact = 0, by_order[4] = {0, 0, 0, 0};
  double max_diff = 0;
  for (const Query& x : q) {
    int want_order = -1, got_order = -1;
    const float want = sphinx.prob(x.w1, x.w2, x.w3, &want_order);
    const float got = lm->log10_prob(x.w1, x.w2, x.w3, &got_order);
    if (want_order != got_order) ++order_mismatches;
    if (got_order >= 0 && got_order <= 3) ++by_order[got_order];
    if (want == got) ++exact;
    max_diff = std::max(max_diff, std::abs(static_cast<double>(want) - got));
  }
  INFO("exact " << exact << " of " << q.size() << "; largest difference " << max_diff
                << " log10; answered by order 1/2/3: " << by_order[1] << "/" << by_order[2] << "/" << by_order[3]);
  CHECK(order_mismatches == 0);
  // Every path of the back-off is exercised.
  CHECK(by_order[1] > 10000);
  CHECK(by_order[2] > 10000);
  CHECK(by_order[3] > 3000);
  // Bit for bit: the compiled model holds sphinxbase's own values.
  CHECK(exact == q.size());
  CHECK(max_diff == 0.0);
}

TEST_CASE("two threads get the answers of one") {
  auto lm = NgramModel::shared();
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> any(-1, lm->vocabulary() - 1);
  const int common[] = {lm->id("the"), lm->id("of"), lm->id("said"), lm->id("in"), lm->id("a")};
  std::vector<Query> q;
  for (int i = 0; i < 100000; ++i) {
    // Half the histories common words (long bigram groups), half anything.
    const int w2 = i % 2 == 0 ? common[i % 5] : any(rng);
    q.push_back({any(rng), w2, any(rng)});
  }
  std::vector<float> expected(q.size());
  std::vector<int> expected_order(q.size());
  for (std::size_t i = 0; i < q.size(); ++i)
    expected[i] = lm->log10_prob(q[i].w1, q[i].w2, q[i].w3, &expected_order[i]);
  std::size_t wrong[2] = {0, 0};
  auto run = [&](int t) {
    for (int rep = 0; rep < 3; ++rep) {
      for (std::size_t k = 0; k < q.size(); ++k) {
        const std::size_t i = t == 0 ? k : q.size() - 1 - k;  // the threads meet in the middle
        int order = -1;
        if (lm->log10_prob(q[i].w1, q[i].w2, q[i].w3, &order) != expected[i] || order != expected_order[i]) ++wrong[t];
      }
    }
  };
  std::thread t1(run, 0);
  std::thread t2(run, 1);
  t1.join();
  t2.join();
  CHECK(wrong[0] == 0);
  CHECK(wrong[1] == 0);
}

TEST_CASE("Katz back-off on a small ARPA model, compiled on load") {
  // Hand-made: the answers below are worked out from the file by hand.
  const auto dir = std::filesystem::temp_directory_path() / ("copydesk-ngram-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "small.arpa").string();
  {
    std::ofstream out(path);
    out << "\\data\\\nngram 1=6\nngram 2=4\nngram 3=2\n\n"
           "\\1-grams:\n-99\t<s>\t-0.5\n-1.2\tred\t-0.3\n-1.5\tfox\t-0.2\n-2.0\truns\t-0.1\n-1.0\t</"
           "s>\t0\n-3.0\tfar\t0\n\n"
           "\\2-grams:\n-0.3\t<s> red\t-0.4\n-0.4\tred fox\t-0.25\n-0.6\tfox runs\t-0.15\n-0.2\truns </s>\t0\n\n"
           "\\3-grams:\n-0.1\t<s> red fox\n-0.05\tred fox runs\n\n\\end\\\n";
  }
  std::shared_ptr<const NgramModel> lm;
  REQUIRE_NOTHROW(lm = NgramModel::shared(path));
  CHECK(lm->vocabulary() == 6);
  const int s = lm->id("<s>"), red = lm->id("red"), fox = lm->id("fox"), runs = lm->id("runs"), far = lm->id("far");
  CHECK(lm->id("wolf") == NgramModel::kNone);
  struct Case {
    int w1, w2, w3;
    double want;
    int order;
  };
  const Case cases[] = {
      {s, red, fox, -0.1, 3},                         // the trigram
      {red, fox, runs, -0.05, 3},                     // another
      {s, fox, runs, -0.6, 2},                        // bigram "fox runs"; "<s> fox" has no back-off weight
      {fox, runs, fox, -1.5 - 0.1 - 0.15, 1},         // no "runs fox": unigram, both back-off weights
      {NgramModel::kNone, red, runs, -2.0 - 0.3, 1},  // one-word history
      {NgramModel::kNone, red, fox, -0.4, 2},         // a bigram
      {s, red, runs, -2.0 - 0.3 - 0.4, 1},            // no "red runs": both weights
      {NgramModel::kNone, NgramModel::kNone, far, -3.0, 1},
      {red, fox, far, -3.0 - 0.2 - 0.25, 1},
  };
  for (const Case& c : cases) {
    int order = -1;
    const float got = lm->log10_prob(c.w1, c.w2, c.w3, &order);
    INFO(lm->word(c.w1) << " " << lm->word(c.w2) << " " << lm->word(c.w3));
    CHECK(std::abs(got - c.want) < 0.0005);
    CHECK(order == c.order);
    // And as sphinxbase answers from the same file.
    const Sphinx sphinx(path);
    int want_order = -1;
    CHECK(std::abs(sphinx.prob(c.w1, c.w2, c.w3, &want_order) - got) < 0.0005);
    CHECK(want_order == order);
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("a damaged compiled model is a clear error, not wrong answers") {
  const auto dir = std::filesystem::temp_directory_path() / ("copydesk-ngram-bad-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  // The compiled file's first bytes, cut short.
  std::ifstream in(NgramModel::default_path(), std::ios::binary);
  std::vector<char> head(4096);
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  const std::string path = (dir / "cut.bin").string();
  std::ofstream(path, std::ios::binary).write(head.data(), in.gcount());
  REQUIRE(std::string(head.data(), 4) == "CDNG");  // the build's compiled file
  CHECK_THROWS_WITH(NgramModel::shared(path), Catch::Contains("malformed compiled language model"));
  std::filesystem::remove_all(dir);
}
