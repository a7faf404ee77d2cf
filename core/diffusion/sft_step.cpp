#include "diffusion/sft_step.h"

#include "diffusion/flow_matching.h"
#include "diffusion/sft_data.h"
#include "diffusion/text_to_image.h"
#include "jobs/unit_stream.h"

#include <torch/torch.h>

namespace rd::diffusion {

at::Tensor sftBatchLoss(TextToImage& generator, const SftData& data, jobs::UnitStream& stream,
                        std::uint64_t step, const SftBatch& batch) {
    std::vector<std::string> prompts;
    std::vector<at::Tensor> images;
    for (int i = 0; i < batch.size; ++i) {
        const std::uint64_t position = step * static_cast<std::uint64_t>(batch.size) + i;
        const std::uint64_t draw = jobs::mixSeed(batch.seed ^ jobs::mixSeed(position));
        SftExample example = data.example(stream.at(position), draw);
        const bool dropped = jobs::unitInterval(draw) < batch.cfgDropout;
        prompts.push_back(dropped ? std::string() : example.prompt);
        images.push_back(example.image);
    }
    torch::manual_seed(jobs::mixSeed(batch.seed * 7919 + step));
    const at::Tensor x0 = torch::stack(images);
    const at::Tensor noise = torch::randn_like(x0); // drawn before the times: one fixed order
    const at::Tensor t = sampleTimes(x0.size(0), batch.timeSampling, x0);
    FlowGenerator& net = generator.net();
    const PromptEncoding prompt = net->encodePrompts(generator.tokenize(prompts));
    return flowMatchingLoss(
        [&](const at::Tensor& x, const at::Tensor& tt) { return net->velocity(x, tt, prompt); }, x0,
        noise, t);
}

} // namespace rd::diffusion
