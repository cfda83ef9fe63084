#include "stages/unicode.h"

#include <utf8proc.h>

#include <cstdint>
#include <cstring>
#include <string_view>

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
// A mojibake run is cut (before a lead) at this many code points, so the
// scratch buffers stay small even on a 50 MB line of mojibake.
constexpr std::size_t kMaxRun = 1024;
// Double, triple... encoding: each pass undoes one level.
constexpr int kMaxLevels = 4;

constexpr utf8proc_option_t kNfcOptions = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE);

// Windows-1252 bytes 0x80..0x9F; 0 for the five bytes it leaves undefined
// (decoders pass those through as the C1 control of the same value).
constexpr char32_t kCp1252High[32] = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                      0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                      0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

// The byte a Windows-1252 or Latin-1 decoder turned into `c`, or -1.
int mojibake_byte(char32_t c) {
  if (c >= 0x80 && c <= 0xFF) return static_cast<int>(c);
  if (c < 0x152 || c > 0x2122) return -1;
  for (int k = 0; k < 32; ++k) {
    if (kCp1252High[k] == c) return 0x80 + k;
  }
  return -1;
}

// Bytes in the UTF-8 sequence a lead character starts (as its Latin-1 byte), or 0.
std::size_t lead_length(char32_t c) {
  if (c >= 0xC2 && c <= 0xDF) return 2;
  if (c >= 0xE0 && c <= 0xEF) return 3;
  if (c >= 0xF0 && c <= 0xF4) return 4;
  return 0;
}

utf8proc_category_t category_of(char32_t c) { return utf8proc_category(static_cast<utf8proc_int32_t>(c)); }

bool printable(char32_t c) {
  const auto k = category_of(c);
  return k != UTF8PROC_CATEGORY_CC && k != UTF8PROC_CATEGORY_CS && k != UTF8PROC_CATEGORY_CO &&
         k != UTF8PROC_CATEGORY_CN;
}

// In double encoding a C1 control can be a step on the way: "Â\u0080" is
// itself the mis-decoding of U+0080, a byte of "â\u0080\u009D" (”).
bool c1_control(char32_t c) { return c >= 0x80 && c <= 0x9F; }

bool ascii_letter(char32_t c) { return c < 0x80 && ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'); }

// Controls that separate words like a space does.
bool spacing_control(char32_t c) { return c == 0x0B || c == 0x0C || c == 0x85; }

// Invisible or control characters the `invisible` rule takes out (ZWJ/ZWNJ
// only between ASCII letters: elsewhere they join emoji and shape scripts).
bool removable(char32_t c, char32_t before, char32_t after) {
  if (c < 0x20) return c != '\n' && c != '\t' && c != '\r';
  if (c < 0x7F) return false;
  if (c <= 0x9F) return true;
  if (c == 0xAD || c == 0x200B || c == 0x2060 || c == 0xFEFF) return true;
  if (c == 0x200C || c == 0x200D) return ascii_letter(before) && ascii_letter(after);
  return false;
}

// The neighbour of a ZWJ/ZWNJ as the output will have it: characters this
// rule removes whatever their neighbours are skipped, so a second run on the
// output decides the same. A spacing control reads as the space it becomes.
char32_t visible_neighbour(std::string_view text, std::size_t i, std::size_t len, bool forward) {
  std::size_t at = forward ? i + len : i;
  for (;;) {
    if (forward ? at >= text.size() : at == 0) return 0;
    std::size_t l = 0;
    const std::size_t p = forward ? at : prev_start(text, at);
    const char32_t c = decode_at(text, p, &l);
    if (spacing_control(c)) return ' ';
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

// A thin or no-break space between digits is a thousands separator, and an
// ideographic space next to CJK text is that script's own space.
bool keep_odd_space(char32_t c, char32_t before, char32_t after) {
  if (is_digit(before) && is_digit(after)) return true;
  return c == 0x3000 && (wide(before) || wide(after));
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

bool is_space_or_none(char32_t c) { return c == 0 || is_space(c); }

char32_t cp_at(std::string_view text, std::size_t i) { return i < text.size() ? decode_at(text, i) : 0; }

// A single sequence that is mojibake beyond reasonable doubt on its own:
// Latin-1 letters (Ã, Â), general punctuation (â€), emoji (ðŸ) and the BOM.
bool strong_single(char32_t lead, char32_t decoded, char32_t before, char32_t after) {
  if (decoded == 0xFEFF || lead == 0xE2 || lead >= 0xF0 || lead == 0xC2) return true;
  if (lead == 0xC3) {
    // "IRMÃ»", "AMANHÃ—": an all-caps word ending in Ã before a symbol is
    // more likely real Portuguese; all-caps mojibake decodes to capitals.
    return !(is_upper(before) && !is_upper(decoded) && !is_lower(after));
  }
  return false;
}

}  // namespace

UnicodeStage::UnicodeStage(Resources& /*resources*/) : nfc_buf_(64) {}

std::string_view UnicodeStage::description() const {
  return "Repairs character-level damage: mojibake, invisible characters, odd spaces, NFC.";
}

std::vector<RuleInfo> UnicodeStage::rules() const {
  return {
      {kNfc, "NFC normalisation of combining sequences (\"e\" + U+0301 -> \"é\"); NFC text is untouched."},
      {kInvisible,
       "Removes zero-width and control characters (U+200B, U+2060, U+FEFF, soft hyphen, C0/C1 controls "
       "but tab and line breaks); ZWJ/ZWNJ only between ASCII letters."},
      {kOddSpace,
       "No-break, thin, en/em, ideographic and other odd spaces -> ' '; kept between digits (\"10 000\") "
       "and ideographic spaces next to CJK text."},
      {kMojibake,
       "UTF-8 mis-decoded as Windows-1252/Latin-1 repaired (\"Ã©\" -> \"é\", \"â€™\" -> \"’\") where the "
       "byte pattern is unambiguous; real accented text (\"Ãgua\", \"prêt\") is left alone."},
  };
}

std::size_t UnicodeStage::collect_run(std::string_view text, std::size_t begin) {
  run_cps_.clear();
  run_offsets_.clear();
  std::size_t i = begin;
  while (i < text.size()) {
    if (static_cast<unsigned char>(text[i]) < 0x80) break;
    std::size_t len = 0;
    const char32_t c = decode_at(text, i, &len);
    if (mojibake_byte(c) < 0) break;
    if (run_cps_.size() >= kMaxRun && lead_length(c) != 0) break;
    run_cps_.push_back(c);
    run_offsets_.push_back(i);
    i += len;
  }
  run_offsets_.push_back(i);
  return i;
}

namespace {

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

// Fills `seqs` with the mojibake sequences of `cps` (greedy, left to right:
// leads and continuation bytes are disjoint, so there is no ambiguity) and
// `refs` with the chains of adjacent sequences accepted as mojibake.
template <typename Sequence, typename ChainRef>
void find_chains(const std::vector<char32_t>& cps, char32_t before, char32_t after, bool allow_weak, bool allow_c1,
                 std::vector<Sequence>& seqs, std::vector<ChainRef>& refs) {
  seqs.clear();
  refs.clear();
  for (std::size_t k = 0; k < cps.size();) {
    const std::size_t n = lead_length(cps[k]);
    if (n == 0 || k + n > cps.size()) {
      ++k;
      continue;
    }
    unsigned char bytes[4] = {static_cast<unsigned char>(cps[k]), 0, 0, 0};
    bool ok = true;
    for (std::size_t j = 1; j < n && ok; ++j) {
      const int b = mojibake_byte(cps[k + j]);
      ok = b >= 0x80 && b <= 0xBF;
      bytes[j] = static_cast<unsigned char>(b);
    }
    utf8proc_int32_t cp = 0;
    if (ok) {
      // utf8proc_iterate rejects overlong forms and surrogates.
      ok = utf8proc_iterate(bytes, static_cast<utf8proc_ssize_t>(n), &cp) == static_cast<utf8proc_ssize_t>(n) &&
           (printable(static_cast<char32_t>(cp)) || (allow_c1 && c1_control(static_cast<char32_t>(cp))));
    }
    if (!ok) {
      ++k;
      continue;
    }
    seqs.push_back({k, n, static_cast<char32_t>(cp)});
    k += n;
  }
  for (std::size_t s = 0; s < seqs.size();) {
    std::size_t t = s + 1;
    while (t < seqs.size() && seqs[t].at == seqs[t - 1].at + seqs[t - 1].len) ++t;
    bool accept = allow_weak || t - s >= 2;
    if (!accept) {
      const std::size_t at = seqs[s].at;
      const std::size_t end = at + seqs[s].len;
      accept = strong_single(cps[at], seqs[s].cp, at > 0 ? cps[at - 1] : before, end < cps.size() ? cps[end] : after);
    }
    if (accept) refs.push_back({s, t});
    s = t;
  }
}

}  // namespace

bool UnicodeStage::has_strong_mojibake(std::string_view text) {
  // Every lead U+00C2..U+00F4 is encoded C3 82..C3 B4.
  std::size_t i = 0;
  while (i + 1 < text.size()) {
    const void* hit = std::memchr(text.data() + i, 0xC3, text.size() - i);
    if (hit == nullptr) return false;
    i = static_cast<std::size_t>(static_cast<const char*>(hit) - text.data());
    const auto next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
    if (next < 0x82 || next > 0xB4) {
      ++i;
      continue;
    }
    const std::size_t end = collect_run(text, i);
    find_chains(run_cps_, i > 0 ? decode_before(text, i) : 0, cp_at(text, end), false, false, seqs_, refs_);
    if (!refs_.empty()) return true;
    i = end;
  }
  return false;
}

std::size_t UnicodeStage::scan_mojibake_run(std::string_view text, std::size_t begin) {
  const std::size_t run_end = collect_run(text, begin);
  // C1 controls are allowed as intermediate steps; if one survives to the
  // fixed point the guess was wrong, and the run is decoded without them.
  if (!decode_run(text, begin, run_end, true)) decode_run(text, begin, run_end, false);
  return run_end;
}

bool UnicodeStage::decode_run(std::string_view text, std::size_t begin, std::size_t run_end, bool allow_c1) {
  chains_.clear();
  const char32_t run_before = begin > 0 ? decode_before(text, begin) : 0;
  find_chains(run_cps_, run_before, cp_at(text, run_end), doc_has_strong_, allow_c1, seqs_, refs_);
  for (const auto& ref : refs_) {
    const std::size_t first = seqs_[ref.first].at;
    const std::size_t last = seqs_[ref.last - 1].at + seqs_[ref.last - 1].len;
    decoded_.clear();
    for (std::size_t s = ref.first; s < ref.last; ++s) decoded_.push_back(seqs_[s].cp);
    const char32_t before = first > 0 ? run_cps_[first - 1] : run_before;
    Chain chain;
    chain.begin = run_offsets_[first];
    chain.end = run_offsets_[last];
    // A combining mark right after the chain composes with its last character.
    while (chain.end < text.size() && static_cast<unsigned char>(text[chain.end]) >= 0x80) {
      std::size_t len = 0;
      const char32_t c = decode_at(text, chain.end, &len);
      if (nfc_boundary(c)) break;
      decoded_.push_back(c);
      chain.end += len;
    }
    const char32_t after = cp_at(text, chain.end);
    // Double encoding: decode again while the result is itself strong mojibake.
    for (int level = 1; level < kMaxLevels; ++level) {
      find_chains(decoded_, before, after, false, allow_c1, fp_seqs_, fp_refs_);
      if (fp_refs_.empty()) break;
      level_.clear();
      std::size_t k = 0;
      for (const auto& r : fp_refs_) {
        const std::size_t at = fp_seqs_[r.first].at;
        level_.insert(level_.end(), decoded_.begin() + static_cast<std::ptrdiff_t>(k),
                      decoded_.begin() + static_cast<std::ptrdiff_t>(at));
        for (std::size_t s = r.first; s < r.last; ++s) level_.push_back(fp_seqs_[s].cp);
        k = fp_seqs_[r.last - 1].at + fp_seqs_[r.last - 1].len;
      }
      level_.insert(level_.end(), decoded_.begin() + static_cast<std::ptrdiff_t>(k), decoded_.end());
      decoded_.swap(level_);
    }
    if (allow_c1) {
      for (const char32_t c : decoded_) {
        if (c1_control(c)) return false;
      }
    }
    clean_into(decoded_, before, after, chain.replacement);
    chains_.push_back(std::move(chain));
  }
  return true;
}

void UnicodeStage::clean_into(const std::vector<char32_t>& cps, char32_t before, char32_t after, std::string& out) {
  scratch_.clear();
  for (std::size_t k = 0; k < cps.size(); ++k) {
    char32_t c = cps[k];
    const char32_t prev = k > 0 ? cps[k - 1] : before;
    const char32_t next = k + 1 < cps.size() ? cps[k + 1] : after;
    if (spacing_control(c)) {
      if (!is_space_or_none(prev) && !is_space_or_none(next)) scratch_.push_back(' ');
      continue;
    }
    if (removable(c, prev, next)) continue;
    if (odd_space(c) && !keep_odd_space(c, prev, next)) c = ' ';
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
  doc_has_strong_ = has_strong_mojibake(text);
  chains_.clear();
  const std::size_t first_edit = out.size();

  // Runs of invisible characters and of odd spaces become one edit each.
  auto emit = [&](std::size_t b, std::size_t e, std::string_view replacement, std::string_view rule,
                  std::string_view reason) {
    if (out.size() > first_edit && (rule == kInvisible || rule == kOddSpace)) {
      Edit& last = out.back();
      if (last.end == b && last.rule == rule) {
        last.end = e;
        last.replacement.append(replacement);
        return;
      }
    }
    out.push_back(make_change(b, e, std::string(replacement), std::string(rule), std::string(reason)));
  };
  auto last_change_end = [&]() -> std::size_t { return out.size() > first_edit ? out.back().end : 0; };
  auto control = [&](std::size_t i, std::size_t len, char32_t c) {
    // A run of spacing controls between words becomes one space (the first
    // of the run; the others go), so "a\f\fb" does not glue "ab".
    std::size_t run_begin = i;
    std::size_t run_stop = i + len;
    if (spacing_control(c)) {
      while (run_begin > 0 && spacing_control(decode_before(text, run_begin))) run_begin = prev_start(text, run_begin);
      std::size_t l = 0;
      while (run_stop < text.size() && spacing_control(decode_at(text, run_stop, &l))) run_stop += l;
    }
    const char32_t before = run_begin > 0 ? decode_before(text, run_begin) : 0;
    const char32_t after = cp_at(text, run_stop);
    if (spacing_control(c) && !is_space_or_none(before) && !is_space_or_none(after)) {
      emit(i, i + len, run_begin == i ? " " : "", kInvisible, "Control character between words replaced by a space.");
    } else {
      emit(i, i + len, "", kInvisible, "Invisible or control character removed.");
    }
  };

  std::size_t run_end = 0;
  std::size_t next_chain = 0;
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    if (i + 8 <= n && printable_ascii8(text.data() + i)) {
      i += 8;  // eight bytes the branch below would step over one by one
      continue;
    }
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      if ((b >= 0x20 && b != 0x7F) || b == '\n' || b == '\t' || b == '\r') {
        ++i;
        continue;
      }
      control(i, 1, b);
      ++i;
      continue;
    }

    std::size_t len = 0;
    const char32_t c = decode_at(text, i, &len);
    if (i >= run_end && lead_length(c) != 0) {
      run_end = scan_mojibake_run(text, i);
      next_chain = 0;
    }
    while (next_chain < chains_.size() && chains_[next_chain].begin < i) ++next_chain;
    if (next_chain < chains_.size() && chains_[next_chain].begin == i) {
      const Chain& chain = chains_[next_chain++];
      emit(chain.begin, chain.end, chain.replacement, kMojibake, "UTF-8 text mis-decoded as Windows-1252 repaired.");
      i = chain.end;
      continue;
    }

    const char32_t before = i > 0 ? decode_before(text, i) : 0;
    const bool joiner = c == 0x200C || c == 0x200D;
    if (spacing_control(c) ||
        (joiner ? removable(c, visible_neighbour(text, i, len, false), visible_neighbour(text, i, len, true))
                : removable(c, before, cp_at(text, i + len)))) {
      control(i, len, c);
      i += len;
      continue;
    }
    if (odd_space(c)) {
      if (!keep_odd_space(c, before, cp_at(text, i + len))) {
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
      // "c" + control + U+0301: the control just removed would leave the mark
      // on the letter, for a second run to compose. Compose it now, in one edit.
      const Edit& last = out.back();
      const std::size_t gone = last.begin;
      if (last.rule == kInvisible && last.replacement.empty() && last.end == i && gone > 0 &&
          static_cast<unsigned char>(text[gone - 1]) >= 0x20 && static_cast<unsigned char>(text[gone - 1]) < 0x7F &&
          (out.size() - 1 == first_edit || out[out.size() - 2].end < gone)) {
        const std::string joined = std::string(1, text[gone - 1]).append(text.substr(i, r - i));
        if (nfc_differs(joined, nfc_out_)) {
          out.pop_back();
          emit(gone - 1, r, nfc_out_, kNfc,
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
