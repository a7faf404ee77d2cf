#include "reward/grounding_dataset.h"

#include "common/error.h"
#include "media/image_io.h"
#include "reward/grounding_questions.h"
#include "reward/reward_model.h"
#include "store/generation_repository.h"
#include "store/media_repository.h"
#include "store/prompt_repository.h"
#include "store/workspace.h"
#include "synth/alignment_judge.h"
#include "synth/pair_rationale.h"
#include "synth/rationale_writer.h"

#include <torch/torch.h>

#include <algorithm>
#include <random>
#include <set>

namespace rd::reward {

std::string showsQuestion(const std::string& prompt) {
    return "Does the image show " + prompt + "? Answer yes or no.";
}

bool isGroundingKind(const std::string& kind) {
    return std::find(std::begin(kGroundingKinds), std::end(kGroundingKinds), kind) !=
           std::end(kGroundingKinds);
}

bool isDefaultGroundingKind(const std::string& kind) {
    return isGroundingKind(kind) && kind != "near_miss";
}

std::string aboutImage(std::string question, const std::string& slot) {
    const std::string subject = "the image";
    for (size_t at = question.find(subject); at != std::string::npos;
         at = question.find(subject, at + slot.size()))
        question.replace(at, subject.size(), slot);
    return question;
}

GroundingDataset loadGroundingDataset(store::Workspace& ws, const RewardModel& rm,
                                      const std::string& split, std::uint64_t seed,
                                      std::int64_t maxImages, bool captionPlaces) {
    struct Item {
        store::RowId media;
        store::PromptRecord prompt;
        synth::PromptSpec spec;
        synth::Observation seen;
    };
    std::vector<Item> items;
    std::map<std::string, std::vector<size_t>> byCategory;
    std::set<store::RowId> seenMedia;
    for (const store::PromptRecord& prompt : ws.prompts().listBySplit(split)) {
        if (prompt.metadataJson.find("\"shapeworld\"") == std::string::npos)
            continue; // captions come from ShapeWorld scenes only
        const synth::PromptSpec spec = synth::promptSpecOf(prompt);
        for (const store::GenerationRecord& g : ws.generations().listByPrompt(prompt.id)) {
            const auto media = ws.media().get(g.mediaId).value();
            if (media.kind != store::MediaKind::Image || !seenMedia.insert(media.id).second)
                continue;
            bool fromScene = false;
            const synth::Observation seen =
                synth::observeStoredMedia(ws.resolveMediaPath(media.path), &fromScene);
            if (!fromScene)
                continue; // no ground truth for this image
            byCategory[prompt.category].push_back(items.size());
            items.push_back({media.id, prompt, spec, seen});
            if (maxImages > 0 && static_cast<std::int64_t>(items.size()) >= maxImages)
                break;
        }
        if (maxImages > 0 && static_cast<std::int64_t>(items.size()) >= maxImages)
            break;
    }
    if (items.empty())
        throw Error(ErrorKind::InvalidArgument,
                    ws.folder().string() + ": no ShapeWorld images with scenes in split '" + split +
                        "' to ground on (add some with `rdance synth` or `rdance demo`)");
    GroundingDataset data;
    std::mt19937_64 rng(seed);
    // Which phrasings and combinations a near-miss prompt may use: those of the images' split.
    const synth::Split splitRules = synth::parseSplit(split).value_or(synth::Split::Train);
    for (const Item& item : items) {
        GroundingExample ex;
        ex.mediaId = item.media;
        ex.category = item.prompt.category;
        if (!item.seen.frames.empty())
            ex.objects = item.seen.frames.front();
        ex.caption = synth::describeObservation(item.spec, item.seen,
                                                captionPlaces ? synth::ObservationDetail::WithPlaces
                                                              : synth::ObservationDetail::Counts) +
                     ".";
        ex.questions.push_back({showsQuestion(item.prompt.text),
                                synth::judge(item.spec, item.seen).satisfied, "shows"});
        // Another prompt of the same category: mostly "no", sometimes "yes" by coincidence.
        const auto& peers = byCategory[item.prompt.category];
        const Item& other = items[peers[rng() % peers.size()]];
        ex.questions.push_back({showsQuestion(other.prompt.text),
                                synth::judge(other.spec, item.seen).satisfied, "shows"});
        ex.questions.push_back(nearMissQuestion(item.spec, item.seen, splitRules, rng));
        for (GroundingQuestion& q : attributeQuestions(item.seen, rng))
            ex.questions.push_back(std::move(q));
        data.images[item.media] = rm.imageTiles(
            media::loadImageRgb(ws.resolveMediaPath(ws.media().get(item.media)->path)));
        data.examples.push_back(std::move(ex));
    }
    return data;
}

} // namespace rd::reward
