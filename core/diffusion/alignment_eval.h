// Oracle alignment of a generator, the Table-4 figures (GenEval's role is played by the ShapeWorld
// oracle): per category, the share of sampled images that satisfy their prompt, the mean
// constraint score; overall = the mean of the category shares, as GenEval averages its tasks.
//
// Usage:
//   AlignmentReport r = evaluateAlignment(*gen, shapeWorldImagePrompts(ws, "id", {}).prompts,
//                                         {4, {30, Sampler::Heun, 3.0}, 1000});
//   Table t = alignmentTable({{"sft", r}});
#pragma once

#include "common/table.h"
#include "diffusion/guided_sampling.h"
#include "diffusion/shapeworld_prompts.h"

#include <nlohmann/json_fwd.hpp>
#include <opencv2/core/mat.hpp>

#include <functional>
#include <map>

namespace rd::store {
class Workspace;
}

namespace rd::diffusion {

class TextToImage;

struct CategoryAlignment {
    int images = 0;
    int satisfied = 0;
    double scoreSum = 0.0;
    double rate() const { return images ? double(satisfied) / images : 0.0; }
    double meanScore() const { return images ? scoreSum / images : 0.0; }
};

struct AlignmentReport {
    std::map<std::string, CategoryAlignment> categories; // by category name
    // Mean pairwise pixel distance (mean |a - b| / 255) between images of one prompt, averaged
    // over prompts with several images: a collapsing policy draws the same image every time.
    double diversity = 0.0;
    int diversityPrompts = 0; // prompts with several images (0: no diversity measured)
    double overall() const;   // mean of the category rates
    int images() const;
    void add(const std::string& category, const cv::Mat& rgb, const synth::PromptSpec& spec);
};

struct AlignmentOptions {
    int perPrompt = 4;
    SampleOptions sampling;
    std::uint64_t seed = 1000; // image j of prompt i uses seed + i * perPrompt + j
    int batch = 32;
};

// progress(done, total) after each batch; may be empty.
AlignmentReport evaluateAlignment(TextToImage& generator, const std::vector<WorldPrompt>& prompts,
                                  const AlignmentOptions& options,
                                  const std::function<void(int, int)>& progress = {});

// One row per model: model, each category's rate, overall (Table 4's layout), images, diversity.
Table alignmentTable(const std::vector<std::pair<std::string, AlignmentReport>>& reports);
nlohmann::json toJson(const AlignmentReport& report);

// Stores the report as a finished "gen_eval" run of the model on the split, its figures as
// metrics at step 0 (alignment/<category>, alignment/overall, alignment/diversity,
// alignment/images): what the studio's Results view tabulates. Returns the run id.
std::int64_t recordAlignment(store::Workspace& ws, const std::string& model,
                             const std::string& split, const AlignmentReport& report);

} // namespace rd::diffusion
