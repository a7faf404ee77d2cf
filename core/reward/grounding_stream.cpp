#include "reward/grounding_stream.h"

#include "synth/prompt_sampler.h"
#include "synth/renderer.h"

namespace rd::reward {

namespace {

// Scenes drawn per position before a kind that needs two single objects gives up.
constexpr int kDrawsPerItem = 8;
// The scene's own size (render() redraws it at the size asked for).
constexpr int kDrawSize = 256;

} // namespace

GroundingStream::GroundingStream(std::uint64_t seed, synth::Split split)
    : m_seed(seed), m_split(split) {}

StreamItem GroundingStream::item(std::uint64_t position, synth::DirectKind kind) const {
    const std::vector<synth::Category> categories = synth::categoriesFor(synth::MediaMode::Image);
    StreamItem out;
    for (int draw = 0; draw < kDrawsPerItem; ++draw) {
        synth::Rng rng(synth::mixSeed(synth::mixSeed(m_seed, position), std::uint64_t(draw)));
        const synth::Category category = rng.pick(categories);
        out.spec = synth::samplePrompt(category, m_split, synth::MediaMode::Image, rng).spec;
        const auto style =
            rng.chance(0.5) ? synth::GeneratorStyle::Clean : synth::GeneratorStyle::Sloppy;
        out.image = synth::generate(style, out.spec, m_split, kDrawSize, rng);
        const synth::Observation seen = synth::observeScene(out.image.scene, 1);
        out.draw = draw;
        if (auto q = synth::askDirect(kind, out.spec, seen.frames.front(), rng)) {
            out.question = std::move(*q);
            return out;
        }
    }
    synth::Rng rng(synth::mixSeed(m_seed, position));
    out.question = *synth::askDirect(synth::DirectKind::Caption, out.spec,
                                     synth::observeScene(out.image.scene, 1).frames.front(), rng);
    return out;
}

cv::Mat GroundingStream::render(const StreamItem& item, int size) {
    synth::RenderOptions look = item.image.look;
    look.width = look.height = size;
    return synth::render(item.image.scene, look);
}

std::vector<std::string> streamTexts(std::uint64_t seed, int items) {
    const GroundingStream stream(seed, synth::Split::Train);
    std::vector<std::string> texts;
    for (int i = 0; i < items; ++i)
        for (synth::DirectKind kind : synth::kDirectKinds) {
            const StreamItem item = stream.item(static_cast<std::uint64_t>(i), kind);
            texts.push_back(item.question.question);
            texts.push_back(item.question.answer);
        }
    return texts;
}

} // namespace rd::reward
