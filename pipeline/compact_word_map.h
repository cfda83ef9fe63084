// A compact, read-mostly string-keyed map for the large word tables loaded
// once per process from dictionaries/ (word frequencies, word tiers) and
// shared by every thread: about 8 bytes of index, 4 of offset and the key's
// own bytes a word, against WordMap's 48-56-byte slots at most half full.
// Same answers as WordMap (the first value inserted for a key stays); a
// look-up is a hash, usually one probe, and a comparison with the key in one
// arena. Insert while loading, then shrink() once; find() is safe from any
// number of threads while nothing inserts.
//
//   CompactWordMap<std::uint8_t> tiers;
//   tiers.insert("apple", 10);
//   tiers.shrink();
//   if (const std::uint8_t* t = tiers.find("apple")) ...
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pipeline/word_map.h"

namespace copydesk {

template <class V>
class CompactWordMap {
 public:
  const V* find(std::string_view key) const { return find(key, WordMap<char>::hash(key)); }
  const V* find(std::string_view key, std::uint64_t h) const {
    const std::uint32_t i = index_of(key, h);
    return i == kAbsent ? nullptr : &values_[i];
  }
  // Inserts `value` for `key` unless the key is present; second: inserted.
  std::pair<const V*, bool> insert(std::string_view key, V value) {
    const std::uint64_t h = WordMap<char>::hash(key);
    if (const std::uint32_t i = index_of(key, h); i != kAbsent) return {&values_[i], false};
    if ((values_.size() + 1) * 2 > slots_.size()) grow();
    const auto id = static_cast<std::uint32_t>(values_.size());
    keys_.append(key);
    offsets_.push_back(static_cast<std::uint32_t>(keys_.size()));
    values_.push_back(std::move(value));
    place(h, id);
    return {&values_.back(), true};
  }
  // Drops the spare capacity the inserts left (call after the last insert).
  void shrink() {
    keys_.shrink_to_fit();
    offsets_.shrink_to_fit();
    values_.shrink_to_fit();
  }
  std::size_t size() const { return values_.size(); }
  bool empty() const { return values_.empty(); }
  std::size_t bytes() const {
    return keys_.capacity() + offsets_.capacity() * sizeof(std::uint32_t) + values_.capacity() * sizeof(V) +
           slots_.capacity() * sizeof(std::uint64_t);
  }

 private:
  static constexpr std::uint32_t kAbsent = 0xFFFFFFFF;
  // A slot: the hash's upper half << 32 | (the key's index + 1); 0 if empty.
  static std::uint64_t tag_of(std::uint64_t h) { return h & 0xFFFFFFFF00000000ULL; }
  std::uint32_t index_of(std::string_view key, std::uint64_t h) const {
    if (slots_.empty()) return kAbsent;
    const std::uint64_t tag = tag_of(h);
    for (std::size_t s = h & mask_;; s = (s + 1) & mask_) {
      const std::uint64_t slot = slots_[s];
      if (slot == 0) return kAbsent;
      if (tag_of(slot) != tag) continue;
      const auto i = static_cast<std::uint32_t>(slot & 0xFFFFFFFFu) - 1;
      const std::uint32_t begin = i == 0 ? 0 : offsets_[i - 1];
      if (offsets_[i] - begin == key.size() && same_bytes(keys_.data() + begin, key.data(), key.size())) return i;
    }
  }
  void place(std::uint64_t h, std::uint32_t id) {
    std::size_t s = h & mask_;
    while (slots_[s] != 0) s = (s + 1) & mask_;
    slots_[s] = tag_of(h) | (std::uint64_t{id} + 1);
  }
  void grow() {
    slots_.assign(slots_.empty() ? 64 : slots_.size() * 2, 0);
    mask_ = slots_.size() - 1;
    std::uint32_t begin = 0;
    for (std::uint32_t i = 0; i < values_.size(); ++i) {
      place(WordMap<char>::hash(std::string_view(keys_).substr(begin, offsets_[i] - begin)), i);
      begin = offsets_[i];
    }
  }

  std::string keys_;                    // every key, one after another
  std::vector<std::uint32_t> offsets_;  // where each key ends in keys_
  std::vector<V> values_;
  std::vector<std::uint64_t> slots_;  // open addressing, at most half full
  std::size_t mask_ = 0;
};

}  // namespace copydesk
