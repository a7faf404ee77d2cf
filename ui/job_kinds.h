// The jobs the Train view starts, as `rdance` child processes: what each kind asks for (its form
// fields) and how the answers become a command line. Spec-driven kinds (RM training, generator
// SFT, ReFL) write their answers as a JSON job spec; their fields are the spec's own declaration
// (core/jobs/spec_fields.h: label, type, default, range, choices, help as tooltip), so a form
// names which fields it shows and, where a kind has its own purpose, a different default; unlisted
// fields keep the spec's defaults. The others (RM sweep, GSB study, search) pass options.
#pragma once

#include <QJsonObject>
#include <QStringList>
#include <QVariant>

#include <vector>

namespace rd::ui {

enum class FieldType { Text, Path, Int, Real, Bool, Choice };

struct JobField {
    QString key;   // the spec field, or the option without its leading "--"
    QString label; // what the form shows
    FieldType type = FieldType::Text;
    QVariant value;           // the default
    QStringList choices = {}; // a Choice's items; a repeated Text's words, as a hint
    bool required = false;
    bool repeated = false; // a space-separated list: one option per word, or a spec's array
    QString help = {};     // the tooltip: the spec field's help
    double minimum = 0.0;  // Int and Real editors' range
    double maximum = 1e9;
};

struct JobKind {
    QString id;          // "rm_train", "rm_retrain_humans", "gen_train", "refl", "rm_sweep", ...
    QString title;       // "Reward model training", ...
    QStringList command; // rdance's subcommand words, e.g. {"rm", "train"}
    bool usesSpec = false;
    std::vector<JobField> fields;
};

const std::vector<JobKind>& jobKinds();
const JobKind& jobKind(const QString& id); // throws rd::Error(InvalidArgument) for an unknown id

// The spec of a spec-driven kind: every field, numbers and booleans typed.
QJsonObject specOf(const JobKind& kind, const std::vector<QVariant>& values);
// rdance's arguments after the workspace: the spec file, or the options.
QStringList argumentsOf(const JobKind& kind, const std::vector<QVariant>& values,
                        const QString& specFile);
// Empty when the answers are complete, else what is missing, by label.
QString missingFields(const JobKind& kind, const std::vector<QVariant>& values);

} // namespace rd::ui
