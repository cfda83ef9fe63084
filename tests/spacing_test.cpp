// STUB: to be written.
#include <catch2/catch.hpp>

#include "tests/stage_test_util.h"
#include "stages/spacing.h"

TEST_CASE("spacing: stub", "[spacing]") { SUCCEED(); }
