// STUB: to be written.
#include <catch2/catch.hpp>

#include "tests/stage_test_util.h"
#include "stages/sentences.h"

TEST_CASE("sentences: stub", "[sentences]") { SUCCEED(); }
