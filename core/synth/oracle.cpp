#include "synth/oracle.h"

#include "common/error.h"

namespace rd::synth {

namespace {

std::vector<ObservedObject> objectsOf(const std::vector<DetectedObject>& detected) {
    std::vector<ObservedObject> objects;
    objects.reserve(detected.size());
    for (const DetectedObject& d : detected)
        objects.push_back(d.object);
    return objects;
}

} // namespace

OracleResult scoreImage(const PromptSpec& spec, const cv::Mat& rgb,
                        const DetectorOptions& options) {
    OracleResult result;
    result.objects = ObjectDetector(options).detect(rgb);
    result.observation.frames.push_back(objectsOf(result.objects));
    result.judgement = judge(spec, result.observation);
    return result;
}

OracleResult scoreClip(const PromptSpec& spec, const std::vector<cv::Mat>& frames,
                       const DetectorOptions& options) {
    if (frames.empty())
        throw Error(ErrorKind::InvalidArgument, "ShapeWorld oracle: a clip with no frames");
    const ObjectDetector detector(options);
    OracleResult result;
    for (size_t i = 0; i < frames.size(); ++i) {
        std::vector<DetectedObject> detected = detector.detect(frames[i]);
        result.observation.frames.push_back(objectsOf(detected));
        if (i == 0)
            result.objects = std::move(detected);
    }
    result.judgement = judge(spec, result.observation);
    return result;
}

} // namespace rd::synth
