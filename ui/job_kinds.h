// The jobs the Train view starts, as `rdance` child processes: what each kind asks for (its form
// fields, with the job spec's defaults) and how the answers become a command line. Spec-driven
// kinds (RM training, generator SFT, ReFL) write their answers as a JSON job spec (the fields of
// docs/RM_TRAINING.md and docs/GENERATOR.md; unlisted fields keep their defaults); the others
// (RM sweep, search) pass them as options.
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
