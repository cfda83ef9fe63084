#include "pipeline/pipeline.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <set>
#include <tuple>

#include "pipeline/apply.h"
#include "pipeline/error.h"
#include "pipeline/registry.h"
#include "pipeline/word_analysis.h"

namespace copydesk {

std::size_t Result::changes() const {
  std::size_t n = input_edits.size();
  for (const auto& s : stages)
    n += static_cast<std::size_t>(
        std::count_if(s.edits.begin(), s.edits.end(), [](const Edit& e) { return e.kind == EditKind::kChange; }));
  return n;
}

std::size_t Result::flags() const {
  std::size_t n = 0;
  for (const auto& s : stages)
    n += static_cast<std::size_t>(
        std::count_if(s.edits.begin(), s.edits.end(), [](const Edit& e) { return e.kind == EditKind::kFlag; }));
  return n;
}

// ---- OffsetMap ------------------------------------------------------------

OffsetMap::OffsetMap(std::size_t length) : length_(length) {
  if (length > 0) pieces_.push_back({0, length, 0, length, true});
}

std::size_t OffsetMap::piece_at(std::size_t pos) const {
  // The last piece starting at or before pos; zero-length pieces lose to the
  // non-empty piece that starts at the same position.
  auto it = std::upper_bound(pieces_.begin(), pieces_.end(), pos,
                             [](std::size_t p, const Piece& piece) { return p < piece.cur; });
  std::size_t i = static_cast<std::size_t>(it - pieces_.begin());
  return i == 0 ? 0 : i - 1;
}

Span OffsetMap::to_original(std::size_t begin, std::size_t end) const {
  if (pieces_.empty()) return {0, 0};
  auto map_begin = [&](std::size_t pos) -> std::size_t {
    const Piece& p = pieces_[piece_at(pos)];
    if (pos >= p.cur + p.cur_len) return p.orig + p.orig_len;  // at the very end
    return p.copied ? p.orig + (pos - p.cur) : p.orig;
  };
  auto map_end = [&](std::size_t pos) -> std::size_t {
    if (pos == 0) return pieces_.front().orig;
    const Piece& p = pieces_[piece_at(pos - 1)];
    return p.copied ? p.orig + (pos - p.cur) : p.orig + p.orig_len;
  };
  if (begin == end) {
    const std::size_t o = map_begin(begin);
    const Piece& p = pieces_[piece_at(begin)];
    if (!p.copied && begin > p.cur && begin < p.cur + p.cur_len) return {p.orig, p.orig + p.orig_len};
    return {o, o};
  }
  const std::size_t ob = map_begin(begin);
  return {ob, std::max(ob, map_end(end))};
}

void OffsetMap::append_range(std::size_t from, std::size_t to, std::vector<Piece>& out, std::size_t& cur) const {
  if (from >= to) return;
  for (std::size_t i = piece_at(from); i < pieces_.size() && pieces_[i].cur < to; ++i) {
    const Piece& p = pieces_[i];
    const std::size_t b = std::max(from, p.cur);
    const std::size_t e = std::min(to, p.cur + p.cur_len);
    if (b >= e) continue;
    Piece q;
    q.cur = cur;
    q.cur_len = e - b;
    q.copied = p.copied;
    if (p.copied) {
      q.orig = p.orig + (b - p.cur);
      q.orig_len = e - b;
    } else {  // a slice of inserted text still stands for the whole replaced span
      q.orig = p.orig;
      q.orig_len = p.orig_len;
    }
    out.push_back(q);
    cur += q.cur_len;
  }
}

void OffsetMap::apply(const std::vector<Edit>& edits) {
  std::vector<Piece> next;
  next.reserve(pieces_.size() + 2 * edits.size());
  std::size_t pos = 0;
  std::size_t cur = 0;
  for (const auto& e : edits) {
    if (e.kind != EditKind::kChange) continue;
    append_range(pos, e.begin, next, cur);
    const Span o = to_original(e.begin, e.end);
    next.push_back({cur, e.replacement.size(), o.begin, o.end - o.begin, false});
    cur += e.replacement.size();
    pos = e.end;
  }
  append_range(pos, length_, next, cur);
  pieces_ = std::move(next);
  length_ = cur;
}

// ---- input decoding -------------------------------------------------------

namespace {

struct Decoded {
  bool same = false;  // the input is the text as it is (valid UTF-8, LF line endings): `text` is empty
  std::string text;   // valid UTF-8, LF line endings
  bool crlf = false;
  std::vector<Edit> all_edits;     // every change made to the raw bytes (for the offset map)
  std::vector<Edit> logged_edits;  // the ones the change log reports (lossy replacements)
};

Decoded decode_input(std::string_view raw, bool lossy) {
  if (const auto nul = raw.find('\0'); nul != std::string_view::npos) {
    throw Error("input looks like a binary file (NUL byte at byte offset " + std::to_string(nul) +
                "); copydesk reads UTF-8 text");
  }
  Decoded d;
  // CRLF mode only when every line ending is CRLF: a file that mixes them is
  // read and written with each line's own ending, so nothing is rewritten
  // silently, and removing a line cannot change the mode of the output.
  d.crlf = false;
  for (std::size_t nl = raw.find('\n'); nl != std::string_view::npos; nl = raw.find('\n', nl + 1)) {
    d.crlf = nl > 0 && raw[nl - 1] == '\r';
    if (!d.crlf) break;
  }
  std::size_t bad = 0;
  const bool valid = valid_utf8(raw, &bad);
  if (!valid && !lossy) {
    throw Error("invalid UTF-8 at byte offset " + std::to_string(bad) +
                " (use --lossy to replace invalid bytes with U+FFFD)");
  }
  if (valid && !d.crlf) {
    d.same = true;  // no copy: the pipeline reads the input until a stage changes it
    return d;
  }
  d.text.reserve(raw.size() + raw.size() / 64 + 64);  // room to apply edits in place (see run())
  for (std::size_t i = 0; i < raw.size();) {
    const auto c = static_cast<unsigned char>(raw[i]);
    if (c == '\r' && d.crlf && i + 1 < raw.size() && raw[i + 1] == '\n') {
      d.all_edits.push_back(make_change(i, i + 1, "", "crlf", "CRLF line ending read as LF"));
      ++i;
      continue;
    }
    if (c < 0x80) {
      d.text.push_back(raw[i++]);
      continue;
    }
    std::size_t n = 0;
    const char32_t cp = decode_at(raw, i, &n);
    if (cp == 0xFFFD && n == 1) {
      Edit e =
          make_change(i, i + 1, "\xEF\xBF\xBD", "invalid-utf8", "invalid UTF-8 byte replaced with U+FFFD (--lossy)");
      d.all_edits.push_back(e);
      d.logged_edits.push_back(e);
      d.text.append("\xEF\xBF\xBD");
      ++i;
      continue;
    }
    d.text.append(raw.substr(i, n));
    i += n;
  }
  return d;
}

}  // namespace

std::string restore_crlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 40);
  for (char c : text) {
    if (c == '\n') out.push_back('\r');
    out.push_back(c);
  }
  return out;
}

// ---- Pipeline -------------------------------------------------------------

Pipeline::Pipeline(std::vector<std::unique_ptr<Stage>> stages)
    : stages_(std::move(stages)),
      filter_(std::make_unique<EditFilter>(RuleOptions{}, stages_)),
      words_(std::make_unique<WordAnalysis>()) {}

Pipeline::Pipeline(Pipeline&&) noexcept = default;
Pipeline& Pipeline::operator=(Pipeline&&) noexcept = default;
Pipeline::~Pipeline() = default;

void Pipeline::set_rules(const RuleOptions& rules) { filter_ = std::make_unique<EditFilter>(rules, stages_); }

Pipeline Pipeline::build(const std::vector<std::string>& names, Resources& resources) {
  std::vector<std::unique_ptr<Stage>> stages;
  for (const auto& name : names) stages.push_back(make_stage(name, resources));
  return Pipeline(std::move(stages));
}

Result Pipeline::run(std::string_view document, const RunOptions& options) { return run(document, nullptr, options); }

Result Pipeline::run_owned(std::string&& document, const RunOptions& options) {
  std::string input = std::move(document);
  return run(input, &input, options);
}

Result Pipeline::run(std::string_view document, std::string* own, const RunOptions& options) {
  Decoded decoded = decode_input(document, options.lossy);
  Result result;
  result.crlf = decoded.crlf;
  result.input_edits = std::move(decoded.logged_edits);

  OffsetMap map(document.size());
  map.apply(decoded.all_edits);
  // The current text: the input itself until a stage (or decoding) changes
  // it, then `owned`. A large document is not copied before it must be; an
  // input handed over (`own`) becomes `owned` itself, or is freed once
  // decoding has copied it.
  std::string owned = std::move(decoded.text);
  if (own && decoded.same) {
    owned = std::move(*own);
  } else if (own) {
    std::string().swap(*own);
  }
  std::string_view text = decoded.same && !own ? document : std::string_view(owned);
  // The current text as a string of its own (moved out of `owned` when it holds it).
  auto take_text = [&]() -> std::string {
    if (text.data() == owned.data() && text.size() == owned.size()) return std::move(owned);
    return std::string(text);
  };

  // Rule filtering: disabled rules, protected spans, ignored regions. The
  // marker search is done once, on the input; no stage writes a marker.
  const bool markers = filter_->markers_in(text);
  const bool filtering = markers || filter_->active();
  result.stages.reserve(stages_.size());
  // Flags already made (stage index, rule, original span): a later pass does
  // not repeat them. Filled only once a second pass is needed.
  std::set<std::tuple<std::size_t, std::string, std::size_t, std::size_t>> flagged;
  // The text's version (how many runs have changed it) each stage last read:
  // a stage reads the text again only if it changed since (its own edits
  // included), so a later pass stops at the stages that have seen the text.
  std::size_t version = 0;
  std::vector<std::size_t> seen(stages_.size(), SIZE_MAX);
  // The version words_ analysed (none yet in this run), and whether the text
  // changed since only in the case of letters (its runs and lines still hold:
  // recase() takes the forms again, without a new scan).
  std::size_t analysed = SIZE_MAX;
  bool recasable = false;
  for (std::size_t pass = 1; pass <= kMaxPasses; ++pass) {
    if (pass == 2) {
      for (const auto& r : result.stages)
        for (std::size_t i = 0; i < r.edits.size(); ++i)
          if (r.edits[i].kind == EditKind::kFlag)
            flagged.emplace(r.index, r.edits[i].rule, r.original[i].begin, r.original[i].end);
    }
    for (std::size_t index = 0; index < stages_.size(); ++index) {
      if (seen[index] == version) continue;  // it read this very text: it would propose the same again
      seen[index] = version;
      Stage& stage = *stages_[index];
      StageRun run;
      run.stage = std::string(stage.name());
      run.index = index;
      run.pass = pass;
      const auto t0 = std::chrono::steady_clock::now();
      if (stage.reads_words() && text.size() <= WordAnalysis::kMaxBytes) {
        if (analysed != version) {
          if (recasable)
            words_->recase(text);
          else
            words_->analyse(text);
          analysed = version;
          recasable = true;
        }
        stage.propose_words(text, *words_, run.edits);
      } else {
        stage.propose(text, run.edits);
      }
      run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      normalize_edits(text, run.edits);
      if (filtering) filter_->filter(run.stage, text, markers, run.edits);
      run.original.reserve(run.edits.size());
      for (const auto& e : run.edits) run.original.push_back(map.to_original(e.begin, e.end));
      if (pass > 1) {  // drop the flags an earlier pass made
        std::size_t kept = 0;
        for (std::size_t i = 0; i < run.edits.size(); ++i) {
          const Edit& e = run.edits[i];
          if (e.kind == EditKind::kFlag &&
              !flagged.emplace(index, e.rule, run.original[i].begin, run.original[i].end).second)
            continue;
          if (kept != i) {
            run.edits[kept] = std::move(run.edits[i]);
            run.original[kept] = run.original[i];
          }
          ++kept;
        }
        run.edits.resize(kept);
        run.original.resize(kept);
        if (run.edits.empty()) continue;  // nothing new: no run of this pass
      }
      const bool changed =
          std::any_of(run.edits.begin(), run.edits.end(), [](const Edit& e) { return e.kind == EditKind::kChange; });
      if (changed) {
        recasable = recasable && WordAnalysis::case_only(text, run.edits);
        ++version;
        map.apply(run.edits);
        // In place when the text is the run's own and nobody keeps this
        // version: a large document is then held once, not twice, while its
        // edits are applied. A new copy gets room for a later stage's growth.
        const bool own_text = text.data() == owned.data() && text.size() == owned.size();
        if (options.keep_stage_inputs || !own_text || !apply_edits_in_place(owned, run.edits)) {
          std::string next = apply_edits(text, run.edits, text.size() / 64 + 64);
          if (options.keep_stage_inputs) run.input = take_text();
          owned = std::move(next);
        }
        text = owned;
      } else if (options.keep_stage_inputs) {
        run.input = std::string(text);  // most stages change nothing in most documents: no new text then
      }
      result.stages.push_back(std::move(run));
    }
    if (std::all_of(seen.begin(), seen.end(), [&](std::size_t v) { return v == version; })) break;
  }
  result.text = result.crlf ? restore_crlf(text) : take_text();
  return result;
}

}  // namespace copydesk
