#include "pipeline/review.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <openssl/evp.h>

#include <nlohmann/json.hpp>

#include "pipeline/error.h"

namespace copydesk {

namespace {

// A stretch of F (the run's text) and the stretch of A (accepted edits only)
// it corresponds to. Aligned: same bytes, f_len == a_len. Divergent: a
// rejected (or skipped) edit made them differ; either length may be zero.
struct Piece {
  std::size_t f = 0;
  std::size_t f_len = 0;
  std::size_t a = 0;
  std::size_t a_len = 0;
  bool aligned = true;
};

// One stage of the replay: walks the old piece map (over F_k, A_k) and the
// stage's edits together, building the new map (over F_k+1, A_k+1) and A_k+1.
// Kept in step with `replayStage` in review/report_template.h.
class StageReplay {
 public:
  StageReplay(const std::vector<Piece>& old, const std::string& a_text) : old_(old), a_text_(a_text) {}

  // True if the accepted change `e` cannot be translated to A: it overlaps a
  // divergent piece, has a rejected deletion point strictly inside it, or (an
  // insertion) touches a divergent piece.
  bool conflicts(const Edit& e) {
    while (check_ < old_.size() && old_[check_].f + old_[check_].f_len < e.begin) ++check_;
    for (std::size_t k = check_; k < old_.size() && old_[k].f <= e.end; ++k) {
      const Piece& p = old_[k];
      if (p.aligned) continue;
      if (e.begin == e.end) return true;  // every piece scanned touches the insertion point
      if (p.f_len > 0 ? (p.f < e.end && p.f + p.f_len > e.begin) : (e.begin < p.f && p.f < e.end)) return true;
    }
    return false;
  }

  // Copies F_k up to `b` (and the rejected deletions at b) into the new map.
  void copy_to(std::size_t b) { walk(b, true, true); }

  void accept(const Edit& e) {
    const std::size_t a_begin = ac_;
    walk(e.end, false, false);
    a_out_.append(a_text_, a_done_, a_begin - a_done_);
    a_out_.append(e.replacement);
    a_done_ = ac_;
    emit(e.replacement.size(), e.replacement.size(), true);
  }

  void diverge(const Edit& e) {
    const std::size_t a_len = walk(e.end, false, false);
    emit(e.replacement.size(), a_len, false);
  }

  // Finishes the stage: the rest of F_k, the new map and A_k+1.
  void finish(std::size_t f_length, std::vector<Piece>& pieces, std::string& a_text) {
    walk(f_length, true, true);
    if (ac_ != a_text_.size() || i_ != old_.size())
      throw Error("review replay: internal error (piece map out of step)");
    a_out_.append(a_text_, a_done_, std::string::npos);
    pieces = std::move(next_);
    a_text = std::move(a_out_);
  }

 private:
  // Walks the old pieces from the current F_k position to y; rejected
  // deletions (zero-length pieces) at y are included when `through`. Emits the
  // pieces walked into the new map, or returns the A_k bytes they cover.
  std::size_t walk(std::size_t y, bool through, bool emit_pieces) {
    std::size_t consumed = 0;
    while (i_ < old_.size()) {
      const Piece& p = old_[i_];
      std::size_t f_len = 0;
      std::size_t a_len = 0;
      bool done = false;
      if (p.f_len == 0) {
        if (!(p.f < y || (through && p.f == y))) break;
        a_len = p.a + p.a_len - ac_;
        ac_ = p.a + p.a_len;
        done = true;
      } else {
        if (p.f >= y) break;
        const std::size_t s = std::max(f_, p.f);
        const std::size_t t = std::min(y, p.f + p.f_len);
        if (t > s) {
          f_len = t - s;
          if (p.aligned) {
            a_len = t - s;
            ac_ = p.a + (t - p.f);
          } else {  // a divergent piece's A side goes with the first slice walked
            a_len = p.a + p.a_len > ac_ ? p.a + p.a_len - ac_ : 0;
            ac_ = std::max(ac_, p.a + p.a_len);
          }
        }
        done = t == p.f + p.f_len;
      }
      if (emit_pieces) {
        emit(f_len, a_len, p.aligned);
      } else {
        consumed += a_len;
      }
      if (!done) break;
      ++i_;
    }
    f_ = std::max(f_, y);
    return consumed;
  }

  void emit(std::size_t f_len, std::size_t a_len, bool aligned) {
    if (f_len == 0 && a_len == 0) return;
    if (!next_.empty() && next_.back().aligned == aligned) {
      next_.back().f_len += f_len;
      next_.back().a_len += a_len;
    } else {
      const std::size_t f = next_.empty() ? 0 : next_.back().f + next_.back().f_len;
      const std::size_t a = next_.empty() ? 0 : next_.back().a + next_.back().a_len;
      next_.push_back({f, f_len, a, a_len, aligned});
    }
  }

  const std::vector<Piece>& old_;
  const std::string& a_text_;
  std::vector<Piece> next_;
  std::string a_out_;
  std::size_t i_ = 0;       // next old piece to walk
  std::size_t check_ = 0;   // first old piece conflicts() looks at
  std::size_t f_ = 0;       // position in F_k
  std::size_t ac_ = 0;      // position in A_k
  std::size_t a_done_ = 0;  // A_k copied to a_out_ up to here
};

}  // namespace

std::string edit_id(std::string_view stage, std::size_t index) {
  std::string id(stage);
  id.push_back('-');
  id.append(std::to_string(index + 1));
  return id;
}

ReviewOutcome apply_review(const Result& result, const std::set<std::string>& rejected) {
  ReviewOutcome out;
  std::set<std::string> known;
  for (const auto& run : result.stages)
    for (std::size_t k = 0; k < run.edits.size(); ++k) known.insert(edit_id(run.label(), k));
  for (const auto& id : rejected)
    if (!known.count(id)) out.unknown.push_back(id);
  if (result.stages.empty()) {
    out.text = result.text;
    return out;
  }
  if (result.stages.front().input.empty() && !result.text.empty())
    throw Error("reviewing a run needs its stage inputs (RunOptions::keep_stage_inputs)");

  std::string a_text = result.stages.front().input;
  std::size_t f_length = a_text.size();
  std::vector<Piece> pieces;
  if (f_length > 0) pieces.push_back({0, f_length, 0, f_length, true});
  for (const auto& run : result.stages) {
    StageReplay replay(pieces, a_text);
    std::size_t next_length = f_length;
    for (std::size_t k = 0; k < run.edits.size(); ++k) {
      const Edit& e = run.edits[k];
      if (e.kind != EditKind::kChange) continue;
      next_length = next_length + e.replacement.size() - (e.end - e.begin);
      const std::string id = edit_id(run.label(), k);
      const bool accepted = !rejected.count(id);
      const bool skip = accepted && replay.conflicts(e);
      if (skip) out.skipped.push_back(id);
      replay.copy_to(e.begin);
      if (accepted && !skip) {
        replay.accept(e);
      } else {
        replay.diverge(e);
      }
    }
    replay.finish(f_length, pieces, a_text);
    f_length = next_length;
  }
  out.text = result.crlf ? restore_crlf(a_text) : std::move(a_text);
  return out;
}

Rejections parse_rejections(std::string_view text) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {  // a syntax error, a number out of range (1e400)
    throw Error(std::string("not a rejected-edits file (JSON): ") + e.what());
  }
  if (!j.is_object() || !j.contains("copydesk_rejected"))
    throw Error("not a rejected-edits file: no \"copydesk_rejected\" key (export it from the report page)");
  if (j["copydesk_rejected"] == 1)
    throw Error(
        "rejected-edits file of an older report (version 1, without the text and configuration hashes): "
        "make the report again and export the rejections from it");
  if (j["copydesk_rejected"] != 2)
    throw Error("rejected-edits file: unsupported version (expected \"copydesk_rejected\": 2)");
  auto hash_field = [](const nlohmann::json& object, const char* key, const std::string& where) {
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string() || it->get_ref<const std::string&>().size() != 64)
      throw Error("rejected-edits file: " + where + " has no \"" + key + "\" hash");
    return it->get<std::string>();
  };
  Rejections out;
  out.config = hash_field(j, "config", "the file");
  const auto docs = j.find("documents");
  if (docs == j.end() || !docs->is_object()) throw Error("rejected-edits file: \"documents\" must be an object");
  for (const auto& [path, entry] : docs->items()) {
    const std::string where = "documents[\"" + path + "\"]";
    if (!entry.is_object()) throw Error("rejected-edits file: " + where + " must be an object");
    DocumentRejections& doc = out.documents[path];
    doc.input_hash = hash_field(entry, "input", where);
    const auto ids = entry.find("rejected");
    if (ids == entry.end() || !ids->is_array())
      throw Error("rejected-edits file: " + where + "[\"rejected\"] must be an array of edit ids");
    for (const auto& id : *ids) {
      if (!id.is_string()) throw Error("rejected-edits file: " + where + " holds a non-string id");
      doc.ids.insert(id.get<std::string>());
    }
  }
  return out;
}

void merge_rejections(Rejections& into, Rejections more) {
  if (into.config.empty()) into.config = more.config;
  if (into.config != more.config)
    throw Error("the rejected-edits files were made with different configurations: give the files of one report");
  for (auto& [path, doc] : more.documents) {
    if (into.documents.count(path)) throw Error("rejected-edits files: document '" + path + "' is in more than one");
    into.documents.emplace(path, std::move(doc));
  }
}

const DocumentRejections* rejections_for(const Rejections& rejections, std::string_view path) {
  if (const auto it = rejections.documents.find(std::string(path)); it != rejections.documents.end())
    return &it->second;
  namespace fs = std::filesystem;
  const std::string name = fs::path(std::string(path)).filename().string();
  const DocumentRejections* found = nullptr;
  for (const auto& [doc, entry] : rejections.documents) {
    if (fs::path(doc).filename().string() != name) continue;
    if (found)
      throw Error("rejected-edits file: several documents are named '" + name + "'; give the path as in the report");
    found = &entry;
  }
  return found;
}

namespace {

class Sha256 {
 public:
  Sha256() : ctx_(EVP_MD_CTX_new()) {
    if (!ctx_ || EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr) != 1) throw Error("SHA-256: cannot initialise");
  }
  ~Sha256() { EVP_MD_CTX_free(ctx_); }
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void add(std::string_view bytes) { EVP_DigestUpdate(ctx_, bytes.data(), bytes.size()); }
  // Length-prefixed, so that ("ab", "c") and ("a", "bc") differ.
  void add_field(std::string_view bytes) {
    add(std::to_string(bytes.size()));
    add(":");
    add(bytes);
  }
  std::string hex() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_DigestFinal_ex(ctx_, digest, &n);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < n; ++i) {
      out.push_back(kHex[digest[i] >> 4]);
      out.push_back(kHex[digest[i] & 15]);
    }
    return out;
  }

 private:
  EVP_MD_CTX* ctx_;
};

// The file's bytes, or "" with `ok` false when it cannot be read.
std::string slurp(const std::filesystem::path& path, bool& ok) {
  std::ifstream in(path, std::ios::binary);
  ok = static_cast<bool>(in);
  if (!ok) return {};
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::string content_hash(std::string_view bytes) {
  Sha256 sha;
  sha.add(bytes);
  return sha.hex();
}

std::string config_fingerprint(std::string_view version, const std::vector<std::string>& stages,
                               const ResourcePaths& paths) {
  namespace fs = std::filesystem;
  Sha256 sha;
  sha.add_field("copydesk-config-1");
  sha.add_field(version);
  for (const auto& stage : stages) sha.add_field(stage);
  sha.add_field("data");
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::directory_iterator it(paths.dictionaries, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".txt") files.push_back(it->path());
  std::sort(files.begin(), files.end());
  bool ok = false;
  for (const auto& file : files) {
    sha.add_field(file.filename().string());
    sha.add_field(slurp(file, ok));
  }
  for (const char* name : {"en_US.aff", "en_US.dic", "en_GB.aff", "en_GB.dic"}) {
    sha.add_field(name);
    sha.add_field(slurp(fs::path(paths.hunspell) / name, ok));
  }
  for (const auto& file : paths.extra_names) {
    sha.add_field("names");
    const std::string text = slurp(file, ok);
    if (!ok) throw Error("cannot read names file " + file);
    sha.add_field(text);
  }
  return sha.hex();
}

}  // namespace copydesk
