#include "pipeline/ngram_model.h"

#include <catch2/catch.hpp>
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
