#include "reward/rm_sweep.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/table.h"
#include "eval/table_writer.h"
#include "model/model_config.h"
#include "reward/rm_judge.h"
#include "reward/rm_trainer.h"
#include "store/run_repository.h"
#include "store/workspace.h"

#include <chrono>
#include <functional>
#include <map>
#include <ostream>
#include <sstream>

namespace rd::reward {
namespace fs = std::filesystem;

namespace {

struct Trained {
    std::string label;
    std::string preset;
    std::string folder; // relative to the workspace
    double seconds = 0.0;
    nlohmann::json id, ood;
};

RmTrainSpec baseSpec(const SweepOptions& o, const std::string& out, double minutes) {
    RmTrainSpec s;
    s.out = out;
    s.name = fs::path(out).filename().string();
    s.seed = o.seed;
    s.threads = o.threads;
    s.lr = o.lr;
    s.batch = o.batch;
    if (o.steps > 0) {
        s.steps = o.steps;
        s.evalEvery = std::max<std::int64_t>(1, o.steps / 4);
        s.warmupSteps = std::min<std::int64_t>(s.warmupSteps, o.steps / 4);
    } else {
        s.steps = 0; // until the budget is spent
        s.timeLimitSeconds = minutes * 60.0;
        s.evalEvery = 100;
    }
    s.checkpointEvery = 0;
    return s;
}

Trained trainAndEvaluate(store::Workspace& ws, const RmTrainSpec& spec, const std::string& label,
                         std::ostream* events) {
    const RmTrainResult r = trainRewardModel(ws, spec, events);
    Trained t;
    t.label = label;
    t.folder = spec.out;
    t.seconds = r.seconds;
    t.id = evaluateOnSplit(ws, r.checkpoint, "id", spec.batch);
    t.ood = evaluateOnSplit(ws, r.checkpoint, "ood", spec.batch);
    if (events)
        *events << nlohmann::json({{"event", "sweep_run"},
                                   {"label", label},
                                   {"id_accuracy", t.id["accuracy"]},
                                   {"ood_accuracy", t.ood["accuracy"]},
                                   {"seconds", t.seconds}})
                       .dump()
                << std::endl;
    return t;
}

Table accuracyTable(const std::vector<Trained>& runs, const std::string& firstColumn) {
    Table t{{firstColumn, "preset", "id_accuracy", "ood_accuracy", "ood_consistency",
             "training_minutes"},
            {}};
    for (const Trained& r : runs)
        t.rows.push_back(
            {r.label, r.preset, r.id["accuracy"].get<double>(), r.ood["accuracy"].get<double>(),
             r.ood["consistency"].is_number() ? Cell(r.ood["consistency"].get<double>()) : Cell(),
             r.seconds / 60.0});
    return t;
}

std::string markdown(const Table& table) {
    std::ostringstream out;
    eval::writeTable(table, eval::TableFormat::Markdown, out);
    return out.str();
}

} // namespace

nlohmann::json runSweep(store::Workspace& ws, const SweepOptions& o, std::ostream* events) {
    if (o.presets.empty())
        throw Error(ErrorKind::InvalidArgument, "the sweep needs at least one preset");
    const auto start = std::chrono::steady_clock::now();
    std::vector<Trained> ladder;
    std::map<std::string, double> groundingSeconds;
    for (const std::string& preset : o.presets) {
        RmTrainSpec grounding = baseSpec(o, o.out + "/" + preset + "-grounded", o.groundingMinutes);
        grounding.stage = "grounding";
        grounding.preset = preset;
        grounding.batch = o.groundingBatch;
        groundingSeconds[preset] = trainRewardModel(ws, grounding, events).seconds;
        RmTrainSpec pairwise = baseSpec(o, o.out + "/" + preset + "-pairwise", o.rewardMinutes);
        pairwise.backbone = grounding.out;
        Trained t = trainAndEvaluate(ws, pairwise, preset, events);
        t.preset = preset;
        t.seconds += groundingSeconds[preset];
        ladder.push_back(t);
    }
    // The ablations start from the backbone that generalises best (OOD, paper §4.2).
    const Trained* best = &ladder.front();
    for (const Trained& t : ladder)
        if (t.ood["accuracy"].get<double>() >= best->ood["accuracy"].get<double>())
            best = &t;
    const std::string backbone = o.out + "/" + best->preset + "-grounded";
    std::vector<Trained> paradigms, context;
    if (o.ablations) {
        Trained pairwise = *best;
        pairwise.label = "pairwise generative (reference, instruction, CoT)";
        pairwise.seconds -= groundingSeconds[best->preset];
        auto ablation = [&](const std::string& name, const std::string& label,
                            const std::function<void(RmTrainSpec&)>& change) {
            RmTrainSpec s = baseSpec(o, o.out + "/" + best->preset + "-" + name, o.rewardMinutes);
            s.backbone = backbone;
            change(s);
            Trained t = trainAndEvaluate(ws, s, label, events);
            t.preset = best->preset;
            return t;
        };
        paradigms.push_back(ablation("regressive", "pointwise regressive (BT head)",
                                     [](RmTrainSpec& s) { s.paradigm = "regressive"; }));
        paradigms.push_back(ablation("pointwise", "pointwise generative",
                                     [](RmTrainSpec& s) { s.paradigm = "pointwise"; }));
        paradigms.push_back(pairwise);
        context.push_back(ablation("no-reference", "pairwise without reference image",
                                   [](RmTrainSpec& s) { s.withReference = false; }));
        context.push_back(ablation("no-instruction", "pairwise without task instruction",
                                   [](RmTrainSpec& s) { s.withInstruction = false; }));
        context.push_back(ablation("no-cot", "pairwise without chain-of-thought",
                                   [](RmTrainSpec& s) { s.cot = "none"; }));
        context.push_back(pairwise);
    }

    Table scaling{{"preset", "parameters", "id_accuracy", "ood_accuracy", "ood_consistency",
                   "training_minutes"},
                  {}};
    for (const Trained& t : ladder)
        scaling.rows.push_back(
            {t.preset, model::countParameters(model::presetConfig(t.preset)).total(),
             t.id["accuracy"].get<double>(), t.ood["accuracy"].get<double>(),
             t.ood["consistency"].is_number() ? Cell(t.ood["consistency"].get<double>()) : Cell(),
             t.seconds / 60.0});
    const double minutes =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / 60.0;
    std::string text = "## Model scaling (Table 2 style)\n\n" + markdown(scaling);
    if (o.ablations)
        text += "\n## Paradigms (Table 7 style), from the " + best->preset + " backbone\n\n" +
                markdown(accuracyTable(paradigms, "paradigm")) +
                "\n## Reward context (Tables 7 and 9 style)\n\n" +
                markdown(accuracyTable(context, "variant"));
    text += "\nSweep time: " + std::to_string(minutes) + " minutes.\n";

    nlohmann::json result = {{"minutes", minutes},
                             {"ablation_preset", best->preset},
                             {"options",
                              {{"presets", o.presets},
                               {"grounding_minutes", o.groundingMinutes},
                               {"reward_minutes", o.rewardMinutes},
                               {"steps", o.steps}}}};
    auto rows = [](const std::vector<Trained>& runs) {
        nlohmann::json a = nlohmann::json::array();
        for (const Trained& t : runs)
            a.push_back({{"label", t.label},
                         {"preset", t.preset},
                         {"checkpoint", t.folder},
                         {"minutes", t.seconds / 60.0},
                         {"id", t.id},
                         {"ood", t.ood}});
        return a;
    };
    result["scaling"] = rows(ladder);
    result["paradigms"] = rows(paradigms);
    result["context"] = rows(context);
    const fs::path out = ws.folder() / o.out;
    writeFileAtomically(out / "sweep.json", [&](std::ostream& f) { f << result.dump(2); });
    writeFileAtomically(out / "tables.md", [&](std::ostream& f) { f << text; });

    const store::RowId run = ws.runs().create("rm_sweep", result["options"].dump());
    std::vector<store::MetricPoint> points;
    std::int64_t index = 0;
    for (const auto& group : {ladder, paradigms, context}) {
        for (const Trained& t : group) {
            points.push_back({run, index, "sweep/id_accuracy", t.id["accuracy"].get<double>()});
            points.push_back({run, index, "sweep/ood_accuracy", t.ood["accuracy"].get<double>()});
            ++index;
        }
    }
    ws.runs().addMetrics(points);
    ws.runs().setCheckpoint(run, out.string());
    ws.runs().setStatus(run, store::RunStatus::Done);
    result["run_id"] = run;
    result["tables_markdown"] = text;
    return result;
}

} // namespace rd::reward
