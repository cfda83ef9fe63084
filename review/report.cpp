#include "review/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "pipeline/error.h"
#include "pipeline/io.h"
#include "pipeline/review.h"
#include "review/report_template.h"

namespace copydesk {

namespace {

// JSON never has '<', '>' or '&' outside strings, so escaping every one of
// them keeps the JSON valid and the HTML parser blind to "</script>" and
// "<!--"; U+2028 and U+2029 (only ever inside strings) are escaped too, for
// any consumer that reads the block as JavaScript.
std::string escape_for_script(const std::string& json) {
  std::string out;
  out.reserve(json.size() + json.size() / 50);
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    switch (c) {
      case '<':
        out.append("\\u003c");
        break;
      case '>':
        out.append("\\u003e");
        break;
      case '&':
        out.append("\\u0026");
        break;
      case '\xE2':
        if (i + 2 < json.size() && json[i + 1] == '\x80' && (json[i + 2] == '\xA8' || json[i + 2] == '\xA9')) {
          out.append(json[i + 2] == '\xA8' ? "\\u2028" : "\\u2029");
          i += 2;
          break;
        }
        out.push_back(c);
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

std::string html_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out.append("&lt;");
        break;
      case '>':
        out.append("&gt;");
        break;
      case '&':
        out.append("&amp;");
        break;
      case '"':
        out.append("&quot;");
        break;
      case '\'':
        out.append("&#39;");
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string page_name(std::size_t i) {
  char name[32];
  std::snprintf(name, sizeof name, "%05zu.html", i + 1);
  return name;
}

}  // namespace

ReportWriter::ReportWriter(std::string generator, std::string config_hash)
    : generator_(std::move(generator)), config_hash_(std::move(config_hash)) {}

std::vector<std::size_t> report_worst_sentences(const DocumentQuality& q) {
  std::vector<std::size_t> order;
  std::size_t counted = 0;
  for (std::size_t i = 0; i < q.sentences.size(); ++i) {
    if (q.sentences[i].heading) continue;
    ++counted;
    if (quality_band(q.sentences[i].score) != "good") order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return q.sentences[a].score < q.sentences[b].score; });
  const std::size_t most = std::min<std::size_t>(3, std::max<std::size_t>(1, (counted + 4) / 5));
  if (order.size() > most) order.resize(most);
  return order;
}

void ReportWriter::add(std::string_view path, std::string_view original, const Result& result,
                       const DocumentQuality* quality) {
  if (!result.stages.empty() && result.stages.front().input.empty() && !result.text.empty())
    throw Error("the report needs the stage inputs (RunOptions::keep_stage_inputs)");
  std::vector<std::size_t> newlines;  // the original's, for each edit's line
  for (std::size_t i = 0; i < original.size(); ++i)
    if (original[i] == '\n') newlines.push_back(i);
  auto line_of = [&](std::size_t pos) {
    return static_cast<std::size_t>(std::lower_bound(newlines.begin(), newlines.end(), pos) - newlines.begin()) + 1;
  };
  // Edits as arrays [begin, end, replacement, rule, reason, kind, before, line]
  // keep the page small; offsets are UTF-8 byte offsets into that stage's
  // input, which the page rebuilds from "input" by applying the stages' edits
  // in order; line is the line of the original input (as in the change log).
  Summary summary;
  summary.path = std::string(path);
  auto stages = nlohmann::json::array();
  for (const auto& run : result.stages) {
    auto edits = nlohmann::json::array();
    for (std::size_t k = 0; k < run.edits.size(); ++k) {
      const Edit& e = run.edits[k];
      const bool change = e.kind == EditKind::kChange;
      ++(change ? summary.changes : summary.flags);
      const std::size_t line = k < run.original.size() ? line_of(run.original[k].begin) : 0;
      edits.push_back({e.begin, e.end, e.replacement, e.rule, e.reason, change ? 0 : 1,
                       run.input.substr(e.begin, e.end - e.begin), line});
    }
    stages.push_back({{"name", run.label()}, {"edits", std::move(edits)}});
  }
  // With no stage the text is the input as read (CRLF kept), shown as it is.
  const bool no_stages = result.stages.empty();
  nlohmann::json doc = {{"path", path},
                        {"hash", content_hash(original)},
                        {"crlf", result.crlf && !no_stages},
                        {"lossy", result.input_edits.size()},
                        {"input", no_stages ? result.text : result.stages.front().input},
                        {"stages", std::move(stages)}};
  if (quality) {
    // The sentence offsets are in the run's text; the page works on it with
    // LF line endings (CRLF is restored only on export).
    std::vector<std::size_t> crs;
    if (result.crlf)
      for (std::size_t i = 0; i + 1 < result.text.size(); ++i)
        if (result.text[i] == '\r' && result.text[i + 1] == '\n') crs.push_back(i);
    auto lf = [&](std::size_t pos) {
      return pos - static_cast<std::size_t>(std::lower_bound(crs.begin(), crs.end(), pos) - crs.begin());
    };
    auto reasons = nlohmann::json::array();
    for (const auto& r : quality->reasons) {
      for (std::size_t i = 0; i < kSignalCount; ++i) {
        if (quality_signal_name(i) == r) {
          reasons.push_back({r, quality_signal_phrase(i)});
          if (!summary.reasons.empty()) summary.reasons += "; ";
          summary.reasons += quality_signal_phrase(i);
        }
      }
    }
    auto worst = nlohmann::json::array();
    for (const std::size_t i : report_worst_sentences(*quality)) {
      const auto& s = quality->sentences[i];
      worst.push_back({lf(s.begin), lf(s.end), std::round(s.score * 10.0) / 10.0});
    }
    doc["quality"] = {{"score", quality->score},
                      {"band", quality->band},
                      {"reasons", std::move(reasons)},
                      {"worst", std::move(worst)}};
    summary.score = quality->score;
    summary.band = quality->band;
  }
  documents_.push_back(dump(doc));
  summaries_.push_back(std::move(summary));
}

std::string report_data_json(std::string_view generator, std::string_view config_hash,
                             const std::vector<std::string>& documents, std::string_view index) {
  std::string json = "{\"copydesk_report\":2,\"generator\":" + dump(nlohmann::json(generator)) +
                     ",\"config\":" + dump(nlohmann::json(config_hash));
  if (!index.empty()) json += ",\"index\":" + dump(nlohmann::json(index));
  json += ",\"documents\":[";
  for (std::size_t i = 0; i < documents.size(); ++i) {
    if (i > 0) json.push_back(',');
    json.append(documents[i]);
  }
  json.append("]}");
  return escape_for_script(json);
}

std::size_t ReportWriter::data_size() const {
  std::size_t n = 0;
  for (const auto& d : documents_) n += d.size() + 1;
  return n;
}

void ReportWriter::finish(std::ostream& out) const {
  out << kReportHead << "<script type=\"application/json\" id=\"copydesk-data\">"
      << report_data_json(generator_, config_hash_, documents_) << "</script>\n"
      << kReportTail;
}

std::string ReportWriter::index_page(const std::vector<std::size_t>& order, bool by_score) const {
  const bool scored = !summaries_.empty() && summaries_.front().score >= 0;
  std::string index =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
      "<title>copydesk review: index</title>\n<style>\n"
      "body { font: 14px/1.45 system-ui, sans-serif; margin: 20px; color: #1d1d1f; }\n"
      "table { border-collapse: collapse; } td, th { padding: 2px 12px 2px 0; text-align: left; }\n"
      "td.num, th.num { text-align: right; } tr:hover { background: #f5f5f7; }\n"
      ".qbadge { display: inline-block; min-width: 3.2em; text-align: center; border-radius: 9px; padding: 0 6px; "
      "font-size: 12.5px; }\n"
      ".good { background: #d3f9d8; color: #2b5d34; } .fair { background: #fff3bf; color: #7a5a00; } "
      ".poor { background: #ffe3e3; color: #8a1c14; }\n"
      "</style>\n</head>\n<body>\n<h1>copydesk review</h1>\n<p>" +
      html_escape(generator_) + " &middot; " + std::to_string(summaries_.size()) +
      " documents, one page each. Each page exports its own rejected ids; give them all to "
      "<code>copydesk apply --reject A.json --reject B.json &hellip;</code>.</p>\n";
  if (scored) {
    index += by_score ? "<p id=\"sort\">Sorted by quality score, lowest first &middot; <a href=\"index.html\">in run "
                        "order</a></p>\n"
                      : "<p id=\"sort\">In run order &middot; <a href=\"index-by-score.html\">sorted by quality "
                        "score, lowest first</a></p>\n";
  }
  index += "<table>\n<tr><th class=\"num\">#</th><th>document</th>";
  if (scored) index += "<th class=\"num\">quality</th>";
  index += "<th class=\"num\">changes</th><th class=\"num\">flags</th></tr>\n";
  for (const std::size_t i : order) {
    const Summary& s = summaries_[i];
    index += "<tr><td class=\"num\">" + std::to_string(i + 1) + "</td><td><a href=\"docs/" + page_name(i) + "\">" +
             html_escape(s.path) + "</a></td>";
    if (scored) {
      char score[32];
      std::snprintf(score, sizeof score, "%.1f", s.score);
      index += "<td class=\"num\"><span class=\"qbadge " + html_escape(s.band) + "\" title=\"" + html_escape(s.band) +
               (s.reasons.empty() ? std::string() : ": " + html_escape(s.reasons)) + "\">" + score + "</span></td>";
    }
    index += "<td class=\"num\">" + std::to_string(s.changes) + "</td><td class=\"num\">" + std::to_string(s.flags) +
             "</td></tr>\n";
  }
  index += "</table>\n</body>\n</html>\n";
  return index;
}

void ReportWriter::finish_dir(const std::string& dir) const {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(fs::path(dir) / "docs", ec);
  if (ec) throw Error("--report " + dir + ": " + ec.message());
  for (std::size_t i = 0; i < documents_.size(); ++i) {
    std::string page;
    page.append(kReportHead)
        .append("<script type=\"application/json\" id=\"copydesk-data\">")
        .append(report_data_json(generator_, config_hash_, {documents_[i]}, "../index.html"))
        .append("</script>\n")
        .append(kReportTail);
    write_file_atomic((fs::path(dir) / "docs" / page_name(i)).string(), page);
  }
  std::vector<std::size_t> order(summaries_.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  write_file_atomic((fs::path(dir) / "index.html").string(), index_page(order, false));
  if (!summaries_.empty() && summaries_.front().score >= 0) {
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return summaries_[a].score < summaries_[b].score; });
    write_file_atomic((fs::path(dir) / "index-by-score.html").string(), index_page(order, true));
  }
}

}  // namespace copydesk
