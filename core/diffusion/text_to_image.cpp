#include "diffusion/text_to_image.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "diffusion/generator_checkpoint.h"
#include "text/load_tokenizer.h"
#include "text/tokenizer.h"

#include <ATen/CPUGeneratorImpl.h>
#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

namespace rd::diffusion {
namespace fs = std::filesystem;

TextToImage::TextToImage(FlowGenerator net, std::unique_ptr<text::Tokenizer> tokenizer,
                         fs::path tokenizerFile, c10::Device device)
    : m_net(std::move(net)), m_tokenizer(std::move(tokenizer)),
      m_tokenizerFile(std::move(tokenizerFile)), m_device(device) {}

TextToImage::~TextToImage() = default;

std::unique_ptr<TextToImage> TextToImage::load(const fs::path& folder, c10::Device device) {
    const fs::path tokenizerFile = folder / kGeneratorTokenizerFile;
    auto tokenizer = text::loadTokenizer(tokenizerFile);
    FlowGenerator net = loadGeneratorWeights(folder, device);
    if (tokenizer->vocabSize() != net->config().vocabSize)
        throw Error(ErrorKind::Format, tokenizerFile.string() + ": " +
                                           std::to_string(tokenizer->vocabSize()) +
                                           " tokens, but the generator embeds " +
                                           std::to_string(net->config().vocabSize));
    return std::unique_ptr<TextToImage>(
        new TextToImage(std::move(net), std::move(tokenizer), tokenizerFile, device));
}

std::unique_ptr<TextToImage>
TextToImage::create(GeneratorConfig config, const fs::path& tokenizerFile, c10::Device device) {
    auto tokenizer = text::loadTokenizer(tokenizerFile);
    config.vocabSize = tokenizer->vocabSize();
    FlowGenerator net(config);
    net->to(device);
    return std::unique_ptr<TextToImage>(
        new TextToImage(std::move(net), std::move(tokenizer), tokenizerFile, device));
}

void TextToImage::save(const fs::path& folder,
                       const std::map<std::string, std::string>& metadata) const {
    FlowGenerator net = m_net;
    saveGeneratorWeights(folder, net, metadata);
    if (fs::absolute(m_tokenizerFile) != fs::absolute(folder / kGeneratorTokenizerFile)) {
        const std::string json = readWholeFile(m_tokenizerFile);
        writeFileAtomically(folder / kGeneratorTokenizerFile,
                            [&](std::ostream& out) { out << json; });
    }
}

at::Tensor TextToImage::tokenize(const std::vector<std::string>& prompts) const {
    std::vector<std::vector<int32_t>> ids;
    size_t longest = 1;
    for (const std::string& prompt : prompts) {
        ids.push_back(m_tokenizer->encode(prompt, text::AddSpecial::No));
        if (ids.back().empty())
            ids.back().push_back(config().nullToken()); // the empty prompt
        if (ids.back().size() > static_cast<size_t>(config().maxPromptTokens))
            throw Error(ErrorKind::InvalidArgument, "prompt '" + prompt + "' has " +
                                                        std::to_string(ids.back().size()) +
                                                        " tokens; this generator reads at most " +
                                                        std::to_string(config().maxPromptTokens));
        longest = std::max(longest, ids.back().size());
    }
    at::Tensor tokens =
        torch::full({static_cast<int64_t>(prompts.size()), static_cast<int64_t>(longest)},
                    config().padToken(), torch::kLong);
    auto access = tokens.accessor<int64_t, 2>();
    for (size_t i = 0; i < ids.size(); ++i)
        for (size_t j = 0; j < ids[i].size(); ++j)
            access[static_cast<int64_t>(i)][static_cast<int64_t>(j)] = ids[i][j];
    return tokens.to(m_device);
}

at::Tensor TextToImage::noiseFor(const std::vector<std::uint64_t>& seeds) const {
    const int64_t s = config().imageSize;
    std::vector<at::Tensor> rows;
    for (std::uint64_t seed : seeds) {
        auto generator = at::make_generator<at::CPUGeneratorImpl>(seed);
        rows.push_back(torch::randn({3, s, s}, generator, torch::TensorOptions(torch::kFloat32)));
    }
    return torch::stack(rows).to(m_device);
}

std::vector<cv::Mat> TextToImage::sample(const std::vector<std::string>& prompts,
                                         const std::vector<std::uint64_t>& seeds,
                                         const SampleOptions& options) {
    if (prompts.size() != seeds.size())
        throw Error(ErrorKind::InvalidArgument, "one seed per prompt");
    if (prompts.empty())
        return {};
    m_net->eval();
    return tensorToImages(sampleImages(m_net, tokenize(prompts), noiseFor(seeds), options));
}

at::Tensor imageToTensor(const cv::Mat& rgb, int size) {
    if (rgb.empty() || rgb.type() != CV_8UC3)
        throw Error(ErrorKind::InvalidArgument, "expected an RGB CV_8UC3 image");
    cv::Mat resized;
    if (rgb.cols == size && rgb.rows == size)
        resized = rgb;
    else
        cv::resize(rgb, resized, cv::Size(size, size), 0, 0, cv::INTER_AREA);
    const at::Tensor bytes = torch::from_blob(
        resized.data, {size, size, 3}, {static_cast<int64_t>(resized.step), 3, 1}, torch::kUInt8);
    return bytes.permute({2, 0, 1}).to(torch::kFloat32).div(127.5).sub(1.0).contiguous();
}

std::vector<cv::Mat> tensorToImages(const at::Tensor& images) {
    const at::Tensor bytes = images.detach()
                                 .to(torch::kCPU, torch::kFloat32)
                                 .add(1.0)
                                 .mul(127.5)
                                 .round()
                                 .clamp(0, 255)
                                 .to(torch::kUInt8)
                                 .permute({0, 2, 3, 1})
                                 .contiguous();
    std::vector<cv::Mat> out;
    for (int64_t i = 0; i < bytes.size(0); ++i) {
        const at::Tensor row = bytes[i];
        out.push_back(cv::Mat(static_cast<int>(row.size(0)), static_cast<int>(row.size(1)), CV_8UC3,
                              row.data_ptr<uint8_t>())
                          .clone());
    }
    return out;
}

} // namespace rd::diffusion
