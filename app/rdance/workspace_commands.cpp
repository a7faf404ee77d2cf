#include "cli_output.h"
#include "commands.h"
#include "store/workspace.h"

#include <CLI/CLI.hpp>

#include <memory>

namespace rd::cli {

void addWorkspaceCommands(CLI::App& app) {
    auto folder = std::make_shared<std::string>();

    CLI::App* init = app.add_subcommand("init", "Create an empty workspace folder");
    init->add_option("WS", *folder, "Workspace folder to create")->required();
    init->callback([folder] {
        auto ws = store::Workspace::create(*folder);
        printJson({{"workspace", ws->folder().string()}, {"schema_version", ws->schemaVersion()}});
    });

    CLI::App* info = app.add_subcommand("info", "Print the row count of every table as JSON");
    info->add_option("WS", *folder, "Workspace folder")->required();
    info->callback([folder] {
        auto ws = store::Workspace::openReadOnly(*folder);
        nlohmann::json counts = nlohmann::json::object();
        for (const auto& [table, count] : ws->counts())
            counts[table] = count;
        printJsonPretty({{"workspace", ws->folder().string()},
                         {"schema_version", ws->schemaVersion()},
                         {"counts", counts}});
    });
}

} // namespace rd::cli
