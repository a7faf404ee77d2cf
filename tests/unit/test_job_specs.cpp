// Job specs declared once (issue "One training harness, job specs declared once"): for every
// spec-driven job (RM training, generator SFT, ReFL) the declaration, the parser, toJson, the
// docs' table and the studio's form agree; the option-driven forms name options their command
// has.
#include "common/error.h"
#include "diffusion/gen_train_spec.h"
#include "diffusion/generator_config.h"
#include "jobs/spec_fields.h"
#include "model/model_config.h"
#include "refl/refl_spec.h"
#include "reward/grounding_dataset.h"
#include "reward/train_spec.h"
#include "synth/direct_questions.h"
#include "ui/job_kinds.h"

#include <QJsonDocument>
#include <QProcess>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <functional>
#include <optional>
#include <set>
#include <sstream>

using namespace rd;
using nlohmann::json;

namespace {

// One spec kind: its declaration, its parser (with the cross-field checks), the smallest valid
// spec, its docs file and the studio's form kinds that write it.
struct SpecKind {
    std::string name;
    std::vector<jobs::FieldInfo> fields;
    std::function<json(const json&)> parseBack; // parse, then toJson
    json minimal;
    std::string docs;
    QStringList formKinds;
};

std::vector<SpecKind> specKinds() {
    return {
        {"rm-train",
         reward::rmTrainFields().infos(),
         [](const json& j) { return reward::toJson(reward::parseRmTrainSpec(j, "job.json")); },
         {{"out", "models/a"}},
         "docs/RM_TRAINING.md",
         {"rm_train", "rm_retrain_humans"}},
        {"gen-train",
         diffusion::genTrainFields().infos(),
         [](const json& j) {
             return diffusion::toJson(diffusion::parseGenTrainSpec(j, "job.json"));
         },
         {{"out", "models/a"}},
         "docs/GENERATOR.md",
         {"gen_train"}},
        {"refl",
         refl::reflFields().infos(),
         [](const json& j) { return refl::toJson(refl::parseReflSpec(j, "job.json")); },
         {{"out", "models/a"}, {"generator", "models/g"}, {"reward_model", "models/rm"}},
         "docs/GENERATOR.md",
         {"refl"}},
    };
}

std::string readText(const std::string& relative) {
    std::ifstream in(std::string(RD_SOURCE_DIR) + "/" + relative);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// A value of the wrong type for the field.
json wrongType(const jobs::FieldInfo& f) {
    switch (f.type) {
    case jobs::FieldType::Bool:
        return 1;
    case jobs::FieldType::Int:
        return 1.5;
    case jobs::FieldType::Real:
        return "1";
    case jobs::FieldType::Words:
        return "a";
    default:
        return 7;
    }
}

// The error the parser gives, or "" when it accepts.
std::string refusal(const SpecKind& kind, const json& spec) {
    try {
        kind.parseBack(spec);
        return "";
    } catch (const Error& e) {
        return e.what();
    }
}

const jobs::FieldInfo* declared(const SpecKind& kind, const std::string& name) {
    for (const jobs::FieldInfo& f : kind.fields)
        if (f.name == name)
            return &f;
    return nullptr;
}

// The form field types a declared type may take.
bool formTypeFits(const jobs::FieldInfo& info, const ui::JobField& field) {
    switch (info.type) {
    case jobs::FieldType::Bool:
        return field.type == ui::FieldType::Bool;
    case jobs::FieldType::Int:
        return field.type == ui::FieldType::Int;
    case jobs::FieldType::Real:
        return field.type == ui::FieldType::Real;
    case jobs::FieldType::Path:
    case jobs::FieldType::OutFolder:
        return field.type == ui::FieldType::Path;
    case jobs::FieldType::Choice:
        return field.type == ui::FieldType::Choice;
    case jobs::FieldType::Words:
        return field.type == ui::FieldType::Text && field.repeated;
    case jobs::FieldType::Text:
        return field.type == (info.choices.empty() ? ui::FieldType::Text : ui::FieldType::Choice);
    }
    return false;
}

// What the form writes for the field at its default; nothing when it leaves the field out (an
// empty optional text: the spec's default).
std::optional<json> formDefaultAsJson(const ui::JobField& field) {
    const QJsonObject one = ui::specOf(ui::JobKind{"x", "x", {}, true, {field}}, {field.value});
    if (!one.contains(field.key))
        return std::nullopt;
    return json::parse(QJsonDocument(one).toJson().toStdString())[field.key.toStdString()];
}

} // namespace

class JobSpecsTest : public QObject {
    Q_OBJECT

private slots:
    // toJson writes exactly the declared fields, at their declared defaults, and what it
    // writes parses back to the same spec.
    void declarationParserAndToJsonAgree() {
        for (const SpecKind& kind : specKinds()) {
            const json written = kind.parseBack(kind.minimal);
            QCOMPARE(written.size(), kind.fields.size());
            for (const jobs::FieldInfo& f : kind.fields) {
                QVERIFY2(written.contains(f.name), f.name.c_str());
                if (!kind.minimal.contains(f.name) && f.defaultNote.empty())
                    QVERIFY2(written[f.name] == f.defaultValue, f.name.c_str());
                QVERIFY2(!f.label.empty() && !f.help.empty(), f.name.c_str());
            }
            QCOMPARE(kind.parseBack(written), written);
        }
    }

    // Each field is read as declared: a wrong type, a value out of its range, a word not among
    // its choices and a missing required field are each refused with the field named.
    void everyFieldIsCheckedAsDeclared() {
        for (const SpecKind& kind : specKinds())
            for (const jobs::FieldInfo& f : kind.fields) {
                const std::string named = "field \"" + f.name + "\"";
                json spec = kind.minimal;
                spec[f.name] = wrongType(f);
                QVERIFY2(refusal(kind, spec).find(named) != std::string::npos,
                         (kind.name + ": " + f.name + " took " + spec[f.name].dump()).c_str());
                if (f.range.min) {
                    spec[f.name] = *f.range.min - 1;
                    QVERIFY2(refusal(kind, spec).find(named) != std::string::npos,
                             (kind.name + ": " + f.name + " below its minimum").c_str());
                }
                if (f.range.max) {
                    spec[f.name] = *f.range.max + 1;
                    QVERIFY2(refusal(kind, spec).find(named) != std::string::npos,
                             (kind.name + ": " + f.name + " above its maximum").c_str());
                }
                if (f.type == jobs::FieldType::Choice) {
                    for (const std::string& choice : f.choices) {
                        spec = kind.minimal;
                        spec[f.name] = choice;
                        const std::string error = refusal(kind, spec);
                        // Accepted, or refused by a cross-field check, never as a bad word.
                        QVERIFY2(error.find("must be one of") == std::string::npos,
                                 (f.name + ": " + error).c_str());
                    }
                    spec[f.name] = "no-such-word";
                    QVERIFY(refusal(kind, spec).find("must be one of") != std::string::npos);
                }
                if (f.required) {
                    spec = kind.minimal;
                    spec.erase(f.name);
                    QVERIFY2(refusal(kind, spec).find(named + " is required") != std::string::npos,
                             f.name.c_str());
                }
            }
    }

    // The docs hold the table printed from the declaration (`rdance fields KIND --markdown`).
    void docsTablesArePrintedFromTheDeclaration() {
        for (const SpecKind& kind : specKinds()) {
            const std::string table = jobs::fieldsMarkdown(kind.fields);
            QVERIFY2(readText(kind.docs).find(table) != std::string::npos,
                     (kind.docs + " lacks the table of " + kind.name +
                      "; print it with `rdance fields " + kind.name + " --markdown`")
                         .c_str());
        }
    }

    // The demo's job specs (resources/demo) are specs the parsers take.
    void demoSpecsParse() {
        const auto rm =
            reward::readRmTrainSpec(std::string(RD_SOURCE_DIR) + "/resources/demo/rm.json");
        QCOMPARE(QString::fromStdString(rm.out), QString("models/demo-rm"));
        QVERIFY(rm.cot == reward::CotFormat::DecisionFirst);
        const auto gen =
            diffusion::readGenTrainSpec(std::string(RD_SOURCE_DIR) + "/resources/demo/gen.json");
        QCOMPARE(QString::fromStdString(gen.preset), QString("gen-xs"));
    }

    // The words a form offers are the words the engine knows.
    void usualWordsAreKnownToTheEngine() {
        const auto rm = specKinds()[0];
        std::set<std::string> rdPresets;
        for (const std::string& name : model::presetNames())
            if (name.rfind("rd-", 0) == 0)
                rdPresets.insert(name);
        const auto& presets = declared(rm, "preset")->choices;
        QCOMPARE(std::set<std::string>(presets.begin(), presets.end()), rdPresets);

        std::set<std::string> kinds(std::begin(reward::kGroundingKinds),
                                    std::end(reward::kGroundingKinds));
        for (synth::DirectKind k : synth::kDirectKinds)
            kinds.insert(std::string(synth::name(k)));
        const auto& offered = declared(rm, "grounding_kinds")->choices;
        QCOMPARE(std::set<std::string>(offered.begin(), offered.end()), kinds);

        const auto gen = specKinds()[1];
        const auto& genPresets = declared(gen, "preset")->choices;
        QCOMPARE(genPresets, diffusion::generatorPresetNames());
    }

    // Each spec-driven form shows declared fields with the declared type, choices among the
    // declared ones and the declared default, except where the kind says otherwise; its
    // defaults make a spec the parser takes.
    void formsComeFromTheDeclaration() {
        // (kind, field) whose form default is the kind's own.
        const std::set<std::pair<QString, std::string>> ownDefaults = {
            {"rm_train", "out"},
            {"rm_retrain_humans", "out"},
            {"rm_retrain_humans", "labels"},
            {"rm_retrain_humans", "cot"},
            {"gen_train", "out"},
            {"refl", "out"}};
        for (const SpecKind& kind : specKinds())
            for (const QString& id : kind.formKinds) {
                const ui::JobKind& form = ui::jobKind(id);
                QVERIFY(form.usesSpec);
                std::vector<QVariant> values;
                for (const ui::JobField& field : form.fields) {
                    const std::string name = field.key.toStdString();
                    const jobs::FieldInfo* info = declared(kind, name);
                    QVERIFY2(info, qPrintable(id + ": " + field.key + " is not a spec field"));
                    QVERIFY2(formTypeFits(*info, field), qPrintable(id + ": " + field.key));
                    for (const QString& choice : field.choices)
                        QVERIFY2(std::count(info->choices.begin(), info->choices.end(),
                                            choice.toStdString()),
                                 qPrintable(id + ": " + field.key + " offers " + choice));
                    QCOMPARE(field.help, QString::fromStdString(info->help));
                    const std::optional<json> written = formDefaultAsJson(field);
                    if (!ownDefaults.count({id, name}) && written)
                        QVERIFY2(*written == info->defaultValue,
                                 qPrintable(id + ": " + field.key + "'s default"));
                    values.push_back(field.required && field.value.toString().isEmpty()
                                         ? QVariant("models/x")
                                         : field.value);
                }
                const json spec =
                    json::parse(QJsonDocument(ui::specOf(form, values)).toJson().toStdString());
                QVERIFY2(refusal(kind, spec).empty(),
                         qPrintable(id + ": " + QString::fromStdString(refusal(kind, spec))));
            }
    }

    // The option-driven forms name options their rdance command has.
    void optionFormsNameTheCommandsOptions() {
        for (const ui::JobKind& kind : ui::jobKinds()) {
            if (kind.usesSpec)
                continue;
            QProcess rdance;
            rdance.start(RDANCE_BIN, kind.command + QStringList{"--help"});
            QVERIFY(rdance.waitForFinished(60000));
            const QString help = QString::fromUtf8(rdance.readAllStandardOutput());
            QVERIFY2(!help.isEmpty(), qPrintable(kind.id));
            for (const ui::JobField& field : kind.fields)
                QVERIFY2(help.contains("--" + field.key), qPrintable(kind.id + ": --" + field.key));
        }
    }
};

QTEST_GUILESS_MAIN(JobSpecsTest)
#include "test_job_specs.moc"
