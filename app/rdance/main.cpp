// rdance: the headless front door to the RewardDance engine.
// Exit codes: 0 ok, 1 user error (message on stderr), 2 internal error.
#include "commands.h"
#include "common/error.h"
#include "compute/process_setup.h"
#include "terminal_output.h"

#include <CLI/CLI.hpp>

#include <iostream>
#include <string>

int main(int argc, char** argv) {
    rd::compute::preferPassiveOpenMpWaiting(argv); // before LibTorch starts a thread
    CLI::App app{"rdance: RewardDance Studio's command line (workspaces, import/export, "
                 "reward models, benchmarks)"};
    app.require_subcommand(1);
    // --json anywhere on the line (subcommands pass options they do not know up to here).
    app.fallthrough();
    bool json = false;
    app.add_flag("--json", json,
                 "JSON lines on stdout even at a terminal (a pipe or a file always gets them)");
    for (int i = 1; i < argc; ++i)
        json = json || std::string(argv[i]) == "--json";
    const auto terminal = rd::cli::TerminalOutput::installIfTerminal(json);
    rd::cli::addWorkspaceCommands(app);
    rd::cli::addImportCommand(app);
    rd::cli::addExportCommand(app);
    rd::cli::addMediaCommands(app);
    rd::cli::addBenchCommands(app);
    rd::cli::addSynthCommands(app);
    rd::cli::addTextCommands(app);
    rd::cli::addRmCommands(app);
    rd::cli::addGsbCommands(app);
    rd::cli::addResultsCommand(app);
    rd::cli::addGenCommands(app);
    rd::cli::addReflCommands(app);
    rd::cli::addFieldsCommand(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : 1;
    } catch (const rd::Error& e) {
        if (terminal)
            terminal->endLine();
        std::cerr << "rdance: " << e.what() << "\n";
        return e.kind() == rd::ErrorKind::Internal ? 2 : 1;
    } catch (const std::exception& e) {
        if (terminal)
            terminal->endLine();
        std::cerr << "rdance: internal error: " << e.what() << "\n";
        return 2;
    }
    return 0;
}
