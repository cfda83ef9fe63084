// STUB: to be written.
#include <catch2/catch.hpp>

#include "tests/stage_test_util.h"
#include "stages/names.h"

TEST_CASE("names: stub", "[names]") { SUCCEED(); }
