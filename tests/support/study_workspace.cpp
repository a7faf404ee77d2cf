#include "study_workspace.h"

#include "store/generation_repository.h"
#include "store/gsb_repository.h"
#include "store/pair_repository.h"
#include "synth/pair_maker.h"
#include "synth/synth_writer.h"

namespace rd::test {

std::unique_ptr<store::Workspace> studyWorkspace(const std::filesystem::path& folder,
                                                 synth::MediaMode mode) {
    auto ws = store::Workspace::create(folder);
    synth::BundleOptions options;
    options.frames = 8;
    synth::writeBundles(*ws, synth::makeBundles(synth::Split::Train, mode, 6, 4, options), {});
    store::GsbStudyRecord study;
    study.name = kStudyName;
    study.baselineGenerator = "shapeworld-clean";
    study.candidateGenerator = "shapeworld-sloppy";
    const store::RowId studyId = ws->gsb().createStudy(study);
    int position = 0;
    for (const store::PairRecord& pair : ws->pairs().list({})) {
        const auto a = ws->generations().get(pair.genA)->generator;
        const auto b = ws->generations().get(pair.genB)->generator;
        if (!((a == study.baselineGenerator && b == study.candidateGenerator) ||
              (b == study.baselineGenerator && a == study.candidateGenerator)))
            continue;
        store::GsbItemRecord item;
        item.studyId = studyId;
        item.pairId = pair.id;
        item.candidateLeft = position % 2 == 0;
        item.position = position++;
        ws->gsb().addItem(item);
    }
    return ws;
}

} // namespace rd::test
