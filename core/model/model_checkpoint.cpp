#include "model/model_checkpoint.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "model/checkpoint.h"
#include "model/hf_names.h"
#include "model/parameter_shapes.h"
#include "model/safetensors_writer.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <ostream>

namespace rd::model {
namespace fs = std::filesystem;

namespace {

TensorShapes moduleShapes(torch::nn::Module& model) {
    TensorShapes shapes;
    for (const auto& item : model.named_parameters())
        shapes[item.key()] = item.value().sizes().vec();
    return shapes;
}

// Our names and shapes for every checkpoint tensor, mapped without reading data: packed tensors
// are split on the meta device, which has shapes and no storage.
TensorShapes mappedCheckpointShapes(const LmConfig& lm, const Checkpoint& checkpoint) {
    TensorShapes shapes;
    for (const TensorInfo& info : checkpoint.tensors()) {
        const at::Tensor meta =
            torch::empty(info.shape, torch::TensorOptions().device(torch::kMeta));
        const auto mapped = mapHfTensor(lm, info.name, meta);
        if (mapped.empty())
            shapes["(unused) " + info.name] = info.shape;
        for (const auto& [name, tensor] : mapped)
            shapes[name] = tensor.sizes().vec();
    }
    return shapes;
}

// A tensor with NaN or infinite values makes every score NaN downstream (a `null` reward that
// looks like a result); it is refused where it enters, with its name.
void requireFinite(const Checkpoint& checkpoint, VisionLanguageModel& model) {
    for (const auto& item : model->named_parameters())
        if (!torch::isfinite(item.value()).all().item<bool>())
            throw Error(ErrorKind::Format, checkpoint.path().string() + ": tensor '" + item.key() +
                                               "' holds NaN or infinite values");
}

} // namespace

bool isRewardDanceCheckpoint(const fs::path& folder) {
    const std::string text = readWholeFile(folder / kConfigFileName);
    const auto json = nlohmann::json::parse(text, nullptr, false);
    return json.is_object() && json.value("format", "") == "rewarddance-vlm";
}

VlmConfig readModelConfig(const fs::path& folder) {
    const fs::path config = folder / kConfigFileName;
    if (!fs::exists(config))
        throw Error(ErrorKind::NotFound, folder.string() + ": no " + kConfigFileName +
                                             " (not a model checkpoint folder)");
    if (isRewardDanceCheckpoint(folder))
        return fromJson(readWholeFile(config), config.string());
    return loadHfConfig(config);
}

void saveModel(VisionLanguageModel& model, const fs::path& folder,
               const std::map<std::string, std::string>& metadata) {
    fs::create_directories(folder);
    std::map<std::string, at::Tensor> tensors;
    for (const auto& item : model->named_parameters())
        tensors[item.key()] = item.value().detach();
    std::map<std::string, std::string> meta = metadata;
    meta["format"] = "pt";
    meta["rewarddance_model"] = model->config().name;
    writeSafetensors(folder / kSafetensorsFileName, tensors, meta);
    const std::string config = toJson(model->config());
    writeFileAtomically(folder / kConfigFileName,
                        [&](std::ostream& out) { out << config << "\n"; });
}

LoadReport checkModelCheckpoint(const VlmConfig& config, const fs::path& folder) {
    // Shapes from the config, not from a built model: no memory needed even for 26B.
    const Checkpoint checkpoint = Checkpoint::open(folder);
    TensorShapes available = mappedCheckpointShapes(config.lm, checkpoint);
    const TensorShapes expected = parameterShapes(config);
    // InternVL2-1B may not store lm_head: the embeddings then serve as the output layer too.
    const std::string head = "language_model.lm_head.weight";
    const std::string embed = "language_model.model.embed_tokens.weight";
    if (expected.count(head) && !available.count(head) && available.count(embed))
        available[head] = available[embed];
    return compareShapes(expected, available);
}

VisionLanguageModel loadModel(const fs::path& folder, c10::Device device, c10::ScalarType dtype) {
    const VlmConfig config = readModelConfig(folder);
    const Checkpoint checkpoint = Checkpoint::open(folder);
    VisionLanguageModel model(nullptr);
    try {
        model = VisionLanguageModel(config);
    } catch (const Error& e) {
        throw Error(e.kind(), (folder / kConfigFileName).string() + ": " + e.what());
    }
    TensorShapes available = mappedCheckpointShapes(config.lm, checkpoint);
    const TensorShapes expected = moduleShapes(*model);
    const std::string head = "language_model.lm_head.weight";
    const std::string embed = "language_model.model.embed_tokens.weight";
    // Only an InternVL2 checkpoint may leave lm_head out (INTERNVL2.md §7: 1B might); ours always
    // writes it unless tie_embeddings says the embeddings are the output layer.
    const bool tieHead = expected.count(head) && !available.count(head) && available.count(embed) &&
                         !isRewardDanceCheckpoint(folder);
    if (tieHead)
        available[head] = available[embed];
    compareShapes(expected, available).require(checkpoint.path().string());

    model->to(device, dtype);
    auto parameters = model->named_parameters();
    torch::NoGradGuard noGrad;
    for (const TensorInfo& info : checkpoint.tensors()) {
        const at::Tensor stored = checkpoint.load(info.name);
        for (const auto& [name, tensor] : mapHfTensor(config.lm, info.name, stored)) {
            parameters[name].copy_(tensor);
            if (tieHead && name == embed)
                parameters[head].copy_(tensor);
        }
    }
    requireFinite(checkpoint, model);
    return model;
}

} // namespace rd::model
