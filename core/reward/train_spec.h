// The RM training job spec (`rdance rm train WS --config JOB.json`). Every field has the default
// below; unknown fields and out-of-range values are refused with the field's name. Each field is
// declared once in train_spec_fields.cpp (type, range, choices, help), and docs/RM_TRAINING.md's
// table is printed from there (`rdance fields rm-train`).
#pragma once

#include "jobs/enum_names.h"
#include "reward/paradigm.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace rd::jobs {
template <class Spec> class SpecFields;
} // namespace rd::jobs

namespace rd::reward {

// What is trained: an RM on pairs, or the backbone's grounding stage (the VLM pretraining).
enum class RmStage { Reward, Grounding };
inline constexpr jobs::EnumName<RmStage> kRmStageNames[] = {{RmStage::Reward, "reward"},
                                                            {RmStage::Grounding, "grounding"}};
enum class GroundingLayout { Single, Pair };
inline constexpr jobs::EnumName<GroundingLayout> kGroundingLayoutNames[] = {
    {GroundingLayout::Single, "single"}, {GroundingLayout::Pair, "pair"}};
enum class GroundingSource { Workspace, Stream };
inline constexpr jobs::EnumName<GroundingSource> kGroundingSourceNames[] = {
    {GroundingSource::Workspace, "workspace"}, {GroundingSource::Stream, "stream"}};
enum class GroundingCaption { Counts, Places };
inline constexpr jobs::EnumName<GroundingCaption> kGroundingCaptionNames[] = {
    {GroundingCaption::Counts, "counts"}, {GroundingCaption::Places, "places"}};
// The chain-of-thought an RM is trained to write (paper §3.2.1, Table 9): decision first ("yes.
// reason"), reasoning first ("reason Answer: yes"), both alternating, or the bare yes/no.
enum class CotFormat { Both, DecisionFirst, ReasoningFirst, None };
inline constexpr jobs::EnumName<CotFormat> kCotFormatNames[] = {
    {CotFormat::Both, "both"},
    {CotFormat::DecisionFirst, "decision_first"},
    {CotFormat::ReasoningFirst, "reasoning_first"},
    {CotFormat::None, "none"}};
// Where a pair's preference comes from (the spec's "labels").
enum class LabelSource { Pairs = 1, Humans, Both };
inline constexpr jobs::EnumName<LabelSource> kLabelSourceNames[] = {
    {LabelSource::Pairs, "pairs"}, {LabelSource::Humans, "humans"}, {LabelSource::Both, "both"}};

struct RmTrainSpec {
    // What is trained.
    RmStage stage = RmStage::Reward;
    // Grounding: "single" (each question shows its one image) or "pair" (two images as the
    // pairwise RM sees them, the question about image 1 or image 2).
    GroundingLayout groundingLayout = GroundingLayout::Single;
    // Grounding: "workspace" (the split's stored images, with yes/no attribute questions) or
    // "stream" (fresh scenes drawn at every step, questions answered in words, relations only
    // as a chain: grounding_stream.h).
    GroundingSource groundingSource = GroundingSource::Workspace;
    // Grounding: what is trained and validated, a curriculum by skill - any of "caption" (the
    // "Describe the image." row) and the question kinds "shows", "presence", "count", "location",
    // "position" (grounding_dataset.h). Empty: all of them.
    std::vector<std::string> groundingKinds;
    // Grounding: "counts" captions say what the image holds ("two red circles and a blue
    // square"); "places" also say where each object is ("two red circles (top left, right) ...").
    GroundingCaption groundingCaption = GroundingCaption::Counts;
    // Grounding: the weight of the cell probe's loss (scene_cells.h: each image token predicts
    // what its cell of the frame holds, and where the cell is); 0: no probe.
    double groundingCellWeight = 0.0;
    // Grounding: the question before the image(s) ("Is there a red circle?\n<image>\n"), so
    // that the image tokens can attend to it (the LM is causal), instead of after them.
    bool groundingQuestionFirst = false;
    Paradigm paradigm = Paradigm::PairwiseGenerative;
    std::string preset = "rd-s"; // a fresh model of this preset, unless backbone is set
    std::string backbone;        // a checkpoint folder to start from (e.g. grounded)
    std::string tokenizer;       // a tokenizer; default: the backbone's, else trained
    std::string out;             // checkpoint folder; relative to the workspace
    std::string name;            // run name; default: the out folder's name
    // The reward context (paper Tables 7 and 9): instruction, reference, chain-of-thought.
    bool withInstruction = true;
    bool withReference = true;
    bool promptFirst = false; // "Prompt: ..." before the images (RewardSpec::promptFirst)
    CotFormat cot = CotFormat::Both;
    bool bothOrders = true; // pairwise: each pair in both image orders
    bool trainTies = true;  // false: tie pairs are left out of training (pointwise always)
    // Where the labels come from (issue "Close the human loop"): "pairs" (each pair's preferred
    // column), "humans" (the GSB verdicts of people, label/human_labels.h; pairs without one are
    // left out) or "both" (people's label where there is one, else the pair's).
    LabelSource labels = LabelSource::Pairs;
    double humanMinHoneypotAccuracy = 0.8; // annotators below it do not count
    bool humanLabelsSimulated = false;     // measurement only: simulated annotators count too
    std::vector<std::string> studies;      // only the pairs of these GSB studies; empty: all
    // Data.
    std::string split = "train";
    std::vector<std::string> categories; // empty: all
    std::int64_t maxPairs = 0;           // 0: all
    double valFraction = 0.1;            // held out of the training split for validation
    // Optimisation.
    std::int64_t steps = 300; // 0: until time_limit_s, the cosine spread over the time budget
    int batch = 16;           // pairs (or images for grounding) per micro-batch
    int accumulation = 1;     // micro-batches per optimizer step
    double lr = 3e-4;
    double weightDecay = 0.01;
    std::int64_t warmupSteps = 20;
    double minLrRatio = 0.1;
    double clipNorm = 1.0;       // 0: no clipping
    double decisionWeight = 1.0; // weight of the yes/no token against the rationale's tokens
    double pointwiseCeWeight = 0.1;
    double tieTheta = 1.5;
    std::uint64_t seed = 1;
    int threads = 0; // 0: one per core
    // Validation, early stopping, checkpoints, time budget.
    std::int64_t evalEvery = 50;
    int evalPairs = 256;
    int patience = 0; // evaluations without improvement before stopping; 0: never stop early
    std::int64_t checkpointEvery = 50;
    // 0: no limit; else the run ends when it is spent (the best validated model, or the last
    // weights without validation, is the checkpoint). Spend it over the schedule by setting
    // steps to what fits.
    double timeLimitSeconds = 0;

    std::filesystem::path outFolder(const std::filesystem::path& workspace) const;
};

// Throws rd::Error(InvalidArgument) "<where>: field "x" ..." for a bad or unknown field.
RmTrainSpec parseRmTrainSpec(const nlohmann::json& json, const std::string& where);
RmTrainSpec readRmTrainSpec(const std::filesystem::path& file);
nlohmann::json toJson(const RmTrainSpec& spec);
// Every field: name, type, default, range, choices, label and help (train_spec_fields.cpp).
const jobs::SpecFields<RmTrainSpec>& rmTrainFields();

} // namespace rd::reward
