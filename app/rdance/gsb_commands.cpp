// `rdance gsb report WS [--study NAME]`: GSB results per study (core/label/gsb_report.h).
#include "cli_output.h"
#include "commands.h"
#include "label/gsb_report.h"
#include "store/gsb_repository.h"
#include "store/workspace.h"

#include <CLI/CLI.hpp>

#include <memory>

namespace rd::cli {

void addGsbCommands(CLI::App& app) {
    CLI::App* gsb = app.add_subcommand("gsb", "GSB studies: results and agreement");
    gsb->require_subcommand(1);
    struct Options {
        std::string workspace, study;
    };
    auto o = std::make_shared<Options>();
    CLI::App* report = gsb->add_subcommand(
        "report", "Per study: G/S/B counts, the score (G-B)/(G+S+B) with its 95% bootstrap "
                  "interval over prompts, the sign test, honeypot accuracy per annotator and the "
                  "agreement between annotators (kappas, Krippendorff's alpha, Gwet's AC1)");
    report->add_option("WS", o->workspace, "Workspace folder")->required();
    report->add_option("--study", o->study, "One study (default: all)");
    report->callback([o] {
        auto ws = store::Workspace::open(o->workspace);
        if (!o->study.empty()) {
            printJsonPretty(label::gsbReport(*ws, o->study));
            return;
        }
        nlohmann::json all = nlohmann::json::array();
        for (const auto& study : ws->gsb().listStudies())
            all.push_back(label::gsbReport(*ws, study.name));
        printJsonPretty(all);
    });
}

} // namespace rd::cli
