#include "diffusion/sft_data.h"

#include "common/error.h"
#include "diffusion/text_to_image.h"
#include "media/image_io.h"
#include "store/generation_repository.h"
#include "store/media_repository.h"
#include "store/workspace.h"
#include "synth/renderer.h"
#include "synth/rng.h"
#include "synth/toy_generator.h"
#include "synth/vocabulary.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <algorithm>

namespace rd::diffusion {

SftData::SftData(store::Workspace& ws, const GenTrainSpec& spec, int imageSize)
    : m_renders(spec.data == GenData::Renders), m_imageSize(imageSize) {
    PromptSelection selection = shapeWorldImagePrompts(ws, spec.split, spec.categories);
    m_skipped = selection.skipped;
    if (m_renders) {
        m_prompts = std::move(selection.prompts);
    } else {
        for (const WorldPrompt& p : selection.prompts)
            for (const store::GenerationRecord& g : ws.generations().listByPrompt(p.record.id)) {
                if (std::find(spec.generators.begin(), spec.generators.end(), g.generator) ==
                    spec.generators.end())
                    continue;
                const auto media = ws.media().get(g.mediaId);
                if (!media || media->kind != store::MediaKind::Image)
                    continue;
                const cv::Mat rgb = media::loadImageRgb(ws.resolveMediaPath(media->path));
                m_storedImages.push_back(imageToTensor(rgb, imageSize));
                m_storedText.push_back(p.record.text);
            }
    }
    if (units() == 0)
        throw Error(ErrorKind::InvalidArgument,
                    ws.folder().string() + ": no ShapeWorld image prompts" +
                        (m_renders ? "" : " with images of the chosen generators") + " in split '" +
                        spec.split + "' to train a generator on");
}

size_t SftData::units() const {
    return m_renders ? m_prompts.size() : m_storedImages.size();
}

SftExample SftData::example(size_t unit, std::uint64_t drawSeed) const {
    if (!m_renders)
        return {m_storedText.at(unit), m_storedImages.at(unit)};
    const WorldPrompt& p = m_prompts.at(unit);
    synth::Rng rng(drawSeed);
    const synth::Split split = synth::parseSplit(p.record.split).value_or(synth::Split::Train);
    const synth::GeneratedImage g =
        synth::generate(synth::GeneratorStyle::Clean, p.spec, split, m_imageSize, rng);
    return {p.record.text, imageToTensor(synth::render(g.scene, g.look), m_imageSize)};
}

std::vector<std::string> SftData::prompts() const {
    if (!m_renders)
        return m_storedText;
    std::vector<std::string> texts;
    for (const WorldPrompt& p : m_prompts)
        texts.push_back(p.record.text);
    return texts;
}

nlohmann::json SftData::describe() const {
    return {{"source", m_renders ? "renders" : "generations"},
            {m_renders ? "prompts" : "images", units()},
            {"skipped_prompts", m_skipped}};
}

} // namespace rd::diffusion
