#include "commands.h"
#include "common/atomic_file.h"
#include "common/file_checks.h"
#include "eval/table_writer.h"
#include "store/export_views.h"
#include "store/workspace.h"

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

namespace rd::cli {

void addExportCommand(CLI::App& app) {
    struct Options {
        std::string workspace, what, format = "csv", out;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("export", "Export pairs, RM judgments, GSB judgments or "
                                                 "metrics as CSV, JSON Lines, Markdown or LaTeX");
    cmd->add_option("WS", o->workspace, "Workspace folder")->required();
    cmd->add_option("--what", o->what, "pairs, rm, gsb or metrics")->required();
    cmd->add_option("--format", o->format, "csv, jsonl, json, md or tex (default csv)");
    cmd->add_option("--out", o->out, "Output file, written atomically (default: stdout)");
    cmd->callback([o] {
        const store::ExportView view = store::parseExportView(o->what);
        const eval::TableFormat format = eval::parseTableFormat(o->format);
        if (!o->out.empty())
            requireWritableFilePath(o->out);
        auto ws = store::Workspace::openReadOnly(o->workspace);
        const Table table = store::exportTable(*ws, view);
        if (o->out.empty()) {
            eval::writeTable(table, format, std::cout);
            return;
        }
        writeFileAtomically(o->out,
                            [&](std::ostream& out) { eval::writeTable(table, format, out); });
    });
}

} // namespace rd::cli
