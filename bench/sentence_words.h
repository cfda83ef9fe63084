// The lower-case words of the text files under a folder, as a language model
// reads them: <s> and </s> around each sentence, which ends at '.', '!', '?'
// or a line break. The trigram model's benchmark (bench/ngram_bench.cpp) and
// its test (tests/ngram_model_test.cpp) draw their queries from it.
#pragma once

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace copydesk::bench {

// Appends the words of the files under `dir` whose extension is `ext`, in
// path order; stops after the file that brings `out` to `max_words`.
inline void append_sentence_words(const std::filesystem::path& dir, std::string_view ext, std::vector<std::string>& out,
                                  std::size_t max_words = std::numeric_limits<std::size_t>::max()) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().extension() == ext) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string word;
    bool open = false;
    auto flush = [&] {
      if (word.empty()) return;
      if (!open) out.emplace_back("<s>");
      open = true;
      out.push_back(word);
      word.clear();
    };
    for (char c : text) {
      if ((c >= 'a' && c <= 'z') || c == '\'') {
        word += c;
      } else if (c >= 'A' && c <= 'Z') {
        word += static_cast<char>(c - 'A' + 'a');
      } else {
        flush();
        if ((c == '.' || c == '!' || c == '?' || c == '\n') && open) {
          out.emplace_back("</s>");
          open = false;
        }
      }
    }
    flush();
    if (open) out.emplace_back("</s>");
    if (out.size() >= max_words) break;
  }
}

}  // namespace copydesk::bench
