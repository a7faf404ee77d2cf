#include "ui/job_kinds.h"

#include "common/error.h"

#include <QJsonArray>

namespace rd::ui {

namespace {

std::vector<JobKind> makeKinds() {
    using F = FieldType;
    const QStringList rmPresets = {"rd-xs", "rd-xs-mha", "rd-xs-conv", "rd-s", "rd-m", "rd-l"};
    const QStringList genPresets = {"gen-xs", "gen-s", "gen-m"};
    return {
        {"rm_train",
         QObject::tr("Reward model training"),
         {"rm", "train"},
         true,
         {{"out", QObject::tr("Output folder"), F::Path, "models/rm", {}, true},
          {"stage", QObject::tr("Stage"), F::Choice, "reward", {"reward", "grounding"}},
          {"grounding_layout",
           QObject::tr("Grounding layout"),
           F::Choice,
           "single",
           {"single", "pair"}},
          {"grounding_caption",
           QObject::tr("Grounding captions"),
           F::Choice,
           "counts",
           {"counts", "places"}},
          {"grounding_source",
           QObject::tr("Grounding source"),
           F::Choice,
           "workspace",
           {"workspace", "stream"}},
          {"grounding_kinds",
           QObject::tr("Grounding skills (empty: the source's defaults)"),
           F::Text,
           "",
           {"caption", "shows", "near_miss", "presence", "count", "location", "position", "where",
            "which", "relation"},
           false,
           true},
          {"grounding_cell_weight", QObject::tr("Grounding cell probe weight (0: none)"), F::Real,
           0.0},
          {"grounding_question_first", QObject::tr("Grounding: question before the image"), F::Bool,
           false},
          {"paradigm",
           QObject::tr("Paradigm"),
           F::Choice,
           "pairwise",
           {"pairwise", "pointwise", "regressive"}},
          {"preset", QObject::tr("Preset (fresh model)"), F::Choice, "rd-s", rmPresets},
          {"backbone", QObject::tr("Backbone checkpoint"), F::Path, ""},
          {"cot",
           QObject::tr("Chain of thought"),
           F::Choice,
           "both",
           {"both", "decision_first", "reasoning_first", "none"}},
          {"with_reference", QObject::tr("Reference image in context"), F::Bool, true},
          {"with_instruction", QObject::tr("Task instruction"), F::Bool, true},
          {"prompt_first", QObject::tr("Prompt before the images"), F::Bool, false},
          {"train_ties", QObject::tr("Train on tie pairs"), F::Bool, true},
          {"labels",
           QObject::tr("Labels (humans: people's GSB verdicts)"),
           F::Choice,
           "pairs",
           {"pairs", "humans", "both"}},
          {"studies",
           QObject::tr("Only the pairs of these GSB studies (empty: all)"),
           F::Text,
           "",
           {},
           false,
           true},
          {"steps", QObject::tr("Steps (0: time budget)"), F::Int, 300},
          {"time_limit_s", QObject::tr("Time budget (s)"), F::Real, 0.0},
          {"batch", QObject::tr("Batch (pairs)"), F::Int, 16},
          {"lr", QObject::tr("Learning rate"), F::Real, 3e-4},
          {"eval_every", QObject::tr("Validate every"), F::Int, 50}}},
        // The human loop (issue "Close the human loop"): the RM learns from the latest verdicts.
        {"rm_retrain_humans",
         QObject::tr("Retrain the RM on the latest human labels"),
         {"rm", "train"},
         true,
         {{"backbone", QObject::tr("Reward model to start from"), F::Path, "", {}, true},
          {"out", QObject::tr("Output folder"), F::Path, "models/rm-humans", {}, true},
          {"paradigm",
           QObject::tr("Paradigm (the starting RM's)"),
           F::Choice,
           "pairwise",
           {"pairwise", "pointwise", "regressive"}},
          {"labels",
           QObject::tr("Labels (both: people's where given, else the pair's)"),
           F::Choice,
           "both",
           {"both", "humans"}},
          {"human_min_honeypot_accuracy", QObject::tr("Annotators' honeypot accuracy at least"),
           F::Real, 0.8},
          {"cot",
           QObject::tr("Chain of thought"),
           F::Choice,
           "decision_first",
           {"decision_first", "both", "reasoning_first", "none"}},
          {"steps", QObject::tr("Steps"), F::Int, 300},
          {"batch", QObject::tr("Batch (pairs)"), F::Int, 16},
          {"lr", QObject::tr("Learning rate"), F::Real, 3e-4},
          {"eval_every", QObject::tr("Validate every"), F::Int, 50}}},
        {"gsb_study",
         QObject::tr("GSB study of the workspace's pairs"),
         {"gsb", "create"},
         false,
         {{"name", QObject::tr("Study name"), F::Text, "", {}, true},
          {"pairs", QObject::tr("Pairs of split"), F::Choice, "train", {"train", "id", "ood"}},
          {"select",
           QObject::tr("Selection (uncertain: where the RM is least sure; not unbiased)"),
           F::Choice,
           "random",
           {"random", "uncertain"}},
          {"model", QObject::tr("RM for uncertain selection"), F::Path, ""},
          {"max-items", QObject::tr("Items"), F::Int, 200},
          {"honeypot-rate", QObject::tr("Honeypots per item"), F::Real, 0.05},
          {"repeat-rate", QObject::tr("Repeats per item"), F::Real, 0.05}}},
        {"gen_train",
         QObject::tr("Generator SFT"),
         {"gen", "train"},
         true,
         {{"out", QObject::tr("Output folder"), F::Path, "models/gen", {}, true},
          {"preset", QObject::tr("Preset"), F::Choice, "gen-s", genPresets},
          {"steps", QObject::tr("Steps (0: time budget)"), F::Int, 2000},
          {"time_limit_s", QObject::tr("Time budget (s)"), F::Real, 0.0},
          {"batch", QObject::tr("Batch (images)"), F::Int, 64},
          {"lr", QObject::tr("Learning rate"), F::Real, 1e-3},
          {"eval_every", QObject::tr("Evaluate every"), F::Int, 250}}},
        {"refl",
         QObject::tr("ReFL fine-tuning"),
         {"refl"},
         true,
         {{"generator", QObject::tr("SFT generator"), F::Path, "", {}, true},
          {"reward_model", QObject::tr("Reward model"), F::Path, "", {}, true},
          {"out", QObject::tr("Output folder"), F::Path, "models/refl", {}, true},
          {"references", QObject::tr("Best-of-N references"), F::Choice, "best", {"best", "worst"}},
          {"sft_weight", QObject::tr("SFT loss weight"), F::Real, 1.0},
          {"steps", QObject::tr("Steps (0: time budget)"), F::Int, 300},
          {"time_limit_s", QObject::tr("Time budget (s)"), F::Real, 0.0},
          {"variance_window", QObject::tr("Reward variance window"), F::Int, 100},
          {"eval_every", QObject::tr("Evaluate every"), F::Int, 50}}},
        {"rm_sweep",
         QObject::tr("RM scaling sweep"),
         {"rm", "sweep"},
         false,
         {{"preset", QObject::tr("Presets"), F::Text, "rd-xs rd-s rd-m rd-l", {}, true, true},
          {"grounding-minutes", QObject::tr("Grounding minutes"), F::Real, 20.0},
          {"reward-minutes", QObject::tr("Minutes per RM"), F::Real, 20.0},
          {"no-ablations", QObject::tr("Only the preset ladder"), F::Bool, false}}},
        {"search",
         QObject::tr("Search over Paths"),
         {"search"},
         false,
         {{"model", QObject::tr("Generator"), F::Path, "", {}, true},
          {"verifier", QObject::tr("Pointwise verifier RM"), F::Path, "", {}, true},
          {"split", QObject::tr("Split"), F::Choice, "id", {"id", "ood", "train"}},
          {"limit", QObject::tr("Prompts"), F::Int, 48},
          {"paths", QObject::tr("Paths"), F::Int, 4},
          {"branches", QObject::tr("Branches"), F::Int, 2},
          {"interval", QObject::tr("Interval (steps)"), F::Int, 5},
          {"steps", QObject::tr("Sampling steps"), F::Int, 20}}},
    };
}

// A repeated field's words, however many spaces apart.
QStringList wordsOf(const QVariant& value) {
    return value.toString().split(' ', Qt::SkipEmptyParts);
}

QJsonValue typed(const JobField& field, const QVariant& value) {
    if (field.repeated)
        return QJsonArray::fromStringList(wordsOf(value));
    switch (field.type) {
    case FieldType::Int:
        return value.toLongLong();
    case FieldType::Real:
        return value.toDouble();
    case FieldType::Bool:
        return value.toBool();
    default:
        return value.toString();
    }
}

} // namespace

const std::vector<JobKind>& jobKinds() {
    static const std::vector<JobKind> kinds = makeKinds();
    return kinds;
}

const JobKind& jobKind(const QString& id) {
    for (const JobKind& kind : jobKinds())
        if (kind.id == id)
            return kind;
    throw Error(ErrorKind::InvalidArgument, "no job kind '" + id.toStdString() + "'");
}

QJsonObject specOf(const JobKind& kind, const std::vector<QVariant>& values) {
    QJsonObject spec;
    for (size_t i = 0; i < kind.fields.size(); ++i) {
        const JobField& f = kind.fields[i];
        // An empty optional path keeps the spec's default ("" or none) by leaving it out.
        if ((f.type == FieldType::Path || f.type == FieldType::Text) && !f.required &&
            values[i].toString().isEmpty())
            continue;
        spec[f.key] = typed(f, values[i]);
    }
    return spec;
}

QStringList argumentsOf(const JobKind& kind, const std::vector<QVariant>& values,
                        const QString& specFile) {
    if (kind.usesSpec)
        return {"--config", specFile};
    QStringList args;
    for (size_t i = 0; i < kind.fields.size(); ++i) {
        const JobField& f = kind.fields[i];
        const QString option = "--" + f.key;
        if (f.type == FieldType::Bool) {
            if (values[i].toBool())
                args << option;
        } else if (f.repeated) {
            for (const QString& word : wordsOf(values[i]))
                args << option << word;
        } else if (!values[i].toString().isEmpty()) {
            args << option << values[i].toString();
        }
    }
    return args;
}

QString missingFields(const JobKind& kind, const std::vector<QVariant>& values) {
    QStringList missing;
    for (size_t i = 0; i < kind.fields.size(); ++i)
        if (kind.fields[i].required && values[i].toString().trimmed().isEmpty())
            missing << kind.fields[i].label;
    return missing.join(", ");
}

} // namespace rd::ui
