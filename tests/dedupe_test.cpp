// STUB: to be written.
#include <catch2/catch.hpp>

#include "tests/stage_test_util.h"
#include "stages/dedupe.h"

TEST_CASE("dedupe: stub", "[dedupe]") { SUCCEED(); }
