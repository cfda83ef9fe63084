#include "pipeline/apply.h"

#include <algorithm>
#include <cstddef>
#include <cstring>

namespace copydesk {

namespace {
bool on_boundary(std::string_view text, std::size_t i) {
  return i == text.size() || (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
}
}  // namespace

void normalize_edits(std::string_view text, std::vector<Edit>& edits) {
  // A change that puts back the very bytes it replaces changes nothing: it is
  // no edit (it would make --check report a change that is not there).
  std::erase_if(edits, [&](const Edit& e) {
    return e.kind == EditKind::kChange && e.begin <= e.end && e.end <= text.size() &&
           text.substr(e.begin, e.end - e.begin) == e.replacement;
  });
  std::stable_sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) {
    if (a.begin != b.begin) return a.begin < b.begin;
    return a.end < b.end;  // an insertion before a change at the same offset
  });
  std::size_t reach = 0;  // end of the last accepted change
  for (auto& e : edits) {
    const bool in_range = e.begin <= e.end && e.end <= text.size();
    const bool aligned = in_range && on_boundary(text, e.begin) && on_boundary(text, e.end);
    if (!in_range) {
      e.begin = e.end = std::min(e.begin, text.size());
    }
    if (e.kind != EditKind::kChange) continue;
    if (!aligned) {
      e.kind = EditKind::kFlag;
      e.reason += " [not applied: span outside the text or inside a character]";
    } else if (e.begin < reach) {
      e.kind = EditKind::kFlag;
      e.reason += " [not applied: overlaps an earlier edit of the same stage]";
    } else {
      reach = std::max(reach, e.end);
    }
  }
}

std::string apply_edits(std::string_view text, const std::vector<Edit>& edits, std::size_t spare) {
  // The exact size first: a large text is never regrown (nor held twice
  // over while it is).
  std::size_t size = text.size();
  for (const auto& e : edits)
    if (e.kind == EditKind::kChange) size = size - (e.end - e.begin) + e.replacement.size();
  std::string out;
  out.reserve(size + spare);
  std::size_t pos = 0;
  for (const auto& e : edits) {
    if (e.kind != EditKind::kChange) continue;
    out.append(text.substr(pos, e.begin - pos));
    out.append(e.replacement);
    pos = e.end;
  }
  out.append(text.substr(pos));
  return out;
}

bool apply_edits_in_place(std::string& text, const std::vector<Edit>& edits) {
  // The output runs ahead of the input by the edits' running growth, at most
  // `gap` bytes: with the input moved up by `gap` first, every byte is written
  // at or before the next byte still to read, so one forward pass does it.
  const std::size_t n = text.size();
  std::ptrdiff_t growth = 0;
  std::ptrdiff_t most = 0;
  for (const auto& e : edits) {
    if (e.kind != EditKind::kChange) continue;
    growth += static_cast<std::ptrdiff_t>(e.replacement.size()) - static_cast<std::ptrdiff_t>(e.end - e.begin);
    most = std::max(most, growth);
  }
  const auto gap = static_cast<std::size_t>(most);
  if (n + gap > text.capacity()) return false;
  if (gap > 0) text.resize(n + gap);  // within the capacity: the buffer stays
  char* buf = text.data();
  if (gap > 0) std::memmove(buf + gap, buf, n);
  std::size_t w = 0;  // the output's end
  std::size_t r = 0;  // the next input byte, at buf + gap + r
  for (const auto& e : edits) {
    if (e.kind != EditKind::kChange) continue;
    std::memmove(buf + w, buf + gap + r, e.begin - r);
    w += e.begin - r;
    std::memcpy(buf + w, e.replacement.data(), e.replacement.size());
    w += e.replacement.size();
    r = e.end;
  }
  std::memmove(buf + w, buf + gap + r, n - r);
  w += n - r;
  text.resize(w);
  return true;
}

}  // namespace copydesk
