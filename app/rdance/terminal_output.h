// People at a terminal. rdance writes JSON lines on stdout for programs (the studio, scripts);
// when stdout is a terminal and --json was not given, the same lines are shown the way a person
// reads them: progress events as one updating line (a bar, the rate, the time left, the loss),
// other one-line events as "done: checkpoint models/rm, steps 400, ...", results as aligned
// text and tables (result_text.h), and everything else as written. A pipe, a file or --json get the
// JSON lines unchanged.
//
// Usage (main):
//   auto terminal = TerminalOutput::installIfTerminal(jsonRequested);
//   ... run the command, printing as usual ...
//   if (terminal) terminal->endLine();   // before an error message on stderr
#pragma once

#include <memory>
#include <streambuf>

namespace rd::cli {

class TerminalOutput {
public:
    // nullptr (and std::cout untouched) unless stdout is a terminal and json is false.
    static std::unique_ptr<TerminalOutput> installIfTerminal(bool json);
    ~TerminalOutput(); // ends the progress line and gives std::cout its own buffer back
    TerminalOutput(const TerminalOutput&) = delete;
    TerminalOutput& operator=(const TerminalOutput&) = delete;

    // Ends a progress line in place, so what follows (an error on stderr) starts a line.
    void endLine();
    // Whether one is installed: results are then written for a person (cli_output.h).
    static bool active();

private:
    class LineView;
    TerminalOutput();

    std::unique_ptr<LineView> m_view;
    std::streambuf* m_original = nullptr;
};

} // namespace rd::cli
