#include "ui/job_kinds.h"

#include "common/error.h"
#include "diffusion/gen_train_spec.h"
#include "jobs/spec_fields.h"
#include "refl/refl_spec.h"
#include "reward/train_spec.h"

#include <QJsonArray>

namespace rd::ui {

namespace {

// A spec field as a form shows it, from the spec's declaration.
JobField specField(const std::vector<jobs::FieldInfo>& spec, const std::string& name) {
    for (const jobs::FieldInfo& info : spec) {
        if (info.name != name)
            continue;
        JobField field;
        field.key = QString::fromStdString(info.name);
        field.label = QString::fromStdString(info.label);
        field.help = QString::fromStdString(info.help);
        field.required = info.required;
        QStringList choices;
        for (const std::string& choice : info.choices)
            choices << QString::fromStdString(choice);
        field.choices = choices;
        const nlohmann::json& value = info.defaultValue;
        switch (info.type) {
        case jobs::FieldType::Bool:
            field.type = FieldType::Bool;
            field.value = value.get<bool>();
            break;
        case jobs::FieldType::Int:
            field.type = FieldType::Int;
            field.value = value.get<qlonglong>();
            break;
        case jobs::FieldType::Real:
            field.type = FieldType::Real;
            field.value = value.get<double>();
            break;
        case jobs::FieldType::Words: {
            field.type = FieldType::Text;
            field.repeated = true;
            QStringList words;
            for (const auto& word : value)
                words << QString::fromStdString(word.get<std::string>());
            field.value = words.join(' ');
            break;
        }
        case jobs::FieldType::Path:
        case jobs::FieldType::OutFolder:
            field.type = FieldType::Path;
            field.value = QString::fromStdString(value.get<std::string>());
            break;
        case jobs::FieldType::Choice:
        case jobs::FieldType::Text:
            // Free text with usual words (the presets) is offered as those words.
            field.type = choices.isEmpty() ? FieldType::Text : FieldType::Choice;
            field.value = QString::fromStdString(value.get<std::string>());
            break;
        }
        if (info.range.min)
            field.minimum = *info.range.min;
        if (info.range.max)
            field.maximum = *info.range.max;
        return field;
    }
    throw Error(ErrorKind::InvalidArgument, "the job spec has no field '" + name + "'");
}

// The same with the form's own default, for a kind made for one purpose.
JobField specField(const std::vector<jobs::FieldInfo>& spec, const std::string& name,
                   const QVariant& value) {
    JobField field = specField(spec, name);
    field.value = value;
    return field;
}

std::vector<JobField> specFields(const std::vector<jobs::FieldInfo>& spec,
                                 const std::vector<std::string>& names) {
    std::vector<JobField> fields;
    for (const std::string& name : names)
        fields.push_back(specField(spec, name));
    return fields;
}

// The RM training form: the fields a person sets most, "out" with a folder to start from.
std::vector<JobField> rmTrainForm() {
    const auto spec = reward::rmTrainFields().infos();
    std::vector<JobField> fields = {specField(spec, "out", "models/rm")};
    for (JobField& field : specFields(spec, {"stage",
                                             "grounding_layout",
                                             "grounding_caption",
                                             "grounding_source",
                                             "grounding_kinds",
                                             "grounding_cell_weight",
                                             "grounding_question_first",
                                             "paradigm",
                                             "preset",
                                             "backbone",
                                             "cot",
                                             "with_reference",
                                             "with_instruction",
                                             "prompt_first",
                                             "train_ties",
                                             "labels",
                                             "studies",
                                             "steps",
                                             "time_limit_s",
                                             "batch",
                                             "lr",
                                             "eval_every"}))
        fields.push_back(field);
    return fields;
}

// The human loop (issue "Close the human loop"): the RM learns from the latest verdicts, starting
// from the current RM, people's labels where given, decision-first (the reward ReFL follows).
std::vector<JobField> rmRetrainForm() {
    const auto spec = reward::rmTrainFields().infos();
    JobField backbone = specField(spec, "backbone");
    backbone.label = QObject::tr("Reward model to start from");
    backbone.required = true;
    JobField paradigm = specField(spec, "paradigm");
    paradigm.label = QObject::tr("Paradigm (the starting RM's)");
    JobField labels = specField(spec, "labels", "both");
    labels.label = QObject::tr("Labels (both: people's where given, else the pair's)");
    labels.choices = QStringList{"both", "humans"};
    std::vector<JobField> fields = {backbone,
                                    specField(spec, "out", "models/rm-humans"),
                                    paradigm,
                                    labels,
                                    specField(spec, "human_min_honeypot_accuracy"),
                                    specField(spec, "cot", "decision_first")};
    for (JobField& field : specFields(spec, {"steps", "batch", "lr", "eval_every"}))
        fields.push_back(field);
    return fields;
}

std::vector<JobField> genTrainForm() {
    const auto spec = diffusion::genTrainFields().infos();
    std::vector<JobField> fields = {specField(spec, "out", "models/gen")};
    for (JobField& field :
         specFields(spec, {"preset", "steps", "time_limit_s", "batch", "lr", "eval_every"}))
        fields.push_back(field);
    return fields;
}

std::vector<JobField> reflForm() {
    const auto spec = refl::reflFields().infos();
    std::vector<JobField> fields = specFields(spec, {"generator", "reward_model"});
    fields.push_back(specField(spec, "out", "models/refl"));
    for (JobField& field : specFields(spec, {"references", "sft_weight", "steps", "time_limit_s",
                                             "variance_window", "eval_every"}))
        fields.push_back(field);
    return fields;
}

std::vector<JobKind> makeKinds() {
    using F = FieldType;
    return {
        {"rm_train", QObject::tr("Reward model training"), {"rm", "train"}, true, rmTrainForm()},
        {"rm_retrain_humans",
         QObject::tr("Retrain the RM on the latest human labels"),
         {"rm", "train"},
         true,
         rmRetrainForm()},
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
        {"gen_train", QObject::tr("Generator SFT"), {"gen", "train"}, true, genTrainForm()},
        {"refl", QObject::tr("ReFL fine-tuning"), {"refl"}, true, reflForm()},
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
