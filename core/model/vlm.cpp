#include "model/vlm.h"

#include "common/error.h"
#include "model/parameter_shapes.h"

#include <torch/torch.h>

#include <cmath>
#include <cstdio>
#include <unistd.h>

namespace rd::model {

namespace {

// A config whose float32 weights alone exceed the machine's memory is refused before LibTorch
// tries to allocate them (which ends in an allocator backtrace, or the OOM killer).
void requireFitsInMemory(const VlmConfig& config) {
    double parameters = 0.0;
    for (const auto& [name, shape] : parameterShapes(config)) {
        double elements = 1.0;
        for (const std::int64_t size : shape)
            elements *= static_cast<double>(size);
        parameters += elements;
    }
    const double needed = parameters * sizeof(float);
    const double available = static_cast<double>(::sysconf(_SC_PHYS_PAGES)) *
                             static_cast<double>(::sysconf(_SC_PAGESIZE));
    if (available > 0 && needed > available) {
        constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
        char message[160];
        std::snprintf(message, sizeof message,
                      "%.3g parameters need %.1f GiB as float32, more than this machine's "
                      "%.1f GiB of memory",
                      parameters, needed / kGiB, available / kGiB);
        throw Error(ErrorKind::InvalidArgument, "model config '" + config.name + "': " + message);
    }
}

} // namespace

VisionLanguageModelImpl::VisionLanguageModelImpl(const VlmConfig& config) : m_config(config) {
    validate(config);
    requireFitsInMemory(config);
    m_vision =
        register_module("vision_model", VisionEncoder(config.vision, config.visionLayersUsed()));
    const int64_t in = config.projectorInput(), d = config.lm.hidden;
    // Indices 0, 1, 3 hold parameters, as in the checkpoints' mlp1.0 / mlp1.1 / mlp1.3.
    m_projector = register_module(
        "mlp1", torch::nn::Sequential(
                    torch::nn::LayerNorm(torch::nn::LayerNormOptions({in}).eps(1e-5)),
                    torch::nn::Linear(in, d), torch::nn::GELU(), torch::nn::Linear(d, d)));
    m_language = register_module("language_model", DecoderLm(config.lm));
}

at::Tensor VisionLanguageModelImpl::encodeImages(const at::Tensor& pixels) {
    at::Tensor x = m_vision(pixels);
    x = x.slice(1, 1); // drop the class token
    const int64_t n = x.size(0), side = std::lround(std::sqrt(static_cast<double>(x.size(1))));
    x = pixelShuffle(x.reshape({n, side, side, -1}), m_config.downsampleRatio);
    x = x.reshape({n, -1, x.size(-1)});
    return m_projector->forward(x);
}

at::Tensor VisionLanguageModelImpl::forward(const at::Tensor& ids, const at::Tensor& imageFeatures,
                                            int64_t imageContextId, KvCache* cache,
                                            const at::Tensor& readAt) {
    at::Tensor embeds = m_language->embed(ids);
    if (imageFeatures.defined() && imageFeatures.numel() > 0) {
        const at::Tensor slots = ids.eq(imageContextId);
        const int64_t slotCount = slots.sum().item<int64_t>();
        const int64_t featureCount = imageFeatures.size(0) * imageFeatures.size(1);
        if (slotCount != featureCount)
            throw Error(ErrorKind::InvalidArgument, "the prompt has " + std::to_string(slotCount) +
                                                        " <IMG_CONTEXT> tokens but " +
                                                        std::to_string(featureCount) +
                                                        " image features were given");
        // masked_scatter fills the slots in row-major order: row b takes features[b] in order.
        embeds = embeds.masked_scatter(slots.unsqueeze(-1),
                                       imageFeatures.to(embeds.scalar_type()).reshape({-1}));
    }
    if (cache && cache->keys.size() != static_cast<size_t>(m_config.lm.layers))
        *cache = newCache();
    return m_language->forward(embeds, cache, readAt);
}

} // namespace rd::model
