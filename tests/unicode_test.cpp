#include <unicode/ucnv.h>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "pipeline/text.h"
#include "stages/unicode.h"
#include "tests/stage_test_util.h"

using copydesk::Edit;
using copydesk::EditKind;
using copydesk::UnicodeStage;
using copydesk::testing::edits_of;
using copydesk::testing::rules_of;
using copydesk::testing::run_stage;
using copydesk::testing::test_resources;

namespace {

// `utf8` damaged the way a program damages it that reads UTF-8 bytes with the
// legacy encoding `codec` (an ICU converter name): each byte becomes that
// encoding's character, and a byte it leaves undefined the C1 control of the
// same value. Test cases are made from real text this way, so the stage is
// checked against the converters and not against strings typed by hand.
std::string misread(const std::string& utf8, const char* codec) {
  UErrorCode err = U_ZERO_ERROR;
  UConverter* conv = ucnv_open(codec, &err);
  REQUIRE(U_SUCCESS(err));
  ucnv_setToUCallBack(conv, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &err);
  std::string out;
  for (const char byte : utf8) {
    const auto b = static_cast<unsigned char>(byte);
    ucnv_reset(conv);
    err = U_ZERO_ERROR;
    UChar buf[4] = {0, 0, 0, 0};
    const int32_t n = ucnv_toUChars(conv, buf, 4, &byte, 1, &err);
    const bool ok = U_SUCCESS(err) && n == 1 && buf[0] != 0xFFFD && buf[0] != 0x1A;
    copydesk::append_utf8(out, ok ? static_cast<char32_t>(buf[0]) : static_cast<char32_t>(b));
  }
  ucnv_close(conv);
  return out;
}

// The CESU-8 bytes of `utf8`: a character beyond U+FFFF is written as its two
// UTF-16 surrogates, three bytes each.
std::string cesu8(const std::string& utf8) {
  std::string out;
  for (std::size_t i = 0; i < utf8.size();) {
    std::size_t len = 0;
    const char32_t c = copydesk::decode_at(utf8, i, &len);
    if (c < 0x10000) {
      out.append(utf8, i, len);
    } else {
      const char32_t v = c - 0x10000;
      for (const char32_t unit : {0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF)}) {
        out.push_back(static_cast<char>(0xE0 | (unit >> 12)));
        out.push_back(static_cast<char>(0x80 | ((unit >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (unit & 0x3F)));
      }
    }
    i += len;
  }
  return out;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

std::vector<Edit> changes_of(UnicodeStage& stage, const std::string& text) {
  std::vector<Edit> changes;
  for (const auto& e : edits_of(stage, text)) {
    if (e.kind == EditKind::kChange) changes.push_back(e);
  }
  return changes;
}

struct Positive {
  std::string input;
  std::string expected;
  std::string rule;
};

// Every change carries `rule`, the output is `expected`, and a second run over
// the output proposes nothing (the stage is idempotent).
void check_positive(const Positive& p) {
  UnicodeStage stage(test_resources());
  INFO("input: " << p.input);
  const auto changes = changes_of(stage, p.input);
  REQUIRE_FALSE(changes.empty());
  for (const auto& e : changes) CHECK(e.rule == p.rule);
  const std::string output = run_stage(stage, p.input);
  INFO("output: " << output);
  CHECK(output == p.expected);
  CHECK(edits_of(stage, output).empty());
}

// No edit at all, not even a flag.
void check_unchanged(const std::string& text) {
  UnicodeStage stage(test_resources());
  INFO("text: " << text);
  const auto edits = edits_of(stage, text);
  for (const auto& e : edits) INFO("edit " << e.rule << " at " << e.begin << ": " << e.replacement);
  CHECK(edits.empty());
}

// The stage repairs the text `codec` damaged back to the original, and names
// the encoding (`label`, or one of `twins` where the damage is the same through both).
void check_repaired(const std::string& original, const char* codec, const std::string& label,
                    const std::vector<std::string>& twins = {}) {
  const std::string damaged = misread(original, codec);
  INFO("codec " << codec << ": " << damaged);
  REQUIRE(damaged != original);
  UnicodeStage stage(test_resources());
  const auto changes = changes_of(stage, damaged);
  REQUIRE_FALSE(changes.empty());
  for (const auto& e : changes) {
    CHECK(e.rule == "mojibake");
    bool named = e.reason.find(label) != std::string::npos;
    for (const auto& twin : twins) named = named || e.reason.find(twin) != std::string::npos;
    CHECK(named);
  }
  const std::string output = copydesk::apply_edits(damaged, changes);
  CHECK(output == original);
  CHECK(edits_of(stage, output).empty());
}

}  // namespace

TEST_CASE("unicode: rules are listed", "[unicode]") {
  UnicodeStage stage(test_resources());
  std::vector<std::string> ids;
  for (const auto& r : stage.rules()) ids.emplace_back(r.id);
  CHECK(ids == std::vector<std::string>{"nfc", "invisible", "odd-space", "mojibake"});
  CHECK(stage.name() == "unicode");
}

TEST_CASE("unicode: nfc positives", "[unicode][nfc]") {
  const std::vector<Positive> cases = {
      {"cafe\u0301", "caf\u00e9", "nfc"},
      {"Nguye\u0302\u0303n Va\u0306n", "Nguy\u1ec5n V\u0103n", "nfc"},
      {"A\u030Angstr\u00f6m", "\u00c5ngstr\u00f6m", "nfc"},
      {"\u212B is a unit", "\u00c5 is a unit", "nfc"},
      {"\u1100\u1161\u11A8", "\uAC01", "nfc"},
      {"e\u0301 and a\u0300 and u\u0308", "\u00e9 and \u00e0 and \u00fc", "nfc"},
      // Marks out of canonical order are reordered and composed.
      {"a\u0302\u0323", "\u1EAD", "nfc"},
      {"\u00e9 is fine but e\u0300 is not", "\u00e9 is fine but \u00e8 is not", "nfc"},
  };
  for (std::size_t k = 0; k < cases.size(); ++k) {
    SECTION("case " + std::to_string(k)) { check_positive(cases[k]); }
  }
}

TEST_CASE("unicode: nfc edits are local", "[unicode][nfc]") {
  UnicodeStage stage(test_resources());
  const std::string text =
      "The cafe\u0301 on the corner, and then a long stretch of plain text, then re\u0301sume\u0301.";
  const auto edits = edits_of(stage, text);
  REQUIRE(edits.size() == 3);
  for (const auto& e : edits) {
    CHECK(e.rule == "nfc");
    CHECK(e.end - e.begin == 3);  // one letter and its two-byte mark
    CHECK(e.replacement == "\u00e9");
  }
}

TEST_CASE("unicode: invisible positives", "[unicode][invisible]") {
  const std::vector<Positive> cases = {
      {"data\u200Bbase", "database", "invisible"},
      {"word\u2060joiner", "wordjoiner", "invisible"},
      {"\uFEFFHeadline", "Headline", "invisible"},
      {"infor\u00ADmation tech\u00ADnology", "information technology", "invisible"},
      {"co\u200Doperate and co\u200Cop", "cooperate and coop", "invisible"},
      {"bell\x07 and escape\x1B[0m", "bell and escape[0m", "invisible"},
      {std::string("nul\0byte", 8), "nulbyte", "invisible"},
      {"back\x08space", "backspace", "invisible"},
      {"del\x7F"
       "ete",
       "delete", "invisible"},
      {"zero\u200B\u200B\u2060width", "zerowidth", "invisible"},
  };
  for (std::size_t k = 0; k < cases.size(); ++k) {
    SECTION("case " + std::to_string(k)) { check_positive(cases[k]); }
  }
}

TEST_CASE("unicode: a run of invisible characters is one edit", "[unicode][invisible]") {
  UnicodeStage stage(test_resources());
  const auto edits = edits_of(stage, "zero\u200B\u200B\u2060width");
  REQUIRE(edits.size() == 1);
  CHECK(edits[0].begin == 4);
  CHECK(edits[0].end == 13);
}

TEST_CASE("unicode: other controls are flagged, never removed", "[unicode][invisible]") {
  UnicodeStage stage(test_resources());
  for (const std::string text :
       {"page one\x0Cpage two", "column\x0Bnext", "start\x01of heading", "unit\x1Fsep", "a\u0081b", "x\u009Dy"}) {
    INFO("text: " << text);
    const auto edits = edits_of(stage, text);
    REQUIRE(edits.size() == 1);
    CHECK(edits[0].kind == EditKind::kFlag);
    CHECK(edits[0].rule == "invisible");
    CHECK(run_stage(stage, text) == text);
  }
}

TEST_CASE("unicode: odd-space positives", "[unicode][odd-space]") {
  const std::vector<Positive> cases = {
      {"thin\u2009space", "thin space", "odd-space"},
      {"em\u2003space and en\u2002space", "em space and en space", "odd-space"},
      {"ideographic\u3000space", "ideographic space", "odd-space"},
      {"math\u205Fspace and hair\u200Aspace", "math space and hair space", "odd-space"},
      // A no-break space beside another space, or at a line's edge, binds nothing.
      {"two\u00A0\u00A0spaces", "two  spaces", "odd-space"},
      {"\u00A0leading and trailing\u00A0", " leading and trailing ", "odd-space"},
      {"word \u00A0word", "word  word", "odd-space"},
      {"end of line\u202F\nnext", "end of line \nnext", "odd-space"},
  };
  for (std::size_t k = 0; k < cases.size(); ++k) {
    SECTION("case " + std::to_string(k)) { check_positive(cases[k]); }
  }
}

TEST_CASE("unicode: no-break spaces between words are kept", "[unicode][odd-space][negative]") {
  check_unchanged("Mr.\u00A0Smith paid \u00A3250\u00A0million for 40\u00A0km of road");
  check_unchanged("Il a dit\u202F: \u00AB\u202Foui\u202F\u00BB\u202F!");
  check_unchanged("Page\u00A012, section\u00A04");
}

TEST_CASE("unicode: mojibake of each legacy encoding is repaired", "[unicode][mojibake]") {
  // Real text in several languages, damaged through each encoding by ICU.
  const std::vector<std::string> texts = {
      "The minister\u2019s \u201cfinal\u201d offer \u2013 rejected\u2026 again.",
      "Le g\u00e9n\u00e9ral a visit\u00e9 Besan\u00e7on et No\u00ebl \u00e0 Gen\u00e8ve.",
      "Die Br\u00fccke \u00fcber den Flu\u00df war gr\u00f6\u00dfer als erwartet.",
      "Jo\u00e3o n\u00e3o p\u00f4de ir \u00e0 reuni\u00e3o em S\u00e3o Lu\u00eds.",
  };
  // Latin-1 and Windows-1252 read bytes 0xA0..0xFF alike, as do Windows-1250
  // and ISO-8859-2 most of theirs (and Windows-1250 shares Windows-1252's
  // punctuation): the reason may name either.
  struct Codec {
    const char* icu;
    std::string label;
    std::vector<std::string> twins;
  };
  const std::vector<Codec> codecs = {
      {"windows-1252", "Windows-1252", {"Latin-1"}},
      {"ISO-8859-1", "Latin-1", {"Windows-1252"}},
      {"macintosh", "MacRoman", {}},
      {"windows-1251", "Windows-1251", {}},
      {"windows-1250", "Windows-1250", {"ISO-8859-2", "Windows-1252"}},
      {"ISO-8859-2", "ISO-8859-2", {"Windows-1250", "Latin-1"}},
      {"ibm-437", "cp437", {}},
  };
  for (const auto& codec : codecs) {
    for (std::size_t k = 0; k < texts.size(); ++k) {
      SECTION(std::string(codec.icu) + " text " + std::to_string(k)) {
        check_repaired(texts[k], codec.icu, codec.label, codec.twins);
      }
    }
  }
}

TEST_CASE("unicode: mojibake of other scripts is repaired", "[unicode][mojibake]") {
  SECTION("Cyrillic read as Windows-1252") {
    check_repaired(
        "\u0412\u043e\u0434\u0430 \u043a\u0438\u043f\u0438\u0442 \u043f\u0440\u0438 \u0441\u0442\u0430 "
        "\u0433\u0440\u0430\u0434\u0443\u0441\u0430\u0445.",
        "windows-1252", "Windows-1252");
  }
  SECTION("Cyrillic read as Windows-1251") {
    check_repaired("\u0417\u0438\u043c\u0430 \u0431\u044b\u043b\u0430 \u0434\u043e\u043b\u0433\u043e\u0439.",
                   "windows-1251", "Windows-1251");
  }
  SECTION("Czech read as Windows-1250") {
    check_repaired("\u010cesk\u00e1 po\u0161ta doru\u010dila bal\u00edk v\u010das.", "windows-1250", "Windows-1250");
  }
  SECTION("Czech read as ISO-8859-2") {
    check_repaired("\u010cesk\u00e1 po\u0161ta doru\u010dila bal\u00edk v\u010das.", "ISO-8859-2", "ISO-8859-2",
                   {"Latin-1"});
  }
  SECTION("Norwegian read as ISO-8859-2: the document's letters decide the tie with Windows-1250") {
    // "p\u0102\u013d" is "p\u00e5" through ISO-8859-2 and "p\u00fc" through
    // Windows-1250 (equal badness); no language writes \u00fc with \u00f8.
    check_repaired("Hun bor n\u00e5 p\u00e5 \u00f8en ved kysten.", "ISO-8859-2", "ISO-8859-2");
    check_repaired("Han kj\u00f8pte br\u00f8d p\u00e5 torget i g\u00e5r.", "ISO-8859-2", "ISO-8859-2");
  }
  SECTION("Greek read as MacRoman") {
    check_repaired(
        "\u0397 \u03b8\u03ac\u03bb\u03b1\u03c3\u03c3\u03b1 \u03ae\u03c4\u03b1\u03bd \u03ae\u03c1\u03b5\u03bc\u03b7.",
        "macintosh", "MacRoman");
  }
  SECTION("Japanese read as Windows-1252") {
    check_repaired("\u5927\u962a\u306e\u5929\u6c17\u306f\u6674\u308c\u3067\u3059\u3002", "windows-1252",
                   "Windows-1252");
  }
  SECTION("Turkish capital with a dot read as Windows-1252") {
    check_repaired("\u0130zmir ve \u0130neg\u00f6l aras\u0131nda", "windows-1252", "Windows-1252");
  }
  SECTION("an emoji read as Windows-1252") {
    check_repaired("Great news \U0001F389 for everyone", "windows-1252", "Windows-1252");
  }
}

TEST_CASE("unicode: double encoding is repaired to the end", "[unicode][mojibake]") {
  const std::string original = "Se\u00f1or Mu\u00f1oz said \u201cno\u201d.";
  for (const auto& [first, second] : std::vector<std::pair<const char*, const char*>>{
           {"windows-1252", "windows-1252"}, {"windows-1252", "ISO-8859-1"}, {"windows-1251", "windows-1252"}}) {
    INFO(first << " then " << second);
    const std::string twice = misread(misread(original, first), second);
    UnicodeStage stage(test_resources());
    const std::string output = run_stage(stage, twice);
    CHECK(output == original);
    for (const auto& e : changes_of(stage, twice)) CHECK(e.reason.find(", then as ") != std::string::npos);
  }
}

TEST_CASE("unicode: CESU-8 surrogate pairs read as a legacy encoding", "[unicode][mojibake]") {
  const std::string original = "Launch day \U0001F680 and cake \U0001F382 today";
  const std::string damaged = misread(cesu8(original), "windows-1252");
  UnicodeStage stage(test_resources());
  CHECK(run_stage(stage, damaged) == original);
  const auto changes = changes_of(stage, damaged);
  REQUIRE(changes.size() == 2);
  CHECK(changes[0].reason.find("CESU-8") != std::string::npos);
}

TEST_CASE("unicode: a lost no-break byte", "[unicode][mojibake]") {
  SECTION("a space stands for the second byte of \u00e0") {
    // "à" is C3 A0; read as Windows-1252 the A0 is a no-break space, which a
    // later step turned into a plain space.
    const std::string original = "Fomos \u00e0s compras e voltamos \u00e0 noite, j\u00e1 cansados.";
    const std::string damaged = replace_all(misread(original, "windows-1252"), "\u00a0", " ");
    UnicodeStage stage(test_resources());
    CHECK(run_stage(stage, damaged) == original);
  }
  SECTION("a space stands for the last byte of a Thai letter") {
    const std::string original = "\u0e20\u0e39\u0e40\u0e02\u0e32\u0e41\u0e25\u0e30\u0e17\u0e30\u0e40\u0e25";
    const std::string damaged = replace_all(misread(original, "windows-1252"), "\u00a0", " ");
    UnicodeStage stage(test_resources());
    CHECK(run_stage(stage, damaged) == original);
  }
}

TEST_CASE("unicode: C1 controls", "[unicode][mojibake]") {
  SECTION("inside a sequence they are decoded, not deleted") {
    check_repaired("Prices rose \u2014 sharply \u2014 in March\u2026", "ISO-8859-1", "Latin-1");
  }
  SECTION("alone, a C1 control is the Windows-1252 character of its byte") {
    check_positive(
        {"He said \u0093enough\u0094 and left\u0085", "He said \u201cenough\u201d and left\u2026", "mojibake"});
  }
}

TEST_CASE("unicode: weak and strong evidence", "[unicode][mojibake]") {
  const std::string word = "Gen\u00e8ve";  // one two-byte sequence once damaged
  const std::string damaged = misread(word, "windows-1252");
  UnicodeStage stage(test_resources());
  SECTION("alone in the document: repaired") {
    CHECK(run_stage(stage, "Talks in " + damaged + " today") == "Talks in " + word + " today");
  }
  SECTION("beside strong mojibake: repaired") {
    const std::string text = "Talks in " + damaged + misread(" \u2014 the UN\u2019s view", "windows-1252");
    CHECK(run_stage(stage, text) == "Talks in " + word + " \u2014 the UN\u2019s view");
  }
  SECTION("beside intact non-ASCII text: flagged only") {
    const std::string text = "Talks in " + damaged + " \u2014 the UN\u2019s view";
    const auto edits = edits_of(stage, text);
    REQUIRE(edits.size() == 1);
    CHECK(edits[0].kind == EditKind::kFlag);
    CHECK(edits[0].rule == "mojibake");
    CHECK(edits[0].reason.find("Windows-1252") != std::string::npos);
  }
}

TEST_CASE("unicode: weak repairs decided by the document's letters", "[unicode][mojibake]") {
  UnicodeStage stage(test_resources());
  const auto damaged = [](const std::string& word) { return misread(word, "windows-1252"); };
  SECTION("the letters they give fit the document's language; as written they fit none: repaired") {
    // German: intact "ü" and "ß"; one word damaged ("ö" as "Ã¶").
    const std::string german = "Die Br\u00fccke ist gro\u00df und sch";
    const std::string text = german + damaged("\u00f6") + "n.";
    CHECK(run_stage(stage, text) == german + "\u00f6n.");
    const auto changes = changes_of(stage, text);
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].rule == "mojibake");
    CHECK(changes[0].reason.find("letters") != std::string::npos);
    // Polish: intact "ł" and "ż"; two damaged words, read together.
    const std::string polish =
        "Ma\u0142y ko\u0144 \u017cyje w " + damaged("\u015b") + "wiecie i " + damaged("\u0107") + "wiczy";
    CHECK(run_stage(stage, polish) == "Ma\u0142y ko\u0144 \u017cyje w \u015bwiecie i \u0107wiczy");
  }
  SECTION("the letters as written also fit some language: flagged only") {
    // "Ã" is a Portuguese letter, written with "ç" and "é": the text as
    // written could be right, so the look-alike is only flagged.
    const std::string text = "A na\u00e7\u00e3o " + damaged("\u00e9") + " forte";
    const auto edits = edits_of(stage, text);
    REQUIRE(edits.size() == 1);
    CHECK(edits[0].kind == EditKind::kFlag);
  }
  SECTION("the letters they give fit no language with the document's: flagged only") {
    // Icelandic "þ" and "ð" intact; a damaged Vietnamese "ư" fits no language with them.
    const std::string text = "\u00fe\u00e6r ver\u00f0a " + damaged("\u01b0") + "u";
    const auto edits = edits_of(stage, text);
    REQUIRE(edits.size() == 1);
    CHECK(edits[0].kind == EditKind::kFlag);
  }
  SECTION("a repair that gives a sign, not a letter: flagged only") {
    const std::string text = "Tr\u00e8s chaud: 30" + damaged("\u00b0") + " ce midi";
    const auto edits = edits_of(stage, text);
    for (const auto& e : edits) CHECK(e.kind == EditKind::kFlag);
    CHECK(run_stage(stage, text) == text);
  }
  SECTION("the intact text has only punctuation: flagged only") {
    const std::string text = "Dinner at " + damaged("\u00e9") + "mile\u2019s place";
    const auto edits = edits_of(stage, text);
    REQUIRE(edits.size() == 1);
    CHECK(edits[0].kind == EditKind::kFlag);
  }
}

TEST_CASE("unicode: mojibake edits are local", "[unicode][mojibake]") {
  UnicodeStage stage(test_resources());
  const std::string quote = misread("\u2019", "windows-1252");
  const std::string acute = misread("\u00e9", "windows-1252");
  const std::string text = "It" + quote + "s the caf" + acute + ".";
  const auto edits = edits_of(stage, text);
  REQUIRE(edits.size() == 2);
  CHECK(text.substr(edits[0].begin, edits[0].end - edits[0].begin) == quote);
  CHECK(text.substr(edits[1].begin, edits[1].end - edits[1].begin) == acute);
  CHECK(edits[0].reason == "UTF-8 text read as Windows-1252, decoded back.");
}

TEST_CASE("unicode: clean text is left unchanged", "[unicode][negative]") {
  const std::vector<std::string> cases = {
      // Plain English with ASCII punctuation, tabs and CRLF.
      "The U.S. economy grew 2.5% in 2024, e.g. 10,000 jobs; see openai.com.\tDone.\r\nNext line.\n",
      // Curly and straight quotes, dashes, ellipsis, symbols.
      "\u201cHello,\u201d she said \u2014 \u2018quietly\u2019 \u2013 and \"straight\" 'quotes'\u2026",
      "\u00a3100, \u20ac50, \u00a9 BBC, Acme\u2122, 3\u00d74, 20\u00b0C, \u00bd, \u00a7 12, Nestl\u00e9\u00ae",
      "Home \u00bb News \u00bb World",
      // Accented letters and capitals of many languages.
      "\u00c7a va ? \u00c0 bient\u00f4t, \u00e9l\u00e8ve, gar\u00e7on, o\u00f9, na\u00efve, c\u0153ur, pr\u00eat, "
      "\u00ab d\u00e9j\u00e0 \u00bb, ch\u00e2teau, \u00e2ge, \u00c9mile \u00c9tienne",
      "\u00c1gua, S\u00c3O PAULO, a\u00e7\u00e3o, n\u00e3o, Jo\u00e3o, \u00abirm\u00e3\u00bb\u2026, N\u00c3O \u00c9 "
      "VERDADE, IRM\u00c3\u00bb, AMANH\u00c3\u2014, M\u00c3E\u2019S",
      "Gr\u00f6\u00dfe, \u00fcberm\u00e4\u00dfig, \u00c4rger, \u201eZitat\u201c, \u201aeinfach\u2018, "
      "SP\u00d6\u2014Chef, \u00d6sterreich",
      "\u00c5se och \u00d8ystein s\u00e5g \u00c5lesund, \u00c6r\u00f8 og \u00e6bler; P\u00e5 \u00c5 \u00e5 "
      "\u00f8 \u00e6",
      "PYH\u00c4\u00a0J\u00c4RVI\u00a0KES\u00c4LL\u00c4, T\u00c4\u00c4LL\u00c4 ja \u00c4\u00c4NI",
      "\u00bfQu\u00e9 pasa? \u00a1Espa\u00f1a! \u00d1and\u00fa, a\u00f1o, \u201c\u00c9l\u201d \u2014\u00e9l",
      "Ti\u1ebfng Vi\u1ec7t, ng\u01b0\u1eddi, \u0111\u01b0\u1ee3c, Nguy\u1ec5n",
      "Pr\u00edli\u0161 \u017elu\u0165ou\u010dk\u00fd k\u016f\u0148, \u0141\u00f3d\u017a, \u0110akovi\u0107",
      "\u0412\u0441\u0451 \u0435\u0449\u0451 \u0437\u0438\u043c\u0430, \u0421\u0451\u043c\u0433\u0430, "
      "\u0401\u043b\u043a\u0430",
      "\u0391\u03b8\u03ae\u03bd\u03b1, \u0398\u03b5\u03c3\u03c3\u03b1\u03bb\u03bf\u03bd\u03af\u03ba\u03b7",
      "\u0130zmir\u2019de g\u00fczel bir g\u00fcn, \u015eule \u00c7elik",
      // A lone Â / Ã / â is real text.
      "\u00c2 and \u00c3 and \u00e2 alone",
      // CJK and Korean, including ideographic spaces between CJK characters.
      "\u6771\u4eac\u90fd\u306f\u65e5\u672c\u306e\u9996\u90fd\u3067\u3059\u3002",
      "\u3000\u65e5\u672c\u8a9e\u306e\u6587\u7ae0\u3000\u6771\u4eac",
      "\ud55c\uad6d\uc5b4 \ubb38\uc7a5",
      // Thousands separators: thin, narrow no-break and no-break spaces between digits.
      "10\u2009000 people, 1\u202F000\u202F000 euros, 5\u00a0000 km",
      // Emoji ZWJ sequences and Persian ZWNJ.
      "family \U0001F468\u200D\U0001F469\u200D\U0001F467 and \U0001F3F3\uFE0F\u200D\U0001F308",
      "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
      "a\u200D1 b \u200Dc",
      // Decomposition-stable compatibility characters are not NFKC-folded.
      "\ufb01le \u2460 \u00b2 \uff21",
      "",
  };
  for (std::size_t k = 0; k < cases.size(); ++k) {
    SECTION("case " + std::to_string(k)) { check_unchanged(cases[k]); }
  }
}

TEST_CASE("unicode: look-alikes of mojibake in real text stay", "[unicode][negative][mojibake]") {
  // Each is valid UTF-8 once re-encoded, but the original is no odder than the result.
  const std::vector<std::string> cases = {
      "\u00abirm\u00e3\u00bb\u2026",                    // ã»… would be a CJK character
      "SP\u00d6\u2014die Partei",                       // Ö— would be a Hebrew accent
      "\u201c\u00e9lan\u201d and \u2014\u00e9t\u00e9",  // MacRoman: “é and —é would be Cyrillic
      "\u00c9TAT \u00c0 VENDRE, \u00c2ME",              // capitals of a heading
      "M\u00c3E\u2019s day",                            // Ã’ would be Ò
  };
  for (std::size_t k = 0; k < cases.size(); ++k) {
    SECTION("case " + std::to_string(k)) {
      UnicodeStage stage(test_resources());
      INFO(cases[k]);
      CHECK(changes_of(stage, cases[k]).empty());
    }
  }
}

TEST_CASE("unicode: long lines are processed in one linear pass", "[unicode][long]") {
  UnicodeStage stage(test_resources());

  SECTION("mixed damage, several MB") {
    const std::string unit = "It" + misread("\u2019", "windows-1252") + "s caf" + misread("\u00e9", "windows-1252") +
                             "\u00a0time e\u0301 zero\u200Bwidth. ";
    const std::string fixed = "It\u2019s caf\u00e9\u00a0time \u00e9 zerowidth. ";
    const std::size_t copies = 150000;  // about 6 MB
    std::string text;
    std::string expected;
    text.reserve(unit.size() * copies);
    for (std::size_t k = 0; k < copies; ++k) {
      text += unit;
      expected += fixed;
    }
    const auto edits = edits_of(stage, text);
    CHECK(edits.size() == 4 * copies);
    CHECK(copydesk::apply_edits(text, edits) == expected);
  }

  SECTION("one long mojibake run") {
    const std::string damaged = misread("\u00e9", "windows-1252");
    std::string text;
    std::string expected;
    for (std::size_t k = 0; k < 1000000; ++k) {
      text += damaged;
      expected += "\u00e9";
    }
    CHECK(run_stage(stage, text) == expected);
  }

  SECTION("leads without continuations, combining marks, CJK") {
    std::string leads;
    std::string marks = "a";
    std::string cjk;
    for (std::size_t k = 0; k < 1000000; ++k) {
      leads += "\u00c3";
      marks += "\u0301";
      cjk += "\u6771";
    }
    CHECK(edits_of(stage, leads).empty());
    CHECK(edits_of(stage, marks).empty());  // Zalgo-length sequences are not normalised
    CHECK(edits_of(stage, cjk).empty());
  }
}

TEST_CASE("unicode: one run reaches the fixed point around removed controls", "[unicode]") {
  copydesk::UnicodeStage stage(copydesk::testing::test_resources());
  // A joiner next to a control that goes, and a combining mark after one: the
  // output is decided as it will read without the control. Controls that are
  // only flagged stay, and a second run changes nothing either.
  for (const std::string_view text :
       {"bo\x07\xe2\x80\x8cok shelf\n", "ma\x7f\xe2\x80\x8d\x1brk\n", "in\xe2\x80\x8d\x08\x08to the hall\n",
        "two\x0c\x0cwords\n", "bo\x01\xe2\x80\x8cok shelf\n"}) {
    const std::string once = copydesk::testing::run_stage(stage, text);
    INFO(once);
    std::size_t changes = 0;
    for (const auto& e : copydesk::testing::edits_of(stage, once)) changes += e.kind == copydesk::EditKind::kChange;
    CHECK(changes == 0);
  }
  // Where a control is removed, the joiner that only stood between letters
  // because of it goes in the same run.
  CHECK(copydesk::testing::run_stage(stage, "bo\x07\xe2\x80\x8cok shelf\n") == "book shelf\n");
}

TEST_CASE("unicode: marks on both sides of a removed control compose in one run", "[unicode]") {
  copydesk::UnicodeStage stage(copydesk::testing::test_resources());
  // The letter before the control already carries a mark (U+0323 dot below,
  // U+0331 macron below), or is itself not ASCII: the mark after the control
  // still composes with it, in the run that removes the control.
  const std::string dot_below_circumflex = "o\xcc\xa3\x07\xcc\x82 stem\n";  // o U+0323 BEL U+0302
  const std::string once = copydesk::testing::run_stage(stage, dot_below_circumflex);
  CHECK(once == "\xe1\xbb\x99 stem\n");  // U+1ED9, o with circumflex and dot below
  for (const std::string_view text : {std::string_view("o\xcc\xa3\x07\xcc\x82 stem\n"),
                                      std::string_view("k\xcc\xb1\x1b\xcc\x81 a\n"),  // no precomposed k + both
                                      std::string_view("\xc3\xa9\x07\xcc\xa3 x\n"),   // é, BEL, dot below
                                      std::string_view("e\xcc\x81\xcc\xa3\x07\xcc\x82 y\n")}) {
    const std::string out = copydesk::testing::run_stage(stage, text);
    INFO(out);
    std::size_t changes = 0;
    for (const auto& e : copydesk::testing::edits_of(stage, out)) changes += e.kind == copydesk::EditKind::kChange;
    CHECK(changes == 0);
  }
  // A mark after a control at the start of a line has no letter to go to: it stays.
  CHECK(copydesk::testing::run_stage(stage, "\x07\xcc\x81x\n") == "\xcc\x81x\n");
}

TEST_CASE("unicode: the document's other runs decide how a run was read", "[unicode][mojibake]") {
  UnicodeStage stage(test_resources());
  SECTION("a run that reads alike through ISO-8859-2 and Windows-1250 takes the encoding later runs show") {
    // "går" is "gĂĽr" through ISO-8859-2, and Windows-1250 reads the same
    // characters as "gür"; "svært" reads well only through ISO-8859-2.
    const std::string danish = "Vi g\u00e5r hjem nu, for det er sv\u00e6rt at k\u00f8re.";
    const std::string damaged = misread(danish, "ISO-8859-2");
    CHECK(run_stage(stage, damaged) == danish);
  }
  SECTION("a valid run no less bad than as written is read as the document's other runs") {
    // "Ş" read as Windows-1252 is "Åž": a capital and a small letter, nothing odd alone.
    const std::string turkish = "\u015eehrin \u00f6\u011frencileri s\u0131nav\u0131 kazand\u0131.";
    CHECK(run_stage(stage, misread(turkish, "windows-1252")) == turkish);
    const std::string czech = "\u0158editel \u0161koly \u0159ekl, \u017ee v\u00fduka za\u010dne v \u00fater\u00fd.";
    check_repaired(czech, "windows-1250", "Windows-1250");
  }
  SECTION("a C1 control Windows-1250 leaves undefined does not make it ISO-8859-2") {
    // "ř" is C5 99 and "Ř" C5 98: 0x98 is undefined in Windows-1250 too.
    const std::string czech = "\u0158\u00edjen byl such\u00fd a \u0159eky opadly.";
    check_repaired(czech, "windows-1250", "Windows-1250");
  }
  SECTION("letters as written that no language writes together, letters repaired that one does") {
    // "ø" through Windows-1250 is "Ă¸": no language writes "ă" with "¸";
    // ISO-8859-2 reads it alike, so the two agree.
    const std::string norwegian = "Hva er det du h\u00f8rer?";
    const std::string damaged = misread(norwegian, "windows-1250");
    CHECK(run_stage(stage, damaged) == norwegian);
    const auto changes = changes_of(stage, damaged);
    REQUIRE(changes.size() == 1);
  }
  SECTION("a run tied between two encodings goes to the reading whose letters fit the document") {
    // "ž" is "Ĺľ" through Windows-1250; ISO-8859-2 reads it as "ŵ", which
    // no language writes with Lithuanian "į".
    const std::string lithuanian = "Ar \u017eym\u0117 matoma, kai \u012frenginys juda";
    CHECK(run_stage(stage, misread(lithuanian, "windows-1250")) == lithuanian);
  }
}

TEST_CASE("unicode: a run two encodings read alike into different letters, undecided, is flagged",
          "[unicode][mojibake]") {
  UnicodeStage stage(test_resources());
  auto flags_of = [&](const std::string& text) {
    std::vector<Edit> flags;
    for (const auto& e : edits_of(stage, text)) {
      if (e.kind == EditKind::kFlag) flags.push_back(e);
    }
    return flags;
  };
  auto names = [](const Edit& flag, const std::string& one, const std::string& other) {
    return flag.reason.find("\"" + one + "\" through Windows-1250") != std::string::npos &&
           flag.reason.find("\"" + other + "\" through ISO-8859-2") != std::string::npos;
  };
  SECTION("one word, no other evidence: both readings are some language's letters") {
    // "á" (C3 A1) through ISO-8859-2 is "ĂĄ"; Windows-1250 reads "ĂĄ" as
    // C3 A5, "å". Portuguese writes "á", Swedish "å".
    const std::string damaged = misread("Ela est\u00e1 em casa agora.", "ISO-8859-2");
    CHECK(changes_of(stage, damaged).empty());
    const auto flags = flags_of(damaged);
    REQUIRE(flags.size() == 1);
    CHECK(flags[0].rule == "mojibake");
    CHECK(names(flags[0], "\u00e5", "\u00e1"));
    // The same damage from the other side: Windows-1250's "å" is ISO-8859-2's "á".
    const std::string swedish = misread("Vi s\u00e5g en b\u00e5t.", "windows-1250");
    CHECK(changes_of(stage, swedish).empty());
    REQUIRE(flags_of(swedish).size() == 2);
  }
  SECTION("the letters are flagged, the runs both encodings read alike are repaired") {
    // "ä" is "Ă¤" through both; "å" is "å" or "á" and Swedish and Slovak
    // write either with "ä".
    const std::string original = "Hon s\u00e5g p\u00e5 t\u00e4vlingen.";
    const std::string damaged = misread(original, "windows-1250");
    const auto changes = changes_of(stage, damaged);
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].replacement == "\u00e4");
    const auto flags = flags_of(damaged);
    REQUIRE(flags.size() == 2);
    for (const auto& f : flags) CHECK(names(f, "\u00e5", "\u00e1"));
    // Every change made is right: the flagged runs are the only damage left.
    const std::string output = copydesk::apply_edits(damaged, changes);
    CHECK(output == misread("Hon s\u00e5g p\u00e5 t", "windows-1250") + "\u00e4vlingen.");
  }
  SECTION("a Welsh w-circumflex against a z-caron") {
    // "ŵ" (C5 B5) through ISO-8859-2 is "Ĺľ", which Windows-1250 reads as
    // C5 BE, "ž": Welsh writes one, Slovak the other.
    const std::string damaged = misread("Mae'r d\u0175r yn oer.", "ISO-8859-2");
    CHECK(changes_of(stage, damaged).empty());
    const auto flags = flags_of(damaged);
    REQUIRE(flags.size() == 1);
    CHECK(names(flags[0], "\u017e", "\u0175"));
  }
  SECTION("negatives: where the document decides, the repair is made") {
    // "æ" through ISO-8859-2 is "ĂŚ", which Windows-1250 reads as a capital
    // "Ì" inside the word: a run only ISO-8859-2 explains settles the tie.
    const std::string danish = "B\u00f8rnene l\u00e6rte det p\u00e5 skolen i g\u00e5r.";
    CHECK(run_stage(stage, misread(danish, "ISO-8859-2")) == danish);
    CHECK(flags_of(misread(danish, "ISO-8859-2")).empty());
    // Letters that fit only one reading: "ü" with "ø" is no language's.
    const std::string norwegian = "Hun s\u00e5 p\u00e5 \u00f8ya fra b\u00e5ten.";
    CHECK(run_stage(stage, misread(norwegian, "ISO-8859-2")) == norwegian);
    // Both encodings give the same letters: no flag.
    const std::string czech = "Kolik to st\u00e1lo v obchod\u011b?";
    check_repaired(czech, "windows-1250", "Windows-1250", {"ISO-8859-2"});
  }
}

TEST_CASE("unicode: a character of a script without spaces decoded between Latin letters", "[unicode][mojibake]") {
  // One Han or kana character between two ASCII words is how Chinese and
  // Japanese set a Latin name or command; it is not two scripts in one word.
  check_repaired("\u9009\u62e9tar\u6216zip\u683c\u5f0f", "windows-1252", "Windows-1252");
  check_repaired("Python\u3068Ruby", "windows-1252", "Windows-1252");
  check_repaired("\u5b89\u88c5nginx\u4e0eredis", "windows-1252", "Windows-1252");
  SECTION("a deeper level or a lost byte gives no Han or Hangul character beside a Latin letter") {
    // Decoded once, "é“ " re-encodes to E9 93 A0, the UTF-8 of a Han
    // character; "í“ " to ED 93 A0, a Hangul syllable.
    check_repaired("\u201eVe\u013emi pekn\u00e9\u201c M\u00e1ria sa usmiala.", "windows-1252", "Windows-1252");
    check_repaired("Dijo \u201cs\u00ed\u201d y luego \u201caqu\u00ed\u201c Marta call\u00f3.", "windows-1252",
                   "Windows-1252");
  }
  SECTION("negatives") {
    check_unchanged("\u652f\u6301gzip\u6216bzip2\u538b\u7f29");
    check_unchanged("Python\u3068Ruby");
    check_unchanged("\u30d5\u30a1\u30a4\u30eb\u3092zip\u3067\u9001\u308b");
  }
}

TEST_CASE("unicode: letters of every alphabet in repairs", "[unicode][mojibake]") {
  SECTION("modifier letters stand inside Latin words") {
    const std::string uzbek = "Ma\u02bblumotlarga ko\u02bbra narx oshdi.";
    check_repaired(uzbek, "windows-1252", "Windows-1252");
    check_repaired(uzbek, "windows-1251", "Windows-1251");
    check_repaired(uzbek, "ISO-8859-2", "ISO-8859-2", {"Windows-1250"});
  }
  SECTION("the IPA letters of African alphabets are Latin letters") {
    const std::string twi = "\u0186kyeame no kaa s\u025b \u025bnn\u025b y\u025bb\u025bhyia.";
    check_repaired(twi, "macintosh", "MacRoman");
    check_repaired("Y\u025bb\u025bhyia \u0254kyena.", "ibm-437", "cp437");
  }
  SECTION("Hebrew geresh and gershayim stand inside words") {
    const std::string hebrew = "\u05e6\u05f3\u05d9\u05e4\u05e1 \u05d5\u05e6\u05d4\u05f4\u05dc";
    check_repaired(hebrew, "windows-1252", "Windows-1252");
  }
  SECTION("a lost no-break byte after the lead ED") {
    // "할" is ED 95 A0: read as Windows-1252 its last byte is a no-break space.
    const std::string korean = "\uc624\ub298 \ud560 \uc77c\uc740 \ub9ce\ub2e4.";
    const std::string damaged = replace_all(misread(korean, "windows-1252"), "\u00a0", " ");
    UnicodeStage stage(test_resources());
    CHECK(run_stage(stage, damaged) == korean);
  }
}

TEST_CASE("unicode: a double encoding whose last level is no less bad", "[unicode][mojibake]") {
  UnicodeStage stage(test_resources());
  SECTION("decoded where the document's other runs took that level strictly") {
    // A single capital ("Ο", "Ş") double-encoded decodes once into two
    // plain-looking characters ("Îź", "Åž").
    const std::string greek =
        "\u039f \u03b4\u03ae\u03bc\u03b1\u03c1\u03c7\u03bf\u03c2 \u03bc\u03af\u03bb\u03b7\u03c3\u03b5.";
    const std::string turkish = "\u015eehrin \u00f6\u011frencileri kazand\u0131.";
    for (const auto& text : {greek, turkish}) {
      const std::string damaged = misread(misread(text, "windows-1252"), "windows-1252");
      CHECK(run_stage(stage, damaged) == text);
    }
  }
  SECTION("real text that re-encodes whole is left as a single decoding gives it") {
    // Tajik "Оё" ("whether") re-encodes through Windows-1251 as the UTF-8 of "θ".
    const std::string tajik = "\u041e\u0451 \u0438\u043d \u0434\u0443\u0440\u0443\u0441\u0442 \u0430\u0441\u0442?";
    check_repaired(tajik, "windows-1251", "Windows-1251");
    check_unchanged(tajik);
  }
}

TEST_CASE("unicode: more real text that only looks like mojibake stays", "[unicode][negative][mojibake]") {
  for (const char* text : {
           "S\u00c3O PAULO \u2013 A chuva voltou",
           "\u00c5land and \u00c5rhus are not far apart",
           "\u00c2ge moyen: 42 ans",
           "Den gr\u00c5 bil",
           "It is 10\u00a0km from Mr.\u00a0Lee's house",
           "Prices: 1\u202f000\u00a0\u20ac",
           "\u0420\u0451\u0432 \u043c\u043e\u0442\u043e\u0440\u0430",
           "\u041e\u0451 \u2014 an odd pair",
           "pre\u00e7o \u00e0 vista: R$\u00a0100",
           "\u0130zmir'de \u0131l\u0131k bir g\u00fcn",
       }) {
    check_unchanged(text);
  }
  SECTION("other ASCII controls are flagged, never removed") {
    UnicodeStage stage(test_resources());
    const std::string text = "Column one\vcolumn two";
    CHECK(run_stage(stage, text) == text);
    const auto edits = edits_of(stage, text);
    REQUIRE(edits.size() == 1);
    CHECK(edits[0].kind == EditKind::kFlag);
  }
}

TEST_CASE("unicode: a one-letter capital word before a space is not a lost byte", "[unicode][negative][mojibake]") {
  // "È" is the byte C8 in Windows-1252, and C8 A0 would be "Ƞ", which no
  // language writes: the space stays a space.
  check_unchanged("Grazie.\n\u00c8 richiesto un nome.");
  check_unchanged("\u00c8 tardi, ma \u00e8 ancora aperto.");
  check_unchanged("Resposta: \u00c9 verdade. \u00c9 sim.");
  check_unchanged("Vento forte. \u00d3 mar estava bravo.");
  SECTION("nor beside strong mojibake") {
    UnicodeStage stage(test_resources());
    const std::string text = "Grazie.\n\u00c8 l" + misread("\u2019ora.", "windows-1252");
    CHECK(run_stage(stage, text) == "Grazie.\n\u00c8 l\u2019ora.");
  }
  SECTION("a one-letter word alone in the document stays, though it could be a lost byte") {
    check_unchanged("Take the road to \u00c5 in Lofoten.");
    check_unchanged("The symbol \u00c5 is a unit.");
  }
  SECTION("while a lost byte is repaired at the text's start where the document holds more mojibake") {
    const std::string bosnian = "\u0160irina prozora je ve\u0107a od visine.";
    const std::string damaged = replace_all(misread(bosnian, "windows-1252"), "\u00a0", " ");
    UnicodeStage stage(test_resources());
    CHECK(run_stage(stage, damaged) == bosnian);
  }
}
