#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>

#include "pipeline/config.h"
#include "pipeline/error.h"
#include "pipeline/registry.h"

using namespace copydesk;

namespace {
std::string write_temp(const std::string& content) {
  char name[] = "/tmp/copydesk-config-XXXXXX";
  const int fd = mkstemp(name);
  REQUIRE(fd >= 0);
  std::FILE* f = fdopen(fd, "w");
  std::fputs(content.c_str(), f);
  std::fclose(f);
  return name;
}
}  // namespace

TEST_CASE("the default config parses back to the default", "[config]") {
  Config c = default_config();
  const auto path = write_temp(default_config_toml());
  load_config_file(path, c);
  CHECK(c.stages.size() == stage_names().size());
  CHECK(c.stages.front() == "unicode");
  std::remove(path.c_str());
}

TEST_CASE("a config can reorder and drop stages", "[config]") {
  Config c = default_config();
  const auto path = write_temp("[pipeline]\nstages = [\"spacing\", \"unicode\"]\n");
  load_config_file(path, c);
  REQUIRE(c.stages.size() == 2);
  CHECK(c.stages[0] == "spacing");
  std::remove(path.c_str());
}

TEST_CASE("config errors name the file, line and cause", "[config]") {
  Config c = default_config();
  const auto typo = write_temp("[pipeline]\nstage = [\"unicode\"]\n");
  CHECK_THROWS_WITH(load_config_file(typo, c), Catch::Contains(":2: unknown key 'pipeline.stage'"));
  const auto unknown = write_temp("[pipeline]\nstages = [\"nope\"]\n");
  CHECK_THROWS_WITH(load_config_file(unknown, c), Catch::Contains("unknown stage 'nope'"));
  const auto broken = write_temp("[pipeline\n");
  CHECK_THROWS_AS(load_config_file(broken, c), Error);
  for (const auto& p : {typo, unknown, broken}) std::remove(p.c_str());
}

TEST_CASE("only keeps default order, skip drops", "[config]") {
  Config c = default_config();
  select_stages(c, {"spacing", "unicode"}, {});
  REQUIRE(c.stages.size() == 2);
  CHECK(c.stages[0] == "unicode");
  Config d = default_config();
  select_stages(d, {}, {"dedupe"});
  CHECK(d.stages.size() == stage_names().size() - 1);
  CHECK_THROWS_AS(select_stages(d, {"bogus"}, {}), Error);
}
