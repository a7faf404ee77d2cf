#include "refl/stored_references.h"

#include "common/error.h"
#include "diffusion/text_to_image.h"
#include "jobs/event_sink.h"
#include "model/checkpoint.h"
#include "model/safetensors_writer.h"
#include "refl/best_of_n.h"
#include "refl/image_reward.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

namespace rd::refl {
namespace fs = std::filesystem;

namespace {
constexpr const char* kReferencesFile = "references.safetensors";
}

at::Tensor storedReferences(const ReflSpec& spec, const fs::path& out, diffusion::TextToImage& sft,
                            ImageReward& reward, const std::vector<std::string>& prompts,
                            jobs::EventSink& sink) {
    const fs::path file = out / kReferencesFile;
    const std::string madeFrom = nlohmann::json{
        {"prompts", prompts},
        {"generator", spec.generator},
        {"reward_model", spec.rewardModel},
        {"references", jobs::nameOf(kReflReferencesNames, spec.references)},
        {"bon_candidates", spec.bonCandidates},
        {"bon_keep", spec.bonKeep},
        {"bon_steps", spec.bonSteps},
        {"guidance", spec.guidance},
        {"seed", spec.seed}}.dump();
    if (fs::exists(file)) {
        const auto checkpoint = model::Checkpoint::open(file);
        auto it = checkpoint.metadata().find("made_from");
        if (it == checkpoint.metadata().end() || it->second != madeFrom)
            throw Error(ErrorKind::InvalidArgument,
                        file.string() + ": references made for another spec; remove the file to "
                                        "compute them again");
        return checkpoint.load("images");
    }
    ReferenceOptions options;
    options.candidates = spec.bonCandidates;
    options.keep = spec.bonKeep;
    options.worst = spec.references == ReflReferences::Worst;
    options.sampling = {spec.bonSteps, diffusion::Sampler::Euler, spec.guidance};
    options.seed = spec.seed * 1000003ull;
    const ReferenceSet set =
        selectReferences(sft, reward, prompts, options, [&](int done, int total) {
            if (done % 16 == 0 || done == total)
                sink.event({{"event", "references"}, {"done", done}, {"total", total}});
        });
    model::writeSafetensors(file, {{"images", set.images.contiguous()}}, {{"made_from", madeFrom}});
    return set.images;
}

} // namespace rd::refl
