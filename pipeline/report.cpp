#include "pipeline/report.h"

#include <nlohmann/json.hpp>

#include "pipeline/error.h"
#include "pipeline/report_template.h"

namespace copydesk {

namespace {

// JSON never has '<', '>' or '&' outside strings, so escaping every one of
// them keeps the JSON valid and the HTML parser blind to "</script>" and "<!--".
std::string escape_for_script(const std::string& json) {
  std::string out;
  out.reserve(json.size() + json.size() / 50);
  for (char c : json) {
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
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

}  // namespace

ReportWriter::ReportWriter(std::string generator) : generator_(std::move(generator)) {}

void ReportWriter::add(std::string_view path, const Result& result) {
  if (!result.stages.empty() && result.stages.front().input.empty() && !result.text.empty())
    throw Error("the report needs the stage inputs (RunOptions::keep_stage_inputs)");
  // Edits as arrays [begin, end, replacement, rule, reason, kind] keep the
  // page small; offsets are UTF-8 byte offsets into that stage's input, which
  // the page rebuilds from "input" by applying the stages' edits in order.
  auto stages = nlohmann::json::array();
  for (const auto& run : result.stages) {
    auto edits = nlohmann::json::array();
    for (const auto& e : run.edits)
      edits.push_back({e.begin, e.end, e.replacement, e.rule, e.reason, e.kind == EditKind::kChange ? 0 : 1});
    stages.push_back({{"name", run.stage}, {"edits", std::move(edits)}});
  }
  // With no stage the text is the input as read (CRLF kept), shown as it is.
  const bool no_stages = result.stages.empty();
  nlohmann::json doc = {{"path", path},
                        {"crlf", result.crlf && !no_stages},
                        {"lossy", result.input_edits.size()},
                        {"input", no_stages ? result.text : result.stages.front().input},
                        {"stages", std::move(stages)}};
  documents_.push_back(dump(doc));
}

std::string report_data_json(std::string_view generator, const std::vector<std::string>& documents) {
  std::string json = "{\"copydesk_report\":1,\"generator\":" + dump(nlohmann::json(generator)) + ",\"documents\":[";
  for (std::size_t i = 0; i < documents.size(); ++i) {
    if (i > 0) json.push_back(',');
    json.append(documents[i]);
  }
  json.append("]}");
  return escape_for_script(json);
}

void ReportWriter::finish(std::ostream& out) const {
  out << kReportHead << "<script type=\"application/json\" id=\"copydesk-data\">"
      << report_data_json(generator_, documents_) << "</script>\n"
      << kReportTail;
}

}  // namespace copydesk
