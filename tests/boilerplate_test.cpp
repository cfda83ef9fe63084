// STUB: to be written.
#include <catch2/catch.hpp>

#include "tests/stage_test_util.h"
#include "stages/boilerplate.h"

TEST_CASE("boilerplate: stub", "[boilerplate]") { SUCCEED(); }
