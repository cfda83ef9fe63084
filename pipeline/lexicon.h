// Word knowledge: Debian's Hunspell dictionaries (en_US first, then en_GB so
// that British spellings in British articles are words too) plus the project's
// supplementary word list, behind a cache. Hunspell answers about 40,000
// look-ups a second; news text repeats its words, so the cache answers most.
//
//   Lexicon lex({{"/usr/share/hunspell/en_US.aff", "/usr/share/hunspell/en_US.dic"}});
//   lex.add_word("chatbot");
//   if (!lex.known("Rivalality")) ... lex.suggest("Rivalality") ...
//
// Not thread-safe: one Lexicon per worker thread (it is owned by Resources).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

class Hunspell;

namespace copydesk {

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
      std::uint64_t x = 0;
      std::memcpy(&x, p, n);
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
      if (s.hash == h && s.len == key.size() && std::memcmp(key_of(s), key.data(), key.size()) == 0) {
        return &s.value;
      }
    }
  }
  // The value for `key`, inserted as `value` if absent; second: inserted.
  std::pair<V*, bool> insert(std::string_view key, V value) {
    const std::uint64_t h = hash(key);
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

class Lexicon {
 public:
  // One (aff, dic) pair per dictionary; the first one gives suggestions.
  // Throws Error naming a missing file.
  explicit Lexicon(const std::vector<std::pair<std::string, std::string>>& dictionaries);
  ~Lexicon();
  Lexicon(const Lexicon&) = delete;
  Lexicon& operator=(const Lexicon&) = delete;

  // True if any dictionary (or an added word) accepts `word` as written.
  // Hunspell's own rules apply: "the" is accepted as "The" and "THE", "paris" is not.
  bool known(std::string_view word);

  // Hunspell's suggestions from the first dictionary, best first (cached).
  // The reference is valid until the next call to suggest().
  const std::vector<std::string>& suggest(std::string_view word);

  // Adds a word to every run-time dictionary (and forgets cached answers).
  void add_word(std::string_view word);

  std::size_t lookups() const { return lookups_; }
  std::size_t cache_hits() const { return hits_; }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::vector<std::unique_ptr<Hunspell>> hunspell_;
  WordMap<bool> cache_;  // known()'s answers: every word of every document passes here
  std::string word_;     // scratch: the word as Hunspell's std::string
  std::unordered_map<std::string, std::vector<std::string>, Hash, std::equal_to<>> suggestions_;
  std::size_t lookups_ = 0;
  std::size_t hits_ = 0;
};

}  // namespace copydesk
