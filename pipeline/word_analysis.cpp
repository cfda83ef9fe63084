#include "pipeline/word_analysis.h"

#include <algorithm>
#include <bit>

#include "pipeline/edit.h"
#include "pipeline/text.h"
#include "pipeline/word_map.h"

namespace copydesk {

namespace {
// Runs whose buffer a WordAnalysis keeps between documents (1 MB of them).
constexpr std::size_t kKeptRuns = std::size_t{1} << 16;
}  // namespace

void WordAnalysis::analyse(std::string_view text) {
  text_ = text;
  // A large document's buffers are not kept for the small ones after it.
  if (runs_.capacity() > kKeptRuns && runs_.capacity() > text.size() / 2) {
    std::vector<Run>().swap(runs_);
    std::vector<Form>().swap(forms_);
    std::vector<std::uint32_t>().swap(line_starts_);
    std::vector<std::uint32_t>().swap(line_crs_);
  }
  runs_.clear();
  forms_.clear();
  line_starts_.clear();
  line_crs_.clear();
  reset_slots(text.size());
  line_starts_.push_back(0);
  line_crs_.push_back(kNone);

  const char* const p = text.data();
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const auto c = static_cast<unsigned char>(p[i]);
    if (c < 0x80) {
      if (((c | 0x20) < 'a' || (c | 0x20) > 'z')) {
        if (c == '\n') {
          line_starts_.push_back(static_cast<std::uint32_t>(i + 1));
          line_crs_.push_back(kNone);
        } else if (c == '\r' && line_crs_.back() == kNone) {
          line_crs_.back() = static_cast<std::uint32_t>(i);
        }
        ++i;
        continue;
      }
    } else {
      std::size_t len = 0;
      if (!is_letter(decode_at(text, i, &len))) {
        i += len;
        continue;
      }
    }
    // A run of letters from i: ASCII letters eight at a time while eight
    // bytes remain, then byte by byte (decoding multi-byte code points).
    const std::size_t rb = i;
    bool ascii = true;
    std::size_t j = i;
    for (;;) {
      while (n - j >= 8) {
        const std::size_t k = first_marked_byte(~ascii_letter_bytes(load_le64(p + j)) & kHighBits);
        j += k;
        if (k < 8) break;
      }
      if (j >= n) break;
      const auto b = static_cast<unsigned char>(p[j]);
      if (b < 0x80) {
        if ((b | 0x20) >= 'a' && (b | 0x20) <= 'z') {
          ++j;
          continue;
        }
        break;
      }
      std::size_t len = 0;
      if (!is_letter(decode_at(text, j, &len))) break;
      ascii = false;
      j += len;
    }
    const std::uint32_t id = intern(rb, j - rb, ascii);
    runs_.push_back(Run{static_cast<std::uint32_t>(rb), static_cast<std::uint32_t>(j), id,
                        static_cast<std::uint32_t>(line_starts_.size() - 1)});
    i = j;
  }
}

void WordAnalysis::reset_slots(std::size_t bytes) {
  // A table sized from the document's length, grown when half full, and
  // emptied rather than freed between documents of about the same size.
  const std::size_t want = std::bit_ceil(std::max<std::size_t>(256, bytes / 16));
  if (slots_.size() != want && (slots_.size() < want || slots_.size() > 4 * want)) {
    slots_.assign(want, Slot{});
  } else {
    std::fill(slots_.begin(), slots_.end(), Slot{});
  }
  mask_ = slots_.size() - 1;
}

bool WordAnalysis::case_only(std::string_view text, std::span<const Edit> edits) {
  const auto letter = [](char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; };
  for (const Edit& e : edits) {
    if (e.kind != EditKind::kChange) continue;
    if (e.end < e.begin || e.end > text.size() || e.replacement.size() != e.end - e.begin) return false;
    for (std::size_t k = 0; k < e.replacement.size(); ++k) {
      const char before = text[e.begin + k];
      const char after = e.replacement[k];
      if (before != after && !(letter(before) && letter(after) && (before | 0x20) == (after | 0x20))) return false;
    }
  }
  return true;
}

void WordAnalysis::recase(std::string_view text) {
  text_ = text;
  // Every run's bytes are letters as before, ASCII where they were: its
  // form's ascii flag carries over. The forms are interned again in run
  // order, as analyse() does, so their ids, first runs and counts are its.
  old_forms_.swap(forms_);
  forms_.clear();
  reset_slots(text.size());
  for (Run& r : runs_) r.form = intern(r.begin, r.end - r.begin, old_forms_[r.form].ascii);
  old_forms_.clear();
}

std::uint32_t WordAnalysis::intern(std::size_t begin, std::size_t size, bool ascii) {
  // A form's first eight bytes (zero-padded) are its key in the slot: most
  // forms are that short, and their look-up compares one integer; a longer
  // form's hash covers all its bytes, and a match compares the rest.
  const char* const form = text_.data() + begin;
  const std::uint64_t head =
      text_.size() - begin >= 8
          ? load_le64(form) & (size >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * size)) - 1)
          : load_le(form, std::min<std::size_t>(size, 8));
  std::uint64_t h = 0;
  if (size <= 8) {
    h = (head ^ size) * 0x9E3779B97F4A7C15ULL;
    h ^= h >> 32;
  } else {
    h = WordMap<char>::hash(std::string_view(form, size));
  }
  std::size_t i = h & mask_;
  for (;; i = (i + 1) & mask_) {
    const Slot& s = slots_[i];
    if (s.id == kNone) break;
    if (s.head == head && s.size == size) {
      Form& f = forms_[s.id];
      if (size <= 8 || same_bytes(text_.data() + f.begin, form, size)) {
        ++f.count;
        return s.id;
      }
    }
  }
  const auto id = static_cast<std::uint32_t>(forms_.size());
  forms_.push_back(Form{static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(size), 1, ascii});
  slots_[i] = Slot{head, h, static_cast<std::uint32_t>(size), id};
  if (forms_.size() * 2 > slots_.size()) grow();
  return id;
}

void WordAnalysis::grow() {
  std::vector<Slot> old(slots_.size() * 2);
  old.swap(slots_);
  mask_ = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.id == kNone) continue;
    std::size_t i = s.hash & mask_;
    while (slots_[i].id != kNone) i = (i + 1) & mask_;
    slots_[i] = s;
  }
}

}  // namespace copydesk
