// `rdance rm eval` and `rdance rm judge` on a workspace:
// - evaluateOnSplit: accuracy and friends (rm_evaluation.h) on a split's pairs, agreement with
//   the humans' GSB verdicts where the workspace has them; stored as an "rm_eval" run with its
//   metrics, and as eval-<split>.json beside the checkpoint;
// - judgePairs: P(yes) in both orders (and the greedy rationale with cot) for the selected pairs,
//   written to rm_judgments for the studio's inspector.
#pragma once

#include "store/records.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace rd::store {
class Workspace;
}

namespace rd::reward {

// answerOrder: read the model's verdict from this format instead of its reward.json's - a model
// trained on both CoT formats (paper §3.2.1) scored reasoning first, after the rationale it
// writes; the report goes to eval-SPLIT-reasoning_first.json (or -decision_first) then.
nlohmann::json evaluateOnSplit(store::Workspace& workspace, const std::filesystem::path& model,
                               const std::string& split, int batchSize,
                               const std::string& answerOrder = "");

struct PairQuery {
    std::optional<std::string> split;
    std::optional<std::string> category;
    std::int64_t limit = -1;
};
// "split=id,category=counting,limit=50"; throws rd::Error naming a bad key or value.
PairQuery parsePairQuery(const std::string& text);

struct JudgeOptions {
    PairQuery pairs;
    bool chainOfThought = false;
    int batchSize = 8;
    int maxNewTokens = 160; // a two-object pair's checklist rationale runs past 96 tokens
};

nlohmann::json judgePairs(store::Workspace& workspace, const std::filesystem::path& model,
                          const JudgeOptions& options);

} // namespace rd::reward
