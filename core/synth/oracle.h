// The ShapeWorld oracle: scores an image (or a clip's frames) against a prompt from pixels alone,
// playing GenEval's role (the paper's Table 4): it finds the objects (ObjectDetector), then the
// judge checks them constraint by constraint. The score is the fraction of constraints met.
//
// Usage:
//   OracleResult r = scoreImage(parsePrompt("a photo of two red circles"), rgb);
//   r.judgement.satisfied; r.judgement.score; r.objects;
//   OracleResult c = scoreClip(spec, frames);          // checks motion across the frames
#pragma once

#include "synth/alignment_judge.h"
#include "synth/object_detector.h"
#include "synth/prompt_spec.h"

#include <opencv2/core/mat.hpp>

#include <vector>

namespace rd::synth {

struct OracleResult {
    Judgement judgement;
    std::vector<DetectedObject> objects; // an image's objects; a clip's first frame's
    Observation observation;             // what the judge saw, frame by frame
};

OracleResult scoreImage(const PromptSpec& spec, const cv::Mat& rgb,
                        const DetectorOptions& options = {});
// A clip's frames in order; still prompts are judged on the frames' majority as well.
OracleResult scoreClip(const PromptSpec& spec, const std::vector<cv::Mat>& frames,
                       const DetectorOptions& options = {});

} // namespace rd::synth
