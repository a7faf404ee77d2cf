#include "cancel_signal.h"

#include <atomic>
#include <csignal>

namespace rd::cli {

namespace {

std::atomic<bool> g_cancel{false};

extern "C" void onCancelSignal(int signal) {
    if (g_cancel.exchange(true)) { // asked twice: stop waiting for the step to end
        std::signal(signal, SIG_DFL);
        std::raise(signal);
    }
}

} // namespace

void installCancelHandler() {
    std::signal(SIGTERM, onCancelSignal);
    std::signal(SIGINT, onCancelSignal);
}

bool cancelRequested() {
    return g_cancel.load();
}

} // namespace rd::cli
