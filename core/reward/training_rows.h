// Token rows for training (internal to RM training and evaluation): a prompt with its images,
// optionally followed by an answer whose tokens are the prediction targets, and the collation
// of rows into one padded batch and its forward pass.
#pragma once

#include "store/records.h"

#include <ATen/core/Tensor.h>

#include <map>
#include <string>
#include <vector>

namespace rd::reward {

class RewardModel;
struct PairDataset;

struct TrainingRow {
    std::vector<int64_t> ids;
    std::vector<store::RowId> images; // media ids in prompt order (one tile each)
    // Positions t whose logits predict ids[t + 1], with the weight of that target.
    std::vector<int64_t> targetPositions;
    std::vector<float> targetWeights;
    int64_t answerPosition = 0; // the prompt's last token: its logits give P("yes")
    int decision = -1;          // 1 yes, 0 no, -1: the decision is not the first answer token
};

// Builds rows for one model: the RM prompt of its paradigm, or a free single-image question.
class RowBuilder {
public:
    explicit RowBuilder(const RewardModel& rm);

    // The RM prompt (RewardModel::encodePrompt) for these images.
    TrainingRow rewardPrompt(const std::string& generationPrompt,
                             const std::vector<store::RowId>& images) const;
    // A user turn "<image>\n<question>" with no system message (the grounding stage); with two
    // images, "Image-1: <image>\nImage-2: <image>\n<question>" as the pairwise RM prompt has them.
    // questionFirst puts the question before the images: "<question>\n<image>\n".
    TrainingRow imageQuestion(const std::string& question, const std::vector<store::RowId>& images,
                              bool questionFirst = false) const;
    // Appends the answer and the end-of-turn token as targets; the first answer token gets
    // firstTokenWeight (the decision token of a decision-first answer).
    void appendAnswer(TrainingRow& row, const std::string& answer, float firstTokenWeight) const;
    // The answer's tokens as they follow the assistant header.
    std::vector<int64_t> answerTokens(const std::string& answer) const;

private:
    const RewardModel& m_rm;
    std::vector<int32_t> m_header;
    std::string m_headerText;
};

// Rows padded into a batch and run through the VLM.
struct BatchOutput {
    at::Tensor hidden;        // [B, T, d] final-norm hidden states
    at::Tensor answerHidden;  // [B, d] at each row's answer position
    at::Tensor targetLogits;  // [N, V] at all target positions (rows in order), if any
    at::Tensor targets;       // [N]
    at::Tensor targetWeights; // [N]
    at::Tensor imageTokens;   // [U, tokensPerTile, d] each distinct image's projected tokens
    std::vector<store::RowId> imageIds; // the media of imageTokens, in order
};

// Rows padded into one batch (CPU tensors): ids [B, T] padded with padId, the distinct images
// [U, 3, S, S] and each row's image slots into them [B x images], the flat indices (b x T + t)
// of the answer positions [B] and of the target positions [N] with their tokens and weights.
struct CollatedRows {
    at::Tensor ids, pixels, imageSlots, answerIndex, targetIndex, targets, targetWeights;
    std::vector<store::RowId> imageIds; // the media of pixels, in order
};
CollatedRows collateRows(int64_t padId, const std::vector<TrainingRow>& rows,
                         const std::map<store::RowId, at::Tensor>& images);

// How many of the batch's target tokens are "yes" or "no": the share of the loss a run spends on
// bare decisions (reported by the grounding stage's validation).
std::int64_t decisionTargets(const BatchOutput& out, std::int64_t yesId, std::int64_t noId);

// Every row must hold the same number of images. Images come from the dataset's cache.
BatchOutput runRows(RewardModel& rm, const std::vector<TrainingRow>& rows,
                    const std::map<store::RowId, at::Tensor>& images);

} // namespace rd::reward
