#pragma once
// Optimal string alignment distance (Levenshtein with transpositions of
// adjacent bytes, no substring edited twice) of two byte strings, with a limit.
//
// The lexicon's near-word look-up measures every candidate form of a suspect
// word with it, so it is written for short words: when the shorter string has
// at most 64 bytes it runs the bit-parallel recurrence (Hyyrö, "A bit-vector
// algorithm for computing Levenshtein and Damerau edit distances", Nordic
// Journal of Computing 10, 2003), one column of the table in one 64-bit word
// per byte of the longer string; longer strings take the plain three-row
// table. Neither allocates for words of ordinary length.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace copydesk {

namespace osa_detail {

// The plain table, row by row, stopping as soon as a whole row exceeds `max`.
inline int table(std::string_view a, std::string_view b, int max) {
  const std::size_t n = a.size(), m = b.size();
  constexpr std::size_t kRow = 64;
  std::array<int, 3 * kRow> stack_rows;
  std::vector<int> heap_rows;
  int* rows = stack_rows.data();
  if (m + 1 > kRow) {
    heap_rows.resize(3 * (m + 1));
    rows = heap_rows.data();
  }
  const std::size_t width = m + 1 > kRow ? m + 1 : kRow;
  int *prev2 = rows, *prev = rows + width, *cur = rows + 2 * width;
  for (std::size_t j = 0; j <= m; ++j) prev[j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = static_cast<int>(i);
    int row_min = cur[0];
    for (std::size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int v = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) v = std::min(v, prev2[j - 2] + 1);
      cur[j] = v;
      row_min = std::min(row_min, v);
    }
    if (row_min > max) return max + 1;
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[m];
}

// The bit-parallel form: `p` (1 to 64 bytes) is the column, `t` is read byte
// by byte. Stops once the distance can no longer come down to `max`.
inline int bit_parallel(std::string_view p, std::string_view t, int max) {
  // Where each byte occurs in `p`; only the entries of the bytes of `p` and
  // `t` are read, so only those are cleared.
  std::array<std::uint64_t, 256> occurs;
  for (const char c : t) occurs[static_cast<unsigned char>(c)] = 0;
  for (const char c : p) occurs[static_cast<unsigned char>(c)] = 0;
  for (std::size_t i = 0; i < p.size(); ++i) occurs[static_cast<unsigned char>(p[i])] |= std::uint64_t{1} << i;

  const std::uint64_t last = std::uint64_t{1} << (p.size() - 1);
  std::uint64_t vp = ~std::uint64_t{0}, vn = 0, d0 = 0, pm_before = 0;
  auto distance = static_cast<std::ptrdiff_t>(p.size());
  auto left = static_cast<std::ptrdiff_t>(t.size());
  for (const char c : t) {
    const std::uint64_t pm = occurs[static_cast<unsigned char>(c)];
    const std::uint64_t transposed = ((~d0 & pm) << 1) & pm_before;
    d0 = (((pm & vp) + vp) ^ vp) | pm | vn | transposed;
    std::uint64_t hp = vn | ~(d0 | vp);
    std::uint64_t hn = d0 & vp;
    distance += (hp & last) != 0;
    distance -= (hn & last) != 0;
    // Each byte still to read lowers the distance by one at most.
    if (distance - --left > max) return max + 1;
    hp = (hp << 1) | 1;
    hn <<= 1;
    vp = hn | ~(d0 | hp);
    vn = hp & d0;
    pm_before = pm;
  }
  return static_cast<int>(distance);
}

}  // namespace osa_detail

// The distance of `a` and `b` when it is at most `max`; otherwise some value
// above `max` (not always the distance).
inline int osa_distance(std::string_view a, std::string_view b, int max) {
  const std::size_t n = a.size(), m = b.size();
  if ((n > m ? n - m : m - n) > static_cast<std::size_t>(max)) return max + 1;
  const std::string_view shorter = n <= m ? a : b, longer = n <= m ? b : a;
  if (shorter.empty()) return static_cast<int>(longer.size());
  if (shorter.size() <= 64) return osa_detail::bit_parallel(shorter, longer, max);
  return osa_detail::table(a, b, max);
}

}  // namespace copydesk
