#include "synth/pair_rationale.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "store/generation_repository.h"
#include "store/media_repository.h"
#include "store/pair_repository.h"
#include "store/prompt_repository.h"
#include "store/workspace.h"
#include "synth/oracle_file.h"
#include "synth/prompt_parser.h"
#include "synth/synth_json.h"
#include "synth/synth_writer.h"

namespace rd::synth {
namespace fs = std::filesystem;

PromptSpec promptSpecOf(const store::PromptRecord& prompt) {
    nlohmann::json metadata = nlohmann::json::parse(prompt.metadataJson, nullptr, false);
    if (metadata.is_object() && metadata.contains("shapeworld")) {
        try {
            return specFromJson(metadata.at("shapeworld"));
        } catch (const Error& e) {
            throw Error(ErrorKind::Format,
                        "prompt " + std::to_string(prompt.id) + ": metadata: " + e.what());
        }
    }
    return parsePrompt(prompt.text);
}

Observation observeStoredMedia(const fs::path& file, bool* fromScene) {
    const fs::path sidecar = sidecarPath(file);
    std::error_code ec;
    if (fs::exists(sidecar, ec)) {
        const nlohmann::json j = nlohmann::json::parse(readWholeFile(sidecar), nullptr, false);
        if (!j.is_object() || !j.contains("shapeworld_scene"))
            throw Error(ErrorKind::Format, sidecar.string() + ": not a ShapeWorld scene sidecar");
        const int frames = j.value("frames", 1);
        if (fromScene)
            *fromScene = true;
        try {
            return observeScene(sceneFromJson(j.at("shapeworld_scene")), frames);
        } catch (const Error& e) {
            throw Error(ErrorKind::Format, sidecar.string() + ": " + e.what());
        }
    }
    if (fromScene)
        *fromScene = false;
    return observeFile(file);
}

PairContext rationaleForPair(store::Workspace& ws, store::RowId pairId, store::JudgeOrder order) {
    const auto pair = ws.pairs().get(pairId);
    if (!pair)
        throw Error(ErrorKind::NotFound, "pair " + std::to_string(pairId) + " does not exist");
    const auto prompt = ws.prompts().get(pair->promptId);
    if (!prompt)
        throw Error(ErrorKind::NotFound, "pair " + std::to_string(pairId) + ": prompt " +
                                             std::to_string(pair->promptId) + " is missing");
    auto side = [&](store::RowId generationId, bool& fromScene) {
        const auto gen = ws.generations().get(generationId);
        const auto media = gen ? ws.media().get(gen->mediaId) : std::nullopt;
        if (!media)
            throw Error(ErrorKind::NotFound, "pair " + std::to_string(pairId) + ": generation " +
                                                 std::to_string(generationId) +
                                                 " or its media is missing");
        return observeStoredMedia(ws.resolveMediaPath(media->path), &fromScene);
    };
    PairContext c;
    c.spec = promptSpecOf(*prompt);
    bool sceneA = true, sceneB = true;
    const Observation a = side(pair->genA, sceneA);
    const Observation b = side(pair->genB, sceneB);
    const bool ab = order == store::JudgeOrder::AB;
    const Observation& image1 = ab ? a : b;
    const Observation& image2 = ab ? b : a;
    c.taskInstruction = taskInstruction(c.spec);
    c.question = pairQuestion(c.spec);
    c.rationale = writeRationale(c.spec, image1, image2);
    c.difficulty = pairDifficulty(c.spec, judge(c.spec, image1), judge(c.spec, image2));
    c.fromScenes = sceneA && sceneB;
    return c;
}

} // namespace rd::synth
