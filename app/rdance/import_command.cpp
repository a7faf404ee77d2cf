#include "cli_output.h"
#include "commands.h"
#include "import_file.h"
#include "store/workspace.h"

#include <CLI/CLI.hpp>

#include <memory>

namespace rd::cli {

void addImportCommand(CLI::App& app) {
    struct Options {
        std::string workspace;
        importers::ImportRequest request;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand(
        "import", "Import a manifest (JSONL, CSV, ImageReward, HPDv2, Pick-a-Pic) or a folder "
                  "pair into a workspace, all rows or none");
    cmd->add_option("WS", o->workspace, "Workspace folder")->required();
    cmd->add_option("INPUT", o->request.input, "Manifest file or folder pair")->required();
    cmd->add_option("--format", o->request.format,
                    "jsonl, csv, folder-pair, imagereward, hpdv2 or pickapic (default: detect)");
    cmd->add_option("--media-root", o->request.mediaRoot,
                    "Folder relative media paths are resolved against (default: the manifest's)");
    cmd->add_flag("--copy-media", o->request.copyMedia,
                  "Copy media into the workspace's media/ folder");
    cmd->callback([o] {
        auto ws = store::Workspace::open(o->workspace);
        o->request.progress = [](std::int64_t rows) {
            printJson({{"event", "progress"}, {"phase", "import"}, {"rows", rows}});
            return true;
        };
        const store::ImportReport r = importers::importFile(*ws, o->request);
        printJson({{"event", "done"},
                   {"rows", r.rows},
                   {"prompts_added", r.promptsAdded},
                   {"media_added", r.mediaAdded},
                   {"media_reused", r.mediaReused},
                   {"generations_added", r.generationsAdded},
                   {"pairs_added", r.pairsAdded},
                   {"pairs_existing", r.pairsExisting}});
    });
}

} // namespace rd::cli
