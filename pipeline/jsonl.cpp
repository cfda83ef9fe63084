#include "pipeline/jsonl.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "pipeline/changelog.h"
#include "pipeline/error.h"
#include "pipeline/text.h"

namespace copydesk {

namespace {

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Where a string literal starting at s[i] == '"' ends (one past the closing
// quote), or npos with `why` set.
std::size_t string_end(std::string_view s, std::size_t i, std::string& why) {
  for (++i; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '"') return i + 1;
    if (c < 0x20) {
      why = "a control character inside a string";
      return std::string_view::npos;
    }
    if (c != '\\') continue;
    if (++i == s.size()) break;
    switch (s[i]) {
      case '"':
      case '\\':
      case '/':
      case 'b':
      case 'f':
      case 'n':
      case 'r':
      case 't':
        break;
      case 'u':
        for (int k = 0; k < 4; ++k) {
          if (++i == s.size() || hex_value(s[i]) < 0) {
            why = "a bad \\u escape";
            return std::string_view::npos;
          }
        }
        break;
      default:
        why = "a bad escape";
        return std::string_view::npos;
    }
  }
  why = "a string without its closing quote";
  return std::string_view::npos;
}

std::size_t number_end(std::string_view s, std::size_t i) {
  const std::size_t n = s.size();
  if (i < n && s[i] == '-') ++i;
  if (i == n || !is_digit(s[i])) return std::string_view::npos;
  if (s[i] == '0') {
    ++i;
  } else {
    while (i < n && is_digit(s[i])) ++i;
  }
  if (i < n && s[i] == '.') {
    if (++i == n || !is_digit(s[i])) return std::string_view::npos;
    while (i < n && is_digit(s[i])) ++i;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (i == n || !is_digit(s[i])) return std::string_view::npos;
    while (i < n && is_digit(s[i])) ++i;
  }
  return i;
}

}  // namespace

bool decode_json_string(std::string_view literal, std::string& out) {
  out.clear();
  out.reserve(literal.size());
  bool ok = true;
  auto hex4 = [&](std::size_t at) {
    char32_t v = 0;
    for (std::size_t k = 0; k < 4; ++k) v = v * 16 + static_cast<char32_t>(hex_value(literal[at + k]));
    return v;
  };
  const std::size_t end = literal.size() - 1;  // the closing quote
  for (std::size_t i = 1; i < end; ++i) {
    const char c = literal[i];
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    const char e = literal[++i];
    switch (e) {
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'u': {
        char32_t cp = hex4(i + 1);
        i += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 < end + 1 && literal[i + 1] == '\\' && literal[i + 2] == 'u') {
          const char32_t low = hex4(i + 3);
          if (low >= 0xDC00 && low <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            i += 6;
          }
        }
        if (cp >= 0xD800 && cp <= 0xDFFF) {
          ok = false;
          cp = 0xFFFD;
        }
        append_utf8(out, cp);
        break;
      }
      default:
        out.push_back(e);
        break;  // " \ /
    }
  }
  return ok;
}

JsonScan scan_json(std::string_view s) {
  JsonScan scan;
  enum class Expect { kValue, kKey, kAfter };
  std::string stack;  // '{' and '[' of the open containers: no recursion, any depth
  Expect expect = Expect::kValue;
  bool member_open = false;  // a top-level member's value has started
  std::size_t i = 0;
  auto fail = [&](const std::string& what) {
    scan.error = "not JSON: " + what + " at byte " + std::to_string(i);
    scan.members.clear();
    scan.is_object = false;
    return scan;
  };
  for (;;) {
    while (i < s.size() && is_ws(s[i])) ++i;
    if (expect == Expect::kAfter) {
      if (member_open && stack.size() == 1) {
        scan.members.back().value_end = i;
        member_open = false;
      }
      if (stack.empty()) {
        if (i != s.size()) return fail("text after the value");
        return scan;
      }
      if (i == s.size()) return fail("the end of the line inside a value");
      const char close = stack.back() == '{' ? '}' : ']';
      if (s[i] == ',') {
        ++i;
        expect = stack.back() == '{' ? Expect::kKey : Expect::kValue;
      } else if (s[i] == close) {
        if (stack.size() == 1 && close == '}') scan.close = i;
        stack.pop_back();
        ++i;
      } else {
        return fail(std::string("no ',' or '") + close + "'");
      }
      continue;
    }
    if (i == s.size()) return fail(s.empty() || stack.empty() ? "no value" : "the end of the line inside a value");
    if (expect == Expect::kKey) {
      if (s[i] != '"') return fail("no key");
      std::string why;
      const std::size_t e = string_end(s, i, why);
      if (e == std::string_view::npos) return fail(why);
      if (stack.size() == 1) {
        JsonScan::Member m;
        decode_json_string(s.substr(i, e - i), m.key);
        scan.members.push_back(std::move(m));
      }
      i = e;
      while (i < s.size() && is_ws(s[i])) ++i;
      if (i == s.size() || s[i] != ':') return fail("no ':' after a key");
      ++i;
      expect = Expect::kValue;
      continue;
    }
    // A value.
    if (stack.size() == 1 && stack.back() == '{') {
      scan.members.back().value_begin = i;
      scan.members.back().is_string = s[i] == '"';
      member_open = true;
    }
    const char c = s[i];
    if (c == '{' || c == '[') {
      if (stack.empty() && c == '{') scan.is_object = true;
      stack.push_back(c);
      ++i;
      while (i < s.size() && is_ws(s[i])) ++i;
      if (i < s.size() && s[i] == (c == '{' ? '}' : ']')) {
        if (stack.size() == 1 && c == '{') scan.close = i;
        stack.pop_back();
        ++i;
        expect = Expect::kAfter;
      } else {
        expect = c == '{' ? Expect::kKey : Expect::kValue;
      }
      continue;
    }
    std::size_t e = std::string_view::npos;
    if (c == '"') {
      std::string why;
      e = string_end(s, i, why);
      if (e == std::string_view::npos) return fail(why);
    } else if (c == '-' || is_digit(c)) {
      e = number_end(s, i);
      if (e == std::string_view::npos) return fail("a bad number");
    } else {
      for (const std::string_view word : {"true", "false", "null"}) {
        if (s.substr(i, word.size()) == word) e = i + word.size();
      }
      if (e == std::string_view::npos) return fail("an unexpected character");
    }
    i = e;
    expect = Expect::kAfter;
  }
}

JsonlOutcome clean_jsonl_record(Pipeline& pipeline, std::string_view line, const JsonlOptions& options,
                                QualityScorer* quality) {
  JsonlOutcome outcome;
  std::size_t bad = 0;
  if (!valid_utf8(line, &bad)) {
    outcome.error = "invalid UTF-8 at byte " + std::to_string(bad) + " of the line";
    return outcome;
  }
  const JsonScan scan = scan_json(line);
  if (!scan.error.empty()) {
    outcome.error = scan.error;
    return outcome;
  }
  if (!scan.is_object) {
    outcome.error = "not a JSON object";
    return outcome;
  }
  const std::string& name = options.text_field;
  const JsonScan::Member* field = nullptr;
  const JsonScan::Member* edits_member = nullptr;
  const JsonScan::Member* quality_member = nullptr;
  for (const auto& m : scan.members) {
    if (m.key == name) {
      outcome.has_field = true;
      if (field) {
        outcome.error = "the \"" + to_valid_utf8(name) + "\" field appears twice";
        return outcome;
      }
      field = &m;
    } else if (options.changes_inline && m.key == "copydesk_edits") {
      if (edits_member) {
        outcome.error = "the \"copydesk_edits\" field appears twice";
        return outcome;
      }
      edits_member = &m;
    } else if (quality && m.key == "copydesk_quality") {
      if (quality_member) {
        outcome.error = "the \"copydesk_quality\" field appears twice";
        return outcome;
      }
      quality_member = &m;
    }
  }
  if (!field) {
    outcome.error = "no \"" + to_valid_utf8(name) + "\" field (--text-field)";
    outcome.missing_field = true;
    for (const auto& m : scan.members) {
      if (outcome.fields.size() == 8) break;
      outcome.fields.push_back(m.key);
    }
    return outcome;
  }
  outcome.has_field = true;
  if (!field->is_string) {
    outcome.error = "the \"" + to_valid_utf8(name) + "\" field is not a string";
    return outcome;
  }
  std::string text;
  if (!decode_json_string(line.substr(field->value_begin, field->value_end - field->value_begin), text)) {
    outcome.error = "the \"" + to_valid_utf8(name) + "\" field holds a lone surrogate \\u escape";
    return outcome;
  }
  outcome.text_bytes = text.size();
  std::string cleaned_literal;  // empty: the field's bytes are kept as they are
  std::string edits_json;
  std::string quality_json;
  try {
    RunOptions run = options.run;
    run.keep_stage_inputs = run.keep_stage_inputs || options.changes_inline;
    Result result = pipeline.run(text, run);
    outcome.changes.assign(pipeline.stages().size(), 0);
    for (const auto& s : result.stages)
      for (const auto& e : s.edits) outcome.changes[s.index] += e.kind == EditKind::kChange;
    outcome.flags = result.flags();
    if (quality) {
      const DocumentQuality q = quality->score(result.text, &result);
      outcome.quality = q.score;
      quality_json = quality_to_json(q, false, options.quality_features).dump();
    }
    if (result.text != text && !options.score_only) cleaned_literal = nlohmann::json(result.text).dump();
    if (options.changes_inline) edits_json = changes_to_json("", text, result)["edits"].dump();
  } catch (const Error& e) {
    outcome.error = to_valid_utf8(e.what());
    return outcome;
  }
  // Splice: the record's own bytes with the text (and copydesk_quality,
  // copydesk_edits) replaced or added before the closing brace.
  struct Piece {
    std::size_t begin, end;
    std::string with;
  };
  std::vector<Piece> pieces;
  if (!cleaned_literal.empty()) pieces.push_back({field->value_begin, field->value_end, std::move(cleaned_literal)});
  auto put_member = [&](const JsonScan::Member* existing, std::string_view key, std::string& value) {
    if (existing) {
      pieces.push_back({existing->value_begin, existing->value_end, std::move(value)});
    } else {
      std::string member = ",\"";  // the object has the text field: never empty
      member.append(key).append("\":").append(value);
      pieces.push_back({scan.close, scan.close, std::move(member)});
    }
  };
  if (quality) put_member(quality_member, "copydesk_quality", quality_json);
  if (options.changes_inline) put_member(edits_member, "copydesk_edits", edits_json);
  std::stable_sort(pieces.begin(), pieces.end(), [](const Piece& x, const Piece& y) { return x.begin < y.begin; });
  std::size_t extra = 0;
  for (const auto& p : pieces) extra += p.with.size();
  outcome.record.reserve(line.size() + extra);
  std::size_t pos = 0;
  for (const auto& p : pieces) {
    outcome.record.append(line.substr(pos, p.begin - pos));
    outcome.record.append(p.with);
    pos = p.end;
  }
  outcome.record.append(line.substr(pos));
  return outcome;
}

}  // namespace copydesk
