#include "compute/process_setup.h"

#include <cstdlib>
#include <unistd.h>

namespace rd::compute {

namespace {
constexpr const char* kVariable = "OMP_WAIT_POLICY";
}

void preferPassiveOpenMpWaiting(char** argv) {
    if (std::getenv(kVariable) != nullptr)
        return;
    ::setenv(kVariable, "passive", 1);
    ::execv("/proc/self/exe", argv);
    // exec failed (no /proc): go on with the runtime's default policy.
}

const char* openMpWaitPolicy() {
    const char* value = std::getenv(kVariable);
    return value ? value : "default";
}

} // namespace rd::compute
