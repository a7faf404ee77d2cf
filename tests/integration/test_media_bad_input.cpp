// Bad media never crash or hang: files truncated at many offsets, random bytes, zero bytes,
// wrong extensions and streams without video all end in an rd::Error naming the file, or (for a
// truncated video whose start is intact) in frames that decode correctly.
#include "common/error.h"
#include "fixtures.h"
#include "media/image_io.h"
#include "media/media_info.h"
#include "media/video_decoder.h"
#include "video_fixtures.h"

#include <QtTest>

#include <fstream>
#include <random>

using namespace rd;
namespace fs = std::filesystem;

namespace {

std::vector<char> readBytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

void writePrefix(const fs::path& path, const std::vector<char>& bytes, size_t length) {
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(length));
}

// Probes, opens and samples; returns true when it worked, false on an rd::Error naming the file.
bool tryVideo(const fs::path& path) {
    try {
        media::probeMedia(path);
        media::VideoDecoder video(path);
        for (const auto& frame : video.sampleUniform(3))
            if (frame.rgb.empty())
                return false;
        return true;
    } catch (const Error& e) {
        if (std::string(e.what()).find(path.filename().string()) == std::string::npos)
            throw std::runtime_error(std::string("error without the file name: ") + e.what());
        return false;
    }
}

} // namespace

class TestMediaBadInput : public QObject {
    Q_OBJECT

private slots:
    void truncatedVideosAtManyOffsets() {
        test::ScratchDir dir;
        test::writeLevelFrames(dir / "frames", 24, 64, 48);
        // faststart puts the index first, so most truncations leave a partly decodable file.
        test::encodeFrames(dir / "frames", dir / "clip.mp4", 12,
                           {"-c:v", "libx264", "-g", "6", "-movflags", "+faststart"});
        test::encodeFrames(dir / "frames", dir / "clip.webm", 12, {"-c:v", "libvpx-vp9"});
        for (const char* name : {"clip.mp4", "clip.webm"}) {
            const auto bytes = readBytes(dir / name);
            int failures = 0, successes = 0;
            for (int step = 0; step < 60; ++step) {
                const size_t length = bytes.size() * static_cast<size_t>(step) / 60;
                const fs::path cut =
                    dir / ("cut-" + std::to_string(step) + fs::path(name).extension().string());
                writePrefix(cut, bytes, length);
                (tryVideo(cut) ? successes : failures)++;
            }
            QVERIFY(failures > 0); // the early cuts cannot open
            QVERIFY(tryVideo(dir / name));
            qInfo("%s: %d truncations refused cleanly, %d still decodable", name, failures,
                  successes);
        }
    }

    void truncatedImagesAtEveryOffsetAreRefused() {
        test::ScratchDir dir;
        for (const char* name : {"img.png", "img.jpg"}) {
            test::writeImage(dir / name, 5, 24, 16);
            const auto bytes = readBytes(dir / name);
            for (size_t length = 0; length < bytes.size(); length += 7) {
                const fs::path cut = dir / ("cut" + fs::path(name).extension().string());
                writePrefix(cut, bytes, length);
                try {
                    media::loadImageRgb(cut);
                    QFAIL(("a " + std::string(name) + " cut at " + std::to_string(length) +
                           " bytes loaded")
                              .c_str());
                } catch (const Error& e) {
                    QVERIFY(std::string(e.what()).find("cut") != std::string::npos);
                }
            }
        }
    }

    void randomBytesAndWrongExtensions() {
        test::ScratchDir dir;
        std::mt19937 rng(1234);
        for (int i = 0; i < 40; ++i) {
            std::vector<char> noise(1 + rng() % 20000);
            for (char& c : noise)
                c = static_cast<char>(rng());
            for (const char* ext : {".mp4", ".png"}) {
                const fs::path path = dir / ("noise" + std::to_string(i) + ext);
                writePrefix(path, noise, noise.size());
                QVERIFY_THROWS_EXCEPTION(Error, media::probeMedia(path));
            }
        }
        // Content decides, not the name: a PNG called .mp4 is an image.
        test::writeImage(dir / "picture.png", 3, 10, 10);
        fs::rename(dir / "picture.png", dir / "picture.mp4");
        QCOMPARE(media::probeMedia(dir / "picture.mp4").type, media::MediaType::Image);
        test::writeText(dir / "empty.mp4", "");
        QVERIFY_THROWS_EXCEPTION(Error, media::VideoDecoder(dir / "empty.mp4"));
        // A file with sound and no picture.
        test::runFfmpeg({"-f", "lavfi", "-i", "sine=frequency=440:duration=0.5", "-c:a", "aac",
                         (dir / "sound.mp4").string()});
        try {
            media::VideoDecoder video(dir / "sound.mp4");
            QFAIL("an audio-only file is not a video");
        } catch (const Error& e) {
            QVERIFY(std::string(e.what()).find("no video stream") != std::string::npos);
        }
    }
};

QTEST_GUILESS_MAIN(TestMediaBadInput)
#include "test_media_bad_input.moc"
