// STUB: to be written.
#include <catch2/catch.hpp>

#include "tests/stage_test_util.h"
#include "stages/unicode.h"

TEST_CASE("unicode: stub", "[unicode]") { SUCCEED(); }
