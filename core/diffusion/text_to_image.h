// A text-to-image generator as a whole: the flow network plus the tokenizer that turns prompts
// into its tokens. A generator folder holds config.json, model.safetensors and tokenizer.json.
//
// Usage:
//   auto gen = TextToImage::load("models/gen-s", torch::kCPU);
//   std::vector<cv::Mat> images = gen->sample({"two red circles"}, {7}, {30, Sampler::Heun, 3.0});
#pragma once

#include "diffusion/flow_generator.h"
#include "diffusion/guided_sampling.h"

#include <opencv2/core/mat.hpp>

#include <filesystem>
#include <memory>

namespace rd::text {
class Tokenizer;
}

namespace rd::diffusion {

inline constexpr const char* kGeneratorTokenizerFile = "tokenizer.json";

class TextToImage {
public:
    static std::unique_ptr<TextToImage> load(const std::filesystem::path& folder,
                                             c10::Device device);
    // Fresh weights; config.vocabSize is taken from the tokenizer.
    static std::unique_ptr<TextToImage>
    create(GeneratorConfig config, const std::filesystem::path& tokenizerFile, c10::Device device);
    ~TextToImage();

    // Writes everything load() reads (each file atomically).
    void save(const std::filesystem::path& folder,
              const std::map<std::string, std::string>& metadata = {}) const;

    FlowGenerator& net() { return m_net; }
    const GeneratorConfig& config() const { return m_net->config(); }
    c10::Device device() const { return m_device; }
    const std::filesystem::path& tokenizerFile() const { return m_tokenizerFile; }

    // [B, L] tokens padded to the longest prompt. Throws rd::Error naming a prompt that is
    // longer than the model reads.
    at::Tensor tokenize(const std::vector<std::string>& prompts) const;
    // Images for the prompts, one per prompt, each from the noise of its own seed.
    std::vector<cv::Mat> sample(const std::vector<std::string>& prompts,
                                const std::vector<std::uint64_t>& seeds,
                                const SampleOptions& options);
    // Noise [B, 3, S, S], row i drawn from seeds[i] alone (same image whatever the batch).
    at::Tensor noiseFor(const std::vector<std::uint64_t>& seeds) const;

private:
    TextToImage(FlowGenerator net, std::unique_ptr<text::Tokenizer> tokenizer,
                std::filesystem::path tokenizerFile, c10::Device device);
    FlowGenerator m_net;
    std::unique_ptr<text::Tokenizer> m_tokenizer;
    std::filesystem::path m_tokenizerFile;
    c10::Device m_device;
};

// RGB CV_8UC3 of any size -> [3, S, S] float in [-1, 1] (area resize), and back.
at::Tensor imageToTensor(const cv::Mat& rgb, int size);
std::vector<cv::Mat> tensorToImages(const at::Tensor& images);

} // namespace rd::diffusion
