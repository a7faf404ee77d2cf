// Chain-of-thought text for a preference pair, written from each image's checklist against the
// prompt (checklist.h), in both of the paper's formats (Section 3.2.1, Figure 4): decision first
// ("yes. In image 1, exactly three red circles: two, no; so image 1 misses the prompt. In image 2,
// exactly three red circles: three, yes; so image 2 matches the prompt. Image 2 matches the
// prompt better.") and reasoning first (the same reasons, then "Answer: yes"). The answer is to the
// pairwise question "Is image 2 better than image 1?" (Eq. 2 scores P("yes")): a tie answers "no".
//
// Usage:
//   std::string instruction = taskInstruction(spec);         // Figure 4's task-aware instruction
//   Rationale r = writeRationale(spec, image1, image2);       // Observations (scene or oracle)
//   r.decisionFirst; r.reasoningFirst; r.answerYes;
#pragma once

#include "synth/alignment_judge.h"
#include "synth/checklist.h"
#include "synth/pair_verdict.h"

#include <optional>
#include <string>

namespace rd::synth {

struct Rationale {
    bool answerYes = false;
    std::optional<Winner> winner; // unset when neither image is better in a known way
    std::string decisionFirst;
    std::string reasoningFirst;
    Checklist image1, image2; // each image on its own (the pointwise RM's rationale)
};

// "You will act as a professional image quality evaluator. ..." with the factors that matter for
// this prompt's category (and motion for clips).
std::string taskInstruction(const PromptSpec& spec);
// "Is image 2 better than image 1? Please answer "yes" or "no", and give the detailed reason."
std::string pairQuestion(const PromptSpec& spec);

// "two red circles and a blue square", "a red circle right of a blue square", "an empty
// background"; clips add "moving from left to right" or "standing still". WithPlaces names where
// each object is in a 3x3 grid of the (first) frame: "two red circles (top left, right) and a blue
// square (bottom)" - the grounding stage's captions, which teach where as well as what.
enum class ObservationDetail { Counts, WithPlaces };
std::string placeWords(const ObservedObject& object); // "top left", "centre", "right", ...
// Each object's place, top to bottom then left to right: "top left, right"; empty for none.
std::string placeList(std::vector<ObservedObject> objects);
// "moving from left to right", "standing still"; empty for a still image.
std::string motionWords(const Observation& observation);
std::string describeObservation(const PromptSpec& spec, const Observation& observation,
                                ObservationDetail detail = ObservationDetail::Counts);

Rationale writeRationale(const PromptSpec& spec, const Observation& image1,
                         const Observation& image2);

} // namespace rd::synth
