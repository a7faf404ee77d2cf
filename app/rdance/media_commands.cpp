#include "cli_output.h"
#include "commands.h"
#include "common/error.h"
#include "media/image_io.h"
#include "media/media_info.h"
#include "media/video_decoder.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>

namespace rd::cli {

namespace {

nlohmann::json infoJson(const std::string& file, const media::MediaInfo& info) {
    return {{"file", file},
            {"type", info.type == media::MediaType::Video ? "video" : "image"},
            {"container", info.container},
            {"codec", info.codec},
            {"width", info.width},
            {"height", info.height},
            {"rotation", info.rotationDegrees},
            {"fps", info.fps},
            {"variable_frame_rate", info.variableFrameRate},
            {"frames", info.frames},
            {"duration_s", info.durationS}};
}

void addProbe(CLI::App& media) {
    auto file = std::make_shared<std::string>();
    CLI::App* cmd = media.add_subcommand("probe", "Print what the media engine reads of a file");
    cmd->add_option("FILE", *file, "Image or video file")->required();
    cmd->callback([file] {
        media::MediaInfo info = media::probeMedia(*file);
        if (info.type == media::MediaType::Video) // count the frames exactly, not from metadata
            info.frames = media::VideoDecoder(*file).frameCount();
        printJsonPretty(infoJson(*file, info));
    });
}

void addFrames(CLI::App& media) {
    struct Options {
        std::string file, out;
        int count = 8;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = media.add_subcommand(
        "frames", "Write N uniformly sampled frames as PNG (what the video reward model sees)");
    cmd->add_option("FILE", o->file, "Video file")->required();
    cmd->add_option("--count", o->count, "Frames to sample (default 8)");
    cmd->add_option("--out", o->out, "Output folder (created)")->required();
    cmd->callback([o] {
        if (o->count <= 0)
            throw Error(ErrorKind::InvalidArgument, "--count must be positive");
        std::filesystem::create_directories(o->out);
        media::VideoDecoder video(o->file);
        nlohmann::json written = nlohmann::json::array();
        for (const media::VideoFrame& frame : video.sampleUniform(o->count)) {
            char name[32];
            std::snprintf(name, sizeof name, "frame_%06lld.png",
                          static_cast<long long>(frame.index));
            const auto path = std::filesystem::path(o->out) / name;
            media::saveImageRgb(path, frame.rgb);
            written.push_back(
                {{"file", path.string()}, {"index", frame.index}, {"time_s", frame.timeS}});
        }
        printJsonPretty({{"video", o->file}, {"frames", written}});
    });
}

void addThumb(CLI::App& media) {
    struct Options {
        std::string file, out;
        int size = 256;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = media.add_subcommand("thumb", "Write a thumbnail of an image or video");
    cmd->add_option("FILE", o->file, "Image or video file")->required();
    cmd->add_option("--out", o->out, "Output PNG")->required();
    cmd->add_option("--size", o->size, "Longer side in pixels (default 256)");
    cmd->callback([o] {
        const cv::Mat thumb = media::thumbnail(o->file, o->size);
        media::saveImageRgb(o->out, thumb);
        printJson({{"file", o->file},
                   {"thumbnail", o->out},
                   {"width", thumb.cols},
                   {"height", thumb.rows}});
    });
}

} // namespace

void addMediaCommands(CLI::App& app) {
    CLI::App* media = app.add_subcommand("media", "Probe, sample and thumbnail images and videos");
    media->require_subcommand(1);
    addProbe(*media);
    addFrames(*media);
    addThumb(*media);
}

} // namespace rd::cli
