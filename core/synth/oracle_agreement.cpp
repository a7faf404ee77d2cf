#include "synth/oracle_agreement.h"

#include "synth/oracle.h"
#include "synth/renderer.h"
#include "synth/scene_builder.h"

#include <cmath>
#include <sstream>

namespace rd::synth {

AgreementReport measureOracleAgreement(const AgreementOptions& options) {
    AgreementReport report;
    const std::vector<Category> categories = categoriesFor(options.mode);
    const bool video = options.mode == MediaMode::Video;
    double scoreError = 0.0;
    for (int i = 0; i < options.prompts; ++i) {
        Rng rng(mixSeed(options.seed, static_cast<std::uint64_t>(i)));
        const Category category = categories[static_cast<size_t>(i) % categories.size()];
        const Split split = kSplits[static_cast<size_t>(rng.uniformInt(0, 2))];
        const SampledPrompt prompt = samplePrompt(category, split, options.mode, rng);
        const SceneBuilder builder(split);
        Scene scene = builder.match(prompt.spec, rng);
        if (rng.chance(0.5))
            scene = builder.nearMiss(prompt.spec, scene,
                                     rng.pick(builder.nearMissesFor(prompt.spec)), rng);
        RenderOptions look;
        look.width = look.height = options.size;
        look.texture = options.texture && rng.chance(0.5);
        look.blurSigma = options.blurSigma;
        look.noiseSigma = options.noiseSigma;
        look.seed = rng.next();
        const int frames = video ? kDefaultClipFrames : 1;
        const Judgement truth = judge(prompt.spec, observeScene(scene, frames));
        const OracleResult seen = video ? scoreClip(prompt.spec, renderClip(scene, look, frames))
                                        : scoreImage(prompt.spec, render(scene, look));
        const bool agreed = truth.satisfied == seen.judgement.satisfied;
        ++report.items;
        report.agreed += agreed ? 1 : 0;
        report.falseAccepts += (!truth.satisfied && seen.judgement.satisfied) ? 1 : 0;
        report.falseRejects += (truth.satisfied && !seen.judgement.satisfied) ? 1 : 0;
        scoreError += std::abs(truth.score - seen.judgement.score);
        CategoryAgreement& c = report.byCategory[name(category)];
        ++c.items;
        c.agreed += agreed ? 1 : 0;
        if (!agreed && report.examples.size() < 10) {
            std::ostringstream what;
            what << "#" << i << " '" << prompt.text << "': truth "
                 << (truth.satisfied ? "yes" : "no") << ", oracle "
                 << (seen.judgement.satisfied ? "yes" : "no") << "; oracle saw";
            for (const DetectedObject& d : seen.objects)
                what << " " << name(d.object.color) << " " << name(d.object.shape) << "(s "
                     << d.solidity << " f " << d.fill << ")";
            report.examples.push_back(what.str());
        }
    }
    report.agreement = report.items ? double(report.agreed) / report.items : 0.0;
    report.meanScoreError = report.items ? scoreError / report.items : 0.0;
    return report;
}

std::vector<RobustnessPoint> oracleRobustness(int prompts, int size, std::uint64_t seed) {
    std::vector<RobustnessPoint> points{{"clean", 0.0, 0.0, {}},     {"blur 0.5", 0.5, 0.0, {}},
                                        {"blur 1.0", 1.0, 0.0, {}},  {"blur 1.5", 1.5, 0.0, {}},
                                        {"noise 5", 0.0, 5.0, {}},   {"noise 10", 0.0, 10.0, {}},
                                        {"noise 20", 0.0, 20.0, {}}, {"noise 30", 0.0, 30.0, {}}};
    for (RobustnessPoint& p : points) {
        AgreementOptions o;
        o.prompts = prompts;
        o.size = size;
        o.seed = seed;
        o.blurSigma = p.blurSigma;
        o.noiseSigma = p.noiseSigma;
        p.report = measureOracleAgreement(o);
    }
    return points;
}

} // namespace rd::synth
