// String-keyed tables for the word look-ups of the stages and the lexicon.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace copydesk {

// Equal bytes; a hit compares a short word (almost every look-up), where a
// call to memcmp costs more than the comparison: two overlapping loads.
inline bool same_bytes(const char* a, const char* b, std::size_t n) {
  if (n >= 8 && n <= 16) {
    std::uint64_t a0 = 0, b0 = 0, a1 = 0, b1 = 0;
    std::memcpy(&a0, a, 8);
    std::memcpy(&b0, b, 8);
    std::memcpy(&a1, a + n - 8, 8);
    std::memcpy(&b1, b + n - 8, 8);
    return a0 == b0 && a1 == b1;
  }
  if (n >= 4 && n < 8) {
    std::uint32_t a0 = 0, b0 = 0, a1 = 0, b1 = 0;
    std::memcpy(&a0, a, 4);
    std::memcpy(&b0, b, 4);
    std::memcpy(&a1, a + n - 4, 4);
    std::memcpy(&b1, b + n - 4, 4);
    return a0 == b0 && a1 == b1;
  }
  if (n < 4) {
    for (std::size_t i = 0; i < n; ++i)
      if (a[i] != b[i]) return false;
    return true;
  }
  return std::memcmp(a, b, n) == 0;
}

// A transparent hash, so std::string-keyed containers are searched with a
// string_view without building a string.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

using StringSet = std::unordered_set<std::string, StringHash, std::equal_to<>>;
template <class V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

// A string-keyed open-addressing hash map for the word look-ups on the hot
// paths (the lexicon cache, the word stages' tables): one cheap word-at-a-time
// hash, a power-of-two slot array and the keys in one arena, so a look-up is a
// hash, usually one probe and a memcmp, without std::hash's Murmur, a modulo by
// a prime and a node chase. Insert-only (plus clear); values stay in place
// until the next insert. Iteration order is unspecified: callers whose output
// depends on an order must not iterate it.
template <class V>
class WordMap {
 public:
  static std::uint64_t hash(std::string_view s) {
    constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ULL;
    std::uint64_t h = s.size() * kMul;
    const char* p = s.data();
    std::size_t n = s.size();
    for (; n >= 8; p += 8, n -= 8) {
      std::uint64_t x = 0;
      std::memcpy(&x, p, 8);
      h = (h ^ x) * kMul;
      h ^= h >> 32;
    }
    if (n > 0) {
      // The last 1-7 bytes with fixed-size loads (a memcpy of n bytes is a
      // library call); overlapping bytes are harmless, the length is in h.
      std::uint64_t x = 0;
      if (n >= 4) {
        std::uint32_t lo = 0, hi = 0;
        std::memcpy(&lo, p, 4);
        std::memcpy(&hi, p + n - 4, 4);
        x = lo | (std::uint64_t{hi} << 32);
      } else {
        x = static_cast<unsigned char>(p[0]) | (std::uint64_t{static_cast<unsigned char>(p[n / 2])} << 8) |
            (std::uint64_t{static_cast<unsigned char>(p[n - 1])} << 16);
      }
      h = (h ^ x) * kMul;
    }
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ULL;
    return h ^ (h >> 32);
  }

  V* find(std::string_view key) { return find(key, hash(key)); }
  const V* find(std::string_view key) const { return const_cast<WordMap*>(this)->find(key, hash(key)); }
  V* find(std::string_view key, std::uint64_t h) {
    if (slots_.empty()) return nullptr;
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (!s.used) return nullptr;
      if (s.hash == h && s.len == key.size() && same_bytes(key_of(s), key.data(), key.size())) return &s.value;
    }
  }
  // The value for `key`, inserted as `value` if absent; second: inserted.
  std::pair<V*, bool> insert(std::string_view key, V value) { return insert(key, hash(key), std::move(value)); }
  // The same with the key's hash(key) already computed.
  std::pair<V*, bool> insert(std::string_view key, std::uint64_t h, V value) {
    if (V* v = find(key, h)) return {v, false};
    // At most half full: with linear probing a miss (most name-key and many
    // word look-ups miss) then costs about 2.5 probes instead of 8.5 at 3/4.
    if ((size_ + 1) * 2 > slots_.size()) grow();
    std::size_t i = h & mask_;
    while (slots_[i].used) i = (i + 1) & mask_;
    Slot& s = slots_[i];
    s.used = true;
    s.hash = h;
    s.len = key.size();
    if (key.size() <= kInlineKey) {
      std::memcpy(s.inline_key, key.data(), key.size());
    } else {
      s.offset = keys_.size();
      keys_.append(key);
    }
    s.value = std::move(value);
    ++size_;
    return {&s.value, true};
  }
  void clear() {
    if (size_ == 0) return;
    for (auto& s : slots_) s = Slot{};
    keys_.clear();
    size_ = 0;
  }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

 private:
  // Keys this short live in their slot (most words): one cache line per probe.
  static constexpr std::size_t kInlineKey = 16;
  struct Slot {
    std::uint64_t hash = 0;
    std::size_t len = 0;
    std::size_t offset = 0;  // in keys_, for longer keys
    char inline_key[kInlineKey] = {};
    V value{};
    bool used = false;
  };
  const char* key_of(const Slot& s) const { return s.len <= kInlineKey ? s.inline_key : keys_.data() + s.offset; }
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
    mask_ = slots_.size() - 1;
    for (auto& s : old) {
      if (!s.used) continue;
      std::size_t i = s.hash & mask_;
      while (slots_[i].used) i = (i + 1) & mask_;
      slots_[i] = std::move(s);
    }
  }
  std::vector<Slot> slots_;
  std::string keys_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace copydesk
