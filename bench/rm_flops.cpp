#include "rm_flops.h"

namespace rd::bench {

double pairScoringFlops(const model::VlmConfig& c, int promptTokens) {
    const double C = c.vision.hidden, N = c.vision.patchTokens() + 1, M = c.vision.mlpHidden;
    const double p = c.vision.patchSize;
    // Per image: patch embedding, then per layer qkv + proj + MLP + attention (QK^T and AV).
    const double patch = 2.0 * (N - 1) * 3 * p * p * C;
    const double layer = 2.0 * N * (3 * C * C + C * C + 2 * C * M) + 2.0 * 2 * N * N * C;
    const double projector = 2.0 * c.tokensPerTile() *
                             (c.projectorInput() * c.lm.hidden + double(c.lm.hidden) * c.lm.hidden);
    const double image = patch + layer * c.visionLayersUsed() + projector;

    const model::LmConfig& l = c.lm;
    const double d = l.hidden, T = promptTokens, q = double(l.heads) * l.headDim,
                 kv = double(l.kvHeads) * l.headDim;
    const double projections = 2.0 * T * (d * q + 2 * d * kv);            // q/k/v of every token
    const double afterAttention = 2.0 * (q * d + 3 * d * l.intermediate); // per token
    const double lmLayer = projections + T * afterAttention +
                           2.0 * 2 * T * T * q; // scores and mixing over every query head
    // The last layer runs attention, the output projection and the MLP at the answer position
    // only (the engine's readAt): the work it really does, not the reference's.
    const double lastLayer = projections + afterAttention + 2.0 * 2 * T * q;
    const double head = 2.0 * d * l.vocabSize; // logits at the answer position only
    return 2 * image + lmLayer * (l.layers - 1) + lastLayer + head;
}

} // namespace rd::bench
