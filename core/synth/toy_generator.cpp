#include "synth/toy_generator.h"

namespace rd::synth {

namespace {

constexpr double kSloppyMistakeRate = 0.55;

} // namespace

GeneratedImage generate(GeneratorStyle style, const PromptSpec& spec, Split split, int size,
                        Rng& rng) {
    const SceneBuilder builder(split);
    GeneratedImage out;
    out.scene = builder.match(spec, rng);
    out.look.width = out.look.height = size;
    if (style == GeneratorStyle::Clean) {
        out.look.texture = rng.chance(0.3);
        out.look.seed = rng.next();
        return out;
    }
    if (rng.chance(kSloppyMistakeRate)) {
        // Sloppy generators mostly miscount, miscolour and misplace; the rest is any near miss.
        const std::vector<NearMiss> kinds = builder.nearMissesFor(spec);
        std::vector<NearMiss> typical;
        for (NearMiss k : kinds)
            if (k == NearMiss::WrongCount || k == NearMiss::WrongColor ||
                k == NearMiss::SwappedPosition || k == NearMiss::SwappedColors ||
                k == NearMiss::WrongDirection)
                typical.push_back(k);
        out.mistake = !typical.empty() && rng.chance(0.7) ? rng.pick(typical) : rng.pick(kinds);
        out.scene = builder.nearMiss(spec, out.scene, *out.mistake, rng);
    }
    out.scene = jitterScene(out.scene, 0.3, rng.next());
    out.look.texture = true;
    out.look.blurSigma = rng.uniformReal(0.2, 0.5);
    out.look.noiseSigma = rng.uniformReal(3.0, 9.0);
    out.look.seed = rng.next();
    return out;
}

} // namespace rd::synth
