// STUB: to be written.
#include <catch2/catch.hpp>

#include "tests/stage_test_util.h"
#include "stages/spelling.h"

TEST_CASE("spelling: stub", "[spelling]") { SUCCEED(); }
