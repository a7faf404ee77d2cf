#include "reward/reward_model.h"

#include "common/error.h"
#include "media/image_tensor.h"
#include "model/checkpoint.h"
#include "model/model_checkpoint.h"
#include "model/safetensors_writer.h"
#include "text/image_tokens.h"
#include "text/load_tokenizer.h"
#include "text/reward_prompt.h"

#include <torch/torch.h>

namespace rd::reward {
namespace fs = std::filesystem;

namespace {

text::ChatFormat chatFormatOf(model::ChatTemplate t) {
    return t == model::ChatTemplate::Phi3Chat        ? text::ChatFormat::Phi3Chat
           : t == model::ChatTemplate::InternLM2Chat ? text::ChatFormat::InternLm2Chat
                                                     : text::ChatFormat::Hermes2;
}

// The tokenizer files a checkpoint folder may hold, copied along when a model is saved.
const char* const kTokenizerFiles[] = {
    "tokenizer.json", "tokenizer.model",         "tokenizer_config.json", "vocab.json",
    "merges.txt",     "special_tokens_map.json", "added_tokens.json"};

text::RewardPromptOptions promptOptions(const RewardSpec& spec) {
    text::RewardPromptOptions o;
    o.mode = spec.paradigm == Paradigm::PairwiseGenerative ? text::RewardMode::Pairwise
                                                           : text::RewardMode::Pointwise;
    o.withInstruction = spec.withInstruction;
    o.withReference = spec.withReference;
    o.promptFirst = spec.promptFirst;
    o.instruction = spec.instruction;
    return o;
}

// A tokenizer that drops text it has no byte token for would feed the model prompts with holes.
std::unique_ptr<text::Tokenizer> loadModelTokenizer(const fs::path& path) {
    auto tokenizer = text::loadTokenizer(path);
    const auto missing = text::bytesWithoutToken(*tokenizer);
    if (!missing.empty())
        throw Error(ErrorKind::Format, path.string() + ": the tokenizer has no token for " +
                                           std::to_string(missing.size()) +
                                           " of the 256 bytes, so it would drop text");
    return tokenizer;
}

} // namespace

RewardModel::RewardModel(model::VisionLanguageModel vlm, std::unique_ptr<text::Tokenizer> tokenizer,
                         fs::path tokenizerSource, RewardSpec spec, c10::Device device)
    : m_vlm(std::move(vlm)), m_tokenizer(std::move(tokenizer)),
      m_tokenizerSource(std::move(tokenizerSource)), m_spec(std::move(spec)), m_device(device) {
    m_chat = chatFormatOf(m_vlm->config().chatTemplate);
    if (m_tokenizer->vocabSize() > m_vlm->config().lm.vocabSize)
        throw Error(ErrorKind::InvalidArgument, "tokenizer has " +
                                                    std::to_string(m_tokenizer->vocabSize()) +
                                                    " tokens but the model's vocabulary is " +
                                                    std::to_string(m_vlm->config().lm.vocabSize));
    if (m_spec.paradigm == Paradigm::PointwiseRegressive) {
        m_head = torch::nn::Linear(m_vlm->config().lm.hidden, 1);
        m_head->to(device);
    }
    resolveTokenIds();
}

void RewardModel::resolveTokenIds() {
    auto required = [&](const char* token) {
        const auto id = m_tokenizer->tokenToId(token);
        if (!id)
            throw Error(ErrorKind::InvalidArgument,
                        std::string("the tokenizer has no '") + token + "' token");
        return *id;
    };
    m_imageContext = required(text::kImageContext);
    m_endOfTurn = required(text::endOfTurn(m_chat).c_str());
    // The answer's first token, as it is tokenized right after the assistant header.
    const std::string header = text::renderChat(m_chat, "", "x");
    const auto base = m_tokenizer->encode(header, text::AddSpecial::Yes);
    auto firstAnswerToken = [&](const char* word) {
        const auto ids = m_tokenizer->encode(header + word, text::AddSpecial::Yes);
        if (ids.size() <= base.size())
            throw Error(ErrorKind::InvalidArgument, std::string("cannot tokenize '") + word + "'");
        return ids[base.size()];
    };
    m_yes = firstAnswerToken("yes");
    m_no = firstAnswerToken("no");
    if (m_yes == m_no)
        throw Error(ErrorKind::InvalidArgument, "'yes' and 'no' start with the same token");
    // The reasoning-first ending, tokenized as in a training answer (after some rationale).
    const auto rationale = m_tokenizer->encode(header + "x.", text::AddSpecial::Yes);
    const auto marked = m_tokenizer->encode(header + "x. Answer:", text::AddSpecial::Yes);
    const auto withYes = m_tokenizer->encode(header + "x. Answer: yes", text::AddSpecial::Yes);
    const auto withNo = m_tokenizer->encode(header + "x. Answer: no", text::AddSpecial::Yes);
    const auto extends = [](const std::vector<int32_t>& longer, const std::vector<int32_t>& base) {
        return longer.size() > base.size() && std::equal(base.begin(), base.end(), longer.begin());
    };
    if (extends(marked, rationale) && extends(withYes, marked) && extends(withNo, marked) &&
        withYes[marked.size()] != withNo[marked.size()]) {
        m_answerMarker.assign(marked.begin() + static_cast<long>(rationale.size()), marked.end());
        m_reasonedYes = withYes[marked.size()];
        m_reasonedNo = withNo[marked.size()];
    }
}

const std::vector<int32_t>& RewardModel::answerMarker() const {
    if (m_answerMarker.empty())
        throw Error(ErrorKind::Unsupported,
                    "this tokenizer does not split \"Answer: yes\" / \"Answer: no\" cleanly, "
                    "so reasoning-first answers cannot be scored");
    return m_answerMarker;
}

int32_t RewardModel::reasonedYesId() const {
    answerMarker();
    return m_reasonedYes;
}

int32_t RewardModel::reasonedNoId() const {
    answerMarker();
    return m_reasonedNo;
}

std::unique_ptr<RewardModel> RewardModel::load(const fs::path& folder, c10::Device device) {
    const RewardSpec spec = readRewardSpec(folder);
    if (spec.paradigm == Paradigm::PointwiseRegressive && !fs::exists(folder / kRewardHeadFile))
        throw Error(ErrorKind::NotFound,
                    (folder / kRewardHeadFile).string() + ": a regressive RM needs its head");
    return loadAs(folder, spec, device);
}

std::unique_ptr<RewardModel> RewardModel::loadAs(const fs::path& folder, const RewardSpec& spec,
                                                 c10::Device device) {
    model::VisionLanguageModel vlm = model::loadModel(folder, device);
    auto tokenizer = loadModelTokenizer(folder);
    std::unique_ptr<RewardModel> rm(
        new RewardModel(std::move(vlm), std::move(tokenizer), folder, spec, device));
    if (spec.paradigm == Paradigm::PointwiseRegressive && fs::exists(folder / kRewardHeadFile)) {
        const model::Checkpoint head = model::Checkpoint::open(folder / kRewardHeadFile);
        head.copyInto("weight", rm->m_head->weight);
        head.copyInto("bias", rm->m_head->bias);
    }
    rm->m_vlm->eval();
    return rm;
}

std::unique_ptr<RewardModel> RewardModel::create(const model::VlmConfig& config,
                                                 const fs::path& tokenizerPath,
                                                 const RewardSpec& spec, c10::Device device) {
    model::VisionLanguageModel vlm(config);
    vlm->to(device);
    auto tokenizer = loadModelTokenizer(tokenizerPath);
    return std::unique_ptr<RewardModel>(new RewardModel(
        std::move(vlm), std::move(tokenizer),
        fs::is_directory(tokenizerPath) ? tokenizerPath : tokenizerPath.parent_path(), spec,
        device));
}

void RewardModel::save(const fs::path& folder, const std::map<std::string, std::string>& metadata) {
    model::saveModel(m_vlm, folder, metadata);
    writeRewardSpec(folder, m_spec);
    if (m_head)
        model::writeSafetensors(folder / kRewardHeadFile, {{"weight", m_head->weight.detach()},
                                                           {"bias", m_head->bias.detach()}});
    std::error_code ec;
    if (fs::equivalent(m_tokenizerSource, folder, ec))
        return;
    for (const char* name : kTokenizerFiles) {
        const fs::path source = m_tokenizerSource / name;
        if (fs::exists(source))
            fs::copy_file(source, folder / name, fs::copy_options::overwrite_existing);
    }
}

int RewardModel::imageSize() const {
    return m_spec.imageSize > 0 ? m_spec.imageSize : m_vlm->config().vision.imageSize;
}

at::Tensor RewardModel::imageTiles(const cv::Mat& rgb) const {
    at::Tensor tiles;
    if (m_spec.maxTiles > 1) {
        media::TilingOptions tiling;
        tiling.tileSize = imageSize();
        tiling.maxTiles = m_spec.maxTiles;
        tiles = media::dynamicTiles(rgb, tiling, media::kImageNetNorm);
    } else {
        tiles = media::toTensor(media::fitImage(rgb, imageSize(), media::FitMode::Pad),
                                media::kImageNetNorm)
                    .unsqueeze(0);
    }
    return tiles.to(m_device);
}

std::string RewardModel::promptText(const std::string& generationPrompt, int images) const {
    text::RewardPromptOptions options = promptOptions(m_spec);
    const text::RewardPrompt prompt = text::buildRewardPrompt(generationPrompt, options);
    if (prompt.placeholders != images)
        throw Error(ErrorKind::InvalidArgument,
                    "the " + std::string(paradigmName(m_spec.paradigm)) + " prompt takes " +
                        std::to_string(prompt.placeholders) + " images, got " +
                        std::to_string(images));
    return text::renderChat(m_chat, prompt.system, prompt.user);
}

text::EncodedPrompt RewardModel::encodePrompt(const std::string& generationPrompt,
                                              const std::vector<int>& tilesPerImage) const {
    return text::encodeWithImages(
        *m_tokenizer, promptText(generationPrompt, static_cast<int>(tilesPerImage.size())),
        tilesPerImage, text::AddSpecial::Yes, m_vlm->config().tokensPerTile());
}

std::vector<at::Tensor> RewardModel::parameters() {
    std::vector<at::Tensor> all = m_vlm->parameters();
    if (m_head)
        for (const auto& p : m_head->parameters())
            all.push_back(p);
    return all;
}

} // namespace rd::reward
