// A job spec's fields declared once (issue "One training harness, job specs declared once"):
// each field's name, type, range, choices, label and help beside the spec struct's member it
// fills; the default is the struct's own initialiser. Reading (strict, the field named on
// error), toJson, the CLI's field list, the docs' table and the studio's forms all come from it.
//
// Usage:
//   const SpecFields<GenTrainSpec> fields = SpecFields<GenTrainSpec>()
//       .real("lr", &GenTrainSpec::lr, {0.0, 1.0, true}, {"Learning rate", "AdamW peak ..."})
//       .outFolder("out", &GenTrainSpec::out, {"Output folder", "the generator folder"})
//       .required("the folder the generator goes to");
//   JobFields f(json, "job.json");
//   GenTrainSpec spec = fields.read(f); // then the spec's own cross-field checks, with f.fail
#pragma once

#include "jobs/enum_names.h"
#include "jobs/field_info.h"
#include "jobs/job_fields.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace rd::jobs {

struct FieldDoc {
    std::string label; // a form's label
    std::string help;  // the docs' meaning (Markdown)
};

template <class Spec> class SpecFields {
public:
    SpecFields& flag(const std::string& name, bool Spec::*member, FieldDoc doc) {
        return add({name, FieldType::Bool}, doc, member,
                   [name, member](JobFields& f, Spec& s) { f.read(name, s.*member); });
    }
    template <class Integer> // int, std::int64_t
    SpecFields& integer(const std::string& name, Integer Spec::*member, Range range, FieldDoc doc) {
        FieldInfo info{name, FieldType::Int};
        info.range = range;
        return add(std::move(info), doc, member, [name, member, range](JobFields& f, Spec& s) {
            f.read(name, s.*member, range);
        });
    }
    // A seed: any integer from 0 up, kept unsigned.
    SpecFields& seed(const std::string& name, std::uint64_t Spec::*member, FieldDoc doc) {
        FieldInfo info{name, FieldType::Int};
        info.range = {0.0};
        return add(std::move(info), doc, member, [name, member](JobFields& f, Spec& s) {
            auto wide = static_cast<std::int64_t>(s.*member);
            f.read(name, wide, {0.0});
            s.*member = static_cast<std::uint64_t>(wide);
        });
    }
    SpecFields& real(const std::string& name, double Spec::*member, Range range, FieldDoc doc) {
        FieldInfo info{name, FieldType::Real};
        info.range = range;
        return add(std::move(info), doc, member, [name, member, range](JobFields& f, Spec& s) {
            f.read(name, s.*member, range);
        });
    }
    // Free text; `usual` are the words a form offers (e.g. the presets), not a limit.
    SpecFields& text(const std::string& name, std::string Spec::*member, FieldDoc doc,
                     std::vector<std::string> usual = {}) {
        FieldInfo info{name, FieldType::Text};
        info.choices = std::move(usual);
        return add(std::move(info), doc, member,
                   [name, member](JobFields& f, Spec& s) { f.read(name, s.*member); });
    }
    SpecFields& path(const std::string& name, std::string Spec::*member, FieldDoc doc) {
        return add({name, FieldType::Path}, doc, member,
                   [name, member](JobFields& f, Spec& s) { f.read(name, s.*member); });
    }
    SpecFields& outFolder(const std::string& name, std::string Spec::*member, FieldDoc doc) {
        return add({name, FieldType::OutFolder}, doc, member,
                   [name, member](JobFields& f, Spec& s) { f.readOutFolder(name, s.*member); });
    }
    SpecFields& choice(const std::string& name, std::string Spec::*member,
                       std::vector<std::string> allowed, FieldDoc doc) {
        FieldInfo info{name, FieldType::Choice};
        info.choices = allowed;
        return add(std::move(info), doc, member, [name, member, allowed](JobFields& f, Spec& s) {
            f.readChoice(name, s.*member, allowed);
        });
    }
    // One of an enumeration's words (enum_names.h), kept as the enumeration.
    template <class E, std::size_t N>
    SpecFields& choice(const std::string& name, E Spec::*member, const EnumName<E> (&names)[N],
                       FieldDoc doc) {
        FieldInfo info{name, FieldType::Choice};
        info.choices = namesOf(names);
        const std::vector<std::string> allowed = info.choices;
        return addWritten(
            std::move(info), doc,
            [name, member, &names, allowed](JobFields& f, Spec& s) {
                std::string word = nameOf(names, s.*member);
                f.readChoice(name, word, allowed);
                s.*member = *valueNamed(names, word);
            },
            [member, &names](const Spec& s) { return nlohmann::json(nameOf(names, s.*member)); });
    }
    // An array of strings; `usual` are the words a form offers as a hint.
    SpecFields& words(const std::string& name, std::vector<std::string> Spec::*member, FieldDoc doc,
                      std::vector<std::string> usual = {}) {
        FieldInfo info{name, FieldType::Words};
        info.choices = std::move(usual);
        return add(std::move(info), doc, member,
                   [name, member](JobFields& f, Spec& s) { f.read(name, s.*member); });
    }

    // Every trainer's optimiser, declared alike for each spec: AdamW with a linear warm-up and a
    // cosine decay to a floor, and gradient-norm clipping (lr, weight_decay, warmup_steps,
    // min_lr_ratio, clip_norm; the spec's members lr, weightDecay, warmupSteps, minLrRatio,
    // clipNorm keep their own defaults).
    // The thread count every training spec has (its member `threads`).
    SpecFields& threads() {
        return integer("threads", &Spec::threads, {0.0, 1024.0},
                       {"Threads (0: one per free core)",
                        "intra-op threads; 0: one per core that no other process keeps busy, "
                        "followed while the run lasts (results repeat bit for bit only at a "
                        "fixed count)"});
    }

    SpecFields& adamW() {
        return real("lr", &Spec::lr, {0.0, 1.0, true},
                    {"Learning rate", "AdamW peak learning rate"})
            .real("weight_decay", &Spec::weightDecay, {0.0, 1.0},
                  {"Weight decay", "AdamW weight decay"})
            .integer("warmup_steps", &Spec::warmupSteps, {0.0},
                     {"Warm-up steps", "linear warm-up, then cosine decay over `steps`"})
            .real("min_lr_ratio", &Spec::minLrRatio, {0.0, 1.0},
                  {"Cosine floor (fraction of lr)",
                   "the cosine's floor as a fraction of `lr` (1: constant after the warm-up)"})
            .real("clip_norm", &Spec::clipNorm, {0.0},
                  {"Gradient clipping (0: none)", "gradient-norm clipping; 0: none"});
    }

    // A group of fields declared elsewhere, in this place of the list: declare(*this).
    template <class Declare> SpecFields& with(Declare declare) {
        declare(*this);
        return *this;
    }

    // The field declared last must be given, not empty; `why` follows "is required".
    SpecFields& required(std::string why = {}) {
        m_fields.back().info.required = true;
        m_fields.back().requiredWhy = std::move(why);
        return *this;
    }
    // The docs' default column for the field declared last, where the value says too little.
    SpecFields& defaultNote(std::string note) {
        m_fields.back().info.defaultNote = std::move(note);
        return *this;
    }

    // Every declared field (a missing one keeps the struct's default), then JobFields::finish
    // (an unknown field is refused), then the required ones.
    Spec read(JobFields& fields) const {
        Spec spec;
        for (const Field& field : m_fields)
            field.read(fields, spec);
        fields.finish();
        for (const Field& field : m_fields)
            if (field.info.required && field.write(spec) == nlohmann::json(""))
                fields.fail(field.info.name,
                            "is required" +
                                (field.requiredWhy.empty() ? "" : " (" + field.requiredWhy + ")"));
        return spec;
    }

    nlohmann::json toJson(const Spec& spec) const {
        nlohmann::json out = nlohmann::json::object();
        for (const Field& field : m_fields)
            out[field.info.name] = field.write(spec);
        return out;
    }

    std::vector<FieldInfo> infos() const {
        std::vector<FieldInfo> out;
        for (const Field& field : m_fields)
            out.push_back(field.info);
        return out;
    }

private:
    struct Field {
        FieldInfo info;
        std::function<void(JobFields&, Spec&)> read;
        std::function<nlohmann::json(const Spec&)> write;
        std::string requiredWhy;
    };

    // A field written as its member's JSON value.
    template <class Value>
    SpecFields& add(FieldInfo info, FieldDoc doc, Value Spec::*member,
                    std::function<void(JobFields&, Spec&)> read) {
        return addWritten(std::move(info), std::move(doc), std::move(read),
                          [member](const Spec& s) { return nlohmann::json(s.*member); });
    }
    SpecFields& addWritten(FieldInfo info, FieldDoc doc,
                           std::function<void(JobFields&, Spec&)> read,
                           std::function<nlohmann::json(const Spec&)> write) {
        info.label = std::move(doc.label);
        info.help = std::move(doc.help);
        info.defaultValue = write(Spec{});
        m_fields.push_back({std::move(info), std::move(read), std::move(write), {}});
        return *this;
    }

    std::vector<Field> m_fields;
};

} // namespace rd::jobs
