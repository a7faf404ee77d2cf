#include "diffusion/generator_checkpoint.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "model/checkpoint.h"
#include "model/safetensors_writer.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <set>

namespace rd::diffusion {
namespace fs = std::filesystem;

namespace {

std::map<std::string, at::Tensor> namedTensors(FlowGenerator& net) {
    std::map<std::string, at::Tensor> tensors;
    for (const auto& p : net->named_parameters())
        tensors[p.key()] = p.value();
    for (const auto& b : net->named_buffers())
        tensors[b.key()] = b.value();
    return tensors;
}

} // namespace

void saveGeneratorWeights(const fs::path& folder, FlowGenerator& net,
                          const std::map<std::string, std::string>& metadata) {
    fs::create_directories(folder);
    std::map<std::string, at::Tensor> tensors;
    for (const auto& [name, tensor] : namedTensors(net))
        tensors[name] = tensor.detach().to(torch::kCPU).contiguous();
    model::writeSafetensors(folder / kGeneratorWeightsFile, tensors, metadata);
    writeFileAtomically(folder / kGeneratorConfigFile,
                        [&](std::ostream& out) { out << toJson(net->config()).dump(2) << "\n"; });
}

GeneratorConfig readGeneratorConfig(const fs::path& folder) {
    const fs::path file = folder / kGeneratorConfigFile;
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(readWholeFile(file));
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorKind::Format, file.string() + ": not valid JSON: " + e.what());
    }
    return generatorConfigFromJson(j, file.string());
}

void copyGeneratorWeights(const fs::path& folder, FlowGenerator& net) {
    const model::Checkpoint checkpoint = model::Checkpoint::open(folder / kGeneratorWeightsFile);
    const auto tensors = namedTensors(net);
    std::set<std::string> expected;
    for (const auto& [name, tensor] : tensors) {
        expected.insert(name);
        if (!checkpoint.contains(name))
            throw Error(ErrorKind::Format, checkpoint.path().string() + ": tensor '" + name +
                                               "' is missing (a generator of another shape?)");
        checkpoint.copyInto(name, tensor); // checks the shape, names the tensor when it differs
    }
    for (const auto& info : checkpoint.tensors())
        if (!expected.count(info.name))
            throw Error(ErrorKind::Format,
                        checkpoint.path().string() + ": unexpected tensor '" + info.name + "'");
}

FlowGenerator loadGeneratorWeights(const fs::path& folder, c10::Device device) {
    FlowGenerator net(readGeneratorConfig(folder));
    copyGeneratorWeights(folder, net);
    net->to(device);
    return net;
}

} // namespace rd::diffusion
