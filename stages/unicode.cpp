#include "stages/unicode.h"

#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/uloc.h>
#include <unicode/ulocdata.h>
#include <unicode/uset.h>
#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "pipeline/text.h"

namespace copydesk {

namespace {

constexpr std::string_view kNfc = "nfc";
constexpr std::string_view kInvisible = "invisible";
constexpr std::string_view kOddSpace = "odd-space";
constexpr std::string_view kMojibake = "mojibake";

// Longer combining sequences (Zalgo text) are left alone: utf8proc orders
// combining marks with a quadratic sort.
constexpr std::size_t kMaxSegment = 32;
// A run is cut (before a lead) at this many code points, so the scratch
// buffers stay small even on a 50 MB line of mojibake.
constexpr std::size_t kMaxRun = 1024;
// Double, triple... encoding: each level undoes one.
constexpr int kMaxLevels = 4;

constexpr utf8proc_option_t kNfcOptions = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE);

// ---- Legacy single-byte encodings -------------------------------------------
//
// The encodings UTF-8 is most often mistaken for, in the order a tie is
// resolved. Their tables come from ICU. Windows-1252, -1250 and -1251 are
// "sloppy": a byte they leave undefined reads as the C1 control of the same
// value (as most decoders pass it through), and Windows-1252 also takes every
// C1 control as its own byte, which covers text read as Latin-1.
constexpr int kCodecs = 6;
constexpr int kWin1252 = 0;
constexpr int kMacRoman = 3;
constexpr int kWin1250 = 1;
constexpr int kIso8859_2 = 4;
struct CodecName {
  const char* icu;
  const char* label;
};
constexpr CodecName kCodecNames[kCodecs] = {
    {"windows-1252", "Windows-1252"}, {"windows-1250", "Windows-1250"}, {"windows-1251", "Windows-1251"},
    {"macintosh", "MacRoman"},        {"ISO-8859-2", "ISO-8859-2"},     {"ibm-437", "cp437"},
};

class LegacyCodecs {
 public:
  LegacyCodecs() : direct_(kDirect) {
    for (int k = 0; k < kCodecs; ++k) {
      UErrorCode err = U_ZERO_ERROR;
      UConverter* conv = ucnv_open(kCodecNames[k].icu, &err);
      if (U_FAILURE(err) || conv == nullptr) {
        throw std::runtime_error(std::string("ICU has no converter for ") + kCodecNames[k].icu);
      }
      ucnv_setToUCallBack(conv, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &err);
      for (int b = 0x80; b <= 0xFF; ++b) {
        ucnv_reset(conv);
        err = U_ZERO_ERROR;
        UChar buf[4] = {0, 0, 0, 0};
        const char byte = static_cast<char>(b);
        const int32_t n = ucnv_toUChars(conv, buf, 4, &byte, 1, &err);
        char32_t c = 0;
        if (U_SUCCESS(err) && n == 1 && buf[0] != 0xFFFD && buf[0] != 0x1A) {
          c = buf[0];
        } else if (b < 0xA0 && k != kMacRoman) {
          c = static_cast<char32_t>(b);  // sloppy: an undefined byte is the C1 control of its value
        }
        high_[k][b - 0x80] = c;
        if (c != 0) add(k, c, b);
      }
      ucnv_close(conv);
    }
    // Text read as Latin-1 turned Windows-1252's bytes 0x80..0x9F into C1 controls.
    for (char32_t c = 0x80; c < 0xA0; ++c) add(kWin1252, c, static_cast<int>(c));
    // Decoders disagree on a few look-alikes (cp437's 0xE6 is the micro sign
    // or the Greek mu): either form maps to the byte.
    constexpr char32_t kTwins[][2] = {{0xB5, 0x3BC}, {0x2126, 0x3A9}, {0x2206, 0x394}};
    for (int k = 0; k < kCodecs; ++k) {
      for (const auto& twin : kTwins) {
        for (int side = 0; side < 2; ++side) {
          const unsigned char b = byte(k, twin[side]);
          if (b != 0 && byte(k, twin[1 - side]) == 0) add(k, twin[1 - side], b);
        }
      }
    }
  }

  // The byte of `c` (non-ASCII) in encoding `k`, or 0 if it has none.
  unsigned char byte(int k, char32_t c) const {
    if (c < kDirect) return direct_[c][static_cast<std::size_t>(k)];
    const auto it = extra_.find(c);
    return it == extra_.end() ? 0 : it->second[static_cast<std::size_t>(k)];
  }
  // True if some encoding has a byte for `c` (non-ASCII).
  bool any(char32_t c) const {
    if (c < kDirect) return direct_[c][kCodecs] != 0;
    return c >= extra_min_ && extra_.count(c) != 0;  // CJK and Hangul fall below extra_min_
  }
  // Bit k set where `c` (non-ASCII) is a UTF-8 lead byte in encoding k.
  unsigned lead_mask(char32_t c) const { return mask(c, true); }
  // Bit k set where `c` (non-ASCII) is a UTF-8 continuation byte in encoding k.
  unsigned continuation_mask(char32_t c) const { return mask(c, false); }
  // The character byte `b` (0x80..0xFF) reads as in encoding `k`.
  char32_t decode(int k, unsigned char b) const { return high_[k][b - 0x80]; }

 private:
  static constexpr char32_t kDirect = 0x2600;
  // One slot per encoding, and a last one set when any encoding has the character.
  using Slots = std::array<unsigned char, kCodecs + 1>;
  void add(int k, char32_t c, int b) {
    if (c >= kDirect) extra_min_ = std::min(extra_min_, c);
    Slots& slots = c < kDirect ? direct_[c] : extra_[c];
    if (slots[static_cast<std::size_t>(k)] == 0) slots[static_cast<std::size_t>(k)] = static_cast<unsigned char>(b);
    slots[kCodecs] = 1;
  }
  unsigned mask(char32_t c, bool lead) const {
    unsigned m = 0;
    for (int k = 0; k < kCodecs; ++k) {
      const unsigned char b = byte(k, c);
      if (lead ? b >= 0xC2 && b <= 0xF4 : b >= 0x80 && b <= 0xBF) m |= 1U << k;
    }
    return m;
  }
  std::vector<Slots> direct_;
  std::unordered_map<char32_t, Slots> extra_;
  char32_t extra_min_ = 0x10FFFF;
  char32_t high_[kCodecs][128] = {};
};

const LegacyCodecs& codecs() {
  static const LegacyCodecs instance;
  return instance;
}

// ---- Letters of the world's languages ---------------------------------------
//
// ISO-8859-2 and Windows-1250 place Š, Ś, Ť, Ž, Ź, Ą, Ľ and their small forms
// on different bytes, so the same run can repair into different letters of
// equal badness ("ĂĽ" is "å" through one, "ü" through the other). Where the
// letters one reading gives the whole document are written together by no
// language and the other reading's are ("å" and "æ", not "ü" and "ì"), the
// other reading wins. The letters of a language: the standard exemplar
// characters ICU's locale data (CLDR) lists for it. Loaded on first use.
class LanguageLetters {
 public:
  LanguageLetters() {
    std::unordered_set<std::string> seen;
    const int32_t n = uloc_countAvailable();
    for (int32_t i = 0; i < n; ++i) {
      char lang[ULOC_LANG_CAPACITY] = {};
      UErrorCode err = U_ZERO_ERROR;
      uloc_getLanguage(uloc_getAvailable(i), lang, sizeof lang, &err);
      if (U_FAILURE(err) || lang[0] == '\0' || !seen.insert(lang).second) continue;
      ULocaleData* data = ulocdata_open(lang, &err);
      if (U_FAILURE(err) || data == nullptr) continue;
      USet* set = ulocdata_getExemplarSet(data, nullptr, 0, ULOCDATA_ES_STANDARD, &err);
      ulocdata_close(data);
      if (U_FAILURE(err) || set == nullptr) {
        if (set != nullptr) uset_close(set);
        continue;
      }
      uset_freeze(set);
      sets_.push_back(set);
    }
  }
  ~LanguageLetters() {
    for (USet* set : sets_) uset_close(set);
  }
  LanguageLetters(const LanguageLetters&) = delete;
  LanguageLetters& operator=(const LanguageLetters&) = delete;

  // True if some language writes every one of `letters` (lower case).
  bool written_together(const std::vector<char32_t>& letters) const {
    for (const USet* set : sets_) {
      bool all = true;
      for (const char32_t c : letters) {
        if (!uset_contains(set, static_cast<UChar32>(c))) {
          all = false;
          break;
        }
      }
      if (all) return true;
    }
    return false;
  }

 private:
  std::vector<USet*> sets_;
};

const LanguageLetters& language_letters() {
  static const LanguageLetters instance;
  return instance;
}

// Adds the non-ASCII letters of `s`, lower-cased, each once, to `letters`.
void add_letters(std::string_view s, std::vector<char32_t>& letters) {
  std::size_t len = 0;
  for (std::size_t i = 0; i < s.size(); i += len) {
    const char32_t c = decode_at(s, i, &len);
    if (c < 0x80 || !u_isalpha(static_cast<UChar32>(c))) continue;
    const auto lower = static_cast<char32_t>(u_tolower(static_cast<UChar32>(c)));
    if (std::find(letters.begin(), letters.end(), lower) == letters.end()) letters.push_back(lower);
  }
}

// True if `c` is a digit, or a letter (or a mark) that some language writes.
bool known_letter(char32_t c) {
  const auto u = static_cast<UChar32>(c);
  if (u_isdigit(u)) return true;
  if (!u_isalpha(u) && u_getCombiningClass(u) == 0 && !u_hasBinaryProperty(u, UCHAR_DIACRITIC)) return false;
  const std::vector<char32_t> one = {static_cast<char32_t>(u_tolower(u))};
  return language_letters().written_together(one);
}

// True where the non-ASCII letters of `written` (two or more) are written
// together by no language while the repair `decoded` gives letters (or marks
// on them) only, written together by some language.
bool letters_decide(const char32_t* written, std::size_t n, const std::vector<char32_t>& decoded) {
  std::vector<char32_t> as_written;
  std::size_t count = 0;
  for (std::size_t j = 0; j < n; ++j) {
    const auto c = static_cast<UChar32>(written[j]);
    if (c < 0x80 || !u_isalpha(c)) continue;
    ++count;
    const auto lower = static_cast<char32_t>(u_tolower(c));
    if (std::find(as_written.begin(), as_written.end(), lower) == as_written.end()) as_written.push_back(lower);
  }
  if (count < 2 || as_written.size() < 2) return false;
  std::vector<char32_t> given;
  for (const char32_t c : decoded) {
    const auto u = static_cast<UChar32>(c);
    if (c < 0x80) continue;
    if (!u_isalpha(u)) {
      if (u_getCombiningClass(u) == 0) return false;
      continue;
    }
    const auto lower = static_cast<char32_t>(u_tolower(u));
    if (std::find(given.begin(), given.end(), lower) == given.end()) given.push_back(lower);
  }
  if (given.empty()) return false;
  const LanguageLetters& languages = language_letters();
  return !languages.written_together(as_written) && languages.written_together(given);
}

// ---- Badness ----------------------------------------------------------------
//
// Character kinds for the badness score. Letters are split by case only for
// the Latin, Greek and Cyrillic scripts, the ones mojibake is made of.
enum class Kind : std::uint8_t {
  kNone,   // outside the window
  kPlain,  // ASCII punctuation, format characters
  kSpace,  // space separators, tab, line breaks
  kDigit,
  kLower,    // small letter: Latin, Greek, Cyrillic
  kUpper,    // capital letter: Latin, Greek, Cyrillic
  kLetterX,  // letters of other scripts, modifier letters
  kMark,     // combining marks
  kControl,  // C0/C1 controls, unassigned, private use, surrogates, U+FFFD
  kRare,  // signs real text almost never holds: ¤ ¦ ¨ ¬ ¯ ¸ ƒ ˆ ˇ ˘ ˙ ˛ ˜ ˝ † ‡ ‰ ◊ ⌐ box drawing
  kCurrency,
  kNumeric,  // ° ± ² ³ ¹ ¼ ½ ¾ × ÷ µ ª º № and mathematical operators
  kOpen,     // « “ ‘ ‹ „ ‚ ¡ ¿
  kClose,    // » ” › …
  kDash,
  kInWord,  // ’ ʼ ´ ·: may stand inside a word
  kSymbol,  // other signs and punctuation: © ® ™ § ¶ •
  kSoftHyphen,
};

enum class Script : std::uint8_t { kNone, kLatin, kGreek, kCyrillic, kOther };

Script script_of(char32_t c) {
  // Spacing modifier letters (ʻ ʼ ˀ ʰ) stand in words of any script.
  if (c >= 0x2B0 && c <= 0x2FF) return Script::kNone;
  // The IPA extensions (ɣ ɛ ɔ ŋ's kin) are letters of African and other Latin alphabets.
  if (c < 0x2B0 || (c >= 0x1E00 && c <= 0x1EFF) || (c >= 0x2C60 && c <= 0x2C7F) || (c >= 0xA720 && c <= 0xA7FF) ||
      (c >= 0xFB00 && c <= 0xFB06))
    return Script::kLatin;
  if ((c >= 0x370 && c <= 0x3FF) || (c >= 0x1F00 && c <= 0x1FFF)) return Script::kGreek;
  if ((c >= 0x400 && c <= 0x52F) || (c >= 0x1C80 && c <= 0x1C8F) || (c >= 0xA640 && c <= 0xA69F))
    return Script::kCyrillic;
  return Script::kOther;
}

bool lgc(Script s) { return s == Script::kLatin || s == Script::kGreek || s == Script::kCyrillic; }

// Letters of scripts written without spaces between words (Han, kana,
// Hangul syllables, Thai, Lao, Khmer, Myanmar): real text sets a Latin
// word right against them (a command or a brand inside a Chinese sentence).
bool spaceless(char32_t c) {
  return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3134F) ||
         (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0x0E00 && c <= 0x0EFF) || (c >= 0x1780 && c <= 0x17FF) ||
         (c >= 0x1000 && c <= 0x109F);
}

Kind kind_of(char32_t c) {
  if (c < 0x80) {
    if (c == 0) return Kind::kNone;
    if (c >= 'a' && c <= 'z') return Kind::kLower;
    if (c >= 'A' && c <= 'Z') return Kind::kUpper;
    if (c >= '0' && c <= '9') return Kind::kDigit;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') return Kind::kSpace;
    if (c < 0x20 || c == 0x7F) return Kind::kControl;
    return Kind::kPlain;
  }
  switch (c) {
    case 0xA4:
    case 0xA6:
    case 0xA8:
    case 0xAC:
    case 0xAF:
    case 0xB8:
    case 0x192:
    case 0x2C6:
    case 0x2C7:
    case 0x2D8:
    case 0x2D9:
    case 0x2DA:
    case 0x2DB:
    case 0x2DC:
    case 0x2DD:
    case 0x2020:
    case 0x2021:
    case 0x2030:
    case 0x25CA:
    case 0x2310:
    case 0x2320:
    case 0x2321:
      return Kind::kRare;
    case 0xAA:
    case 0xBA:
    case 0xB5:
    case 0xB0:
    case 0xB1:
    case 0xD7:
    case 0xF7:
    case 0xB2:
    case 0xB3:
    case 0xB9:
    case 0xBC:
    case 0xBD:
    case 0xBE:
    case 0x2116:
      return Kind::kNumeric;
    case 0xA1:
    case 0xBF:
      return Kind::kOpen;
    case 0x2019:
    case 0x2BC:
    case 0x5F3:  // Hebrew geresh and gershayim stand inside words and abbreviations
    case 0x5F4:
    case 0xB4:
    case 0xB7:
      return Kind::kInWord;
    case 0x2026:
      return Kind::kClose;
    case 0xAD:
      return Kind::kSoftHyphen;
    case 0xFFFD:
      return Kind::kControl;
    default:
      break;
  }
  if (c >= 0x2500 && c <= 0x259F) return Kind::kRare;
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(c))) {
    case UTF8PROC_CATEGORY_CC:
    case UTF8PROC_CATEGORY_CS:
    case UTF8PROC_CATEGORY_CO:
    case UTF8PROC_CATEGORY_CN:
      return Kind::kControl;
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
      return Kind::kSpace;
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LT:
      return lgc(script_of(c)) ? Kind::kUpper : Kind::kLetterX;
    case UTF8PROC_CATEGORY_LL:
      return lgc(script_of(c)) ? Kind::kLower : Kind::kLetterX;
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_LM:
      return Kind::kLetterX;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
      return Kind::kMark;
    case UTF8PROC_CATEGORY_ND:
      return Kind::kDigit;
    case UTF8PROC_CATEGORY_NO:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_SM:
      return Kind::kNumeric;
    case UTF8PROC_CATEGORY_SC:
      return Kind::kCurrency;
    case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PI:
      return Kind::kOpen;
    case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PF:
      return Kind::kClose;
    case UTF8PROC_CATEGORY_PD:
      return Kind::kDash;
    case UTF8PROC_CATEGORY_SO:
    case UTF8PROC_CATEGORY_SK:
    case UTF8PROC_CATEGORY_PO:
    case UTF8PROC_CATEGORY_PC:
      return Kind::kSymbol;
    default:
      return Kind::kPlain;
  }
}

bool letter(Kind k) { return k == Kind::kLower || k == Kind::kUpper || k == Kind::kLetterX; }
bool cased(Kind k) { return k == Kind::kLower || k == Kind::kUpper; }
bool sign(Kind k) {
  return k == Kind::kCurrency || k == Kind::kNumeric || k == Kind::kSymbol || k == Kind::kOpen || k == Kind::kClose ||
         k == Kind::kRare;
}

// Combining marks that follow letters of any script (the generic diacritics).
bool generic_mark(char32_t c) {
  return (c >= 0x300 && c <= 0x36F) || (c >= 0x1AB0 && c <= 0x1AFF) || (c >= 0x1DC0 && c <= 0x1DFF) ||
         (c >= 0x20D0 && c <= 0x20FF) || (c >= 0xFE20 && c <= 0xFE2F);
}

// The badness of a window of text: how many character sequences it holds that
// real text almost never does. Each rule looks at a character and its
// neighbours; the window's edges (kNone) never count.
// `spaceless_ok`: an ASCII letter beside a letter of a script written
// without spaces is no mix of scripts (used only for a first-level repair
// with no space standing for a lost byte: a deeper level or a lost byte would
// let a valid three-byte sequence of accented letters, punctuation and a
// space pass for a Han or Hangul character).
int badness(const std::vector<char32_t>& w, bool spaceless_ok = false) {
  int score = 0;
  const std::size_t n = w.size();
  Kind prev_kind = Kind::kNone;
  Kind kind = n > 0 ? kind_of(w[0]) : Kind::kNone;
  for (std::size_t j = 0; j < n; ++j) {
    const char32_t c = w[j];
    const char32_t prev = j > 0 ? w[j - 1] : 0;
    const char32_t next = j + 1 < n ? w[j + 1] : 0;
    const Kind next_kind = j + 1 < n ? kind_of(next) : Kind::kNone;
    const bool wide = c >= 0x80;
    const bool prev_wide_cased = prev >= 0x80 && cased(prev_kind);

    if (kind == Kind::kControl) score += 2;
    if (kind == Kind::kRare) score += 1;
    // A capital right after a small letter, inside a word ("cafÃ", "РџС", "úQ").
    if (kind == Kind::kUpper && prev_kind == Kind::kLower && (wide || prev >= 0x80)) score += 1;
    // An accented capital inside a word, between a letter and a small letter ("MĂźl").
    if (kind == Kind::kUpper && wide && letter(prev_kind) && next_kind == Kind::kLower) score += 1;
    // A low opening quote before an accented capital and another non-ASCII
    // character: MacRoman's look of general punctuation ("‚Äî", "‚Äú").
    if ((prev == 0x201A || prev == 0x201E) && kind == Kind::kUpper && wide && next >= 0x80 && next_kind != Kind::kSpace)
      score += 1;
    // Two accented capitals and then a small letter ("MĂĽl").
    if (kind == Kind::kUpper && wide && prev_kind == Kind::kUpper && prev >= 0x80 && next_kind == Kind::kLower)
      score += 1;
    // A capital right after a digit ("10Â").
    if (kind == Kind::kUpper && wide && prev_kind == Kind::kDigit) score += 1;
    // Letters of two scripts, or a cased and an uncased script, in one word;
    // an ASCII letter beside a script written without spaces is no word's inside.
    if (letter(kind) && letter(prev_kind) && (wide || prev >= 0x80) &&
        !(spaceless_ok && ((prev < 0x80 && spaceless(c)) || (!wide && spaceless(prev))))) {
      const Script a = script_of(prev);
      const Script b = script_of(c);
      if (a != b && a != Script::kNone && b != Script::kNone && (lgc(a) || lgc(b))) score += 1;
    }
    // A currency, number or other sign glued to the end of an accented letter ("Ã£", "Ð¾", "Ã©").
    if (prev_wide_cased && (kind == Kind::kCurrency || kind == Kind::kNumeric || kind == Kind::kSymbol)) score += 1;
    // An opening quote or mark glued to the letter before it.
    if (letter(prev_kind) && kind == Kind::kOpen) score += 1;
    // A closing quote followed at once by an opening one ("»¿", "”“").
    if (prev_kind == Kind::kClose && kind == Kind::kOpen) score += 1;
    // A currency sign followed by anything but a number or a space.
    if (kind == Kind::kCurrency && next_kind != Kind::kNone && next_kind != Kind::kSpace && next_kind != Kind::kDigit &&
        (letter(next_kind) || next >= 0x80))
      score += 1;
    // A mathematical operator glued to the front of a word ("√Ñq").
    if (kind == Kind::kNumeric && c >= 0x2200 && c <= 0x22FF && letter(next_kind)) score += 1;
    // A sign between two letters ("f√©e", "¥b").
    if (sign(kind) && letter(prev_kind) && letter(next_kind)) score += 1;
    // A sign glued to a word and followed by another non-ASCII sign ("f√©", "o√´", "√ºb").
    if ((kind == Kind::kCurrency || kind == Kind::kNumeric || kind == Kind::kSymbol || kind == Kind::kRare) &&
        next >= 0x80 && (sign(next_kind) || next_kind == Kind::kInWord) &&
        (letter(prev_kind) || (j + 2 < n && letter(kind_of(w[j + 2])))))
      score += 1;
    // A dash between an accented capital and a small letter.
    if (kind == Kind::kDash && prev_kind == Kind::kUpper && prev >= 0x80 && next_kind == Kind::kLower) score += 1;
    // An accented Latin capital standing alone before a space or a sign ("Ã s", "‚Äî").
    if (kind == Kind::kUpper && wide && script_of(c) == Script::kLatin && !letter(prev_kind) &&
        prev_kind != Kind::kMark && prev_kind != Kind::kDigit && prev_kind != Kind::kNone &&
        (next == ' ' || next == 0xA0 || (next >= 0x80 && !letter(next_kind) && next_kind != Kind::kMark)))
      score += 1;
    // "Â" and "Ã", the leads of all of Latin-1 in UTF-8, before another
    // non-ASCII character other than an apostrophe, a dash or a closing mark.
    // Real text has them so only in all-capital words.
    if ((c == 0xC2 || c == 0xC3) && next >= 0x80 && prev_kind != Kind::kUpper && next_kind != Kind::kInWord &&
        next_kind != Kind::kDash && next_kind != Kind::kClose)
      score += 1;
    // An acute accent sign after an accented letter (as an apostrophe it follows plain letters).
    if (c == 0xB4 && prev >= 0x80 && letter(prev_kind)) score += 1;
    // A soft hyphen right after an accented capital.
    if (kind == Kind::kSoftHyphen && prev_kind == Kind::kUpper && prev >= 0x80) score += 1;
    // A script's own combining mark after a Latin, Greek or Cyrillic letter or after no letter.
    if (kind == Kind::kMark && !generic_mark(c) && prev_kind != Kind::kMark && prev_kind != Kind::kLetterX &&
        prev_kind != Kind::kNone)
      score += 1;

    prev_kind = kind;
    kind = next_kind;
  }
  return score;
}

// True if NFC composes `mark` with the character `base` before it.
bool composes(char32_t base, char32_t mark) {
  utf8proc_int32_t buf[2] = {static_cast<utf8proc_int32_t>(base), static_cast<utf8proc_int32_t>(mark)};
  return utf8proc_normalize_utf32(buf, 2, kNfcOptions) == 1;
}

// True if every character of a decoded repair is one real text may hold: no
// controls, and a combining mark only where it belongs (a generic diacritic
// that composes with the letter before it, or a script's own mark after a
// letter of that kind of script).
bool plausible(const std::vector<char32_t>& cps, char32_t before) {
  char32_t prev = before;
  Kind prev_kind = kind_of(before);
  for (const char32_t c : cps) {
    const Kind k = kind_of(c);
    if (k == Kind::kControl) return false;
    if (k == Kind::kMark && prev_kind != Kind::kMark) {
      // After an ASCII letter a generic mark must compose (an accented letter
      // already may take another, as in Yoruba).
      const bool fits =
          generic_mark(c) ? (prev >= 0x80 ? letter(prev_kind) : composes(prev, c)) : prev_kind == Kind::kLetterX;
      if (!fits) return false;
    }
    prev = c;
    prev_kind = k;
  }
  return true;
}

// ---- UTF-8 sequences in legacy bytes ----------------------------------------

bool continuation(unsigned char b) { return b >= 0x80 && b <= 0xBF; }

// Leads after which a space may stand for one lost 0xA0 continuation byte (a
// program that took the byte for a no-break space made it a space): all but
// the rare planes F1..F4 (after the lead ED, 0xA0 would make a surrogate,
// which parse_sequence() rejects). Such a repair needs the document's support
// (Evidence::kLostByte or kNeutral).
bool space_may_be_a0(unsigned char lead) { return lead <= 0xF0; }

// Reads one UTF-8 (or CESU-8 surrogate pair) sequence at b[k]. `b` holds one
// byte per code point (0 where the code point has none).
bool parse_sequence(const std::vector<unsigned char>& b, std::size_t k, bool allow_space, UnicodeStage::Sequence& s) {
  const std::size_t n = b.size();
  const unsigned char lead = b[k];
  std::size_t len = 0;
  if (lead >= 0xC2 && lead <= 0xDF)
    len = 2;
  else if (lead >= 0xE0 && lead <= 0xEF)
    len = 3;
  else if (lead >= 0xF0 && lead <= 0xF4)
    len = 4;
  if (len == 0 || k + len > n) return false;
  unsigned char u[4] = {lead, 0, 0, 0};
  bool lost = false;
  for (std::size_t j = 1; j < len; ++j) {
    unsigned char x = b[k + j];
    if (x == 0x20 && !lost && allow_space && space_may_be_a0(lead)) {
      x = 0xA0;
      lost = true;
    }
    if (!continuation(x)) return false;
    u[j] = x;
  }
  if ((lead == 0xE0 && u[1] < 0xA0) || (lead == 0xF0 && u[1] < 0x90) || (lead == 0xF4 && u[1] > 0x8F)) return false;
  char32_t cp = 0;
  if (len == 2) {
    cp = (static_cast<char32_t>(lead & 0x1F) << 6) | (u[1] & 0x3F);
  } else if (len == 3) {
    cp = (static_cast<char32_t>(lead & 0x0F) << 12) | (static_cast<char32_t>(u[1] & 0x3F) << 6) | (u[2] & 0x3F);
  } else {
    cp = (static_cast<char32_t>(lead & 0x07) << 18) | (static_cast<char32_t>(u[1] & 0x3F) << 12) |
         (static_cast<char32_t>(u[2] & 0x3F) << 6) | (u[3] & 0x3F);
  }
  int bytes = static_cast<int>(len);
  if (cp >= 0xD800 && cp <= 0xDFFF) {
    // CESU-8: a high surrogate and then a low one, three bytes each.
    if (cp > 0xDBFF || lost || k + 6 > n || b[k + 3] != 0xED || b[k + 4] < 0xB0 || b[k + 4] > 0xBF ||
        !continuation(b[k + 5]))
      return false;
    const char32_t low = 0xD000 | (static_cast<char32_t>(b[k + 4] & 0x3F) << 6) | (b[k + 5] & 0x3F);
    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    len = 6;
    bytes = 6;
  }
  s.at = k;
  s.len = len;
  s.cp = cp;
  s.bytes = bytes;
  s.lost_a0 = lost;
  return true;
}

void find_sequences(const std::vector<unsigned char>& b, bool allow_space, std::vector<UnicodeStage::Sequence>& out) {
  out.clear();
  UnicodeStage::Sequence s;
  for (std::size_t k = 0; k < b.size();) {
    if (b[k] >= 0xC2 && parse_sequence(b, k, allow_space, s)) {
      out.push_back(s);
      k += s.len;
    } else {
      ++k;
    }
  }
}

// The legacy bytes of `cps` in encoding `k` (ASCII as itself, 0 where there is none).
void encode(const std::vector<char32_t>& cps, std::size_t first, std::size_t last, int k,
            std::vector<unsigned char>& out) {
  out.clear();
  const LegacyCodecs& table = codecs();
  for (std::size_t j = first; j < last; ++j) {
    const char32_t c = cps[j];
    out.push_back(c < 0x80 ? static_cast<unsigned char>(c) : table.byte(k, c));
  }
}

// The name of the encoding a chain was read with: Windows-1252 text whose C1
// controls stand for its defined bytes was read as Latin-1.
std::string_view codec_label(int k, const char32_t* cps, std::size_t n) {
  if (k == kWin1252) {
    const LegacyCodecs& table = codecs();
    for (std::size_t j = 0; j < n; ++j) {
      const char32_t c = cps[j];
      if (c >= 0x80 && c < 0xA0 && table.decode(kWin1252, static_cast<unsigned char>(c)) != c) return "Latin-1";
    }
  }
  return kCodecNames[k].label;
}

// ---- Invisible characters, controls and spaces --------------------------------

bool c1_control(char32_t c) { return c >= 0x80 && c <= 0x9F; }

bool ascii_letter(char32_t c) { return c < 0x80 && ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'); }

// Known invisible characters the `invisible` rule takes out: zero-width
// space, word joiner, byte-order mark, soft hyphen, ZWJ/ZWNJ between ASCII
// letters (elsewhere they join emoji and shape scripts), and the ASCII
// controls that text only holds as residue of terminals and binary files
// (NUL, BEL, BS, ESC, DEL).
bool removable(char32_t c, char32_t before, char32_t after) {
  if (c < 0x80) return c == 0x00 || c == 0x07 || c == 0x08 || c == 0x1B || c == 0x7F;
  if (c == 0xAD || c == 0x200B || c == 0x2060 || c == 0xFEFF) return true;
  if (c == 0x200C || c == 0x200D) return ascii_letter(before) && ascii_letter(after);
  return false;
}

// The non-ASCII characters removable() may take out.
bool maybe_invisible(char32_t c) {
  return c == 0xAD || c == 0x200B || c == 0x2060 || c == 0xFEFF || c == 0x200C || c == 0x200D;
}

// Other ASCII controls (and the C1 controls no Windows-1252 byte explains)
// may carry layout or meaning: flagged, never removed.
bool flagged_control(char32_t c) {
  if (c < 0x20) return c != '\n' && c != '\t' && c != '\r' && !removable(c, 0, 0);
  return false;
}

// The neighbour of a ZWJ/ZWNJ as the output will have it: characters the
// `invisible` rule removes whatever their neighbours are skipped, so a second
// run on the output decides the same.
char32_t visible_neighbour(std::string_view text, std::size_t i, std::size_t len, bool forward) {
  std::size_t at = forward ? i + len : i;
  for (;;) {
    if (forward ? at >= text.size() : at == 0) return 0;
    std::size_t l = 0;
    const std::size_t p = forward ? at : prev_start(text, at);
    const char32_t c = decode_at(text, p, &l);
    if (!removable(c, 0, 0)) return c;
    at = forward ? p + l : p;
  }
}

// The Zs space separators other than U+0020. U+1680 is left out: it is a
// visible mark in Ogham, not a blank.
bool odd_space(char32_t c) {
  return c == 0xA0 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F || c == 0x3000;
}

bool wide(char32_t c) { return c != 0 && utf8proc_charwidth(static_cast<utf8proc_int32_t>(c)) == 2; }

bool is_space_or_none(char32_t c) { return c == 0 || is_space(c); }

// True where the odd space `c` between `before` and `after` becomes ' '. A
// no-break space (or narrow one) binds what it stands between: it is kept
// unless it stands beside another space or at the edge of a line. Other odd
// spaces are kept between digits (a thousands separator) and, for U+3000,
// next to CJK text (that script's own space).
bool space_to_plain(char32_t c, char32_t before, char32_t after) {
  if (c == 0xA0 || c == 0x202F) return is_space_or_none(before) || is_space_or_none(after);
  if (is_digit(before) && is_digit(after)) return false;
  return !(c == 0x3000 && (wide(before) || wide(after)));
}

// True where NFC composition cannot reach back across `c`.
bool nfc_boundary(char32_t c) {
  if (c < 0x80) return true;
  if ((c >= 0x1161 && c <= 0x1175) || (c >= 0x11A8 && c <= 0x11C2)) return false;  // Hangul V/T jamo
  const auto* p = utf8proc_get_property(static_cast<utf8proc_int32_t>(c));
  if (p->combining_class != 0) return false;
  const auto k = static_cast<utf8proc_category_t>(p->category);
  return k != UTF8PROC_CATEGORY_MN && k != UTF8PROC_CATEGORY_MC && k != UTF8PROC_CATEGORY_ME;
}

// True if `c` alone is certainly NFC: it has no canonical decomposition.
bool nfc_stable_alone(char32_t c) {
  const auto* p = utf8proc_get_property(static_cast<utf8proc_int32_t>(c));
  return p->decomp_seqindex == UINT16_MAX || p->decomp_type != 0;
}

char32_t cp_at(std::string_view text, std::size_t i) { return i < text.size() ? decode_at(text, i) : 0; }

// True when the eight bytes at `p` are all printable ASCII (0x20..0x7E), the
// bytes propose() passes over: tested together, a word at a time. Each byte
// is below 0x80 before the additions, so no sum carries into the next byte.
bool printable_ascii8(const char* p) {
  constexpr std::uint64_t k01 = kEveryByte;
  constexpr std::uint64_t k80 = kHighBits;
  const std::uint64_t x = load_le64(p);
  if ((x & k80) != 0) return false;
  const std::uint64_t from_space = (x + (0x80 - 0x20) * k01) & k80;  // 0x80 where the byte is >= 0x20
  const std::uint64_t below_del = ~(x + (0x80 - 0x7F) * k01) & k80;  // 0x80 where the byte is < 0x7F
  return (from_space & below_del) == k80;
}

// Up to two code points of `text` before byte `i` (oldest first) and after byte `j`.
void context_of(std::string_view text, std::size_t i, std::size_t j, std::vector<char32_t>& before,
                std::vector<char32_t>& after) {
  before.clear();
  after.clear();
  std::size_t p = i;
  for (int k = 0; k < 2 && p > 0; ++k) {
    const std::size_t q = prev_start(text, p);
    before.insert(before.begin(), decode_at(text, q));
    p = q;
  }
  // The text's edges read as line ends.
  if (p == 0 && before.size() < 2) before.insert(before.begin(), U'\n');
  std::size_t q = j;
  for (int k = 0; k < 2 && q < text.size(); ++k) {
    std::size_t len = 0;
    after.push_back(decode_at(text, q, &len));
    q += len;
  }
  if (q >= text.size() && after.size() < 2) after.push_back(U'\n');
}

void make_window(const std::vector<char32_t>& before, const char32_t* cps, std::size_t n,
                 const std::vector<char32_t>& after, std::vector<char32_t>& out) {
  out.clear();
  out.insert(out.end(), before.begin(), before.end());
  out.insert(out.end(), cps, cps + n);
  out.insert(out.end(), after.begin(), after.end());
}

}  // namespace

UnicodeStage::UnicodeStage(Resources& /*resources*/) : nfc_buf_(64) { codecs(); }

std::string_view UnicodeStage::description() const {
  return "Repairs character-level damage: mojibake, invisible characters, odd spaces, NFC.";
}

std::vector<RuleInfo> UnicodeStage::rules() const {
  return {
      {kNfc, "NFC normalisation of combining sequences (\"e\" + U+0301 -> \"é\"); NFC text is untouched."},
      {kInvisible,
       "Removes known invisible characters (U+200B, U+2060, U+FEFF, soft hyphen, ZWJ/ZWNJ between ASCII letters) "
       "and NUL, BEL, BS, ESC, DEL; other controls are flagged and kept."},
      {kOddSpace,
       "Thin, en/em, ideographic and other odd spaces -> ' ' (kept between digits, and ideographic spaces next to "
       "CJK text); a no-break space is kept unless it stands beside another space or at a line's edge."},
      {kMojibake,
       "UTF-8 read as Windows-1252, Latin-1, Windows-1250/1251, MacRoman, ISO-8859-2 or cp437 decoded back "
       "(\"Ã©\" -> \"é\", \"вЂ™\" -> \"’\"), also double encodings and CESU-8; only where the result is strictly "
       "less odd. Real accented text (\"Ãgua\", \"prêt\", \"KESÄ\" + NBSP) is left alone; a run ISO-8859-2 and "
       "Windows-1250 repair into different letters, with nothing in the document to choose, is flagged."},
  };
}

namespace {
bool may_lead(const LegacyCodecs& table, char32_t c) {
  for (int k = 0; k < kCodecs; ++k) {
    if (table.byte(k, c) >= 0xC2) return true;
  }
  return false;
}
}  // namespace

std::size_t UnicodeStage::collect_run(std::string_view text, std::size_t begin) {
  run_cps_.clear();
  run_offsets_.clear();
  const LegacyCodecs& table = codecs();
  std::size_t i = begin;
  while (i < text.size()) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      // One space inside a run may stand for a lost 0xA0 byte.
      if (b != ' ' || run_cps_.empty() || run_cps_.back() == ' ') break;
      run_cps_.push_back(' ');
      run_offsets_.push_back(i);
      ++i;
      continue;
    }
    std::size_t len = 0;
    const char32_t c = decode_at(text, i, &len);
    if (!table.any(c)) break;
    // Cut a long run before a character that may lead a sequence, so no
    // sequence is split (and, failing one, at four times the length).
    if (run_cps_.size() >= kMaxRun && (may_lead(table, c) || run_cps_.size() >= 4 * kMaxRun)) break;
    run_cps_.push_back(c);
    run_offsets_.push_back(i);
    i += len;
  }
  run_offsets_.push_back(i);
  return i;
}

int UnicodeStage::redecode(Candidate& cand, const std::vector<char32_t>& before, const std::vector<char32_t>& after,
                           std::string& labels) {
  std::vector<char32_t>& cps = cand.decoded;
  int levels = 0;
  make_window(before, cps.data(), cps.size(), after, window_);
  int current = badness(window_);
  std::vector<char32_t> best;
  std::vector<char32_t> candidate;
  for (int level = 1; level < kMaxLevels; ++level) {
    // A level must be less bad than the last: real text that happens to
    // re-encode to valid UTF-8 ("Оё" through Windows-1251 is "θ") stays. A
    // level no less bad ("Ð’" for "В") is taken only where the decoded text
    // is nothing but UTF-8 sequences of that encoding, every character in
    // one, and it stays only where the document's other repairs took a
    // strictly better level of the same encoding (settle_even).
    int best_score = current;
    int best_codec = -1;
    for (int k = 0; k < kCodecs; ++k) {
      encode(cps, 0, cps.size(), k, bytes_);
      find_sequences(bytes_, false, level_seqs_);
      if (level_seqs_.empty()) continue;
      candidate.clear();
      std::size_t at = 0;
      bool whole = true;
      for (const auto& s : level_seqs_) {
        whole = whole && s.at == at;
        candidate.insert(candidate.end(), cps.begin() + static_cast<std::ptrdiff_t>(at),
                         cps.begin() + static_cast<std::ptrdiff_t>(s.at));
        candidate.push_back(s.cp);
        at = s.at + s.len;
      }
      whole = whole && at == cps.size();
      candidate.insert(candidate.end(), cps.begin() + static_cast<std::ptrdiff_t>(at), cps.end());
      if (!plausible(candidate, before.empty() ? 0 : before.back())) continue;
      make_window(before, candidate.data(), candidate.size(), after, window_);
      const int score = badness(window_);
      if (score < best_score || (best_codec < 0 && score == current && whole && cand.even_codec < 0)) {
        best_score = score;
        best_codec = k;
        best.swap(candidate);
      }
    }
    if (best_codec < 0) break;
    if (best_score == current) {
      cand.even_codec = best_codec;
      cand.shallow = cps;
      cand.shallow_reason = labels;
    } else {
      cand.strict_codecs |= 1U << best_codec;
    }
    labels += ", then as ";
    labels += codec_label(best_codec, cps.data(), cps.size());
    cps.swap(best);
    current = best_score;
    ++levels;
  }
  return levels;
}

int UnicodeStage::run_candidates(std::string_view text, int codec, std::vector<Candidate>& out) {
  out.clear();
  encode(run_cps_, 0, run_cps_.size(), codec, bytes_);
  find_sequences(bytes_, codec != kMacRoman, seqs_);
  int total = 0;
  coverage_ = 0;
  for (std::size_t s = 0; s < seqs_.size();) {
    const std::size_t s_first = s;
    std::size_t t = s + 1;
    while (t < seqs_.size() && seqs_[t].at == seqs_[t - 1].at + seqs_[t - 1].len) ++t;
    const std::size_t first = seqs_[s].at;
    const std::size_t last = seqs_[t - 1].at + seqs_[t - 1].len;
    Candidate cand;
    cand.first = first;
    cand.last = last;
    bool lost_a0 = false;
    bool cesu = false;
    int max_bytes = 0;
    bool foreign = false;
    for (std::size_t q = s; q < t; ++q) {
      cand.decoded.push_back(seqs_[q].cp);
      // A space read as the lost byte of a two-byte sequence must give a
      // letter some language writes, or a digit ("Ã " is "à"; "È " would be
      // "Ƞ", where it is Italian's "È" and a space).
      if (seqs_[q].lost_a0 && seqs_[q].bytes == 2 && !known_letter(seqs_[q].cp)) foreign = true;
      lost_a0 = lost_a0 || seqs_[q].lost_a0;
      cesu = cesu || seqs_[q].bytes == 6;
      max_bytes = std::max(max_bytes, seqs_[q].bytes);
    }
    s = t;
    if (foreign) continue;
    context_of(text, run_offsets_[first], run_offsets_[last], before_, after_);
    std::string labels(codec_label(codec, run_cps_.data() + first, last - first));
    const int levels = redecode(cand, before_, after_, labels);
    if (!plausible(cand.decoded, before_.empty() ? 0 : before_.back())) continue;
    const bool spaceless_ok = levels == 0 && !lost_a0;
    make_window(before_, run_cps_.data() + first, last - first, after_, window_);
    const int original = badness(window_, spaceless_ok);
    make_window(before_, cand.decoded.data(), cand.decoded.size(), after_, window_);
    int repaired = badness(window_, spaceless_ok);
    if (repaired > original) continue;
    // No less bad by its characters, and flawless decoded, but its letters
    // as written are no one language's while the letters it gives are
    // ("ĂĄ", "ĹŹ"): a mark less.
    bool letters = false;
    if (repaired == original && repaired == 0 && letters_decide(run_cps_.data() + first, last - first, cand.decoded)) {
      --repaired;
      letters = true;
    }
    bool c1 = false;
    for (std::size_t j = first; j < last; ++j) c1 = c1 || c1_control(run_cps_[j]);
    const bool single = levels == 0 && !c1 && max_bytes == 2 && t - s_first == 1;
    if (repaired == original) {
      cand.evidence = Evidence::kNeutral;
    } else if (single) {
      cand.evidence = lost_a0 ? Evidence::kLostByte : Evidence::kWeak;
    }
    const std::string head = std::string(cesu ? "CESU-8" : "UTF-8") + " text read as ";
    const std::string tail = lost_a0 ? ", a space standing for its lost no-break byte" : "";
    cand.reason = head + labels + tail;
    if (letters) cand.reason += " (the letters as written are no one language's)";
    if (cand.even_codec >= 0) cand.shallow_reason = head + cand.shallow_reason + tail;
    total += original - repaired;
    if (repaired < original) coverage_ += last - first;
    has_neutral_ = has_neutral_ || cand.evidence == Evidence::kNeutral;
    out.push_back(std::move(cand));
  }
  return total;
}

void UnicodeStage::repair_run(std::string_view text) {
  if (run_cps_.size() < 2) return;
  // Only the encodings in which some character is a lead byte followed by a
  // continuation byte (or a space) can hold a sequence.
  const LegacyCodecs& table = codecs();
  unsigned possible = 0;
  unsigned leads = 0;
  for (const char32_t c : run_cps_) {
    if (c == ' ') {
      possible |= leads;
      leads = 0;
      continue;
    }
    possible |= leads & table.continuation_mask(c);
    leads = table.lead_mask(c);
  }
  if (possible == 0) return;
  if (!c1_checked_ && (possible & (1U << kWin1250)) != 0 && (possible & (1U << kIso8859_2)) != 0) {
    // C1 controls show a reader that left bytes 0x80..0x9F undefined: where
    // ISO-8859-2 and its Windows extension tie, the ISO one. Only a control
    // whose byte Windows-1250 defines tells (U+0081, U+0083, U+0088, U+0090
    // and U+0098 are what a sloppy Windows-1250 reader leaves as well).
    // Looked up once, the first time the two can tie.
    c1_checked_ = true;
    for (std::size_t at = text.find('\xC2'); at != std::string_view::npos; at = text.find('\xC2', at + 1)) {
      if (at + 1 < text.size() && static_cast<unsigned char>(text[at + 1]) < 0xA0 &&
          table.decode(kWin1250, static_cast<unsigned char>(text[at + 1])) >= 0xA0) {
        votes_[kWin1250] = -1;
        break;
      }
    }
  }
  int best_gain = 0;
  std::size_t best_coverage = 0;
  int best_codec = -1;
  best_.clear();
  tied_.clear();
  int tied_codec = -1;
  int gains[kCodecs] = {};
  for (int k = 0; k < kCodecs; ++k) {
    if ((possible & (1U << k)) == 0) continue;
    has_neutral_ = false;
    const int gain = run_candidates(text, k, candidates_);
    gains[k] = gain;
    // A tie goes to the encoding the document's earlier repairs agreed with.
    // A run with neutral candidates only is kept for the encoding the
    // document has already shown.
    // Equal gains: the reading that explains more of the run, then the one
    // the document's earlier runs agreed with.
    const bool better = best_codec < 0
                            ? (gain > 0 || (has_neutral_ && votes_[k] > 0))
                            : (gain > best_gain ||
                               (gain == best_gain && (coverage_ > best_coverage ||
                                                      (coverage_ == best_coverage && votes_[k] > votes_[best_codec]))));
    if (!better && gain == 0 && has_neutral_ && best_codec < 0) {
      // Valid but no less bad: kept aside until every run has shown which
      // encoding the document was read with (settle_pending).
      Pending pending;
      pending.run = run_count_;
      pending.codec = k;
      build_repairs(text, candidates_, pending.repairs);
      pending_.push_back(std::move(pending));
    }
    if (better) {
      best_coverage = coverage_;
      best_gain = gain;
      best_codec = k;
      best_.swap(candidates_);
      tied_codec = -1;
    } else if (best_codec == kWin1250 && k == kIso8859_2 && gain > 0 && gain == best_gain &&
               coverage_ == best_coverage && votes_[k] == votes_[best_codec]) {
      // The two Central European encodings tie: the document's letters decide
      // once every run is read (resolve_ties).
      tied_codec = k;
      tied_.swap(candidates_);
    }
  }
  for (int k = 0; k < kCodecs; ++k) {
    if (best_gain > 0 && gains[k] == best_gain) ++votes_[k];
  }
  if (best_gain > 0 && (best_codec == kWin1250 || best_codec == kIso8859_2)) {
    // A run only one of the two Central European encodings explains as well.
    const int other = best_codec == kWin1250 ? kIso8859_2 : kWin1250;
    if (gains[other] < best_gain) ++decisive_[static_cast<std::size_t>(best_codec)];
  }
  if (best_codec >= 0) {
    while (!pending_.empty() && pending_.back().run == run_count_) pending_.pop_back();
  }
  ++run_count_;
  const std::size_t first_repair = repairs_.size();
  if (tied_codec >= 0) {
    Tie tie;
    build_repairs(text, tied_, tie.alternative);
    tie.first = first_repair;
    ties_.push_back(std::move(tie));
  }
  build_repairs(text, best_, repairs_);
  if (tied_codec >= 0) ties_.back().count = repairs_.size() - first_repair;
}

void UnicodeStage::build_repairs(std::string_view text, std::vector<Candidate>& cands, std::vector<Repair>& out) {
  for (auto& cand : cands) {
    Repair repair;
    repair.begin = run_offsets_[cand.first];
    repair.end = run_offsets_[cand.last];
    // A combining mark right after the repair composes with its last character.
    std::size_t marks = 0;
    while (repair.end < text.size() && static_cast<unsigned char>(text[repair.end]) >= 0x80) {
      std::size_t len = 0;
      const char32_t c = decode_at(text, repair.end, &len);
      if (nfc_boundary(c)) break;
      cand.decoded.push_back(c);
      ++marks;
      repair.end += len;
    }
    const char32_t before = repair.begin > 0 ? decode_before(text, repair.begin) : 0;
    if (cand.even_codec >= 0) {
      cand.shallow.insert(
          cand.shallow.end(),
          cand.decoded.begin() + static_cast<std::ptrdiff_t>(cand.decoded.size()) - static_cast<std::ptrdiff_t>(marks),
          cand.decoded.end());
      clean_into(cand.shallow, before, cp_at(text, repair.end), repair.shallow);
      repair.shallow_reason = std::move(cand.shallow_reason);
      repair.even_codec = cand.even_codec;
    }
    repair.strict_codecs = cand.strict_codecs;
    clean_into(cand.decoded, before, cp_at(text, repair.end), repair.replacement);
    repair.reason = std::move(cand.reason);
    repair.evidence = cand.evidence;
    for (std::size_t j = cand.first; j < cand.last; ++j) {
      if (run_cps_[j] >= 0xA0) ++repair.non_ascii;  // C1 controls are not counted as genuine
    }
    out.push_back(std::move(repair));
  }
}

void UnicodeStage::resolve_ties(std::string_view text) {
  if (ties_.empty()) return;
  // The letters outside the tied runs count for both readings.
  std::vector<char32_t> chosen;
  std::size_t at = 0;
  std::size_t t = 0;
  for (std::size_t r = 0; r <= repairs_.size(); ++r) {
    const std::size_t end = r < repairs_.size() ? repairs_[r].begin : text.size();
    add_letters(text.substr(at, end - at), chosen);
    if (r == repairs_.size()) break;
    at = repairs_[r].end;
    while (t < ties_.size() && ties_[t].first + ties_[t].count <= r) ++t;
    if (t >= ties_.size() || r < ties_[t].first) add_letters(repairs_[r].replacement, chosen);
  }
  std::vector<char32_t> other = chosen;
  for (const Tie& tie : ties_) {
    for (std::size_t r = tie.first; r < tie.first + tie.count; ++r) add_letters(repairs_[r].replacement, chosen);
    for (const Repair& q : tie.alternative) add_letters(q.replacement, other);
  }
  // Runs that only one of the two explains as well show how the document
  // was read; failing those, the letters decide.
  const int iso_runs = decisive_[kIso8859_2];
  const int win_runs = decisive_[kWin1250];
  std::string_view why = " (the letters of the whole document are written together by some language this way)";
  if (iso_runs > win_runs) {
    why = " (as the document's other runs read)";
  } else {
    if (win_runs > iso_runs) return;
    const LanguageLetters& languages = language_letters();
    const bool win_fits = languages.written_together(chosen);
    const bool iso_fits = chosen == other ? win_fits : languages.written_together(other);
    if (win_fits == iso_fits) {
      // Neither the other runs nor the letters choose: some language writes
      // both readings' letters (`ĂĄ` is `å` or `á`), or none writes either.
      // A guess would be wrong half the time, so the runs the two read
      // differently are flagged with both readings, not changed.
      mark_undecided();
      return;
    }
    if (win_fits) return;
  }
  std::vector<Repair> merged;
  std::size_t r = 0;
  for (Tie& tie : ties_) {
    for (; r < tie.first; ++r) merged.push_back(std::move(repairs_[r]));
    for (Repair& q : tie.alternative) {
      q.reason += why;
      merged.push_back(std::move(q));
    }
    r = tie.first + tie.count;
  }
  for (; r < repairs_.size(); ++r) merged.push_back(std::move(repairs_[r]));
  repairs_.swap(merged);
}

void UnicodeStage::mark_undecided() {
  for (const Tie& tie : ties_) {
    for (std::size_t r = tie.first; r < tie.first + tie.count; ++r) {
      Repair& repair = repairs_[r];
      const auto same = std::find_if(tie.alternative.begin(), tie.alternative.end(),
                                     [&](const Repair& q) { return q.begin == repair.begin && q.end == repair.end; });
      if (same != tie.alternative.end() && same->replacement == repair.replacement) continue;
      repair.undecided = true;
      repair.alternative = same != tie.alternative.end() ? same->replacement : std::string();
    }
  }
}

void UnicodeStage::settle_even() {
  unsigned strict = 0;
  for (const Repair& r : repairs_) strict |= r.strict_codecs;
  for (Repair& r : repairs_) {
    if (r.even_codec < 0 || (strict & (1U << r.even_codec)) != 0) continue;
    r.replacement.swap(r.shallow);
    r.reason.swap(r.shallow_reason);
    r.even_codec = -1;
  }
}

void UnicodeStage::settle_pending(std::string_view text) {
  if (pending_.empty()) return;
  bool added = false;
  // The document's letters outside the pending runs (repaired where repaired),
  // read only where two encodings tie.
  std::vector<char32_t> doc;
  bool doc_read = false;
  auto read_doc = [&]() {
    doc_read = true;
    std::size_t at = 0;
    std::size_t r = 0;
    std::size_t w = 0;
    while (at < text.size()) {
      std::size_t end = text.size();
      if (r < repairs_.size()) end = std::min(end, repairs_[r].begin);
      if (w < pending_.size() && !pending_[w].repairs.empty()) end = std::min(end, pending_[w].repairs.front().begin);
      if (end > at) add_letters(text.substr(at, end - at), doc);
      at = std::max(at, end);
      if (r < repairs_.size() && repairs_[r].begin == at) {
        add_letters(repairs_[r].replacement, doc);
        at = repairs_[r].end;
        ++r;
      } else if (w < pending_.size() && !pending_[w].repairs.empty() && pending_[w].repairs.front().begin == at) {
        at = pending_[w].repairs.back().end;
      }
      while (r < repairs_.size() && repairs_[r].begin < at) ++r;
      while (w < pending_.size() && (pending_[w].repairs.empty() || pending_[w].repairs.front().begin < at)) ++w;
    }
  };
  std::vector<char32_t> letters;
  for (std::size_t p = 0; p < pending_.size();) {
    // The run's readings: the one of the encoding most runs agreed with, if
    // there is one; where two or more agreed as often, the one whose letters
    // alone some language writes with the document's others.
    std::size_t q = p;
    int best = -1;
    bool unique = false;
    for (; q < pending_.size() && pending_[q].run == pending_[p].run; ++q) {
      const int votes = votes_[static_cast<std::size_t>(pending_[q].codec)];
      if (best < 0 || votes > votes_[static_cast<std::size_t>(pending_[best].codec)]) {
        best = static_cast<int>(q);
        unique = true;
      } else if (votes == votes_[static_cast<std::size_t>(pending_[best].codec)]) {
        unique = false;
      }
    }
    const int top = best >= 0 ? votes_[static_cast<std::size_t>(pending_[static_cast<std::size_t>(best)].codec)] : 0;
    if (best >= 0 && !unique && top > 0) {
      if (!doc_read) read_doc();
      int fits = 0;
      for (std::size_t c = p; c < q; ++c) {
        if (votes_[static_cast<std::size_t>(pending_[c].codec)] != top) continue;
        letters = doc;
        for (const Repair& r : pending_[c].repairs) add_letters(r.replacement, letters);
        if (language_letters().written_together(letters)) {
          ++fits;
          best = static_cast<int>(c);
        }
      }
      unique = fits == 1;
    }
    if (best >= 0 && unique && top > 0) {
      for (Repair& r : pending_[static_cast<std::size_t>(best)].repairs) repairs_.push_back(std::move(r));
      added = true;
    }
    p = q;
  }
  pending_.clear();
  if (added) {
    std::stable_sort(repairs_.begin(), repairs_.end(),
                     [](const Repair& a, const Repair& b) { return a.begin < b.begin; });
  }
}

void UnicodeStage::settle_neutral(std::string_view text) {
  std::size_t kept = 0;
  for (std::size_t r = 0; r < repairs_.size();) {
    if (repairs_[r].evidence != Evidence::kNeutral) {
      if (kept != r) repairs_[kept] = std::move(repairs_[r]);
      ++kept;
      ++r;
      continue;
    }
    // The line around the neutral repair and the repairs on it.
    const std::size_t at = repairs_[r].begin;
    const std::size_t nl = text.rfind('\n', at);
    const std::size_t line_begin = nl == std::string_view::npos ? 0 : nl + 1;
    std::size_t line_end = text.find('\n', at);
    if (line_end == std::string_view::npos) line_end = text.size();
    std::size_t last = r;
    while (last < repairs_.size() && repairs_[last].begin < line_end) ++last;
    bool strong = false;
    std::size_t accepted = 0;
    std::size_t covered = 0;
    auto count = [&](const Repair& q) {
      strong = strong || q.evidence == Evidence::kStrong;
      accepted += q.evidence == Evidence::kNeutral ? 0 : 1;
      covered += q.non_ascii;
    };
    for (std::size_t q = r; q < last; ++q) count(repairs_[q]);
    // Repairs before `r` on this line were already moved to [.., kept).
    for (std::size_t q = kept; q > 0 && repairs_[q - 1].begin >= line_begin; --q) count(repairs_[q - 1]);
    std::size_t total = 0;
    for (std::size_t i = line_begin; i < line_end;) {
      std::size_t len = 0;
      const char32_t c = decode_at(text, i, &len);
      if (c >= 0xA0) ++total;
      i += len;
    }
    const bool supported = (strong || accepted >= 1) && covered == total;
    for (std::size_t q = r; q < last; ++q) {
      if (repairs_[q].evidence == Evidence::kNeutral && !supported) continue;
      // Kept on weak repairs alone, it shares their fate (made or flagged).
      if (repairs_[q].evidence == Evidence::kNeutral && !strong) repairs_[q].evidence = Evidence::kWeak;
      if (kept != q) repairs_[kept] = std::move(repairs_[q]);
      ++kept;
    }
    r = last;
  }
  repairs_.resize(kept);
}

void UnicodeStage::analyse(std::string_view text) {
  repairs_.clear();
  ties_.clear();
  doc_has_strong_ = false;
  genuine_non_ascii_ = 0;
  covered_non_ascii_ = 0;
  votes_.assign(kCodecs, 0);
  decisive_.assign(kCodecs, 0);
  pending_.clear();
  run_count_ = 0;
  c1_checked_ = false;
  const LegacyCodecs& table = codecs();
  const std::size_t n = text.size();
  std::size_t scanned = 0;
  std::size_t i = 0;
  while (i < n) {
    if (i + 8 <= n && (load_le64(text.data() + i) & kHighBits) == 0) {
      i += 8;
      continue;
    }
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    const char32_t c = decode_at(text, i, &len);
    if (!c1_control(c)) ++genuine_non_ascii_;
    if (i >= scanned && table.any(c)) {
      const std::size_t run_end = collect_run(text, i);
      repair_run(text);
      scanned = run_end;
    }
    i += len;
  }
  resolve_ties(text);
  settle_pending(text);
  settle_even();
  settle_neutral(text);
  for (const auto& r : repairs_) {
    doc_has_strong_ = doc_has_strong_ || r.evidence == Evidence::kStrong;
    covered_non_ascii_ += r.non_ascii;
  }
  if (!doc_has_strong_ && genuine_non_ascii_ != covered_non_ascii_) settle_weak(text);
}

void UnicodeStage::settle_weak(std::string_view text) {
  // The document's intact letters: its non-ASCII letters outside every repair.
  std::vector<char32_t> intact;
  std::size_t at = 0;
  bool any_weak = false;
  for (const Repair& r : repairs_) {
    add_letters(text.substr(at, r.begin - at), intact);
    at = r.end;
    any_weak = any_weak || r.evidence == Evidence::kWeak;
  }
  add_letters(text.substr(at), intact);
  if (!any_weak || intact.empty()) return;
  const LanguageLetters& languages = language_letters();
  // The intact letters alone must be some language's, or they say nothing.
  if (!languages.written_together(intact)) return;
  // All the weak repairs are read together: the letters they give and the
  // letters as written, each with the intact ones.
  std::vector<char32_t> decoded = intact;
  std::vector<char32_t> written = intact;
  for (const Repair& r : repairs_) {
    if (r.evidence != Evidence::kWeak) continue;
    // The repair must give letters (or marks on them), nothing else.
    std::size_t len = 0;
    for (std::size_t i = 0; i < r.replacement.size(); i += len) {
      const auto c = static_cast<UChar32>(decode_at(r.replacement, i, &len));
      if (c >= 0x80 && !u_isalpha(c) && u_getCombiningClass(c) == 0) return;
    }
    add_letters(r.replacement, decoded);
    add_letters(text.substr(r.begin, r.end - r.begin), written);
  }
  if (!languages.written_together(decoded) || languages.written_together(written)) return;
  for (Repair& r : repairs_) r.letters_fit = r.evidence == Evidence::kWeak;
}

void UnicodeStage::clean_into(const std::vector<char32_t>& cps, char32_t before, char32_t after, std::string& out) {
  scratch_.clear();
  for (std::size_t k = 0; k < cps.size(); ++k) {
    char32_t c = cps[k];
    const char32_t prev = k > 0 ? cps[k - 1] : before;
    const char32_t next = k + 1 < cps.size() ? cps[k + 1] : after;
    if (removable(c, prev, next)) continue;
    if (odd_space(c) && space_to_plain(c, prev, next)) c = ' ';
    append_utf8(scratch_, c);
  }
  if (!nfc_differs(scratch_, out)) out = scratch_;
}

bool UnicodeStage::nfc_differs(std::string_view segment, std::string& out) {
  const auto* str = reinterpret_cast<const utf8proc_uint8_t*>(segment.data());
  const auto len = static_cast<utf8proc_ssize_t>(segment.size());
  auto n = utf8proc_decompose(str, len, nfc_buf_.data(), static_cast<utf8proc_ssize_t>(nfc_buf_.size()), kNfcOptions);
  if (n > static_cast<utf8proc_ssize_t>(nfc_buf_.size())) {
    nfc_buf_.resize(static_cast<std::size_t>(n));
    n = utf8proc_decompose(str, len, nfc_buf_.data(), n, kNfcOptions);
  }
  if (n < 0) return false;
  n = utf8proc_normalize_utf32(nfc_buf_.data(), n, kNfcOptions);
  if (n < 0) return false;
  out.clear();
  for (utf8proc_ssize_t k = 0; k < n; ++k)
    append_utf8(out, static_cast<char32_t>(nfc_buf_[static_cast<std::size_t>(k)]));
  return out != segment;
}

void UnicodeStage::propose(std::string_view text, std::vector<Edit>& out) {
  analyse(text);
  const bool support = doc_has_strong_ || genuine_non_ascii_ == covered_non_ascii_;
  // A capital standing as a word of one letter before a single space ("Å",
  // the place) reads as a lost byte only where the document holds more
  // mojibake: alone, it is as likely the word. Glued to the letter before it
  // ("giÃ "), or with a second space after it (the one that followed the
  // letter), it is the lost byte's trace.
  const bool more_support = doc_has_strong_ || (support && repairs_.size() >= 2);
  auto lost_supported = [&](const Repair& r) {
    if (more_support) return true;
    if (!support) return false;
    const char32_t before = r.begin > 0 ? decode_before(text, r.begin) : 0;
    const bool word_start = before == 0 || !u_isalpha(static_cast<UChar32>(before));
    return !word_start || cp_at(text, r.end) == ' ';
  };
  const std::size_t first_edit = out.size();

  // Runs of invisible characters and of odd spaces become one edit each.
  auto emit = [&](std::size_t b, std::size_t e, std::string_view replacement, std::string_view rule,
                  std::string_view reason) {
    if (out.size() > first_edit && (rule == kInvisible || rule == kOddSpace)) {
      Edit& last = out.back();
      if (last.end == b && last.rule == rule && last.kind == EditKind::kChange) {
        last.end = e;
        last.replacement.append(replacement);
        return;
      }
    }
    out.push_back(make_change(b, e, std::string(replacement), std::string(rule), std::string(reason)));
  };
  auto last_change_end = [&]() -> std::size_t { return out.size() > first_edit ? out.back().end : 0; };
  auto control = [&](std::size_t i, std::size_t len, char32_t c) -> bool {
    const bool joiner = c == 0x200C || c == 0x200D;
    const char32_t before = joiner ? visible_neighbour(text, i, len, false) : i > 0 ? decode_before(text, i) : 0;
    const char32_t after = joiner ? visible_neighbour(text, i, len, true) : cp_at(text, i + len);
    if (removable(c, before, after)) {
      emit(i, i + len, "", kInvisible, "Invisible or control character removed.");
      return true;
    }
    if (flagged_control(c)) {
      out.push_back(make_flag(i, i + len, std::string(kInvisible),
                              "Control character left in place: it may carry layout; check it."));
      return true;
    }
    return false;
  };

  const LegacyCodecs& table = codecs();
  std::size_t next_repair = 0;
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    if (i + 8 <= n && printable_ascii8(text.data() + i)) {
      i += 8;  // eight bytes the branch below would step over one by one
      continue;
    }
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      if (!((b >= 0x20 && b != 0x7F) || b == '\n' || b == '\t' || b == '\r')) control(i, 1, b);
      ++i;
      continue;
    }

    while (next_repair < repairs_.size() && repairs_[next_repair].begin < i) ++next_repair;
    if (next_repair < repairs_.size() && repairs_[next_repair].begin == i) {
      const Repair& r = repairs_[next_repair++];
      if (r.evidence == Evidence::kLostByte && !lost_supported(r)) {
        // Unsupported, a lone capital before a space is too likely real text to flag.
      } else if (r.undecided) {
        std::string reading = "\"" + r.replacement + "\" through Windows-1250";
        if (!r.alternative.empty()) reading += ", \"" + r.alternative + "\" through ISO-8859-2";
        out.push_back(make_flag(r.begin, r.end, std::string(kMojibake),
                                "Looks like UTF-8 text read as Windows-1250 or ISO-8859-2 (" + reading +
                                    "); nothing in the document tells which: check it."));
      } else if ((r.evidence != Evidence::kWeak && r.evidence != Evidence::kLostByte) || support) {
        emit(r.begin, r.end, r.replacement, kMojibake, r.reason + ", decoded back.");
      } else if (r.letters_fit) {
        emit(r.begin, r.end, r.replacement, kMojibake,
             r.reason +
                 ", decoded back (some language writes its letters with the document's others; "
                 "as written, none does).");
      } else {
        out.push_back(make_flag(r.begin, r.end, std::string(kMojibake),
                                "Looks like " + r.reason + " (\"" + r.replacement +
                                    "\"), but the document's other non-ASCII text is intact: check it."));
      }
      i = r.end;
      continue;
    }

    std::size_t len = 0;
    const char32_t c = decode_at(text, i, &len);
    if (c1_control(c)) {
      // A C1 control outside any repair is a Windows-1252 byte read as Latin-1.
      const char32_t meant = table.decode(kWin1252, static_cast<unsigned char>(c));
      if (meant != c) {
        std::string repl;
        append_utf8(repl, meant);
        emit(i, i + len, repl, kMojibake, "Windows-1252 text read as Latin-1 (a C1 control) decoded back.");
      } else {
        out.push_back(make_flag(i, i + len, std::string(kInvisible),
                                "C1 control character that no Windows-1252 byte explains: check it."));
      }
      i += len;
      continue;
    }
    if (maybe_invisible(c) && control(i, len, c)) {
      i += len;
      continue;
    }
    if (odd_space(c)) {
      if (space_to_plain(c, decode_before(text, i), cp_at(text, i + len))) {
        emit(i, i + len, " ", kOddSpace, "Unusual space character replaced by a plain space.");
      }
      i += len;
      continue;
    }

    // NFC, one combining sequence at a time: a starter (possibly the ASCII
    // letter before) and the marks that follow it.
    std::size_t s = i;
    bool check = !nfc_stable_alone(c);
    const bool starts_with_mark = !nfc_boundary(c);
    if (starts_with_mark && i > 0 && i - 1 >= last_change_end()) {
      const auto p = static_cast<unsigned char>(text[i - 1]);
      if (p >= 0x20 && p < 0x7F) s = i - 1;
    }
    std::size_t r = i + len;
    std::size_t count = 1;
    while (r < n && static_cast<unsigned char>(text[r]) >= 0x80) {
      std::size_t l2 = 0;
      const char32_t c2 = decode_at(text, r, &l2);
      if (nfc_boundary(c2)) break;
      r += l2;
      ++count;
    }
    if (count > 1 || s < i) check = true;
    if (starts_with_mark && s == i && count <= kMaxSegment && out.size() > first_edit) {
      // "c" + control + U+0301, or a letter and its marks ("a" U+0317) before
      // the control: the control just removed would leave these marks on that
      // combining sequence, for a second run to compose. Compose it now, in
      // one edit from the sequence's starter.
      const Edit& last = out.back();
      const std::size_t gone = last.begin;
      std::size_t seq = gone;  // the start of the combining sequence before the control
      std::size_t marks = 0;
      while (seq > 0 && marks <= kMaxSegment) {
        const std::size_t q = prev_start(text, seq);
        const char32_t p = decode_at(text, q);
        if (p < 0x20 || p == 0x7F) break;  // a control or a line end: no starter to compose with
        seq = q;
        if (nfc_boundary(p)) break;
        ++marks;
      }
      // That sequence may have been composed already: compose on from its edit.
      const Edit* before = out.size() - 1 > first_edit ? &out[out.size() - 2] : nullptr;
      const bool on_edit = before != nullptr && before->end > seq;
      const bool usable = !on_edit || (before->rule == kNfc && before->kind == EditKind::kChange &&
                                       before->end == gone && before->begin <= seq);
      if (last.rule == kInvisible && last.replacement.empty() && last.end == i && seq < gone && usable &&
          nfc_boundary(decode_at(text, seq)) && count + marks <= kMaxSegment) {
        const std::size_t from = on_edit ? before->begin : seq;
        std::string joined = on_edit ? before->replacement : std::string(text.substr(seq, gone - seq));
        joined.append(text.substr(i, r - i));
        if (nfc_differs(joined, nfc_out_)) {
          out.pop_back();
          if (on_edit) out.pop_back();
          emit(from, r, nfc_out_, kNfc,
               "Invisible character removed and the combining sequence composed to its NFC form.");
          i = r;
          continue;
        }
      }
    }
    if (check && count <= kMaxSegment && nfc_differs(text.substr(s, r - s), nfc_out_)) {
      emit(s, r, nfc_out_, kNfc, "Combining sequence composed to its NFC form.");
    }
    i = r;
  }
}

}  // namespace copydesk
