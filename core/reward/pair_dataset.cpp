#include "reward/pair_dataset.h"

#include "common/error.h"
#include "label/human_labels.h"
#include "media/image_io.h"
#include "reward/reward_model.h"
#include "store/generation_repository.h"
#include "store/media_repository.h"
#include "store/pair_repository.h"
#include "store/prompt_repository.h"
#include "store/workspace.h"
#include "synth/pair_rationale.h"

#include <torch/torch.h>

#include <algorithm>

namespace rd::reward {

namespace {

// The bare answer, or the stored rationale when it answers this order (imported pairs store
// one decision-first text for order AB).
OrderedAnswer plainAnswer(bool yes, const std::string& storedRationale, bool orderAb) {
    OrderedAnswer a;
    a.yes = yes;
    const std::string word = yes ? "yes" : "no";
    if (orderAb && storedRationale.rfind(word, 0) == 0)
        a.decisionFirst = storedRationale;
    return a;
}

OrderedAnswer fromRationale(const synth::Rationale& r) {
    return {r.answerYes, r.decisionFirst, r.reasoningFirst};
}

OrderedAnswer fromChecklist(const synth::Checklist& c) {
    return {c.satisfied, c.decisionFirst(), c.reasoningFirst()};
}

bool isShapeWorld(const store::PromptRecord& prompt) {
    return prompt.metadataJson.find("\"shapeworld\"") != std::string::npos;
}

} // namespace

const at::Tensor& PairDataset::image(store::RowId mediaId) const {
    const auto it = images.find(mediaId);
    if (it == images.end())
        throw Error(ErrorKind::NotFound, "media " + std::to_string(mediaId) + " was not loaded");
    return it->second;
}

PairDataset loadPairDataset(store::Workspace& ws, const RewardModel& rm,
                            const PairDatasetOptions& options) {
    PairDataset data;
    store::PairFilter filter;
    filter.split = options.split;
    std::map<store::RowId, store::PromptRecord> prompts;
    if (options.labels != LabelSource::Pairs && !options.humanLabels)
        throw Error(ErrorKind::InvalidArgument, "pair dataset: human labels were not given");
    std::set<label::GenerationKey> readByPeople; // the same two images are read once
    for (const store::PairRecord& pair : ws.pairs().list(filter)) {
        if (options.maxPairs > 0 &&
            static_cast<std::int64_t>(data.pairs.size()) >= options.maxPairs)
            break;
        if (!options.onlyPairs.empty() && !options.onlyPairs.count(pair.id))
            continue;
        store::Preference preferred = pair.preferred;
        bool byPeople = false;
        if (options.labels != LabelSource::Pairs) {
            const auto human = options.humanLabels->labelFor(pair);
            if (human) {
                if (!readByPeople.insert(label::generationKey(pair)).second)
                    continue;
                preferred = *human;
                byPeople = true;
            } else if (options.labels == LabelSource::Humans) {
                ++data.skippedWithoutHumanLabel;
                continue;
            }
        }
        if (preferred == store::Preference::Unknown && !options.keepUnlabelled) {
            ++data.skippedUnknown;
            continue;
        }
        if (!prompts.count(pair.promptId))
            prompts[pair.promptId] = ws.prompts().get(pair.promptId).value();
        const store::PromptRecord& prompt = prompts[pair.promptId];
        if (!options.categories.empty() &&
            std::find(options.categories.begin(), options.categories.end(), prompt.category) ==
                options.categories.end())
            continue;
        const auto genA = ws.generations().get(pair.genA).value();
        const auto genB = ws.generations().get(pair.genB).value();
        const auto mediaA = ws.media().get(genA.mediaId).value();
        const auto mediaB = ws.media().get(genB.mediaId).value();
        if (mediaA.kind != store::MediaKind::Image || mediaB.kind != store::MediaKind::Image) {
            ++data.skippedVideos;
            continue;
        }
        PairExample ex;
        ex.pairId = pair.id;
        ex.prompt = prompt.text;
        ex.category = prompt.category;
        ex.preferred = preferred;
        ex.humanLabel = byPeople;
        ex.mediaA = mediaA.id;
        ex.mediaB = mediaB.id;
        // "Is image 2 better than image 1?": yes exactly when image 2 is the preferred one.
        const bool bWins = preferred == store::Preference::B;
        const bool aWins = preferred == store::Preference::A;
        bool scene = options.withRationales && isShapeWorld(prompt) &&
                     preferred != store::Preference::Unknown;
        if (scene) {
            const synth::Rationale ab =
                synth::rationaleForPair(ws, pair.id, store::JudgeOrder::AB).rationale;
            const synth::Rationale ba =
                synth::rationaleForPair(ws, pair.id, store::JudgeOrder::BA).rationale;
            if (ab.answerYes != bWins || ba.answerYes != aWins) {
                if (!byPeople) { // edited by hand since it was made
                    ++data.skippedInconsistent;
                    continue;
                }
                ++data.humanAgainstScene; // people decide: the bare answer, no checklist
                scene = false;
            } else {
                ex.ab = fromRationale(ab);
                ex.checklistA = fromChecklist(ab.image1);
                ex.checklistB = fromChecklist(ab.image2);
                ex.ba = fromRationale(ba);
            }
        }
        if (!scene) {
            ex.ab = plainAnswer(bWins, byPeople ? std::string() : pair.rationale, true);
            ex.ba = plainAnswer(aWins, byPeople ? std::string() : pair.rationale, false);
        }
        data.humanLabelled += byPeople ? 1 : 0;
        for (const store::MediaRecord* m : {&mediaA, &mediaB})
            if (!data.images.count(m->id))
                data.images[m->id] =
                    rm.imageTiles(media::loadImageRgb(ws.resolveMediaPath(m->path)));
        data.pairs.push_back(std::move(ex));
    }
    return data;
}

std::pair<std::vector<PairExample>, std::vector<PairExample>>
holdOut(const std::vector<PairExample>& pairs, double fraction) {
    std::vector<PairExample> train, validation;
    for (const PairExample& p : pairs) {
        // splitmix64 of the id: a fixed pseudo-random draw per pair.
        std::uint64_t z = static_cast<std::uint64_t>(p.pairId) + 0x9E3779B97F4A7C15ull;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        z ^= z >> 31;
        const double u = static_cast<double>(z >> 11) / 9007199254740992.0;
        (u < fraction ? validation : train).push_back(p);
    }
    return {train, validation};
}

} // namespace rd::reward
