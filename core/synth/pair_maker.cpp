#include "synth/pair_maker.h"

#include "common/error.h"
#include "synth/toy_generator.h"

#include <algorithm>

namespace rd::synth {

namespace {

std::int64_t storableSeed(std::uint64_t seed) {
    return static_cast<std::int64_t>(seed >> 2); // SQLite integers are signed 64-bit
}

SynthImage cleanImage(const GeneratedImage& g, ImageRole role, std::uint64_t seed) {
    SynthImage image;
    image.scene = g.scene;
    image.look = g.look;
    image.role = role;
    image.nearMiss = g.mistake;
    image.generator = role == ImageRole::Sloppy ? kSloppyGenerator : kCleanGenerator;
    image.seed = storableSeed(seed);
    return image;
}

// Adds the pair when its winner is known; the winner's side is drawn at random.
void addPair(PromptBundle& bundle, int x, int y, Rng& rng) {
    const Observation ox = observeImage(bundle.images[size_t(x)], bundle.frames);
    const Observation oy = observeImage(bundle.images[size_t(y)], bundle.frames);
    const PromptSpec& spec = bundle.prompt.spec;
    if (!decideWinner(judge(spec, ox), judge(spec, oy)))
        return;
    SynthPair pair;
    const bool swap = rng.chance(0.5);
    pair.first = swap ? y : x;
    pair.second = swap ? x : y;
    const Observation& o1 = swap ? oy : ox;
    const Observation& o2 = swap ? ox : oy;
    pair.rationale = writeRationale(spec, o1, o2);
    pair.winner = *pair.rationale.winner;
    pair.difficulty = pairDifficulty(spec, judge(spec, o1), judge(spec, o2));
    bundle.pairs.push_back(std::move(pair));
}

} // namespace

const char* name(ImageRole role) {
    switch (role) {
    case ImageRole::Match:
        return "match";
    case ImageRole::SecondMatch:
        return "second_match";
    case ImageRole::Sloppy:
        return "sloppy";
    case ImageRole::NearMissImage:
        return "near_miss";
    case ImageRole::NearMissTwin:
        return "near_miss_twin";
    }
    return "";
}

Observation observeImage(const SynthImage& image, int frames) {
    return observeScene(image.scene, frames);
}

PromptBundle makeBundle(const SampledPrompt& prompt, std::uint64_t seed,
                        const BundleOptions& options) {
    PromptBundle bundle;
    bundle.prompt = prompt;
    bundle.frames = prompt.spec.isVideo() ? options.frames : 1;
    const Split split = prompt.split;
    const SceneBuilder builder(split);
    Rng rng(seed);

    std::uint64_t s = rng.next();
    Rng cleanRng(s);
    bundle.images.push_back(
        cleanImage(generate(GeneratorStyle::Clean, prompt.spec, split, options.size, cleanRng),
                   ImageRole::Match, s));
    const Scene match = bundle.images[0].scene; // a copy: images grows below

    if (options.sloppy) {
        s = rng.next();
        Rng sloppyRng(s);
        bundle.images.push_back(cleanImage(
            generate(GeneratorStyle::Sloppy, prompt.spec, split, options.size, sloppyRng),
            ImageRole::Sloppy, s));
    }
    std::vector<NearMiss> kinds = builder.nearMissesFor(prompt.spec);
    rng.shuffle(kinds);
    const size_t firstNearMiss = bundle.images.size();
    for (int k = 0; k < options.nearMisses && k < static_cast<int>(kinds.size()); ++k) {
        SynthImage image;
        image.seed = storableSeed(rng.next());
        Rng local(static_cast<std::uint64_t>(image.seed));
        image.scene = builder.nearMiss(prompt.spec, match, kinds[size_t(k)], local);
        image.look = bundle.images[0].look;
        image.look.seed = local.next();
        image.role = ImageRole::NearMissImage;
        image.nearMiss = kinds[size_t(k)];
        image.generator = kNearMissGenerator;
        bundle.images.push_back(std::move(image));
    }
    const size_t nearMissEnd = bundle.images.size();

    // Ties at graded difficulty: now and then a second clean sample (both right) or a twin of
    // the first near miss, wrong the same way with other details (both wrong alike).
    const double extra = rng.uniformReal();
    if (extra < 0.3) {
        s = rng.next();
        Rng local(s);
        bundle.images.push_back(
            cleanImage(generate(GeneratorStyle::Clean, prompt.spec, split, options.size, local),
                       ImageRole::SecondMatch, s));
    } else if (extra < 0.6 && nearMissEnd > firstNearMiss) {
        SynthImage twin = bundle.images[firstNearMiss];
        twin.seed = storableSeed(rng.next());
        Rng local(static_cast<std::uint64_t>(twin.seed));
        const Scene otherMatch = builder.match(prompt.spec, local);
        twin.scene = builder.nearMiss(prompt.spec, otherMatch, *twin.nearMiss, local);
        twin.look.seed = local.next();
        twin.role = ImageRole::NearMissTwin;
        bundle.images.push_back(std::move(twin));
    }

    Rng pairRng(rng.next());
    for (size_t i = firstNearMiss; i < nearMissEnd; ++i)
        addPair(bundle, 0, int(i), pairRng);
    if (options.sloppy)
        addPair(bundle, 0, 1, pairRng);
    if (nearMissEnd - firstNearMiss >= 2)
        addPair(bundle, int(firstNearMiss), int(firstNearMiss + 1), pairRng);
    if (bundle.images.size() > nearMissEnd) {
        const bool secondMatch = bundle.images.back().role == ImageRole::SecondMatch;
        addPair(bundle, secondMatch ? 0 : int(firstNearMiss), int(nearMissEnd), pairRng);
    }
    return bundle;
}

std::vector<PromptBundle> makeBundles(Split split, MediaMode mode, int count, std::uint64_t seed,
                                      const BundleOptions& options) {
    if (count < 0)
        throw Error(ErrorKind::InvalidArgument, "ShapeWorld: a negative prompt count");
    const std::vector<Category> categories = categoriesFor(mode);
    const std::uint64_t base =
        mixSeed(mixSeed(seed, hashName(name(split))), mode == MediaMode::Video ? 2 : 1);
    std::vector<PromptBundle> bundles;
    bundles.reserve(static_cast<size_t>(count));
    for (int i = 0; i < count; ++i) {
        const std::uint64_t promptSeed = mixSeed(base, static_cast<std::uint64_t>(i));
        Rng rng(promptSeed);
        const Category category = categories[static_cast<size_t>(i) % categories.size()];
        const SampledPrompt prompt = samplePrompt(category, split, mode, rng);
        bundles.push_back(makeBundle(prompt, rng.next(), options));
    }
    return bundles;
}

} // namespace rd::synth
