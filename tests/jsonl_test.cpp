#include <catch2/catch.hpp>

#include <string>

#include "pipeline/jsonl.h"

using namespace copydesk;

TEST_CASE("jsonl: the scanner finds top-level members and their value bytes", "[jsonl]") {
  const std::string r = R"({"a": [1, {"b": 2}], "t" : "x\"y", "n": -0})";
  const JsonScan s = scan_json(r);
  REQUIRE(s.error.empty());
  REQUIRE(s.is_object);
  REQUIRE(s.members.size() == 3);
  CHECK(s.members[0].key == "a");
  CHECK(r.substr(s.members[0].value_begin, s.members[0].value_end - s.members[0].value_begin) == R"([1, {"b": 2}])");
  CHECK(s.members[1].is_string);
  CHECK(r.substr(s.members[1].value_begin, s.members[1].value_end - s.members[1].value_begin) == R"("x\"y")");
  CHECK(r.substr(s.members[2].value_begin, s.members[2].value_end - s.members[2].value_begin) == "-0");
  CHECK(s.close == r.size() - 1);
}

TEST_CASE("jsonl: the scanner needs no recursion for deep nesting", "[jsonl]") {
  const std::string deep = "{\"x\": " + std::string(200000, '[') + std::string(200000, ']') + "}";
  const JsonScan s = scan_json(deep);
  CHECK(s.error.empty());
  CHECK(scan_json(std::string(200000, '[')).error.find("end of the line") != std::string::npos);
}

TEST_CASE("jsonl: the scanner rejects what RFC 8259 rejects", "[jsonl]") {
  for (const std::string bad : {"", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "[1,]", "01", "1.", "-", "1e", "tru",
                                "\"a", "\"\\x\"", "\"\\u12g4\"", "{\"a\":1} x", "\"tab\there\"", "{'a':1}"}) {
    INFO(bad);
    CHECK_FALSE(scan_json(bad).error.empty());
  }
  for (const std::string good :
       {"0", "-0.5e+10", "1E400", "[]", "{}", " { } ", "\"\\ud800\"", "null", "[true,false]"}) {
    INFO(good);
    CHECK(scan_json(good).error.empty());
  }
}

TEST_CASE("jsonl: strings decode, surrogate pairs join, lone surrogates are refused", "[jsonl]") {
  std::string out;
  CHECK(decode_json_string(R"("a\n\u00e9\ud83d\ude00\/")", out));
  CHECK(out == "a\n\xc3\xa9\xf0\x9f\x98\x80/");
  CHECK_FALSE(decode_json_string(R"("\udc00x")", out));
  CHECK_FALSE(decode_json_string(R"("\ud800")", out));
}
