// What a reward-model checkpoint is for and how it reads its inputs: reward.json beside the
// VLM's config.json, model.safetensors and tokenizer. A raw InternVL2 checkpoint without
// reward.json is read as a pairwise generative RM with the defaults below; one of ours without
// it is refused (incomplete).
#pragma once

#include "reward/paradigm.h"
#include "text/reward_prompt.h"

#include <filesystem>
#include <string>

namespace rd::reward {

const char* paradigmName(Paradigm paradigm);
// "pairwise", "pointwise", "regressive"; throws rd::Error(InvalidArgument) otherwise.
Paradigm parseParadigm(const std::string& name);

struct RewardSpec {
    Paradigm paradigm = Paradigm::PairwiseGenerative;
    int imageSize = 0;           // 0: the vision encoder's own size
    int maxTiles = 1;            // > 1: InternVL dynamic tiling (+ thumbnail)
    bool withInstruction = true; // the task instruction as the system message (Figure 4)
    bool withReference = true;   // pairwise: image 1 is the reference
    bool promptFirst = false;    // the generation prompt before the images (RewardPromptOptions)
    int videoFrames = 8;         // frames sampled per clip for video inputs
    std::string instruction;     // empty: the default task instruction
    // Where the generative answer puts its decision (paper §3.2.1's two CoT formats):
    // decision-first models are scored by P("yes") at the answer's first token (Eq. 2, what ReFL
    // needs); reasoning-first models write their rationale and are scored by P("yes") after
    // "Answer:" (reward/reasoned_scores.h).
    text::AnswerOrder answerOrder = text::AnswerOrder::DecisionFirst;
};

// A generative RM that writes its reasons before its yes/no: scored after "Answer:".
inline bool decidesAfterReasoning(const RewardSpec& spec) {
    return spec.paradigm != Paradigm::PointwiseRegressive &&
           spec.answerOrder == text::AnswerOrder::ReasoningFirst;
}

// "decision_first" or "reasoning_first"; parseAnswerOrder throws rd::Error(InvalidArgument).
const char* answerOrderName(text::AnswerOrder order);
text::AnswerOrder parseAnswerOrder(const std::string& name);

inline constexpr const char* kRewardSpecFile = "reward.json";
inline constexpr const char* kRewardHeadFile = "reward_head.safetensors";

// reward.json in folder, or the defaults when there is none. Throws rd::Error naming the field.
RewardSpec readRewardSpec(const std::filesystem::path& folder);
void writeRewardSpec(const std::filesystem::path& folder, const RewardSpec& spec);

} // namespace rd::reward
