#include "reward/reward_spec.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/json_text.h"
#include "model/model_checkpoint.h"

#include <nlohmann/json.hpp>

#include <ostream>

namespace rd::reward {
namespace fs = std::filesystem;
using nlohmann::json;

const char* paradigmName(Paradigm p) {
    return jobs::nameOf(kParadigmNames, p);
}

Paradigm parseParadigm(const std::string& name) {
    if (const auto p = jobs::valueNamed(kParadigmNames, name))
        return *p;
    throw Error(ErrorKind::InvalidArgument,
                "paradigm '" + name + "': expected pairwise, pointwise or regressive");
}

const char* answerOrderName(text::AnswerOrder order) {
    return order == text::AnswerOrder::ReasoningFirst ? "reasoning_first" : "decision_first";
}

text::AnswerOrder parseAnswerOrder(const std::string& name) {
    if (name == "decision_first")
        return text::AnswerOrder::DecisionFirst;
    if (name == "reasoning_first")
        return text::AnswerOrder::ReasoningFirst;
    throw Error(ErrorKind::InvalidArgument,
                "answer_order '" + name + "': expected decision_first or reasoning_first");
}

RewardSpec readRewardSpec(const fs::path& folder) {
    RewardSpec spec;
    const fs::path path = folder / kRewardSpecFile;
    if (!fs::exists(path)) {
        // Our trainer always writes reward.json: without it the paradigm and the inputs the
        // model was trained on are unknown, and guessing them gives confident wrong scores.
        if (fs::exists(folder / model::kConfigFileName) && model::isRewardDanceCheckpoint(folder))
            throw Error(ErrorKind::NotFound,
                        path.string() + ": missing; this RewardDance checkpoint is incomplete "
                                        "(its paradigm and inputs are unknown)");
        return spec; // a raw InternVL2 checkpoint: the documented defaults
    }
    const json root = parseJsonText(readWholeFile(path), path.string());
    if (!root.is_object())
        throw Error(ErrorKind::Format, path.string() + ": not a JSON object");
    try {
        spec.paradigm = parseParadigm(root.value("paradigm", std::string("pairwise")));
        spec.imageSize = root.value("image_size", 0);
        spec.maxTiles = root.value("max_tiles", 1);
        spec.withInstruction = root.value("with_instruction", true);
        spec.withReference = root.value("with_reference", true);
        spec.promptFirst = root.value("prompt_first", false);
        spec.videoFrames = root.value("video_frames", 8);
        spec.instruction = root.value("instruction", std::string());
        spec.answerOrder =
            parseAnswerOrder(root.value("answer_order", std::string("decision_first")));
    } catch (const json::exception& e) {
        throw Error(ErrorKind::Format, path.string() + ": " + e.what());
    } catch (const Error& e) {
        throw Error(ErrorKind::Format, path.string() + ": " + e.what());
    }
    if (spec.maxTiles < 1 || spec.imageSize < 0 || spec.videoFrames < 1)
        throw Error(ErrorKind::Format,
                    path.string() + ": max_tiles and video_frames must be >= 1, image_size >= 0");
    return spec;
}

void writeRewardSpec(const fs::path& folder, const RewardSpec& spec) {
    const json root = {{"paradigm", paradigmName(spec.paradigm)},
                       {"image_size", spec.imageSize},
                       {"max_tiles", spec.maxTiles},
                       {"with_instruction", spec.withInstruction},
                       {"with_reference", spec.withReference},
                       {"prompt_first", spec.promptFirst},
                       {"video_frames", spec.videoFrames},
                       {"instruction", spec.instruction},
                       {"answer_order", answerOrderName(spec.answerOrder)}};
    writeFileAtomically(folder / kRewardSpecFile,
                        [&](std::ostream& out) { out << root.dump(2) << "\n"; });
}

} // namespace rd::reward
