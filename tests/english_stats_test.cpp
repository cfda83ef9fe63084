#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "pipeline/english_stats.h"
#include "pipeline/error.h"

using copydesk::EnglishStats;
using copydesk::Error;

namespace {

std::string write_temp(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

const std::string kShipped = COPYDESK_SOURCE_DIR "/dictionaries/english_words.tsv";

}  // namespace

TEST_CASE("english_stats: the shipped table loads and answers in any case", "[english_stats]") {
  const auto stats = EnglishStats::shared(kShipped);
  CHECK(stats->size() > 20000);
  CHECK(stats->sentences() > 50000);
  CHECK(stats->tokens() > 1000000);
  const auto* w = stats->find("Because");
  REQUIRE(w != nullptr);
  CHECK(w == stats->find("because"));
  CHECK(w->total == w->initial + w->cap_mid + w->low_mid);
  // Abbreviations keep their period; unseen forms are absent.
  CHECK(stats->find("mrs.") != nullptr);
  CHECK(stats->find("qzxv") == nullptr);
  // Shared: one table per path.
  CHECK(EnglishStats::shared(kShipped).get() == stats.get());
}

TEST_CASE("english_stats: measures order words as English does", "[english_stats]") {
  const auto stats = EnglishStats::shared(kShipped);
  // Articles and prepositions almost never end a sentence; common nouns do.
  CHECK(stats->end_ratio("a") < 0.05);
  CHECK(stats->end_ratio("from") < 0.25);
  CHECK(stats->end_ratio("home") > 1.5);
  // "Nevertheless" opens sentences; "Europe" stands capitalised inside them.
  CHECK(stats->open_odds("Nevertheless") > 5.0);
  CHECK(stats->open_odds("Europe") < 0.5);
  // An unseen word gets the average odds, neither strong nor weak.
  const double unseen = stats->open_odds("qzxv");
  CHECK(unseen > 0.3);
  CHECK(unseen < 3.0);
  CHECK(stats->end_ratio("qzxv") == 1.0);
}

TEST_CASE("english_stats: a hand-made table", "[english_stats]") {
  const std::string path = write_temp(
      "copydesk_stats_ok.tsv", "# comment\n@sentences\t10\n@tokens\t200\nword\t20\t2\t3\t1\t17\nCo.\t4\t0\t1\t4\t0\n");
  const auto stats = EnglishStats::load(path);
  CHECK(stats->size() == 2);
  REQUIRE(stats->find("WORD") != nullptr);
  CHECK(stats->find("word")->final == 3);
  CHECK(stats->cap_mid_total() == 5);
  // Keys are stored lower-cased, whatever the file holds.
  REQUIRE(stats->find("co.") != nullptr);
  CHECK(stats->find("co.")->cap_mid == 4);
}

TEST_CASE("english_stats: malformed files are refused with file and line", "[english_stats]") {
  const std::string fields = write_temp("copydesk_stats_bad1.tsv", "@sentences\t1\n@tokens\t2\nword\t1\t2\n");
  CHECK_THROWS_WITH(EnglishStats::load(fields), Catch::Contains("copydesk_stats_bad1.tsv:3"));
  const std::string count = write_temp("copydesk_stats_bad2.tsv", "@sentences\t1\n@tokens\t2\nword\t1\tx\t0\t0\t0\n");
  CHECK_THROWS_AS(EnglishStats::load(count), Error);
  const std::string totals = write_temp("copydesk_stats_bad3.tsv", "word\t1\t0\t0\t0\t1\n");
  CHECK_THROWS_AS(EnglishStats::load(totals), Error);
  CHECK_THROWS_AS(EnglishStats::load("/nonexistent/english_words.tsv"), Error);
}
