#include "synth/oracle_file.h"

#include "media/image_io.h"
#include "media/media_info.h"
#include "media/video_decoder.h"

namespace rd::synth {

namespace {

std::vector<cv::Mat> clipFrames(const std::filesystem::path& file, int count) {
    media::VideoDecoder decoder(file);
    std::vector<cv::Mat> frames;
    for (media::VideoFrame& f : decoder.sampleUniform(count))
        frames.push_back(std::move(f.rgb));
    return frames;
}

} // namespace

bool isClipFile(const std::filesystem::path& file) {
    return media::probeMedia(file).type == media::MediaType::Video;
}

OracleResult scoreFile(const PromptSpec& spec, const std::filesystem::path& file,
                       int clipFramesWanted) {
    if (isClipFile(file))
        return scoreClip(spec, clipFrames(file, clipFramesWanted));
    return scoreImage(spec, media::loadImageRgb(file));
}

Observation observeFile(const std::filesystem::path& file, int clipFramesWanted) {
    std::vector<cv::Mat> frames;
    if (isClipFile(file))
        frames = clipFrames(file, clipFramesWanted);
    else
        frames.push_back(media::loadImageRgb(file));
    const ObjectDetector detector;
    Observation obs;
    for (const cv::Mat& f : frames) {
        std::vector<ObservedObject> objects;
        for (const DetectedObject& d : detector.detect(f))
            objects.push_back(d.object);
        obs.frames.push_back(std::move(objects));
    }
    return obs;
}

} // namespace rd::synth
