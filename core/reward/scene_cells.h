// Dense targets for the grounding stage (internal to RM training): what each image token's cell
// of the frame holds. After pixel shuffle an rd image is a side x side grid of tokens in row-major
// order, each standing for one cell of the frame (16 px at 64 px; ShapeWorld images are square
// and fill their one tile). A linear probe on each token predicts the colour and the shape of
// the object centred in its cell ("none" for an empty cell) and the cell's row and column. Every
// token gets a target at every step, where a caption or a yes/no question gives the image a
// sparse signal through the LM: the kind of dense supervision InternViT had before InternVL
// (detection data), which a from-scratch backbone lacks. Measured effect: docs/RM_TRAINING.md.
#pragma once

#include "synth/alignment_judge.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <filesystem>
#include <vector>

namespace rd::reward {

// Per cell (row-major, side x side): 0 for none, else 1 + the index in synth::kColors /
// synth::kShapes of the object centred in the cell (the largest, when several are).
struct CellTargets {
    std::vector<int64_t> color;
    std::vector<int64_t> shape;
};
CellTargets sceneCellTargets(const std::vector<synth::ObservedObject>& objects, int side);

// The probe: one linear layer from an image token to the logits of its cell's colour, shape,
// row and column. For training only; it is not part of the saved reward model.
class CellProbe {
public:
    CellProbe(int64_t tokenWidth, int side, c10::Device device);

    std::vector<at::Tensor> parameters() const;
    // tokens [N, side * side, width] (VisionLanguageModel::encodeImages), one CellTargets per
    // image: the mean of the four cross-entropies over the cells.
    at::Tensor loss(const at::Tensor& tokens, const std::vector<const CellTargets*>& targets) const;
    // Over the cells that hold an object: (cells whose colour and shape are both right, cells).
    std::pair<int, int> objectCellHits(const at::Tensor& tokens,
                                       const std::vector<const CellTargets*>& targets) const;

    // The weights, for a resumable run's state.
    void save(const std::filesystem::path& file) const;
    void load(const std::filesystem::path& file);

private:
    // The logits of the four heads over all cells [N x cells, classes]: colour, shape, row,
    // column.
    std::vector<at::Tensor> heads(const at::Tensor& tokens) const;

    int m_side;
    at::Tensor m_weight; // [classes, width]
    at::Tensor m_bias;   // [classes]
};

} // namespace rd::reward
