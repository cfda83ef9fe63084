#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "pipeline/ngram_model.h"
#include "pipeline/pipeline.h"
#include "pipeline/quality.h"
#include "pipeline/registry.h"
#include "stage_test_util.h"

using namespace copydesk;
using copydesk::testing::test_resources;

namespace {

QualityScorer& scorer() {
  static QualityScorer s(test_resources());
  return s;
}

QualityFeatures features(std::string_view sentence) { return scorer().sentence_features(sentence); }

double signal(std::string_view sentence, QualitySignal s) { return features(sentence)[s]; }

std::vector<std::string> sentence_texts(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& s : scorer().sentences(text)) out.emplace_back(text.substr(s.begin, s.size()));
  return out;
}

}  // namespace

TEST_CASE("fluency: a well-formed sentence beats the same words scrambled") {
  const auto good = features("The farmers sold their crops at the market on Tuesday.");
  const auto bad = features("Market the crops their Tuesday on farmers sold at the.");
  CHECK(good[kLmMean] > bad[kLmMean]);
  CHECK(good[kLmGain] > bad[kLmGain]);
  CHECK(good[kClassMean] > bad[kClassMean]);
  CHECK(good[kLmMin] >= bad[kLmMin]);
  CHECK(good[kLmSpread] >= 0);
}

TEST_CASE("repeated word: a word written twice in a row") {
  CHECK(signal("The river river flooded the valley.", kRepeatedWord) > 0);
  CHECK(signal("The River river flooded the valley.", kRepeatedWord) > 0);
  CHECK(signal("The river flooded the valley.", kRepeatedWord) == 0);
  CHECK(signal("Prices rose 12 12 percent.", kRepeatedWord) == 0);  // numbers are not words
}

TEST_CASE("repeated phrase: two to four words written twice in a row") {
  CHECK(signal("We must go, we must go home now.", kRepeatedPhrase) > 0);
  CHECK(signal("She told the court, she told the court nothing new.", kRepeatedPhrase) > 0);
  CHECK(signal("We must go home now, and they must stay.", kRepeatedPhrase) == 0);
}

TEST_CASE("repeated trigram: a three-word run recurring later in the sentence") {
  CHECK(signal("The end of the season came before the end of the season was planned.", kRepeatedTrigram) > 0);
  CHECK(signal("The end of the season came before the team had planned it.", kRepeatedTrigram) == 0);
}

TEST_CASE("foreign script: letters outside the Latin alphabet") {
  CHECK(signal("The mayor said \xD0\xB4\xD0\xBE\xD0\xB1\xD1\x80\xD0\xBE to the guests.", kForeignScript) > 0);
  CHECK(signal("Caf\xC3\xA9 owners in Z\xC3\xBCrich welcomed the guests.", kForeignScript) == 0);
  CHECK(signal("The mayor welcomed the guests.", kForeignScript) == 0);
}

TEST_CASE("romanised: lower-case unknown words that look transliterated") {
  CHECK(signal("The villagers celebrated the dhaaraniya festival.", kRomanised) > 0);
  CHECK(signal("The villagers celebrated the harvest festival.", kRomanised) == 0);
  CHECK(signal("The villagers thanked Dhaaraniya for the festival.", kRomanised) == 0);  // a name
}

TEST_CASE("no verb: four or more words and no finite verb") {
  CHECK(signal("A long line of trucks near the northern border crossing.", kNoVerb) == 1);
  CHECK(signal("A long line of trucks waited near the border.", kNoVerb) == 0);
  CHECK(signal("Thanks a lot.", kNoVerb) == 0);  // too short to judge
}

TEST_CASE("unbalanced: quotes and brackets without their partner") {
  CHECK(signal("The minister (who arrived late said nothing.", kUnbalanced) > 0);
  CHECK(signal("The minister said \"nothing at all.", kUnbalanced) > 0);
  CHECK(signal("The minister (who arrived late) said nothing.", kUnbalanced) == 0);
  CHECK(signal("The minister said \xE2\x80\x9Cnothing\xE2\x80\x9D at all.", kUnbalanced) == 0);
  // A quotation over two sentences of one paragraph is balanced there.
  const auto q = scorer().score("\xE2\x80\x9CWe are ready. We will win,\xE2\x80\x9D she said.\n");
  REQUIRE(q.sentences.size() == 2);
  CHECK(q.sentences[0].features[kUnbalanced] == 0);
  CHECK(q.sentences[1].features[kUnbalanced] == 0);
}

TEST_CASE("length: very short and very long sentences") {
  CHECK(signal("Yes.", kShort) == 1);
  CHECK(signal("The board approved the plan.", kShort) == 0);
  std::string longer = "The council";
  for (int i = 0; i < 50; ++i) longer += " and the committee";
  longer += " met.";
  CHECK(signal(longer, kLong) > 0);
  CHECK(signal("The board approved the plan on Monday after a short debate.", kLong) == 0);
}

TEST_CASE("unfinished: no final punctuation") {
  CHECK(signal("The council will meet again next week", kUnfinished) == 1);
  CHECK(signal("The council will meet again next week.", kUnfinished) == 0);
  CHECK(signal("\"The council will meet again next week.\"", kUnfinished) == 0);
}

TEST_CASE("word rates: non-words, rare words, unknown names") {
  const auto bad = features("The comittee aproved the bugdet yesterday.");
  const auto good = features("The committee approved the budget yesterday.");
  CHECK(bad[kNonWordRate] > 0);
  CHECK(good[kNonWordRate] == 0);
  CHECK(bad[kUnknownRate] > good[kUnknownRate]);
  CHECK(signal("The talks in Vrelandia ended with Ostrokova.", kNameRate) > 0);
  CHECK(signal("The talks in London ended with a vote.", kNameRate) == 0);
}

TEST_CASE("sentences: split at final punctuation, not at initials or abbreviations") {
  CHECK(
      sentence_texts("Dr. Lane arrived at noon. She met J. Ortiz at 3.5 km from town. Then she left.") ==
      std::vector<std::string>{"Dr. Lane arrived at noon.", "She met J. Ortiz at 3.5 km from town.", "Then she left."});
  CHECK(sentence_texts("A headline\nThe first paragraph ends here.\n") ==
        std::vector<std::string>{"A headline", "The first paragraph ends here."});
  CHECK(sentence_texts("It was late. the lights were on.").size() == 1);  // no capital: not split
}

TEST_CASE("repairs: copydesk's edits per 100 words enter the document's signals") {
  Pipeline pipeline = Pipeline::build({"spelling"}, test_resources());
  const std::string damaged = "The council anounced a new plan for the harbour on Friday.\n";
  const Result damaged_result = pipeline.run(damaged);
  const auto q = scorer().score(damaged_result.text, &damaged_result);
  const std::string clean = "The council announced a new plan for the harbour on Friday.\n";
  const Result clean_result = pipeline.run(clean);
  const auto c = scorer().score(clean_result.text, &clean_result);
  INFO(damaged_result.text << damaged_result.changes());
  CHECK(q.features[kEditRate] + q.features[kFlagRate] > 0);
  CHECK(c.features[kEditRate] == 0);
  CHECK(c.features[kFlagRate] == 0);
}

TEST_CASE("document score: fluent prose scores above garbled prose") {
  const std::string fluent =
      "The city council approved a new budget on Monday. It raises spending on schools and roads, "
      "and the mayor said the plan would be reviewed again in the spring.\n";
  const std::string garbled =
      "City council the budget approved budget budget on Monday of. Raises it spending schools on roads "
      "roads and, mayor the said said plan reviewed would be the spring in again again.\n";
  const auto a = scorer().score(fluent);
  const auto b = scorer().score(garbled);
  CHECK(a.score > b.score);
  CHECK(a.score >= 0);
  CHECK(a.score <= 100);
  CHECK(!b.reasons.empty());
  CHECK(b.reasons.size() <= 3);
  CHECK(quality_band(75) == "good");
  CHECK(quality_band(57) == "fair");
  CHECK(quality_band(40) == "poor");
  const auto j = quality_to_json(b, true);
  CHECK(j["score"].get<double>() == b.score);
  CHECK(j["sentences"].size() == b.sentences.size());
  CHECK(!j.contains("words"));
  // With the signals, the words the sentences hold (what the training script needs to leave out
  // a document with nothing to score).
  const auto with_features = quality_to_json(b, false, true);
  CHECK(with_features["words"].get<std::size_t>() == b.words);
  CHECK(b.words > 10);
  CHECK(quality_to_json(scorer().score(""), false, true)["words"].get<std::size_t>() == 0);
}

TEST_CASE("document score: the same with one or two threads and in any document order") {
  const std::vector<std::string> docs = {
      "The harbour reopened after the storm. Fishing boats returned on Thursday.\n",
      "Officials officials said the the bridge bridge would to open soon open.\n",
      "A new library opened in the old post office. Its shelves hold forty thousand books, and the reading "
      "room looks over the river.\n",
      "The report (published late was criticised by \xD1\x81\xD0\xB5\xD0\xBC\xD1\x8C experts dhaaraniya.\n"};
  std::vector<double> alone;
  for (const auto& d : docs) {
    Resources r(test_resources().paths());
    QualityScorer fresh(r);
    alone.push_back(fresh.score(d).score);
  }
  // One scorer, reverse order, twice over (its caches are warm the second time).
  std::vector<double> reverse(docs.size());
  for (int round = 0; round < 2; ++round) {
    for (std::size_t i = docs.size(); i-- > 0;) reverse[i] = scorer().score(docs[i]).score;
    CHECK(reverse == alone);
  }
  // Two threads, each with its own resources, interleaving the documents.
  std::vector<double> threaded(docs.size());
  auto worker = [&](std::size_t first) {
    Resources r(test_resources().paths());
    QualityScorer s(r);
    for (int repeat = 0; repeat < 3; ++repeat)
      for (std::size_t i = first; i < docs.size(); i += 2) threaded[i] = s.score(docs[i]).score;
  };
  std::thread t0(worker, 0), t1(worker, 1);
  t0.join();
  t1.join();
  CHECK(threaded == alone);
}

TEST_CASE("signals the model does not use: computed only on request, the scores the same") {
  const std::string doc =
      "The ferry left the island at dawn, carrying forty passengers and a load of timber. "
      "Wind wind rose rose over the the bay, and captain the said we turn back, we turn back.\n";
  Resources r(test_resources().paths());
  QualityScorer lean(r), full(r, true);
  const auto a = lean.score(doc);
  const auto b = full.score(doc);
  REQUIRE(a.sentences.size() == 2);
  REQUIRE(b.sentences.size() == 2);
  CHECK(a.score == b.score);
  CHECK(a.reasons == b.reasons);
  for (std::size_t k = 0; k < a.sentences.size(); ++k) CHECK(a.sentences[k].score == b.sentences[k].score);
  // Every signal is computed on request; without it, a group the model gives no weight and no
  // split is left at 0, and the signals it does use are the same.
  CHECK(b.sentences[0].features[kLmMean] < 0);
  CHECK(b.sentences[0].features[kTgMean] < 0);
  for (std::size_t i = 0; i < kSignalCount; ++i) {
    INFO(quality_signal_name(i));
    const double lean_value = a.sentences[1].features[i], full_value = b.sentences[1].features[i];
    CHECK((lean_value == full_value || lean_value == 0));
  }
}

TEST_CASE("trigram fluency: words in a familiar order beat the same words scrambled") {
  const auto good = features("The children walked to school in the morning.");
  const auto bad = features("Morning the school in walked children to the.");
  CHECK(good[kTgMean] > bad[kTgMean]);
  CHECK(good[kTgGain] > bad[kTgGain]);
  CHECK(good[kTgMin] >= bad[kTgMin]);
  CHECK(good[kTgUnigram] <= bad[kTgUnigram]);
  CHECK(good[kTgSpread] >= 0);
  // Every word known: no unknown-word share.
  CHECK(good[kTgOov] == 0);
}

TEST_CASE("trigram unknown words: invented and foreign words are out of vocabulary, numbers are not counted") {
  CHECK(signal("The farmers planted zorblatt near the qwimmerfeld.", kTgOov) > 0.2);
  CHECK(signal("The farmers planted wheat near the river.", kTgOov) == 0);
  CHECK(signal("The farmers planted 40 acres in 2019.", kTgOov) == 0);
  // Nothing the model knows: the floor, and no context at all.
  const auto none = features("Zorblatt qwimmerfeld.");
  CHECK(none[kTgOov] == 1);
  CHECK(none[kTgUnigram] == 1);
  CHECK(none[kTgMean] < -9);
}

TEST_CASE("trigram back-off: a word after an unknown word has no context") {
  // After an unknown word the next word is scored alone (unigram), so the
  // share of context-free words rises.
  const double plain = signal("She opened the door of the house.", kTgUnigram);
  const double broken = signal("She opened the qwimmerfeld of the house.", kTgUnigram);
  CHECK(broken > plain);
}

TEST_CASE("general-English fluency: each word given the word before it") {
  // The values are the model's bigram answers (the word before as the only
  // context), not its trigram answers.
  const auto lm = NgramModel::shared();
  const std::vector<std::string> words = {"<s>", "rivers", "flooded", "the", "valley", "</s>"};
  double sum = 0, low = 0;
  for (std::size_t k = 1; k < words.size(); ++k) {
    const int w = lm->id(words[k]), previous = lm->id(words[k - 1]);
    const double lp = lm->log10_prob(NgramModel::kNone, previous, w);
    sum += lp;
    low = std::min(low, lp);
  }
  const auto f = features("Rivers flooded the valley.");
  CHECK(f[kTgMean] == Approx(sum / 5).margin(1e-9));
  CHECK(f[kTgMin] == Approx(low).margin(1e-9));
}

TEST_CASE("the model's bigram look-ups in a batch answer as one at a time") {
  // Common and rare words, pairs the model has and pairs it backs off from,
  // missing words and more pairs than one group of the batch.
  const auto lm = NgramModel::shared();
  const std::vector<std::string> vocabulary = {"<s>",     "the",   "of",      "harbour", "ships",  "sailed",
                                               "quietly", "into",  "a",       "zygote",  "walnut", "</s>",
                                               "said",    "would", "nothing", "qzxvbn"};
  std::vector<int> previous, words;
  for (std::size_t a = 0; a < vocabulary.size(); ++a) {
    for (std::size_t b = 0; b < vocabulary.size(); ++b) {
      previous.push_back(lm->id(vocabulary[a]));
      words.push_back(lm->id(vocabulary[b]));
    }
  }
  previous.push_back(NgramModel::kNone);  // no word before: the unigram
  words.push_back(lm->id("harbour"));
  previous.push_back(lm->id("the"));  // a missing word: the floor
  words.push_back(NgramModel::kNone);
  std::vector<float> batch(words.size());
  std::vector<int> orders(words.size());
  lm->log10_bigrams(previous.data(), words.data(), words.size(), batch.data(), orders.data());
  std::size_t bigrams = 0, backed_off = 0;
  for (std::size_t k = 0; k < words.size(); ++k) {
    int order = -1;
    const float one = lm->log10_prob(NgramModel::kNone, previous[k], words[k], &order);
    CHECK(batch[k] == one);
    CHECK(orders[k] == order);
    bigrams += order == 2;
    backed_off += order == 1;
  }
  // Both kinds of answer were compared.
  CHECK(bigrams > 20);
  CHECK(backed_off > 20);
  std::vector<float> without_orders(words.size());
  lm->log10_bigrams(previous.data(), words.data(), words.size(), without_orders.data());
  CHECK(without_orders == batch);
}

TEST_CASE("reasons come from the signals that pulled the sentences down") {
  const auto q = scorer().score(
      "Officials officials said the the bridge bridge would to open soon open. Bridge the bridge the would "
      "open open.\n");
  REQUIRE(!q.reasons.empty());
  CHECK(q.reasons.size() <= 3);
  for (const auto& r : q.reasons) CHECK(r != "log_words");
  const auto fluent = scorer().score("The bridge will open to traffic next week, officials said.\n");
  CHECK(fluent.score > q.score);
}

namespace {

// A dictionaries folder with the project's files and `model` as quality_model.txt.
std::string folder_with_model(const std::string& name, const std::string& model) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (const auto& entry : fs::directory_iterator(COPYDESK_SOURCE_DIR "/dictionaries")) {
    if (entry.path().filename() != "quality_model.txt") fs::create_symlink(entry.path(), dir / entry.path().filename());
  }
  std::string text = model;
  for (std::size_t i = 0; i < kSignalCount; ++i) text += "signal " + std::string(quality_signal_name(i)) + " 0 1 0\n";
  std::ofstream(dir / "quality_model.txt") << text;
  return dir.string();
}

}  // namespace

TEST_CASE("model trees: walked by threshold, each split credits its signal") {
  // One tree on tg_oov: at most 0.5 -> 40 points, above -> 70 (from a root of 0).
  const std::string dir =
      folder_with_model("copydesk_quality_tree_test", "bias 50\ntree\nnode tg_oov 0.5 1 2 0\nleaf -10\nleaf 20\n");
  Resources resources(ResourcePaths{dir, "/usr/share/hunspell", {}});
  QualityScorer s(resources);
  QualityFeatures known = s.sentence_features("The farmers planted wheat near the river.");
  QualityFeatures unknown = s.sentence_features("Zorblatt qwimmerfeld.");
  QualityFeatures c{};
  CHECK(s.predict(known, &c) == Approx(40));
  CHECK(c[kTgOov] == Approx(-10));
  CHECK(c[kTgMean] == 0);
  CHECK(s.predict(unknown) == Approx(70));
  std::filesystem::remove_all(dir);
}

TEST_CASE("model trees: a malformed tree is refused, naming the file") {
  for (const std::string bad : {"bias 50\nnode tg_oov 0.5 1 2 0\n", "bias 50\ntree\nnode tg_oov 0.5 0 2 0\nleaf 1\n",
                                "bias 50\ntree\nnode tg_oov 0.5 1 5 0\nleaf 1\nleaf 2\n", "bias 50\ntree\n",
                                "bias 50\ntree\nnode no_such_signal 0.5 1 2 0\nleaf 1\nleaf 2\n"}) {
    const std::string dir = folder_with_model("copydesk_quality_bad_tree_test", bad);
    Resources resources(ResourcePaths{dir, "/usr/share/hunspell", {}});
    CHECK_THROWS_WITH(QualityScorer(resources), Catch::Contains("quality_model.txt"));
    std::filesystem::remove_all(dir);
  }
}

TEST_CASE("glued words: a once-written non-word made of two common words") {
  // Two common words run together, capitalised or not.
  CHECK(signal("Riverwas closed to boats after the flood.", kGlued) > 0);
  CHECK(signal("The committee saidthat it would vote on the plan.", kGlued) > 0);
  // Real words, compounds the dictionary knows, names and invented words are not glued.
  CHECK(signal("The river was closed to boats after the flood.", kGlued) == 0);
  CHECK(signal("The farmhouse stood beside the railway.", kGlued) == 0);
  CHECK(signal("The talks in Vrelandia ended with Ostrokova.", kGlued) == 0);
  CHECK(signal("Prices rose 12 percent in 2019.", kGlued) == 0);
}

TEST_CASE("glued words: a form the document writes again is a name, not an accident") {
  const std::string once = "Riverwas closed to boats after the flood. The harbour reopened on Monday.\n";
  const std::string twice = "Riverwas closed to boats after the flood. The harbour of Riverwas reopened on Monday.\n";
  const auto a = scorer().score(once);
  const auto b = scorer().score(twice);
  REQUIRE(a.sentences.size() == 2);
  REQUIRE(b.sentences.size() == 2);
  CHECK(a.sentences[0].features[kGlued] > 0);
  CHECK(b.sentences[0].features[kGlued] == 0);
  CHECK(b.sentences[1].features[kGlued] == 0);
}

TEST_CASE("trigram rarity and surprise: common words in order against rare or scrambled ones") {
  const auto common = features("The people in the town said that the water was good.");
  const auto rare = features("The cartographers in the fjord averred that the brine was salubrious.");
  CHECK(common[kTgRarity] > rare[kTgRarity]);
  const auto fluent = features("She opened the door and walked into the kitchen.");
  const auto scrambled = features("Kitchen the into walked and door the opened she.");
  CHECK(scrambled[kTgSurprise] > fluent[kTgSurprise]);
  CHECK(fluent[kTgSurprise] >= 0);
  CHECK(scrambled[kTgSurprise] <= 1);
}

TEST_CASE("document score: one broken sentence costs more than its share of the words") {
  const std::string good =
      "The harbour reopened after the storm on Thursday. Fishing boats returned to the quay in the morning. "
      "Traders set up their stalls along the water. The mayor thanked the crews who cleared the channel.\n";
  const std::string one_bad =
      "The harbour reopened after the storm on Thursday. Fishing boats returned to the quay in the morning. "
      "Traders set up their stalls along the water. Mayor the the crews crews thanked channel who, who cleared.\n";
  const auto a = scorer().score(good);
  const auto b = scorer().score(one_bad);
  REQUIRE(b.sentences.size() == 4);
  double total = 0, words = 0;
  for (const auto& s : b.sentences) {
    total += s.score * static_cast<double>(s.words);
    words += static_cast<double>(s.words);
  }
  CHECK(b.score < a.score);
  CHECK(b.score < std::round(total / words * 10.0) / 10.0);  // below the plain mean: the worst sentence weighs more
  // A document whose sentences all score alike scores what they score.
  const auto same = scorer().score("The bridge opened in May. The bridge opened in May. The bridge opened in May.\n");
  REQUIRE(same.sentences.size() == 3);
  CHECK(same.score == Approx(std::round(same.sentences[0].score * 10.0) / 10.0).margin(0.051));
}
