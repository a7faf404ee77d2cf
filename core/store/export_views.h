// Read-only views of the workspace as flat tables, for `rdance export` and the studio's results.
#pragma once

#include "common/table.h"

#include <string>

namespace rd::store {

class Workspace;

enum class ExportView { Pairs = 1, RmJudgments, GsbJudgments, Metrics };

// "pairs", "rm", "gsb", "metrics"; throws rd::Error(InvalidArgument) for anything else.
ExportView parseExportView(const std::string& name);

Table exportTable(Workspace& workspace, ExportView view);

} // namespace rd::store
