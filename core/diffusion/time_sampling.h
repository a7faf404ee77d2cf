// How generator training draws t: uniform on (0, 1), or logit-normal (sigmoid of a standard
// normal, SD3's choice: more weight on the middle of the path, where the prompt decides the
// layout). The names, listed once, are the SFT job spec's `time_sampling` words.
#pragma once

#include "jobs/enum_names.h"

namespace rd::diffusion {

enum class TimeSampling { Uniform = 1, LogitNormal };
inline constexpr jobs::EnumName<TimeSampling> kTimeSamplingNames[] = {
    {TimeSampling::Uniform, "uniform"}, {TimeSampling::LogitNormal, "logit_normal"}};

} // namespace rd::diffusion
