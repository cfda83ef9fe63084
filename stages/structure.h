// The structure stage: puts block elements that scraping glued onto a
// paragraph back on their own lines, and repairs table separator rows. It runs
// before the sentences stage, so that a glued heading is not mistaken for a
// glued sentence.
//
// Rules:
//   glued-heading    "...below!The Growing Divide" -> "...below!\nThe Growing Divide": a
//                    sentence end directly followed by a capital, when the rest of the line is
//                    short (<= 12 words), has no sentence end inside and does not end in '.'.
//   glued-table      "...the next decade.| Key | Details |" -> the table row on its own line.
//   table-separator  "|————|——–|" -> "|------------|---|": any dash-like character becomes
//                    '-', at least three per cell; a valid row is left alone.
//
// Known limits: a glued last sentence of a paragraph that also lost its final
// period ("...economies.The UNECE warned of trouble") has the shape of a
// heading and is split onto its own line; the word-level text is the same
// either way. Single-letter abbreviations ("U.S.On") and a short list of title
// abbreviations ("Mr.Smith") are never split.
#pragma once

#include "pipeline/resources.h"
#include "pipeline/stage.h"

namespace copydesk {

class StructureStage : public Stage {
 public:
  explicit StructureStage(Resources& resources);
  std::string_view name() const override { return "structure"; }
  std::string_view description() const override;
  std::vector<RuleInfo> rules() const override;
  void propose(std::string_view text, std::vector<Edit>& out) override;

 private:
  void glued_table(std::string_view text, std::size_t begin, std::size_t end, std::vector<Edit>& out) const;
  bool glued_heading(std::string_view text, std::size_t begin, std::size_t end, std::vector<Edit>& out) const;
  bool table_separator(std::string_view text, std::size_t begin, std::size_t end, std::vector<Edit>& out);

  std::string row_;  // reused buffer for a rewritten separator row
};

}  // namespace copydesk
