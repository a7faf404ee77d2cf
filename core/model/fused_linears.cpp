#include "model/fused_linears.h"

#include <torch/torch.h>

namespace rd::model {

namespace {

std::pair<const void*, int64_t> stampOf(const at::Tensor& t) {
    if (!t.defined())
        return {nullptr, 0};
    // Inference tensors keep no version counter; their storage address still tells a swap.
    return {t.data_ptr(), t.is_inference() ? 0 : t._version()};
}

} // namespace

FusedLinears::FusedLinears(std::vector<torch::nn::Linear> parts) : m_parts(std::move(parts)) {
    int64_t elements = 0;
    for (const torch::nn::Linear& p : m_parts) {
        m_widths.push_back(p->options.out_features());
        elements += p->options.in_features() * p->options.out_features();
    }
    m_fuse = elements <= kMaxFusedElements;
}

std::vector<std::pair<const void*, int64_t>> FusedLinears::sourceStamp() const {
    std::vector<std::pair<const void*, int64_t>> stamp;
    for (const torch::nn::Linear& p : m_parts) {
        stamp.push_back(stampOf(p->weight));
        stamp.push_back(stampOf(p->bias));
    }
    return stamp;
}

void FusedLinears::rebuildIfStale() {
    auto stamp = sourceStamp();
    if (m_weight.defined() && stamp == m_stamp)
        return;
    torch::NoGradGuard noGrad;
    std::vector<at::Tensor> weights, biases;
    for (const torch::nn::Linear& p : m_parts) {
        weights.push_back(p->weight);
        if (p->bias.defined())
            biases.push_back(p->bias);
    }
    m_weight = torch::cat(weights).contiguous();
    // Biases are all present or all absent (one module's options); mixed would be a bug.
    m_bias = biases.size() == m_parts.size() ? torch::cat(biases) : at::Tensor();
    m_stamp = std::move(stamp);
}

std::vector<at::Tensor> FusedLinears::forward(const at::Tensor& x) {
    if (!m_fuse || (torch::GradMode::is_enabled() && weightsLearn())) {
        std::vector<at::Tensor> out;
        for (torch::nn::Linear& p : m_parts)
            out.push_back(p->forward(x));
        return out;
    }
    // Gradients still reach x through the fused product (a frozen RM scoring ReFL's images);
    // only the weights, which need none, are a detached copy.
    at::Tensor weight, bias;
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        rebuildIfStale();
        weight = m_weight;
        bias = m_bias;
    }
    return torch::nn::functional::linear(x, weight, bias).split_with_sizes(m_widths, -1);
}

bool FusedLinears::weightsLearn() const {
    for (const torch::nn::Linear& p : m_parts)
        if (p->weight.requires_grad() || (p->bias.defined() && p->bias.requires_grad()))
            return true;
    return false;
}

} // namespace rd::model
