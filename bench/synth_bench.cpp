#include "synth_bench.h"
#include "timing.h"

#include "synth/oracle.h"
#include "synth/oracle_agreement.h"
#include "synth/renderer.h"
#include "synth/scene_builder.h"

#include <chrono>
#include <vector>

namespace rd::bench {

namespace {

struct Item {
    synth::PromptSpec spec;
    synth::Scene scene;
};

// Prompts of every category with their matching scenes, drawn before timing starts.
std::vector<Item> makeItems(int count) {
    std::vector<Item> items;
    const auto categories = synth::categoriesFor(synth::MediaMode::Image);
    for (int i = 0; i < count; ++i) {
        synth::Rng rng(synth::mixSeed(99, static_cast<std::uint64_t>(i)));
        const auto prompt = synth::samplePrompt(categories[size_t(i) % categories.size()],
                                                synth::Split::Train, synth::MediaMode::Image, rng);
        items.push_back(
            {prompt.spec, synth::SceneBuilder(synth::Split::Train).match(prompt.spec, rng)});
    }
    return items;
}

nlohmann::json speedAt(const std::vector<Item>& items, int size) {
    synth::RenderOptions look;
    look.width = look.height = size;
    std::vector<cv::Mat> images;
    images.reserve(items.size());
    auto start = Clock::now();
    for (const Item& item : items)
        images.push_back(synth::render(item.scene, look));
    const double renderSeconds = secondsSince(start);
    start = Clock::now();
    long satisfied = 0;
    for (size_t i = 0; i < items.size(); ++i)
        satisfied += synth::scoreImage(items[i].spec, images[i]).judgement.satisfied ? 1 : 0;
    const double oracleSeconds = secondsSince(start);
    const double n = static_cast<double>(items.size());
    return {{"size", size},
            {"renders_per_s", n / renderSeconds},
            {"oracle_checks_per_s", n / oracleSeconds},
            {"oracle_satisfied_on_matches", satisfied / n}};
}

} // namespace

nlohmann::json runSynthBench(const SynthBenchOptions& options) {
    const std::vector<Item> items = makeItems(options.renders);
    nlohmann::json speed = nlohmann::json::array({speedAt(items, 64), speedAt(items, 256)});

    nlohmann::json ladder = nlohmann::json::array();
    const auto start = Clock::now();
    for (const auto& p : synth::oracleRobustness(options.agreementPrompts, options.size, 1)) {
        nlohmann::json categories;
        for (const auto& [category, c] : p.report.byCategory)
            categories[category] = c.items ? double(c.agreed) / c.items : 0.0;
        ladder.push_back({{"condition", p.condition},
                          {"blur_sigma_px_at_64", p.blurSigma},
                          {"noise_sigma", p.noiseSigma},
                          {"agreement", p.report.agreement},
                          {"false_accepts", p.report.falseAccepts},
                          {"false_rejects", p.report.falseRejects},
                          {"mean_score_error", p.report.meanScoreError},
                          {"by_category", categories}});
    }
    return {{"renders", options.renders},
            {"speed", speed},
            {"oracle_agreement",
             {{"prompts", options.agreementPrompts},
              {"size", options.size},
              {"seconds", secondsSince(start)},
              {"ladder", ladder}}}};
}

} // namespace rd::bench
