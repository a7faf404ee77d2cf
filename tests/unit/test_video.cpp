// Video: probe, sequential decode, frame-accurate seeks and uniform sampling across codecs,
// odd sizes, rotated and variable-frame-rate clips; the MP4 writer; the frame cache; thumbnails.
// Fixtures are drawn by the test and encoded with Debian's ffmpeg CLI.
#include "common/error.h"
#include "fixtures.h"
#include "media/frame_cache.h"
#include "media/image_io.h"
#include "media/media_info.h"
#include "media/video_decoder.h"
#include "media/video_writer.h"
#include "video_fixtures.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <QtTest>

using namespace rd;
namespace fs = std::filesystem;

namespace {

// Mean grey level away from the marker corner.
double bodyLevel(const cv::Mat& rgb) {
    const cv::Rect body(rgb.cols / 2, rgb.rows / 2, rgb.cols / 2, rgb.rows / 2);
    return cv::mean(rgb(body))[0];
}

void expectFrame(const media::VideoFrame& frame, std::int64_t index) {
    QCOMPARE(frame.index, index);
    const double level = bodyLevel(frame.rgb);
    QVERIFY2(std::abs(level - test::frameLevel(static_cast<int>(index))) < 8.0,
             ("frame " + std::to_string(index) + " has level " + std::to_string(level) +
              ", expected " + std::to_string(test::frameLevel(static_cast<int>(index))))
                 .c_str());
}

} // namespace

class TestVideo : public QObject {
    Q_OBJECT

    test::ScratchDir m_dir;

private slots:
    void initTestCase() { test::writeLevelFrames(m_dir / "frames", 24, 64, 48); }

    void decodesEveryCodec_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("codec");
        QTest::addColumn<QStringList>("args");
        QTest::newRow("h264") << "h264.mp4"
                              << "h264"
                              << QStringList{"-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "8"};
        QTest::newRow("hevc") << "hevc.mp4"
                              << "hevc"
                              << QStringList{"-c:v", "libx265", "-x265-params",
                                             "log-level=error:keyint=8"};
        QTest::newRow("vp9") << "vp9.webm"
                             << "vp9" << QStringList{"-c:v", "libvpx-vp9", "-g", "8"};
        QTest::newRow("av1") << "av1.mp4"
                             << "av1"
                             << QStringList{"-c:v", "libaom-av1", "-cpu-used", "8", "-g", "8"};
        QTest::newRow("mpeg4") << "mpeg4.avi"
                               << "mpeg4" << QStringList{"-c:v", "mpeg4", "-q:v", "2"};
        QTest::newRow("mjpeg") << "mjpeg.avi"
                               << "mjpeg" << QStringList{"-c:v", "mjpeg", "-q:v", "2"};
    }

    void decodesEveryCodec() {
        QFETCH(QString, file);
        QFETCH(QString, codec);
        QFETCH(QStringList, args);
        std::vector<std::string> extra;
        for (const auto& a : args)
            extra.push_back(a.toStdString());
        const fs::path path = m_dir / file.toStdString();
        test::encodeFrames(m_dir / "frames", path, 12, extra);

        const media::MediaInfo info = media::probeMedia(path);
        QCOMPARE(info.type, media::MediaType::Video);
        QCOMPARE(QString::fromStdString(info.codec), codec);
        QCOMPARE(info.width, 64);
        QCOMPARE(info.height, 48);
        QVERIFY(std::abs(info.fps - 12.0) < 0.01);

        media::VideoDecoder video(path);
        QCOMPARE(video.frameCount(), std::int64_t(24));
        for (std::int64_t index : {20, 3, 17, 0, 23, 4, 4, 12})
            expectFrame(video.seekToFrame(index), index);
        expectFrame(video.seekToTime(1.0), 12); // 12 fps: the frame shown at 1 s
        media::VideoDecoder sequential(path);
        media::VideoFrame frame;
        std::int64_t count = 0;
        while (sequential.next(&frame))
            expectFrame(frame, count++);
        QCOMPARE(count, std::int64_t(24));
        QVERIFY_THROWS_EXCEPTION(Error, video.seekToFrame(24));
    }

    void sampleUniformFollowsInternVl() {
        QCOMPARE(media::uniformFrameIndices(250, 8),
                 (std::vector<std::int64_t>{15, 46, 77, 108, 139, 171, 202, 233}));
        media::VideoDecoder video(m_dir / "h264.mp4");
        const auto frames = video.sampleUniform(4);
        const auto expected = media::uniformFrameIndices(24, 4);
        QCOMPARE(frames.size(), size_t(4));
        for (size_t i = 0; i < frames.size(); ++i)
            expectFrame(frames[i], expected[i]);
        QVERIFY(frames[1].timeS > frames[0].timeS);
    }

    void oddSizeClip() {
        test::writeLevelFrames(m_dir / "odd", 6, 641, 359);
        test::encodeFrames(m_dir / "odd", m_dir / "odd.mp4", 6,
                           {"-c:v", "libx264", "-pix_fmt", "yuv444p"});
        media::VideoDecoder video(m_dir / "odd.mp4");
        QCOMPARE(video.info().width, 641);
        QCOMPARE(video.info().height, 359);
        const auto frame = video.seekToFrame(5);
        QCOMPARE(frame.rgb.cols, 641);
        QCOMPARE(frame.rgb.rows, 359);
        expectFrame(frame, 5);
    }

    void rotatedClipComesOutUpright() {
        test::runFfmpeg({"-i", (m_dir / "h264.mp4").string(), "-c", "copy", "-metadata:s:v:0",
                         "rotate=90", (m_dir / "rotated.mp4").string()});
        // ffmpeg's own player rotation is the reference.
        test::runFfmpeg({"-i", (m_dir / "rotated.mp4").string(), "-frames:v", "1",
                         (m_dir / "upright.png").string()});
        const cv::Mat reference = media::loadImageRgb(m_dir / "upright.png");
        media::VideoDecoder video(m_dir / "rotated.mp4");
        QVERIFY(video.info().rotationDegrees == 90 || video.info().rotationDegrees == 270);
        const cv::Mat ours = video.seekToFrame(0).rgb;
        QCOMPARE(ours.cols, 48);
        QCOMPARE(ours.rows, 64);
        QCOMPARE(ours.size(), reference.size());
        cv::Mat diff;
        cv::absdiff(ours, reference, diff);
        QVERIFY2(cv::mean(diff)[0] < 6.0, "our upright frame differs from ffmpeg's");
    }

    void variableFrameRate() {
        // 10 frames 40 ms apart, then 10 frames 200 ms apart.
        test::runFfmpeg({"-framerate", "25", "-i", (m_dir / "frames" / "frame_%04d.png").string(),
                         "-frames:v", "20", "-vf", "setpts='if(lt(N,10),N*0.04,0.4+(N-10)*0.2)/TB'",
                         "-fps_mode", "passthrough", "-c:v", "libx264", "-video_track_timescale",
                         "1000", (m_dir / "vfr.mp4").string()});
        media::VideoDecoder video(m_dir / "vfr.mp4");
        QVERIFY(video.info().variableFrameRate);
        QCOMPARE(video.frameCount(), std::int64_t(20));
        expectFrame(video.seekToTime(0.2), 5);
        expectFrame(video.seekToTime(1.05), 13); // 0.4 + 3 * 0.2 = 1.0 <= 1.05 < 1.2
        const auto frame = video.seekToFrame(15);
        QVERIFY(std::abs(frame.timeS - 1.4) < 1e-3);
    }

    void writerRoundTrip() {
        for (const cv::Size size : {cv::Size(64, 48), cv::Size(33, 17)}) {
            const fs::path path = m_dir / ("written-" + std::to_string(size.width) + ".mp4");
            {
                media::VideoWriterOptions options;
                options.fps = 10.0;
                media::VideoWriter writer(path, size.width, size.height, options);
                for (int i = 0; i < 30; ++i) {
                    cv::Mat frame(size, CV_8UC3, cv::Scalar::all(test::frameLevel(i)));
                    cv::rectangle(frame, cv::Rect(0, 0, 4, 4), cv::Scalar::all(255), cv::FILLED);
                    writer.write(frame);
                }
                QCOMPARE(writer.codecName(), std::string("libx264"));
                QVERIFY(!fs::exists(path)); // appears only when finished
                writer.finish();
            }
            media::VideoDecoder video(path);
            QCOMPARE(video.frameCount(), std::int64_t(30));
            QVERIFY2(std::abs(video.info().fps - 10.0) < 0.01,
                     std::to_string(video.info().fps).c_str());
            QCOMPARE(video.info().width, size.width + (size.width & 1));
            for (std::int64_t index : {0, 13, 29})
                expectFrame(video.seekToFrame(index), index);
        }
        {
            media::VideoWriter abandoned(m_dir / "abandoned.mp4", 16, 16);
            abandoned.write(cv::Mat(16, 16, CV_8UC3, cv::Scalar::all(9)));
            QVERIFY_THROWS_EXCEPTION(Error, abandoned.write(cv::Mat(8, 8, CV_8UC3)));
        }
        QVERIFY(!fs::exists(m_dir / "abandoned.mp4"));
        media::VideoWriterOptions part2;
        part2.codec = "mpeg4";
        media::VideoWriter mpeg4(m_dir / "part2.mp4", 32, 32, part2);
        for (int i = 0; i < 5; ++i)
            mpeg4.write(cv::Mat(32, 32, CV_8UC3, cv::Scalar::all(test::frameLevel(i))));
        mpeg4.finish();
        QCOMPARE(media::probeMedia(m_dir / "part2.mp4").codec, std::string("mpeg4"));
    }

    void frameCacheServesRepeats() {
        media::FrameCache cache(m_dir / "h264.mp4", 4);
        QCOMPARE(cache.frameCount(), std::int64_t(24));
        for (std::int64_t i : {5, 6, 5, 6, 7, 8, 9, 5})
            QVERIFY(std::abs(bodyLevel(cache.frame(i)) - test::frameLevel(int(i))) < 8.0);
        QCOMPARE(cache.hits(), size_t(2));   // the second 5 and 6
        QCOMPARE(cache.misses(), size_t(6)); // 5 was evicted by 6, 7, 8, 9
    }

    void thumbnails() {
        const cv::Mat video = media::thumbnail(m_dir / "h264.mp4", 32);
        QCOMPARE(video.cols, 32);
        QCOMPARE(video.rows, 24);
        test::writeImage(m_dir / "big.png", 1, 200, 100);
        const cv::Mat image = media::thumbnail(m_dir / "big.png", 50);
        QCOMPARE(image.cols, 50);
        QCOMPARE(image.rows, 25);
    }
};

QTEST_GUILESS_MAIN(TestVideo)
#include "test_video.moc"
