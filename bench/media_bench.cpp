#include "media_bench.h"
#include "scratch_folder.h"
#include "timing.h"

#include "common/error.h"
#include "media/image_io.h"
#include "media/image_tensor.h"
#include "media/video_decoder.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

namespace rd::bench {
namespace fs = std::filesystem;

namespace {

// Runs a program (no shell) and waits; throws when it cannot run or fails.
void runProgram(const std::vector<std::string>& args) {
    std::vector<char*> argv;
    for (const auto& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const pid_t pid = fork();
    if (pid == 0) {
        execvp(argv[0], argv.data());
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw Error(ErrorKind::Internal, args[0] + " failed (is Debian's ffmpeg installed?)");
}

fs::path makeClip(const fs::path& folder, int keyframeSeconds) {
    const fs::path clip = folder / "clip-720p.mp4";
    std::vector<std::string> args = {"ffmpeg",   "-y",     "-v",   "error",
                                     "-f",       "lavfi",  "-i",   "testsrc2=size=1280x720:rate=25",
                                     "-t",       "10",     "-c:v", "libx264",
                                     "-pix_fmt", "yuv420p"};
    if (keyframeSeconds > 0) {
        args.push_back("-g");
        args.push_back(std::to_string(25 * keyframeSeconds));
    }
    args.push_back(clip.string());
    runProgram(args);
    return clip;
}

nlohmann::json decodeFigures(const fs::path& clip, int threads, int repeats) {
    std::vector<double> ours, oursRgb, cli, sampling;
    std::int64_t frames = 0;
    media::VideoDecoderOptions options;
    options.threads = threads;
    for (int r = 0; r < repeats; ++r) {
        // Interleaved A/B runs, so drift in machine speed hits both sides alike.
        auto start = Clock::now();
        media::VideoDecoder video(clip, options);
        frames = 0;
        while (video.next(nullptr))
            ++frames;
        ours.push_back(frames / secondsSince(start));

        start = Clock::now();
        runProgram({"ffmpeg", "-v", "error", "-threads", std::to_string(threads), "-i",
                    clip.string(), "-f", "null", "-"});
        cli.push_back(frames / secondsSince(start));

        start = Clock::now();
        media::VideoDecoder rgbVideo(clip, options);
        media::VideoFrame frame;
        std::int64_t rgbFrames = 0;
        while (rgbVideo.next(&frame))
            ++rgbFrames;
        oursRgb.push_back(rgbFrames / secondsSince(start));

        start = Clock::now();
        media::VideoDecoder sampler(clip, options);
        sampler.sampleUniform(8);
        sampling.push_back(secondsSince(start) * 1000.0);
    }
    return {{"frames", frames},
            {"decode_fps", median(ours)},
            {"ffmpeg_cli_fps", median(cli)},
            {"decode_vs_ffmpeg_cli", median(ours) / median(cli)},
            {"decode_to_rgb_fps", median(oursRgb)},
            {"sample_8_frames_ms_median", median(sampling)}};
}

nlohmann::json imageFigures(const fs::path& folder, int count, int repeats) {
    std::mt19937 rng(3);
    for (int i = 0; i < count; ++i) {
        cv::Mat image(512, 512, CV_8UC3);
        cv::randu(image, 0, 255);
        cv::GaussianBlur(image, image, cv::Size(9, 9), 3); // photo-like, so PNG compresses some
        cv::imwrite((folder / ("img" + std::to_string(i) + ".png")).string(), image);
    }
    std::vector<double> rates;
    for (int r = 0; r < repeats; ++r) {
        const auto start = Clock::now();
        for (int i = 0; i < count; ++i) {
            const cv::Mat rgb = media::loadImageRgb(folder / ("img" + std::to_string(i) + ".png"));
            media::toTensor(media::fitImage(rgb, 448, media::FitMode::Pad), media::kImageNetNorm);
        }
        rates.push_back(count / secondsSince(start));
    }
    return {{"images", count},
            {"size", "512x512 PNG -> 448x448 normalised tensor"},
            {"load_preprocess_per_s", median(rates)}};
}

} // namespace

nlohmann::json runMediaBench(const MediaBenchOptions& options) {
    const int threads = options.threads > 0
                            ? options.threads
                            : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    const ScratchFolder scratch("media");
    nlohmann::json result;
    fs::create_directories(scratch / "images");
    const fs::path clip = makeClip(scratch.path(), options.keyframeSeconds);
    result["clip"] = {
        {"size", "1280x720"},
        {"seconds", 10},
        {"codec", "h264 (libx264 defaults)"},
        {"keyframe_interval", options.keyframeSeconds > 0
                                  ? std::to_string(options.keyframeSeconds) + " s"
                                  : std::string("x264 default (250 frames = whole clip)")}};
    result["threads"] = threads;
    result["video"] = decodeFigures(clip, threads, options.repeats);
    result["image"] = imageFigures(scratch / "images", options.images, options.repeats);
    return result;
}

} // namespace rd::bench
