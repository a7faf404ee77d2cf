#include "reward/answer_scores.h"

#include <torch/torch.h>

namespace rd::reward {

std::vector<RewardScore> answerScores(RewardModel& rm, const at::Tensor& lastHidden) {
    std::vector<RewardScore> scores(static_cast<size_t>(lastHidden.size(0)));
    if (rm.spec().paradigm == Paradigm::PointwiseRegressive) {
        const at::Tensor values = rm.head()->forward(lastHidden).squeeze(-1).to(torch::kCPU);
        for (size_t i = 0; i < scores.size(); ++i)
            scores[i].reward = values[static_cast<int64_t>(i)].item<double>();
        return scores;
    }
    const at::Tensor probabilities =
        torch::softmax(rm.vlm()->logits(lastHidden).to(torch::kFloat32), -1).to(torch::kCPU);
    for (size_t i = 0; i < scores.size(); ++i) {
        RewardScore& s = scores[i];
        s.pYes = probabilities[static_cast<int64_t>(i)][rm.yesId()].item<double>();
        s.pNo = probabilities[static_cast<int64_t>(i)][rm.noId()].item<double>();
        s.pYesRenormalized = s.pYes + s.pNo > 0 ? s.pYes / (s.pYes + s.pNo) : 0.5;
        s.reward = s.pYes; // Eq. 2: r = P("yes")
    }
    return scores;
}

std::string generateRationale(RewardModel& rm, const text::EncodedPrompt& prompt,
                              const std::vector<at::Tensor>& tiles, int maxNewTokens) {
    c10::InferenceMode inference; // no autograd bookkeeping at all: cheaper than NoGradGuard
    auto& vlm = rm.vlm();
    model::KvCache cache = vlm->newCache();
    const at::Tensor features = vlm->encodeImages(torch::cat(tiles));
    const at::Tensor ids =
        torch::tensor(std::vector<int64_t>(prompt.ids.begin(), prompt.ids.end()), torch::kLong)
            .unsqueeze(0)
            .to(rm.device());
    at::Tensor hidden = vlm->forward(ids, features.reshape({1, -1, features.size(-1)}),
                                     rm.imageContextId(), &cache);
    std::vector<int32_t> generated;
    for (int step = 0; step < maxNewTokens; ++step) {
        // Model vocabularies may be padded beyond the tokenizer's: never pick such an id.
        const int64_t next = vlm->logits(hidden.select(1, hidden.size(1) - 1))
                                 .slice(-1, 0, rm.tokenizer().vocabSize())
                                 .argmax(-1)
                                 .item<int64_t>();
        if (next == rm.endOfTurnId())
            break;
        generated.push_back(static_cast<int32_t>(next));
        hidden = vlm->forward(torch::full({1, 1}, next, torch::kLong).to(rm.device()), {},
                              rm.imageContextId(), &cache);
    }
    return rm.tokenizer().decode(generated, text::SkipSpecial::Yes);
}

} // namespace rd::reward
