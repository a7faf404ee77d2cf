// Linear layers that read the same input (q/k/v, gate/up), run as one GEMM when their weights
// take no gradient (scoring, or a frozen reward model inside ReFL).
// One wide matrix product is cheaper than several narrow ones on a CPU, most of all at the small
// presets' widths. The concatenated weight is built on first use and rebuilt whenever a source
// weight changes (a checkpoint load or optimizer step bumps its version; a move to another
// device gives it new storage). While the weights themselves take gradients (training), the
// layers run one by one, exactly as registered.
//
// Usage:
//   FusedLinears qkv({m_q, m_k, m_v});
//   std::vector<at::Tensor> parts = qkv.forward(h); // {q, k, v}, each [.., out_i]
#pragma once

#include <torch/nn/modules/linear.h>

#include <mutex>
#include <utility>
#include <vector>

namespace rd::model {

class FusedLinears {
public:
    // The fused copy doubles these weights' memory, so only groups up to this size are fused:
    // every small preset; the InternVL2 shapes, whose products are wide enough alone, are not.
    static constexpr int64_t kMaxFusedElements = int64_t{4} << 20;

    explicit FusedLinears(std::vector<torch::nn::Linear> parts);
    std::vector<at::Tensor> forward(const at::Tensor& x);

private:
    // (storage address, version) of every weight and bias the fused copy was built from.
    std::vector<std::pair<const void*, int64_t>> sourceStamp() const;
    bool weightsLearn() const;
    void rebuildIfStale();

    std::vector<torch::nn::Linear> m_parts;
    std::vector<int64_t> m_widths;
    bool m_fuse = true;
    std::mutex m_mutex; // scoring may share one model between threads
    at::Tensor m_weight, m_bias;
    std::vector<std::pair<const void*, int64_t>> m_stamp;
};

} // namespace rd::model
