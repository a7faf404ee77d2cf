#include "rm_train_bench.h"
#include "bench_tokenizer.h"
#include "python_baseline.h"
#include "rm_train_step.h"
#include "scratch_folder.h"
#include "timing.h"

#include "common/error.h"
#include "compute/compute_context.h"
#include "model/model_checkpoint.h"
#include "model/safetensors_writer.h"
#include "reward/losses.h"
#include "reward/reward_model.h"
#include "reward/training_rows.h"

#include <torch/torch.h>

#include <filesystem>

#include <unistd.h>

namespace rd::bench {
namespace fs = std::filesystem;

namespace {

// The batch as the Python side needs it: the trainer's own collation.
void writeBatch(const fs::path& file, const reward::RewardModel& rm,
                const std::vector<reward::TrainingRow>& rows,
                const std::map<store::RowId, at::Tensor>& images) {
    const reward::CollatedRows c = reward::collateRows(rm.endOfTurnId(), rows, images);
    model::writeSafetensors(
        file, {{"ids", c.ids},
               {"pixels", c.pixels},
               {"image_slots", c.imageSlots},
               {"target_flat", c.targetIndex},
               {"target_tokens", c.targets},
               {"image_context_id", torch::tensor({int64_t{rm.imageContextId()}}, torch::kLong)}});
}

nlohmann::json presetFigures(const RmTrainBenchOptions& o, const std::string& preset, int threads,
                             const fs::path& scratch, const fs::path& tokenizer) {
    TrainStepFixture step(preset, tokenizer, o.pairs);
    const fs::path weights = scratch / preset;
    step.model().save(weights); // the starting weights, for Python
    const fs::path batch = scratch / (preset + "-batch.safetensors");
    writeBatch(batch, step.model(), step.rows(), step.images());
    const AlternatingTimes t = timeAlternating(
        o.rounds, [&] { return step.secondsPerStep(o.repeats); },
        [&] {
            return runPythonBaseline(o.python, o.scriptDir, "rm_train_bench.py",
                                     {weights.string(), batch.string(), std::to_string(threads),
                                      std::to_string(o.repeats)})
                .at("seconds_per_step")
                .get<double>();
        });
    return {{"preset", preset},
            {"parameters", model::countParameters(step.model().vlm()->config()).total()},
            {"rows_per_step", step.rows().size()},
            {"tokens_per_row", step.rows().front().ids.size()},
            {"pairs_per_s", o.pairs / t.engineSeconds},
            {"python_pairs_per_s", o.pairs / t.baselineSeconds},
            {"speedup_vs_python", t.ratio},
            {"speedup_vs_python_per_round", t.ratios}};
}

} // namespace

nlohmann::json runRmTrainBench(const RmTrainBenchOptions& o) {
    if (o.repeats < 1 || o.rounds < 1 || o.pairs < 1)
        throw Error(ErrorKind::InvalidArgument,
                    "bench rm-train needs --repeats, --rounds and --pairs of at least 1");
    compute::ComputeContext ctx;
    ctx.threads = o.threads;
    const int threads = compute::configureThreads(ctx);
    const ScratchFolder scratch("rm-train");
    nlohmann::json result = {{"threads", threads}, {"pairs_per_step", o.pairs}};
    writeBenchTokenizer(scratch / "tokenizer.json");
    nlohmann::json rows = nlohmann::json::array();
    for (const std::string& preset : o.presets)
        rows.push_back(
            presetFigures(o, preset, threads, scratch.path(), scratch / "tokenizer.json"));
    result["presets"] = rows;
    return result;
}

} // namespace rd::bench
