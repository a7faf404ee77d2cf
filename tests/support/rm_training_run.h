// What the RM training tests share: a small ShapeWorld workspace, the quick spec, and a run's
// result with its loss curve and the start event's description of the data.
#pragma once

#include "quick_rm_spec.h"
#include "reward/rm_trainer.h"
#include "store/workspace.h"
#include "synth/pair_maker.h"
#include "synth/synth_writer.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <sstream>
#include <vector>

namespace rd::test {

inline std::unique_ptr<store::Workspace> shapeWorld(const std::filesystem::path& folder,
                                                    int prompts) {
    auto ws = store::Workspace::create(folder);
    synth::writeBundles(
        *ws, synth::makeBundles(synth::Split::Train, synth::MediaMode::Image, prompts, 1, {}), {});
    return ws;
}

inline reward::RmTrainSpec quickSpec(const std::string& out) {
    return quickRmSpec(out);
}

struct Run {
    reward::RmTrainResult result;
    std::vector<double> losses;
    nlohmann::json data; // the start event's description of the training data
};

inline Run train(store::Workspace& ws, const reward::RmTrainSpec& spec,
                 const reward::TrainControl& control = {}) {
    std::ostringstream events;
    Run run;
    run.result = reward::trainRewardModel(ws, spec, &events, control);
    std::istringstream lines(events.str());
    for (std::string line; std::getline(lines, line);) {
        const auto event = nlohmann::json::parse(line);
        if (event.at("event") == "progress")
            run.losses.push_back(event.at("loss").get<double>());
        if (event.at("event") == "start")
            run.data = event.at("data");
    }
    return run;
}

inline double meanOf(const std::vector<double>& v, size_t from, size_t to) {
    double sum = 0;
    for (size_t i = from; i < to; ++i)
        sum += v[i];
    return sum / static_cast<double>(to - from);
}

} // namespace rd::test
