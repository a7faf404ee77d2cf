#include "inspect_fixture.h"

#include "store/generation_repository.h"
#include "store/gsb_repository.h"
#include "store/model_repository.h"
#include "store/pair_repository.h"
#include "store/prompt_repository.h"
#include "store/rm_judgment_repository.h"
#include "study_workspace.h"

#include <map>

namespace rd::test {

InspectFixture inspectFixture(const std::filesystem::path& folder) {
    InspectFixture fx;
    fx.ws = studyWorkspace(folder);
    store::Workspace& ws = *fx.ws;
    store::ModelRecord model;
    model.name = "rm-under-inspection";
    model.arch = "rd-xs/pairwise";
    model.path = "/nowhere";
    fx.modelId = ws.models().upsert(model);

    std::map<store::RowId, size_t> indexOf;
    int i = 0;
    for (const store::PairRecord& pair : ws.pairs().list({})) {
        FixturePair p;
        p.id = pair.id;
        p.category = ws.prompts().get(pair.promptId)->category;
        p.label = pair.preferred == store::Preference::B   ? 1
                  : pair.preferred == store::Preference::A ? -1
                                                           : 0;
        if (i % 7 != 6) { // every seventh pair stays unjudged
            p.pAB = 0.05 + (i % 10) * 0.1;
            // Every fourth pair answers alike in both orders; the others flip, off by a little.
            p.pBA = i % 4 == 0 ? *p.pAB : 1.0 - *p.pAB + 0.02;
            // P(no): none on every third (judged before schema v4); a fifth of the rest of the
            // mass on every third after it, so that P(yes) = 0.25 still answers yes; all of the
            // rest on the others.
            if (i % 3 != 0) {
                const double share = i % 3 == 1 ? 0.2 : 1.0;
                p.pNoAB = (1.0 - *p.pAB) * share;
                p.pNoBA = (1.0 - *p.pBA) * share;
            }
            ws.rmJudgments().upsert({0, pair.id, fx.modelId, store::JudgeOrder::AB, *p.pAB,
                                     "rationale ab " + std::to_string(i), 1.0, "", p.pNoAB});
            ws.rmJudgments().upsert({0, pair.id, fx.modelId, store::JudgeOrder::BA, *p.pBA,
                                     "rationale ba " + std::to_string(i), 1.0, "", p.pNoBA});
        }
        indexOf[pair.id] = fx.pairs.size();
        fx.pairs.push_back(p);
        ++i;
    }

    const auto study = ws.gsb().findStudy(kStudyName).value();
    const store::Verdict cycle[] = {store::Verdict::Good, store::Verdict::Bad, store::Verdict::Same,
                                    store::Verdict::Good};
    int j = 0;
    for (const store::GsbItemRecord& item : ws.gsb().items(study.id)) {
        const store::Verdict verdict = cycle[j % 4];
        ws.gsb().addJudgment(
            {0, item.id, kInspectAnnotator, verdict, "reason " + std::to_string(j), 100, ""});
        const auto pair = ws.pairs().get(item.pairId).value();
        const bool candidateIsB = // the labeling session's rule
            ws.generations().get(pair.genA)->generator != study.candidateGenerator;
        if (verdict != store::Verdict::Same)
            fx.pairs[indexOf.at(item.pairId)].humanLean +=
                (verdict == store::Verdict::Good) == candidateIsB ? 1 : -1;
        ++j;
    }
    return fx;
}

} // namespace rd::test
