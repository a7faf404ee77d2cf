// Reasoning-first scoring (internal to core/reward): the paper's second CoT format (§3.2.1)
// answers "<rationale> Answer: yes". A model trained on it decides only after its reasoning, so
// its reward is P("yes") at the token after "Answer:", read once the model has written the
// rationale itself (greedy decoding, batched, with a KV cache). A row that stops or runs out of
// tokens before "Answer:" gets the marker appended and is read there.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <vector>

namespace rd::reward {

class RewardModel;

struct ReasoningRow {
    std::vector<int64_t> ids;      // the RM prompt, ending with the assistant header
    std::vector<at::Tensor> tiles; // its images' tiles, in prompt order
};

struct ReasonedScore {
    double pYes = 0.0; // full-vocabulary softmax after "Answer:" (Eq. 2 at the decision)
    double pNo = 0.0;
    double pYesRenormalized = 0.5; // pYes / (pYes + pNo): the decision
    std::string rationale;         // what the model wrote before "Answer:"
    bool answered = false;         // the model wrote "Answer:" itself within maxNewTokens
};

// Rows of equal length and image layout run together, batchSize at a time.
std::vector<ReasonedScore> reasonThenAnswer(RewardModel& rm, const std::vector<ReasoningRow>& rows,
                                            int batchSize, int maxNewTokens);

} // namespace rd::reward
