// Workflow definitions (case kinds) read from JSON files in config/workflows and validated at
// start-up (core::ValidateWorkflow): a bad file stops start-up with a message naming the file and
// the bad state, transition or clock. The registry is immutable once built; share it freely.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "huiyin/common/result.h"
#include "huiyin/core/workflow.h"

namespace huiyin::app {

// Parses one workflow definition (see config/workflows/appeal.json for the format).
Result<core::WorkflowDef> ParseWorkflow(std::string_view json_text, std::string_view origin);

class WorkflowRegistry {
 public:
  // Loads every *.json of `dir`; kInvalidArgument naming the file on any error; at least one.
  static Result<std::shared_ptr<const WorkflowRegistry>> LoadDir(const std::filesystem::path& dir);
  // From parsed definitions (tests).
  static Result<std::shared_ptr<const WorkflowRegistry>> FromDefs(
      std::vector<core::WorkflowDef> defs);

  // The definition of `kind`, or null.
  const core::WorkflowDef* Find(std::string_view kind) const;
  // The definition whose case number prefix is `prefix`, or null.
  const core::WorkflowDef* FindByPrefix(std::string_view prefix) const;
  const std::map<std::string, core::WorkflowDef, std::less<>>& all() const { return defs_; }
  // The JSON text a definition was read from (served at /api/v1/workflows/{kind}).
  const std::string& Source(std::string_view kind) const;

 private:
  std::map<std::string, core::WorkflowDef, std::less<>> defs_;
  std::map<std::string, std::string, std::less<>> sources_;
};

}  // namespace huiyin::app
