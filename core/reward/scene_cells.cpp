#include "reward/scene_cells.h"

#include "common/error.h"
#include "synth/vocabulary.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace rd::reward {

namespace {

constexpr int64_t kColorClasses = 1 + static_cast<int64_t>(synth::kColors.size());
constexpr int64_t kShapeClasses = 1 + static_cast<int64_t>(synth::kShapes.size());

template <typename Array, typename Value> int64_t classOf(const Array& values, Value v) {
    const auto it = std::find(values.begin(), values.end(), v);
    if (it == values.end())
        throw Error(ErrorKind::Internal, "an object of a kind outside the ShapeWorld vocabulary");
    return 1 + static_cast<int64_t>(it - values.begin());
}

at::Tensor stacked(const std::vector<const CellTargets*>& targets, bool color) {
    std::vector<int64_t> all;
    for (const CellTargets* t : targets) {
        const std::vector<int64_t>& v = color ? t->color : t->shape;
        all.insert(all.end(), v.begin(), v.end());
    }
    return torch::tensor(all, torch::kLong);
}

} // namespace

CellTargets sceneCellTargets(const std::vector<synth::ObservedObject>& objects, int side) {
    const size_t cells = static_cast<size_t>(side) * static_cast<size_t>(side);
    CellTargets t{std::vector<int64_t>(cells, 0), std::vector<int64_t>(cells, 0)};
    std::vector<double> radius(cells, -1.0);
    const auto band = [side](double v) {
        return std::clamp(static_cast<int>(std::floor(v * side)), 0, side - 1);
    };
    for (const synth::ObservedObject& o : objects) {
        const size_t cell = static_cast<size_t>(band(o.y) * side + band(o.x));
        if (o.radius <= radius[cell])
            continue;
        radius[cell] = o.radius;
        t.color[cell] = classOf(synth::kColors, o.color);
        t.shape[cell] = classOf(synth::kShapes, o.shape);
    }
    return t;
}

CellProbe::CellProbe(int64_t tokenWidth, int side, c10::Device device) : m_side(side) {
    const int64_t classes = kColorClasses + kShapeClasses + 2 * side;
    // torch::nn::Linear's initialisation: uniform within 1/sqrt(fan_in).
    const double bound = 1.0 / std::sqrt(static_cast<double>(tokenWidth));
    m_weight = (torch::rand({classes, tokenWidth}) * 2 - 1).mul_(bound).to(device);
    m_bias = (torch::rand({classes}) * 2 - 1).mul_(bound).to(device);
    m_weight.set_requires_grad(true);
    m_bias.set_requires_grad(true);
}

std::vector<at::Tensor> CellProbe::parameters() const {
    return {m_weight, m_bias};
}

std::vector<at::Tensor> CellProbe::heads(const at::Tensor& tokens) const {
    if (tokens.dim() != 3 || tokens.size(1) != int64_t(m_side) * m_side)
        throw Error(ErrorKind::Internal, "the cell probe expects " +
                                             std::to_string(m_side * m_side) + " tokens per image");
    return torch::nn::functional::linear(tokens, m_weight, m_bias)
        .reshape({-1, m_weight.size(0)})
        .split_with_sizes({kColorClasses, kShapeClasses, m_side, m_side}, 1);
}

at::Tensor CellProbe::loss(const at::Tensor& tokens,
                           const std::vector<const CellTargets*>& targets) const {
    const std::vector<at::Tensor> parts = heads(tokens);
    const c10::Device device = tokens.device();
    const int64_t cells = tokens.size(0) * tokens.size(1);
    // Row and column of each cell, in the row-major order of the tokens.
    const at::Tensor index = torch::arange(cells, torch::kLong).remainder(m_side * m_side);
    const at::Tensor rows = index.div(m_side, "floor").to(device);
    const at::Tensor columns = index.remainder(m_side).to(device);
    namespace F = torch::nn::functional;
    return (F::cross_entropy(parts[0], stacked(targets, true).to(device)) +
            F::cross_entropy(parts[1], stacked(targets, false).to(device)) +
            F::cross_entropy(parts[2], rows) + F::cross_entropy(parts[3], columns)) /
           4.0;
}

std::pair<int, int>
CellProbe::objectCellHits(const at::Tensor& tokens,
                          const std::vector<const CellTargets*>& targets) const {
    const std::vector<at::Tensor> parts = heads(tokens);
    const at::Tensor color = stacked(targets, true);
    const at::Tensor shape = stacked(targets, false);
    const at::Tensor occupied = color.gt(0);
    const at::Tensor right =
        parts[0].argmax(1).cpu().eq(color) & parts[1].argmax(1).cpu().eq(shape);
    return {(right & occupied).sum().item<int>(), occupied.sum().item<int>()};
}

void CellProbe::save(const std::filesystem::path& file) const {
    torch::save(std::vector<at::Tensor>{m_weight, m_bias}, file.string());
}

void CellProbe::load(const std::filesystem::path& file) {
    std::vector<at::Tensor> saved;
    torch::load(saved, file.string());
    if (saved.size() != 2 || !saved[0].sizes().equals(m_weight.sizes()) ||
        !saved[1].sizes().equals(m_bias.sizes()))
        throw Error(ErrorKind::InvalidArgument,
                    file.string() + ": not the cell probe of this model and grid");
    torch::NoGradGuard noGrad;
    m_weight.copy_(saved[0]);
    m_bias.copy_(saved[1]);
}

} // namespace rd::reward
