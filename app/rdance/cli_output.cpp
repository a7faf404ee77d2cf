#include "cli_output.h"

#include "result_text.h"
#include "terminal_output.h"

#include <iostream>

namespace rd::cli {

void printJson(const nlohmann::json& object) {
    std::cout << object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
}

void printJsonPretty(const nlohmann::json& object) {
    if (TerminalOutput::active())
        std::cout << resultText(object) << std::flush; // a person reads it
    else
        std::cout << object.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                  << std::endl;
}

} // namespace rd::cli
