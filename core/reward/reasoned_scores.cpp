#include "reward/reasoned_scores.h"

#include "common/error.h"
#include "reward/reward_model.h"

#include <torch/torch.h>

#include <algorithm>
#include <map>

namespace rd::reward {

namespace {

bool endsWith(const std::vector<int32_t>& text, const std::vector<int32_t>& tail) {
    return text.size() >= tail.size() && std::equal(tail.rbegin(), tail.rend(), text.rbegin());
}

void readDecision(RewardModel& rm, const at::Tensor& logits, ReasonedScore& score) {
    const at::Tensor p = torch::softmax(logits.to(torch::kFloat32), -1).to(torch::kCPU);
    score.pYes = p[rm.reasonedYesId()].item<double>();
    score.pNo = p[rm.reasonedNoId()].item<double>();
    if (score.pYes + score.pNo > 0)
        score.pYesRenormalized = score.pYes / (score.pYes + score.pNo);
}

at::Tensor featuresOf(RewardModel& rm, const std::vector<const ReasoningRow*>& rows) {
    std::vector<at::Tensor> tiles;
    for (const ReasoningRow* r : rows)
        tiles.insert(tiles.end(), r->tiles.begin(), r->tiles.end());
    const at::Tensor f = rm.vlm()->encodeImages(torch::cat(tiles).to(rm.device()));
    return f.reshape({static_cast<int64_t>(rows.size()), -1, f.size(-1)});
}

// One batch of rows with equal prompt length and tile layout.
void reasonBatch(RewardModel& rm, const std::vector<const ReasoningRow*>& rows,
                 std::vector<ReasonedScore*>& out, int maxNewTokens) {
    auto& vlm = rm.vlm();
    const auto b = static_cast<int64_t>(rows.size());
    const auto length = static_cast<int64_t>(rows.front()->ids.size());
    at::Tensor ids = torch::empty({b, length}, torch::kLong);
    for (int64_t i = 0; i < b; ++i)
        ids[i].copy_(torch::tensor(rows[static_cast<size_t>(i)]->ids, torch::kLong));
    model::KvCache cache = vlm->newCache();
    at::Tensor hidden =
        vlm->forward(ids.to(rm.device()), featuresOf(rm, rows), rm.imageContextId(), &cache,
                     torch::full({b}, length - 1, torch::kLong).to(rm.device()));
    const std::vector<int32_t>& marker = rm.answerMarker();
    std::vector<std::vector<int32_t>> written(static_cast<size_t>(b));
    std::vector<bool> done(static_cast<size_t>(b)), marked(static_cast<size_t>(b));
    for (int step = 0; step <= maxNewTokens; ++step) {
        const at::Tensor logits = vlm->logits(hidden.select(1, hidden.size(1) - 1));
        for (size_t i = 0; i < done.size(); ++i)
            if (!done[i] && marked[i]) {
                readDecision(rm, logits[static_cast<int64_t>(i)], *out[i]);
                out[i]->answered = true;
                done[i] = true;
            }
        if (step == maxNewTokens || std::all_of(done.begin(), done.end(), [](bool d) { return d; }))
            break;
        // Model vocabularies may be padded beyond the tokenizer's: never pick such an id.
        const at::Tensor next =
            logits.slice(-1, 0, rm.tokenizer().vocabSize()).argmax(-1).to(torch::kCPU);
        for (size_t i = 0; i < done.size(); ++i) {
            const auto token = static_cast<int32_t>(next[static_cast<int64_t>(i)].item<int64_t>());
            if (done[i])
                continue;
            if (token == rm.endOfTurnId()) {
                done[i] = true; // stopped without deciding: read after an appended marker
                continue;
            }
            written[i].push_back(token);
            marked[i] = endsWith(written[i], marker);
        }
        hidden = vlm->forward(next.unsqueeze(1).to(rm.device()), {}, rm.imageContextId(), &cache);
    }
    for (size_t i = 0; i < written.size(); ++i) {
        std::vector<int32_t> rationale = written[i];
        if (out[i]->answered)
            rationale.resize(rationale.size() - marker.size());
        out[i]->rationale = rm.tokenizer().decode(rationale, text::SkipSpecial::Yes);
        if (out[i]->answered)
            continue;
        // Force the decision: the prompt, what it wrote, then " Answer:".
        std::vector<int64_t> forced = rows[i]->ids;
        forced.insert(forced.end(), rationale.begin(), rationale.end());
        forced.insert(forced.end(), marker.begin(), marker.end());
        const at::Tensor last =
            vlm->forward(torch::tensor(forced, torch::kLong).unsqueeze(0).to(rm.device()),
                         featuresOf(rm, {rows[i]}), rm.imageContextId(), nullptr,
                         torch::full({1}, static_cast<int64_t>(forced.size()) - 1, torch::kLong)
                             .to(rm.device()));
        readDecision(rm, vlm->logits(last.squeeze(1))[0], *out[i]);
    }
}

} // namespace

std::vector<ReasonedScore> reasonThenAnswer(RewardModel& rm, const std::vector<ReasoningRow>& rows,
                                            int batchSize, int maxNewTokens) {
    if (batchSize < 1 || maxNewTokens < 1)
        throw Error(ErrorKind::InvalidArgument,
                    "reasoning-first scoring needs a batch and a token budget of at least 1");
    c10::InferenceMode inference; // no autograd bookkeeping at all: cheaper than NoGradGuard
    const bool wasTraining = rm.vlm()->is_training();
    rm.vlm()->eval();
    // Equal lengths and tile layouts decode in lockstep without padding or masks.
    std::map<std::pair<size_t, std::vector<int64_t>>, std::vector<size_t>> groups;
    for (size_t i = 0; i < rows.size(); ++i) {
        std::vector<int64_t> layout;
        for (const at::Tensor& t : rows[i].tiles)
            layout.push_back(t.size(0));
        groups[{rows[i].ids.size(), layout}].push_back(i);
    }
    std::vector<ReasonedScore> scores(rows.size());
    for (const auto& [key, members] : groups)
        for (size_t start = 0; start < members.size(); start += static_cast<size_t>(batchSize)) {
            std::vector<const ReasoningRow*> batch;
            std::vector<ReasonedScore*> out;
            for (size_t j = start; j < std::min(members.size(), start + batchSize); ++j) {
                batch.push_back(&rows[members[j]]);
                out.push_back(&scores[members[j]]);
            }
            reasonBatch(rm, batch, out, maxNewTokens);
        }
    if (wasTraining)
        rm.vlm()->train();
    return scores;
}

} // namespace rd::reward
