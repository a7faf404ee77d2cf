#include "cli_output.h"
#include "commands.h"
#include "common/error.h"
#include "common/file_checks.h"
#include "media/image_io.h"
#include "media/media_info.h"
#include "media/video_decoder.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
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
        nlohmann::json report;
        if (info.type == media::MediaType::Video) { // count the frames exactly, not from metadata
            const std::int64_t declared = info.frames;
            const double declaredSeconds = info.durationS;
            info.frames = media::VideoDecoder(*file).frameCount();
            // A clip cut short keeps its header's claims (a faststart MP4 lists every sample up
            // front): say what is really there.
            if (declared > info.frames) {
                if (info.fps > 0)
                    info.durationS = static_cast<double>(info.frames) / info.fps;
                report = infoJson(*file, info);
                report["declared_frames"] = declared;
                report["declared_duration_s"] = declaredSeconds;
                report["warning"] = "the container declares " + std::to_string(declared) +
                                    " frames but only " + std::to_string(info.frames) +
                                    " can be read: the file looks truncated";
                std::cerr << "rdance: " << *file << ": " << report["warning"].get<std::string>()
                          << "\n";
            }
        }
        printJsonPretty(report.is_null() ? infoJson(*file, info) : report);
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
        namespace fs = std::filesystem;
        if (o->count <= 0)
            throw Error(ErrorKind::InvalidArgument, "--count must be positive");
        media::VideoDecoder video(o->file);
        const std::int64_t frames = video.frameCount();
        if (o->count > frames)
            throw Error(ErrorKind::InvalidArgument,
                        o->file + ": has " + std::to_string(frames) + " frames; --count " +
                            std::to_string(o->count) + " asks for more");
        std::error_code ec;
        const bool outExisted = fs::exists(o->out, ec);
        prepareOutputFolder(o->out);
        // One frame in memory at a time, written as soon as it is decoded; a clip that fails
        // half-way takes back what this command wrote.
        std::vector<fs::path> files;
        nlohmann::json written = nlohmann::json::array();
        try {
            for (const std::int64_t index : media::uniformFrameIndices(frames, o->count)) {
                const media::VideoFrame frame = video.seekToFrame(index);
                char name[32];
                std::snprintf(name, sizeof name, "frame_%06lld.png",
                              static_cast<long long>(frame.index));
                files.push_back(fs::path(o->out) / name);
                media::saveImageRgb(files.back(), frame.rgb);
                written.push_back({{"file", files.back().string()},
                                   {"index", frame.index},
                                   {"time_s", frame.timeS}});
            }
        } catch (...) {
            if (!outExisted)
                fs::remove_all(o->out, ec);
            for (const fs::path& file : files)
                fs::remove(file, ec);
            throw;
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
        requireWritableFilePath(o->out);
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
