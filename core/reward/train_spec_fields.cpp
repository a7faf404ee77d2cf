// The RM training job spec's fields, declared once: parsing, toJson, `rdance fields rm-train`,
// docs/RM_TRAINING.md's table and the studio's form all read this list. No LibTorch here: the
// studio links it.
#include "jobs/spec_fields.h"
#include "reward/train_spec.h"

namespace rd::reward {

namespace {

// What the studio's form offers; `preset` takes any preset model::presetConfig knows.
const std::vector<std::string> kRmPresets = {"rd-xs", "rd-xs-mha", "rd-xs-conv",
                                             "rd-s",  "rd-m",      "rd-l"};
// The grounding skills of both sources (the workspace's, then the stream's own).
const std::vector<std::string> kGroundingKindWords = {
    "caption",  "shows",    "near_miss", "presence", "count",
    "location", "position", "where",     "which",    "relation"};

jobs::SpecFields<RmTrainSpec> declare() {
    return jobs::SpecFields<RmTrainSpec>()
        .choice("stage", &RmTrainSpec::stage, kRmStageNames,
                {"Stage", "`\"reward\"` trains an RM on pairs; `\"grounding\"` trains the backbone "
                          "on single-image captions and yes/no questions (ShapeWorld scenes of the "
                          "split), the stage that stands in for InternVL's pretraining"})
        .choice("grounding_layout", &RmTrainSpec::groundingLayout, kGroundingLayoutNames,
                {"Grounding layout",
                 "grounding: `\"single\"` shows each question its one image; `\"pair\"` shows two "
                 "images as the pairwise prompt does (\"Image-1: ... Image-2: ...\") and asks "
                 "about one of them (\"Is there a red circle in image 2?\"), the other a random "
                 "image of the set"})
        .choice(
            "grounding_source", &RmTrainSpec::groundingSource, kGroundingSourceNames,
            {"Grounding source",
             "grounding: `\"workspace\"` reads the split's stored ShapeWorld images and asks the "
             "kinds below; `\"stream\"` draws a fresh scene for every training example (any "
             "category's prompt, drawn by the clean or the sloppy stand-in generator, "
             "`core/reward/grounding_stream.h`; the same seed gives the same stream, resumes "
             "included) and asks one question with a direct answer in words "
             "(`core/synth/direct_questions.h`): `\"caption\"` (the description with each object's "
             "place), `\"where\"` (\"Where is the red circle?\" \"top left\"; \"nowhere\"), "
             "`\"which\"` (\"Which is further left, the red circle or the blue square?\" \"the red "
             "circle\"; also further right, higher, lower), `\"count\"` (\"How many circles are "
             "there?\" \"two\"; \"none\"), `\"presence\"` (\"Is there a red circle?\" yes or no, "
             "balanced), `\"relation\"` (asked with the true relation or its inverse and answered "
             "as a chain: \"red circle: top left; blue square: right; so the red circle is left of "
             "the blue square. Answer: yes\"). No bare yes/no is asked about a relation: that "
             "target is XOR-shaped and sits at chance for thousands of steps. Validation asks "
             "`eval_pairs` held-out scenes every kind they can carry and scores each answer by "
             "exact match (every answer token the model's first choice, which is what greedy "
             "decoding writes); the checkpoint is the step with the best mean over the question "
             "kinds. `max_pairs`, `categories`, `val_fraction` and `grounding_caption` do not "
             "apply; `grounding_layout` must be `\"single\"` and `grounding_cell_weight` 0"})
        .words("grounding_kinds", &RmTrainSpec::groundingKinds,
               {"Grounding skills (empty: the source's defaults)",
                "grounding: what is trained and validated, a curriculum by skill - any of "
                "`\"caption\"` (the \"Describe the image.\" row) and the question kinds "
                "`\"shows\"` (its own prompt and another of its category), `\"near_miss\"` (its "
                "prompt, or its prompt with one thing changed: a count one off, a colour or shape "
                "swapped, the relation turned round, the colours exchanged; answered yes or no "
                "with equal odds where both occur), `\"presence\"`, `\"count\"`, `\"location\"`, "
                "`\"position\"`; images with nothing of the chosen kinds are left out. Empty: "
                "every kind but `\"near_miss\"`, which is trained only when named (a first run did "
                "not show it helping). With `\"grounding_source\": \"stream\"` the kinds are the "
                "stream's (`\"caption\"`, `\"where\"`, `\"which\"`, `\"count\"`, `\"presence\"`, "
                "`\"relation\"`; empty: all of them)"},
               kGroundingKindWords)
        .choice("grounding_caption", &RmTrainSpec::groundingCaption, kGroundingCaptionNames,
                {"Grounding captions",
                 "grounding: `\"counts\"` captions say what the image holds (\"two red circles and "
                 "a blue square\"); `\"places\"` also say where each object is in a 3x3 grid "
                 "(\"two red circles (top left, right) and a blue square (bottom)\"), about a "
                 "third fewer steps a minute for rd-xs"})
        .real("grounding_cell_weight", &RmTrainSpec::groundingCellWeight, {0.0, 100.0},
              {"Grounding cell probe weight (0: none)",
               "grounding: the weight of a dense auxiliary loss on the image tokens "
               "(`core/reward/scene_cells.h`): a linear probe on each of an image's 4x4 tokens "
               "predicts the colour and shape of the object centred in its 16-px cell (\"none\" "
               "when empty) and the cell's row and column, so every token gets a target at every "
               "step (the dense supervision InternViT had before InternVL). The probe is trained "
               "beside the model and kept in `train_state` for `--resume`, but not saved with the "
               "checkpoint. Validation reports `cell_accuracy` (colour and shape both right, over "
               "the cells that hold an object; metric `val/cell_accuracy`). 0: no probe"})
        .flag("grounding_question_first", &RmTrainSpec::groundingQuestionFirst,
              {"Grounding: question before the image",
               "grounding: the question (or \"Describe the image.\") comes before the image(s) in "
               "the user turn (\"Is there a red circle in the image? Answer yes or "
               "no.\\n<image>\\n\"), so that the causal LM's image tokens can attend to it; "
               "`false` keeps InternVL's order, image first. Reward runs keep the RM prompt's "
               "order (image first)"})
        .choice("paradigm", &RmTrainSpec::paradigm, kParadigmNames,
                {"Paradigm",
                 "`\"pairwise\"` (generative, the paper's RM, Eq. 2), `\"pointwise\"` (generative, "
                 "§3.2.3), `\"regressive\"` (scalar head, Eq. 1). Not for grounding"})
        .text("preset", &RmTrainSpec::preset,
              {"Preset (fresh model)",
               "a fresh model of this size (`rd-xs`, `rd-s`, `rd-m`, `rd-l`; `rd-xs-mha` is rd-xs "
               "with a key/value head per query head; `rd-xs-conv` is rd-xs with a convolutional "
               "stem, three 3x3 stride-2 convolutions, in place of the 8x8 patch embedding) when "
               "there is no `backbone`"},
              kRmPresets)
        .path("backbone", &RmTrainSpec::backbone,
              {"Backbone checkpoint", "a checkpoint folder to start from, e.g. a grounding run's "
                                      "`out` (its tokenizer comes along)"})
        .path("tokenizer", &RmTrainSpec::tokenizer,
              {"Tokenizer (fresh model)", "a tokenizer for a fresh model; empty: a byte-level BPE "
                                          "trained on the split's texts, saved in `out`"})
        .outFolder("out", &RmTrainSpec::out,
                   {"Output folder",
                    "the checkpoint folder (model.safetensors, config.json, tokenizer.json, "
                    "reward.json, training.json), relative to the workspace and inside it (not in "
                    "`media/`); a job refused before it starts removes the folder it made"})
        .required("the folder the checkpoint goes to")
        .text("name", &RmTrainSpec::name, {"Run name", "the run's name"})
        .defaultNote("`out`'s name")
        .flag("with_instruction", &RmTrainSpec::withInstruction,
              {"Task instruction", "the task instruction as the system message (Table 7 ablation)"})
        .flag("with_reference", &RmTrainSpec::withReference,
              {"Reference image in context",
               "pairwise: image 1 is the reference; `false` scores the candidate alone (Table 7)"})
        .flag("prompt_first", &RmTrainSpec::promptFirst,
              {"Prompt before the images",
               "`\"Prompt: ...\"` before the images instead of after them as in Figure 4 (a small "
               "LM learns faster reading the prompt first); kept in reward.json, so scoring reads "
               "the same way"})
        .choice(
            "cot", &RmTrainSpec::cot, kCotFormatNames,
            {"Chain of thought",
             "`\"decision_first\"` (\"yes. reason\"), `\"reasoning_first\"` (\"reason Answer: "
             "yes\"), `\"both\"` (alternating), `\"none\"` (the bare yes/no; Table 9 ablation). A "
             "pairwise RM trained on `\"reasoning_first\"` alone is saved with `\"answer_order\": "
             "\"reasoning_first\"` in its reward.json and is scored after it writes its own "
             "rationale: P(\"yes\") at the token after \"Answer:\" (validation, `rm eval`, `rm "
             "judge`, `rm score`); ReFL, Best-of-N and search refuse it, since that reward has no "
             "gradient (the paper feeds back with the decision-first format, §3.2.1)"})
        .flag("both_orders", &RmTrainSpec::bothOrders,
              {"Pairwise: both image orders",
               "pairwise: every pair in both image orders, so position cannot decide"})
        .flag("train_ties", &RmTrainSpec::trainTies,
              {"Train on tie pairs",
               "`false` leaves tie pairs out of training (a pairwise tie is \"no\" in both orders, "
               "a regressive one takes the Bradley-Terry-with-ties loss); the pointwise paradigm "
               "always leaves them out. Validation and `rm eval` still see them"})
        .choice(
            "labels", &RmTrainSpec::labels, kLabelSourceNames,
            {"Labels (humans: people's GSB verdicts)",
             "where each pair's preference comes from: `\"pairs\"` (the pair's stored "
             "`preferred`), `\"humans\"` (people's GSB verdicts, aggregated as `rdance gsb labels` "
             "prints them; pairs no one labelled are left out), `\"both\"` (people's label where "
             "there is one, else the pair's). A ShapeWorld pair whose human label disagrees with "
             "its scenes is trained on the bare answer, without the scene's checklist; the start "
             "event counts `human_labelled_pairs` and `human_labels_against_scene`, and the run "
             "stores `data/human_labelled_pairs` (the Results view's `human_labels` column)"})
        .real("human_min_honeypot_accuracy", &RmTrainSpec::humanMinHoneypotAccuracy, {0.0, 1.0},
              {"Annotators' honeypot accuracy at least",
               "annotators whose honeypot accuracy over all studies is below it do not count"})
        .flag(
            "human_labels_simulated", &RmTrainSpec::humanLabelsSimulated,
            {"Count simulated annotators (measurement)",
             "count simulated annotators (`rdance gsb simulate`) as people: for measurements only"})
        .words("studies", &RmTrainSpec::studies,
               {"Only the pairs of these GSB studies (empty: all)",
                "only the pairs of these GSB studies (their normal items); empty: every pair of "
                "the split"})
        .text("split", &RmTrainSpec::split,
              {"Split", "the split to train on (test splits are never read while training)"})
        .words("categories", &RmTrainSpec::categories,
               {"Prompt categories (empty: all)",
                "prompt categories to keep (`colors`, `counting`, ...); empty: all"})
        .integer("max_pairs", &RmTrainSpec::maxPairs, {0.0},
                 {"At most this many pairs (0: all)",
                  "at most this many pairs (images for grounding); 0: all"})
        .real("val_fraction", &RmTrainSpec::valFraction, {0.0, 0.9},
              {"Held out for validation",
               "pairs held out of the split for validation, by a fixed hash of the pair id"})
        .integer(
            "steps", &RmTrainSpec::steps, {0.0},
            {"Steps (0: time budget)",
             "optimizer steps; 0: train until `time_limit_s` is spent, the cosine spread over the "
             "time budget (then the run depends on the machine's speed, not only on the seed)"})
        .integer("batch", &RmTrainSpec::batch, {1.0, 4096.0},
                 {"Batch (pairs)", "pairs (grounding: images) per micro-batch"})
        .integer("accumulation", &RmTrainSpec::accumulation, {1.0, 1024.0},
                 {"Micro-batches per step", "micro-batches per optimizer step"})
        .adamW()
        .real("decision_weight", &RmTrainSpec::decisionWeight, {0.0, 1000.0, true},
              {"Weight of the yes/no token",
               "weight of the yes/no token against the rationale's tokens"})
        .real("pointwise_ce_weight", &RmTrainSpec::pointwiseCeWeight, {0.0, 100.0},
              {"Pointwise CE weight", "the small CE term of the pointwise paradigm"})
        .real("tie_theta", &RmTrainSpec::tieTheta, {1.0, 100.0, true},
              {"Tie parameter (regressive)",
               "Rao-Kupper's tie parameter (regressive, when the data has ties)"})
        .seed("seed", &RmTrainSpec::seed,
              {"Seed", "model initialisation and data order: the same seed gives the same run"})
        .threads()
        .integer(
            "eval_every", &RmTrainSpec::evalEvery, {0.0},
            {"Validate every",
             "validate every K steps (and at the end); 0: never (the last weights are the model)"})
        .integer("eval_pairs", &RmTrainSpec::evalPairs, {1.0},
                 {"Validation pairs", "validation pairs (grounding: images)"})
        .integer("patience", &RmTrainSpec::patience, {0.0},
                 {"Early-stopping patience (0: never)",
                  "stop after this many validations without improvement; 0: never"})
        .integer("checkpoint_every", &RmTrainSpec::checkpointEvery, {0.0},
                 {"Save the resumable state every",
                  "save the resumable state every K steps; 0: only on cancel"})
        .real(
            "time_limit_s", &RmTrainSpec::timeLimitSeconds, {0.0},
            {"Time budget (s)", "end the run when this much training time is spent; 0: no limit"});
}

} // namespace

const jobs::SpecFields<RmTrainSpec>& rmTrainFields() {
    static const jobs::SpecFields<RmTrainSpec> fields = declare();
    return fields;
}

nlohmann::json toJson(const RmTrainSpec& spec) {
    return rmTrainFields().toJson(spec);
}

} // namespace rd::reward
