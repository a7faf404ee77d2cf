// Builds the ShapeWorld demo workspace (what `rdance demo` makes) from the studio, with a progress
// dialog that can cancel: offered on the first run and under File > Create demo workspace.
// The build runs on a worker thread; the window stays responsive.
#pragma once

#include <QString>

#include <filesystem>

class QWidget;

namespace rd::ui {

// The default place: <Documents>/RewardDance/demo-workspace.
std::filesystem::path defaultDemoFolder();

// True when the workspace was built; false when cancelled or failed (`error` says why; empty
// when cancelled). A cancelled or failed build leaves no folder behind.
bool buildDemoWorkspace(QWidget* parent, const std::filesystem::path& folder, QString* error);

} // namespace rd::ui
