#include "reward/training_rows.h"

#include "common/error.h"
#include "reward/reward_model.h"
#include "text/chat_template.h"
#include "text/image_tokens.h"
#include "text/prompt_encoder.h"

#include <torch/torch.h>

namespace rd::reward {

RowBuilder::RowBuilder(const RewardModel& rm) : m_rm(rm) {
    // As RewardModel resolves "yes": the tokens after a rendered assistant header.
    m_headerText = text::renderChat(rm.chatFormat(), "", "x");
    m_header = rm.tokenizer().encode(m_headerText, text::AddSpecial::Yes);
}

std::vector<int64_t> RowBuilder::answerTokens(const std::string& answer) const {
    const auto all = m_rm.tokenizer().encode(m_headerText + answer, text::AddSpecial::Yes);
    if (all.size() <= m_header.size() || !std::equal(m_header.begin(), m_header.end(), all.begin()))
        throw Error(ErrorKind::InvalidArgument, "cannot tokenize the answer '" + answer + "'");
    return {all.begin() + static_cast<long>(m_header.size()), all.end()};
}

TrainingRow RowBuilder::rewardPrompt(const std::string& generationPrompt,
                                     const std::vector<store::RowId>& images) const {
    TrainingRow row;
    const text::EncodedPrompt p =
        m_rm.encodePrompt(generationPrompt, std::vector<int>(images.size(), 1));
    row.ids.assign(p.ids.begin(), p.ids.end());
    row.images = images;
    row.answerPosition = static_cast<int64_t>(row.ids.size()) - 1;
    return row;
}

TrainingRow RowBuilder::imageQuestion(const std::string& question,
                                      const std::vector<store::RowId>& images,
                                      bool questionFirst) const {
    TrainingRow row;
    const int count = static_cast<int>(images.size());
    const std::string user = questionFirst ? question + "\n" + text::imagesPrefix(count)
                                           : text::imagesPrefix(count) + question;
    const std::string textPrompt = text::renderChat(m_rm.chatFormat(), "", user);
    const text::EncodedPrompt p =
        text::encodeWithImages(m_rm.tokenizer(), textPrompt, std::vector<int>(images.size(), 1),
                               text::AddSpecial::Yes, m_rm.vlm()->config().tokensPerTile());
    row.ids.assign(p.ids.begin(), p.ids.end());
    row.images = images;
    row.answerPosition = static_cast<int64_t>(row.ids.size()) - 1;
    return row;
}

void RowBuilder::appendAnswer(TrainingRow& row, const std::string& answer,
                              float firstTokenWeight) const {
    std::vector<int64_t> tokens = answerTokens(answer);
    tokens.push_back(m_rm.endOfTurnId());
    if (tokens.front() == m_rm.yesId())
        row.decision = 1;
    else if (tokens.front() == m_rm.noId())
        row.decision = 0;
    for (size_t i = 0; i < tokens.size(); ++i) {
        row.targetPositions.push_back(static_cast<int64_t>(row.ids.size()) - 1);
        row.targetWeights.push_back(i == 0 ? firstTokenWeight : 1.0f);
        row.ids.push_back(tokens[i]);
    }
}

CollatedRows collateRows(int64_t padId, const std::vector<TrainingRow>& rows,
                         const std::map<store::RowId, at::Tensor>& images) {
    if (rows.empty())
        throw Error(ErrorKind::InvalidArgument, "no rows to run");
    const auto b = static_cast<int64_t>(rows.size());
    size_t longest = 0;
    for (const TrainingRow& r : rows) {
        longest = std::max(longest, r.ids.size());
        if (r.images.size() != rows.front().images.size())
            throw Error(ErrorKind::InvalidArgument, "rows of one batch need the same image count");
    }
    CollatedRows c;
    // Right padding: harmless to a causal LM, each row is read at its own positions.
    c.ids = torch::full({b, static_cast<int64_t>(longest)}, padId, torch::kLong);
    // Each distinct image is encoded once (a pair's images serve both orders, a grounding
    // image its caption and its questions); rows then gather their features.
    std::vector<at::Tensor> pixels;
    std::map<store::RowId, int64_t> slotOf;
    std::vector<int64_t> imageSlots, flatTargets, targetTokens, answerIndex;
    std::vector<float> weights;
    for (int64_t i = 0; i < b; ++i) {
        const TrainingRow& r = rows[static_cast<size_t>(i)];
        c.ids[i]
            .slice(0, 0, static_cast<int64_t>(r.ids.size()))
            .copy_(torch::tensor(r.ids, torch::kLong));
        for (store::RowId m : r.images) {
            auto [it, added] = slotOf.emplace(m, static_cast<int64_t>(pixels.size()));
            if (added) {
                pixels.push_back(images.at(m));
                c.imageIds.push_back(m);
                if (pixels.back().size(0) != 1)
                    throw Error(ErrorKind::Unsupported, "training reads one tile per image");
            }
            imageSlots.push_back(it->second);
        }
        for (size_t j = 0; j < r.targetPositions.size(); ++j) {
            const int64_t t = r.targetPositions[j];
            flatTargets.push_back(i * static_cast<int64_t>(longest) + t);
            targetTokens.push_back(r.ids[static_cast<size_t>(t + 1)]);
            weights.push_back(r.targetWeights[j]);
        }
        answerIndex.push_back(i * static_cast<int64_t>(longest) + r.answerPosition);
    }
    c.pixels = torch::cat(pixels);
    c.imageSlots = torch::tensor(imageSlots, torch::kLong);
    c.answerIndex = torch::tensor(answerIndex, torch::kLong);
    c.targetIndex = torch::tensor(flatTargets, torch::kLong);
    c.targets = torch::tensor(targetTokens, torch::kLong);
    c.targetWeights = torch::tensor(weights, torch::kFloat32);
    return c;
}

std::int64_t decisionTargets(const BatchOutput& out, std::int64_t yesId, std::int64_t noId) {
    if (!out.targets.defined())
        return 0;
    return (out.targets == yesId).logical_or(out.targets == noId).sum().item<std::int64_t>();
}

BatchOutput runRows(RewardModel& rm, const std::vector<TrainingRow>& rows,
                    const std::map<store::RowId, at::Tensor>& images) {
    const CollatedRows c = collateRows(rm.endOfTurnId(), rows, images);
    const int64_t b = c.ids.size(0);
    auto& vlm = rm.vlm();
    const c10::Device device = rm.device();
    const at::Tensor unique = vlm->encodeImages(c.pixels.to(device));
    const at::Tensor features = unique.index_select(0, c.imageSlots.to(device));
    BatchOutput out;
    out.imageTokens = unique;
    out.imageIds = c.imageIds;
    out.hidden = vlm->forward(c.ids.to(device), features.reshape({b, -1, features.size(-1)}),
                              rm.imageContextId(), nullptr);
    const at::Tensor flat = out.hidden.reshape({-1, out.hidden.size(-1)});
    out.answerHidden = flat.index_select(0, c.answerIndex.to(device));
    if (c.targetIndex.numel() > 0) {
        out.targetLogits = vlm->logits(flat.index_select(0, c.targetIndex.to(device)));
        out.targets = c.targets.to(device);
        out.targetWeights = c.targetWeights.to(device);
    }
    return out;
}

} // namespace rd::reward
