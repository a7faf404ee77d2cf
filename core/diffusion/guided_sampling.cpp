#include "diffusion/guided_sampling.h"

#include <torch/torch.h>

namespace rd::diffusion {

at::Tensor nullPromptTokens(const GeneratorConfig& config, int64_t batch, int64_t length,
                            c10::Device device) {
    at::Tensor tokens = torch::full({batch, std::max<int64_t>(length, 1)}, config.padToken(),
                                    torch::TensorOptions(torch::kLong).device(device));
    tokens.select(1, 0).fill_(config.nullToken());
    return tokens;
}

VelocityFn guidedVelocity(FlowGenerator& net, const at::Tensor& tokens, double guidance) {
    const int64_t b = tokens.size(0);
    if (guidance == 1.0) {
        const PromptEncoding prompt = net->encodePrompts(tokens);
        return [net, prompt](const at::Tensor& x, const at::Tensor& t) mutable {
            return net->velocity(x, t, prompt);
        };
    }
    const PromptEncoding both = PromptEncoding::concat(
        net->encodePrompts(tokens),
        net->encodePrompts(nullPromptTokens(net->config(), b, tokens.size(1), tokens.device())));
    return [net, both, guidance, b](const at::Tensor& x, const at::Tensor& t) mutable {
        const at::Tensor v = net->velocity(torch::cat({x, x}), torch::cat({t, t}), both);
        return guide(v.slice(0, 0, b), v.slice(0, b), guidance);
    };
}

at::Tensor sampleImages(FlowGenerator& net, const at::Tensor& tokens, const at::Tensor& noise,
                        const SampleOptions& options) {
    torch::NoGradGuard noGrad;
    const VelocityFn velocity = guidedVelocity(net, tokens, options.guidance);
    return integrate(velocity, noise, timeGrid(options.steps), options.sampler).clamp(-1.0, 1.0);
}

} // namespace rd::diffusion
