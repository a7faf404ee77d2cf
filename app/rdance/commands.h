// Each rdance sub-command registers itself on the CLI11 app; its callback does the work and
// throws rd::Error on failure (main() turns that into a message and an exit code).
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace rd::cli {

void addWorkspaceCommands(CLI::App& app); // init, info
void addImportCommand(CLI::App& app);
void addExportCommand(CLI::App& app);
void addMediaCommands(CLI::App& app);  // media probe
void addBenchCommands(CLI::App& app);  // bench store
void addSynthCommands(CLI::App& app);  // demo, synth, oracle (ShapeWorld)
void addTextCommands(CLI::App& app);   // text encode, decode, info, train (tokenizers)
void addRmCommands(CLI::App& app);     // rm info, rm score (reward models)
void addRmJobCommands(CLI::App& rm);   // rm train, rm eval, rm judge (under "rm")
void addGsbCommands(CLI::App& app);    // gsb create|report
void addResultsCommand(CLI::App& app); // results
void addGenCommands(CLI::App& app);    // gen train, sample, eval, info (the generator)
void addReflCommands(CLI::App& app);   // refl, search (the generator with a reward model)
void addFieldsCommand(CLI::App& app);  // fields (a job spec's fields)

// The job commands' --help footer: the fields of "rm-train", "gen-train" or "refl", and where
// their meanings are written (doc).
std::string specFieldsFooter(const std::string& kind, const std::string& doc);

} // namespace rd::cli
