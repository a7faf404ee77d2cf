// SIGTERM and SIGINT ask a running `rdance` job to cancel: the training loops see it at the end of
// their current step, save their resumable state, mark the run cancelled and exit (how the
// studio's Train view cancels a job; Ctrl+C in a terminal does the same). A second signal
// while the first is pending ends the process at once, the default way.
#pragma once

namespace rd::cli {

void installCancelHandler();
bool cancelRequested();

} // namespace rd::cli
