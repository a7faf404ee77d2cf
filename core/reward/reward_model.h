// A reward model as the engine holds it: the VLM, its tokenizer, its RewardSpec, the token ids
// that matter (yes, no, <IMG_CONTEXT>, end of turn), image preprocessing and prompt encoding.
// Used by the scorer and the trainers; LibTorch types appear here, so the studio talks to
// rd::reward::Scorer instead.
//
// Usage:
//   auto rm = RewardModel::load("models/rm-s", torch::kCPU);
//   text::EncodedPrompt p = rm->encodePrompt("two red circles", {1, 1});
#pragma once

#include "model/vlm.h"
#include "reward/reward_spec.h"
#include "text/chat_template.h"
#include "text/prompt_encoder.h"
#include "text/tokenizer.h"

#include <torch/nn/modules/linear.h>

#include <filesystem>
#include <memory>
#include <opencv2/core/mat.hpp>

namespace rd::reward {

class RewardModel {
public:
    // A checkpoint folder: config.json + model.safetensors + a tokenizer (+ reward.json,
    // reward_head.safetensors for the regressive paradigm).
    static std::unique_ptr<RewardModel> load(const std::filesystem::path& folder,
                                             c10::Device device);
    // The checkpoint's VLM and tokenizer under another RewardSpec: a grounded backbone starting
    // an RM run of any paradigm (a regressive head starts fresh unless the folder has one).
    static std::unique_ptr<RewardModel> loadAs(const std::filesystem::path& folder,
                                               const RewardSpec& spec, c10::Device device);
    // A fresh model (random weights) over an existing tokenizer, for training from scratch.
    static std::unique_ptr<RewardModel> create(const model::VlmConfig& config,
                                               const std::filesystem::path& tokenizerPath,
                                               const RewardSpec& spec, c10::Device device);
    // Writes everything load() reads, each file atomically.
    void save(const std::filesystem::path& folder,
              const std::map<std::string, std::string>& metadata = {});

    model::VisionLanguageModel& vlm() { return m_vlm; }
    const model::VisionLanguageModel& vlm() const { return m_vlm; }
    torch::nn::Linear& head() { return m_head; } // regressive paradigm only (else null)
    const text::Tokenizer& tokenizer() const { return *m_tokenizer; }
    const RewardSpec& spec() const { return m_spec; }
    c10::Device device() const { return m_device; }
    text::ChatFormat chatFormat() const { return m_chat; }
    int32_t yesId() const { return m_yes; }
    int32_t noId() const { return m_no; }
    int32_t imageContextId() const { return m_imageContext; }
    int32_t endOfTurnId() const { return m_endOfTurn; }
    // A reasoning-first answer ends "<rationale> Answer: yes": the tokens of " Answer:" and the
    // first tokens of " yes" and " no" after it (text::rewardAnswer). Throws rd::Error when this
    // tokenizer cannot tell the two apart.
    const std::vector<int32_t>& answerMarker() const;
    int32_t reasonedYesId() const;
    int32_t reasonedNoId() const;
    int imageSize() const;

    // [tiles, 3, S, S] on the model's device: one tile, or InternVL tiles when spec.maxTiles > 1.
    at::Tensor imageTiles(const cv::Mat& rgb) const;
    // The RM prompt for a generation prompt with images of these tile counts (pairwise:
    // reference then candidate; pointwise and regressive: the candidate alone).
    text::EncodedPrompt encodePrompt(const std::string& generationPrompt,
                                     const std::vector<int>& tilesPerImage) const;
    // The rendered chat text of that prompt (the text a training target is appended to).
    std::string promptText(const std::string& generationPrompt, int images) const;

    // All parameters that train (VLM, and the head when there is one).
    std::vector<at::Tensor> parameters();

private:
    RewardModel(model::VisionLanguageModel vlm, std::unique_ptr<text::Tokenizer> tokenizer,
                std::filesystem::path tokenizerSource, RewardSpec spec, c10::Device device);
    void resolveTokenIds();

    model::VisionLanguageModel m_vlm;
    torch::nn::Linear m_head{nullptr};
    std::unique_ptr<text::Tokenizer> m_tokenizer;
    std::filesystem::path m_tokenizerSource;
    RewardSpec m_spec;
    c10::Device m_device;
    text::ChatFormat m_chat = text::ChatFormat::Hermes2;
    int32_t m_yes = -1, m_no = -1, m_imageContext = -1, m_endOfTurn = -1;
    std::vector<int32_t> m_answerMarker;
    int32_t m_reasonedYes = -1, m_reasonedNo = -1;
};

} // namespace rd::reward
