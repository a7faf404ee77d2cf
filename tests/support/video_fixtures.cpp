#include "video_fixtures.h"

#include "fixtures.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <QProcess>
#include <QStringList>

#include <stdexcept>

namespace rd::test {
namespace fs = std::filesystem;

int frameLevel(int index) {
    return 16 + (index * 37) % 224;
}

void writeLevelFrames(const fs::path& folder, int count, int width, int height) {
    fs::create_directories(folder);
    for (int i = 0; i < count; ++i) {
        cv::Mat frame(height, width, CV_8UC3, cv::Scalar::all(frameLevel(i)));
        // A marker in the top-left corner shows which way the frame is turned.
        cv::rectangle(frame, cv::Rect(0, 0, std::max(2, width / 4), std::max(2, height / 4)),
                      cv::Scalar::all(255), cv::FILLED);
        char name[32];
        std::snprintf(name, sizeof name, "frame_%04d.png", i);
        cv::imwrite((folder / name).string(), frame);
    }
}

void runFfmpeg(const std::vector<std::string>& args) {
    QStringList arguments = {"-y", "-v", "error"};
    for (const auto& a : args)
        arguments << QString::fromStdString(a);
    QProcess ffmpeg;
    ffmpeg.setProcessChannelMode(QProcess::MergedChannels);
    ffmpeg.start("ffmpeg", arguments);
    if (!ffmpeg.waitForFinished(300000) || ffmpeg.exitStatus() != QProcess::NormalExit ||
        ffmpeg.exitCode() != 0)
        throw std::runtime_error("ffmpeg " + arguments.join(' ').toStdString() +
                                 " failed: " + ffmpeg.readAll().toStdString());
}

void encodeFrames(const fs::path& frames, const fs::path& output, int fps,
                  const std::vector<std::string>& extraArgs) {
    std::vector<std::string> args = {"-framerate", std::to_string(fps), "-i",
                                     (frames / "frame_%04d.png").string()};
    args.insert(args.end(), extraArgs.begin(), extraArgs.end());
    args.push_back(output.string());
    runFfmpeg(args);
}

} // namespace rd::test
