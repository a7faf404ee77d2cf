// What a process that runs LibTorch sets up before anything else.
//
// OpenMP threads that wait by spinning (libgomp's default) keep a core busy between parallel
// regions; with one busy neighbour on a two-core machine every LibTorch job then slows over 5x
// (test_rm_training: 53 s alone, over 300 s beside one busy process; 80 s with passive waiting).
// libgomp reads OMP_WAIT_POLICY once, when it is loaded, which is before main() runs: so a
// program that finds it unset sets it to passive and starts itself again.
//
// Usage (first line of main):
//   rd::compute::preferPassiveOpenMpWaiting(argv);
#pragma once

namespace rd::compute {

// Unless OMP_WAIT_POLICY is already set (by a user who wants otherwise), sets it to "passive"
// and re-executes the program with the same arguments. Returns only when no re-exec happened:
// the variable was set already, or exec failed (the program then runs with the default).
void preferPassiveOpenMpWaiting(char** argv);

// The wait policy in force for this process's OpenMP runtime ("passive", "active" or "default").
const char* openMpWaitPolicy();

} // namespace rd::compute
