// The vision-language model behind every reward model here (InternVL2's layout): a vision
// encoder, pixel shuffle + MLP projector (`mlp1`), and a decoder LM whose embeddings at the
// <IMG_CONTEXT> positions are replaced by the image features, in order.
//
// Usage:
//   VisionLanguageModel vlm(presetConfig("rd-s"));
//   at::Tensor features = vlm->encodeImages(pixels);          // [N, tokensPerTile, d]
//   at::Tensor hidden = vlm->forward(ids, features.view({B, -1, d}), imageContextId, &cache);
//   at::Tensor logits = vlm->logits(hidden);
#pragma once

#include "model/decoder_lm.h"
#include "model/model_config.h"
#include "model/vision_encoder.h"

#include <torch/nn/modules/container/sequential.h>

namespace rd::model {

class VisionLanguageModelImpl : public torch::nn::Module {
public:
    explicit VisionLanguageModelImpl(const VlmConfig& config);

    // pixels [N, 3, S, S] (normalised tiles or frames) -> [N, tokensPerTile, lm.hidden].
    at::Tensor encodeImages(const at::Tensor& pixels);

    // ids [B, T]; imageFeatures [B, K, d] with K = the number of imageContextId tokens in each
    // row (the same for every row), or undefined for text only. Returns the final hidden
    // states [B, T, d], or with readAt ([B] positions) only those: [B, 1, d], cheaper.
    at::Tensor forward(const at::Tensor& ids, const at::Tensor& imageFeatures,
                       int64_t imageContextId, KvCache* cache, const at::Tensor& readAt = {});
    at::Tensor logits(const at::Tensor& hidden) { return m_language->logits(hidden); }

    KvCache newCache() const { return KvCache(m_config.lm.layers); }
    const VlmConfig& config() const { return m_config; }
    DecoderLm language() { return m_language; }

private:
    VlmConfig m_config;
    VisionEncoder m_vision{nullptr};
    torch::nn::Sequential m_projector{nullptr};
    DecoderLm m_language{nullptr};
};
TORCH_MODULE(VisionLanguageModel);

} // namespace rd::model
