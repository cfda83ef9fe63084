#include "pipeline/report.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "pipeline/error.h"
#include "pipeline/io.h"
#include "pipeline/report_template.h"
#include "pipeline/review.h"

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

void ReportWriter::add(std::string_view path, std::string_view original, const Result& result) {
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
  Summary summary{std::string(path), 0, 0};
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

void ReportWriter::finish_dir(const std::string& dir) const {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(fs::path(dir) / "docs", ec);
  if (ec) throw Error("--report " + dir + ": " + ec.message());
  std::string index =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
      "<title>copydesk review: index</title>\n<style>\n"
      "body { font: 14px/1.45 system-ui, sans-serif; margin: 20px; color: #1d1d1f; }\n"
      "table { border-collapse: collapse; } td, th { padding: 2px 12px 2px 0; text-align: left; }\n"
      "td.num, th.num { text-align: right; } tr:hover { background: #f5f5f7; }\n"
      "</style>\n</head>\n<body>\n<h1>copydesk review</h1>\n<p>" +
      html_escape(generator_) + " &middot; " + std::to_string(summaries_.size()) +
      " documents, one page each. Each page exports its own rejected ids; give them all to "
      "<code>copydesk apply --reject A.json --reject B.json &hellip;</code>.</p>\n"
      "<table>\n<tr><th class=\"num\">#</th><th>document</th><th class=\"num\">changes</th>"
      "<th class=\"num\">flags</th></tr>\n";
  for (std::size_t i = 0; i < documents_.size(); ++i) {
    const Summary& s = summaries_[i];
    std::string page;
    page.append(kReportHead)
        .append("<script type=\"application/json\" id=\"copydesk-data\">")
        .append(report_data_json(generator_, config_hash_, {documents_[i]}, "../index.html"))
        .append("</script>\n")
        .append(kReportTail);
    write_file_atomic((fs::path(dir) / "docs" / page_name(i)).string(), page);
    index += "<tr><td class=\"num\">" + std::to_string(i + 1) + "</td><td><a href=\"docs/" + page_name(i) + "\">" +
             html_escape(s.path) + "</a></td><td class=\"num\">" + std::to_string(s.changes) +
             "</td><td class=\"num\">" + std::to_string(s.flags) + "</td></tr>\n";
  }
  index += "</table>\n</body>\n</html>\n";
  write_file_atomic((fs::path(dir) / "index.html").string(), index);
}

}  // namespace copydesk
