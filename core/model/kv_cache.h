// Keys and values of the tokens a decoder has already seen, per layer, so the next tokens are
// computed without recomputing the prefix. Prefix sharing (one reference, N candidates) runs the
// shared prefix once and expands its cache to the batch.
#pragma once

#include <ATen/core/Tensor.h>

#include <vector>

namespace rd::model {

struct KvCache {
    std::vector<at::Tensor> keys; // per layer [B, kvHeads, S, headDim]
    std::vector<at::Tensor> values;

    explicit KvCache(int layers = 0) : keys(layers), values(layers) {}
    int64_t length() const { return keys.empty() || !keys[0].defined() ? 0 : keys[0].size(2); }
    int64_t batch() const { return keys.empty() || !keys[0].defined() ? 0 : keys[0].size(0); }
    // A cache for `batch` sequences that all start with this (batch-1) cache's tokens.
    KvCache expandedTo(int64_t batch) const;
};

} // namespace rd::model
