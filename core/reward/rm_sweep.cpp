#include "reward/rm_sweep.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/table.h"
#include "eval/table_writer.h"
#include "jobs/job_fields.h"
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
    std::string folder;            // relative to the workspace
    double seconds = 0.0;          // training time, with the runs this one started from
    double groundingSeconds = 0.0; // of that, the grounding steps (ladder rows)
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

// Where one step of one preset's recipe is written: OUT/<preset>-<step>, in the workspace.
std::string folderOf(const SweepOptions& o, const std::string& preset, const std::string& step) {
    return o.out + "/" + preset + "-" + step;
}

// Step 1 of the recipe (rm_sweep.h): the preset's "grounded" backbone; returns seconds.
double groundPreset(store::Workspace& ws, const SweepOptions& o, const std::string& preset,
                    std::ostream* events) {
    RmTrainSpec grounded = baseSpec(o, folderOf(o, preset, "grounded"), o.groundingMinutes);
    grounded.stage = RmStage::Grounding;
    grounded.groundingSource = GroundingSource::Stream;
    grounded.batch = o.groundingBatch;
    grounded.preset = preset;
    return trainRewardModel(ws, grounded, events).seconds;
}

} // namespace

nlohmann::json runSweep(store::Workspace& ws, const SweepOptions& o, std::ostream* events) {
    if (o.presets.empty())
        throw Error(ErrorKind::InvalidArgument, "the sweep needs at least one preset");
    std::string checkedOut; // as a job spec's out folder is checked, before anything is written
    jobs::JobFields({{"out", o.out}}, "rm sweep --out").readOutFolder("out", checkedOut);
    const auto start = std::chrono::steady_clock::now();
    std::vector<Trained> ladder;
    std::map<std::string, Trained> pointwiseOf;
    for (const std::string& preset : o.presets) {
        const double groundingSeconds = groundPreset(ws, o, preset, events);
        RmTrainSpec pointwise = baseSpec(o, folderOf(o, preset, "pointwise"), o.rewardMinutes);
        pointwise.backbone = folderOf(o, preset, "grounded");
        pointwise.paradigm = Paradigm::PointwiseGenerative;
        Trained judged = trainAndEvaluate(ws, pointwise, "pointwise generative", events);
        judged.preset = preset;
        pointwiseOf[preset] = judged;
        RmTrainSpec pairwise = baseSpec(o, folderOf(o, preset, "pairwise"), o.rewardMinutes);
        pairwise.backbone = pointwise.out;
        // The decision-first answer alone (ReFL's reward): 77-79% ID against 66-71% for both
        // formats on one model in three seeds (docs/RM_TRAINING.md); Table 9 below runs the rest.
        pairwise.cot = CotFormat::DecisionFirst;
        Trained t = trainAndEvaluate(ws, pairwise, preset, events);
        t.preset = preset;
        t.seconds += judged.seconds + groundingSeconds;
        t.groundingSeconds = groundingSeconds;
        ladder.push_back(t);
    }
    // The ablations are run for the preset that generalises best (OOD, paper §4.2).
    const Trained* best = &ladder.front();
    for (const Trained& t : ladder)
        if (t.ood["accuracy"].get<double>() >= best->ood["accuracy"].get<double>())
            best = &t;
    const Trained& bestPointwise = pointwiseOf[best->preset];
    std::vector<Trained> paradigms, context;
    if (o.ablations) {
        Trained pairwise = *best;
        pairwise.label = "pairwise generative (reference, instruction, CoT decision-first)";
        pairwise.seconds -= best->groundingSeconds;
        auto ablation = [&](const std::string& name, const std::string& label,
                            const std::string& from,
                            const std::function<void(RmTrainSpec&)>& change) {
            RmTrainSpec s = baseSpec(o, folderOf(o, best->preset, name), o.rewardMinutes);
            s.backbone = from;
            change(s);
            Trained t = trainAndEvaluate(ws, s, label, events);
            t.preset = best->preset;
            return t;
        };
        paradigms.push_back(ablation(
            "regressive", "pointwise regressive (BT head)", folderOf(o, best->preset, "grounded"),
            [](RmTrainSpec& s) { s.paradigm = Paradigm::PointwiseRegressive; }));
        paradigms.push_back(bestPointwise);
        paradigms.push_back(pairwise);
        // Each variant starts from the same pointwise RM as the full pairwise RM, and its
        // minutes include that RM's, as the full one's do.
        auto variant = [&](const std::string& name, const std::string& label,
                           const std::function<void(RmTrainSpec&)>& change) {
            Trained t = ablation(name, label, bestPointwise.folder, change);
            t.seconds += bestPointwise.seconds;
            return t;
        };
        context.push_back(variant("no-reference", "pairwise without reference image",
                                  [](RmTrainSpec& s) { s.withReference = false; }));
        context.push_back(variant("no-instruction", "pairwise without task instruction",
                                  [](RmTrainSpec& s) { s.withInstruction = false; }));
        // Table 9: the chain-of-thought formats, each on the same budget.
        context.push_back(variant("no-cot", "pairwise without chain-of-thought",
                                  [](RmTrainSpec& s) { s.cot = CotFormat::None; }));
        context.push_back(variant("cot-reasoning-first", "pairwise, CoT reasoning-first",
                                  [](RmTrainSpec& s) { s.cot = CotFormat::ReasoningFirst; }));
        context.push_back(variant("cot-both", "pairwise, CoT both formats (§3.2 mix)",
                                  [](RmTrainSpec& s) { s.cot = CotFormat::Both; }));
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
    std::string text = "## Model scaling (Table 2 style)\n\nPairwise generative RMs: grounding, "
                       "then a pointwise RM, then the pairwise RM; the minutes are the three "
                       "together.\n\n" +
                       markdown(scaling);
    if (o.ablations)
        text += "\n## Paradigms (Table 7 style), from the " + best->preset +
                " grounded backbone\n\nThe pairwise RMs start from the pointwise RM; their "
                "minutes include it.\n\n" +
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
