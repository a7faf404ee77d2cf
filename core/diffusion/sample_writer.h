// Samples of a generator stored in a workspace as that generator's generations: PNG files under
// media/generated/<generator>/, then the media and generation rows in one transaction (a
// failure stores no row; files already written are reused by their hash on a retry).
//
// Usage:
//   SampleWriteReport r = writeSamples(*ws, *gen, prompts, {"gen-s", 4, {30, ...}, 1});
#pragma once

#include "diffusion/guided_sampling.h"
#include "store/records.h"

#include <functional>
#include <string>
#include <vector>

namespace rd::store {
class Workspace;
}

namespace rd::diffusion {

class TextToImage;

struct SampleWriteOptions {
    std::string generator; // the name the generations are stored under
    int perPrompt = 1;
    SampleOptions sampling;
    std::uint64_t seed = 1; // image j of prompt p uses seed + perPrompt * (index of p) + j
    int batch = 32;
};

struct SampleWriteReport {
    int images = 0;
    int mediaAdded = 0;
    int generationsAdded = 0;
};

SampleWriteReport writeSamples(store::Workspace& ws, TextToImage& generator,
                               const std::vector<store::PromptRecord>& prompts,
                               const SampleWriteOptions& options,
                               const std::function<void(int, int)>& progress = {});

} // namespace rd::diffusion
