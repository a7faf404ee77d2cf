// The reward model's prompts (DESIGN "The RewardDance RM"; paper §3.2.1, Figure 4), as text with
// <image> placeholders, ready for renderChat() and encodeWithImages().
//
// Pairwise (the paper's main paradigm, Eq. 2: r = P("yes")): task instruction as the system
// message; the user turn holds image 1 (reference), image 2 (candidate), the generation prompt
// and "Is image 2 better than image 1? ...". Pointwise generative variant (paper §3.3): one
// image, a quality instruction, a yes/no quality question; dropping the reference image of a
// pairwise prompt gives this form too (the paper's Search-over-Paths verifier omits references).
//
// Usage:
//   RewardPromptOptions options;               // pairwise, instruction on
//   RewardPrompt p = buildRewardPrompt("three red circles", options);
//   std::string text = renderChat(ChatFormat::Hermes2, p.system, p.user);
//   // images in p.user order: reference, then candidate
#pragma once

#include "text/chat_template.h"

#include <string>
#include <string_view>

namespace rd::text {

enum class RewardMode { Pairwise = 1, Pointwise };
enum class RewardMedia { Images = 1, Videos };

// The answer's shape in training data: "yes. <reason>" or "<reason> Answer: yes" (paper §3.2.1).
enum class AnswerOrder { DecisionFirst = 1, ReasoningFirst };
enum class Verdict { Yes = 1, No };

struct RewardPromptOptions {
    RewardMode mode = RewardMode::Pairwise;
    bool withInstruction = true; // ablation: an empty system message instead of the instruction
    bool withReference = true;   // ablation: pairwise without image 1 is the pointwise prompt
    // "Prompt: ...\n" before the images instead of after them: a small causal LM that reads the
    // generation prompt first can look at the images for what the prompt asks (measured faster
    // to learn from scratch, docs/RM_TRAINING.md); Figure 4 puts the images first.
    bool promptFirst = false;
    int videoFrames = 0;     // 0: images; N > 0: each is a clip of N sampled frames
    std::string instruction; // replaces the default task instruction when not empty
    std::string question;    // replaces the default question when not empty
};

struct RewardPrompt {
    std::string system;
    std::string user;
    int placeholders = 0;                   // <image> count in user: frames x clips for video
    RewardMode mode = RewardMode::Pairwise; // after the withReference switch
};

RewardPrompt buildRewardPrompt(std::string_view generationPrompt,
                               const RewardPromptOptions& options);

// Figure 4's task-aware instruction ("You will act as a professional image quality
// evaluator..."), for images or videos.
std::string defaultRewardInstruction(RewardMode mode, RewardMedia media);
std::string defaultRewardQuestion(RewardMode mode, RewardMedia media);

// The training target after the assistant header (close it with endOfTurn()).
std::string rewardAnswer(Verdict verdict, std::string_view rationale, AnswerOrder order);

} // namespace rd::text
