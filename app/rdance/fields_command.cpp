// `rdance fields KIND [--markdown]`: a job spec's fields (name, default, label; with --markdown
// the docs' table), printed from their one declaration (core/jobs/spec_fields.h). The job
// commands' --help shows the same list.
#include "commands.h"
#include "diffusion/gen_train_spec.h"
#include "jobs/spec_fields.h"
#include "refl/refl_spec.h"
#include "reward/train_spec.h"

#include <CLI/CLI.hpp>

#include <iostream>
#include <map>
#include <memory>

namespace rd::cli {

std::vector<jobs::FieldInfo> specFieldsOf(const std::string& kind) {
    if (kind == "rm-train")
        return reward::rmTrainFields().infos();
    if (kind == "gen-train")
        return diffusion::genTrainFields().infos();
    return refl::reflFields().infos();
}

std::string specFieldsFooter(const std::string& kind, const std::string& doc) {
    return "Job spec fields (default, label; what each does: " + doc + ", or `rdance fields " +
           kind + " --markdown`):\n" + jobs::fieldsText(specFieldsOf(kind));
}

void addFieldsCommand(CLI::App& app) {
    struct Options {
        std::string kind;
        bool markdown = false;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand(
        "fields", "The fields of a job spec: name, default and label (--markdown: the docs' table "
                  "with what each field does)");
    cmd->add_option("KIND", o->kind, "rm-train, gen-train or refl")
        ->required()
        ->check(CLI::IsMember({"rm-train", "gen-train", "refl"}));
    cmd->add_flag("--markdown", o->markdown, "The table of docs/RM_TRAINING.md or GENERATOR.md");
    cmd->callback([o] {
        const auto fields = specFieldsOf(o->kind);
        std::cout << (o->markdown ? jobs::fieldsMarkdown(fields) : jobs::fieldsText(fields));
    });
}

} // namespace rd::cli
