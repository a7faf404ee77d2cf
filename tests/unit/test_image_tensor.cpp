// Model-ready tensors: normalisation values, fit modes, InternVL's tile grid choice, tile and
// batch shapes.
#include "common/error.h"
#include "media/image_tensor.h"

#include <torch/torch.h>

#include <QtTest>

using namespace rd;
using media::FitMode;

class TestImageTensor : public QObject {
    Q_OBJECT

private slots:
    void normalisesWithMeanAndStd() {
        cv::Mat rgb(2, 3, CV_8UC3, cv::Scalar(255, 0, 128));
        const torch::Tensor t = media::toTensor(rgb, media::kImageNetNorm);
        QCOMPARE(t.sizes().vec(), (std::vector<int64_t>{3, 2, 3}));
        QCOMPARE(t.dtype(), torch::kFloat32);
        QVERIFY(std::abs(t[0][1][2].item<float>() - (1.0f - 0.485f) / 0.229f) < 1e-5);
        QVERIFY(std::abs(t[1][0][0].item<float>() - (0.0f - 0.456f) / 0.224f) < 1e-5);
        QVERIFY(std::abs(t[2][1][1].item<float>() - (128 / 255.0f - 0.406f) / 0.225f) < 1e-5);
    }

    void fitModes() {
        cv::Mat wide(20, 40, CV_8UC3, cv::Scalar(200, 10, 10));
        cv::Mat padded = media::fitImage(wide, 16, FitMode::Pad);
        QCOMPARE(padded.size(), cv::Size(16, 16));
        QCOMPARE(padded.at<cv::Vec3b>(8, 8)[0], uchar(200)); // the image, centred
        QCOMPARE(padded.at<cv::Vec3b>(0, 8)[0], uchar(124)); // padding = the mean colour
        const torch::Tensor t = media::toTensor(padded, media::kImageNetNorm);
        QVERIFY(std::abs(t[0][0][8].item<float>()) < 0.01f); // ...which normalises to ~0
        cv::Mat cropped = media::fitImage(wide, 16, FitMode::CenterCrop);
        QCOMPARE(cropped.size(), cv::Size(16, 16));
        QCOMPARE(cropped.at<cv::Vec3b>(0, 0)[0], uchar(200));
        QCOMPARE(media::fitImage(wide, 16, FitMode::Stretch).size(), cv::Size(16, 16));
        QVERIFY_THROWS_EXCEPTION(Error, media::fitImage(cv::Mat(), 16, FitMode::Pad));
    }

    void tileGridFollowsInternVl() {
        media::TilingOptions o;
        auto grid = [&](int w, int h) {
            const auto g = media::chooseTileGrid(w, h, o);
            return std::make_pair(g.columns, g.rows);
        };
        QCOMPARE(grid(448, 448), std::make_pair(1, 1));
        QCOMPARE(grid(896, 448), std::make_pair(2, 1));
        QCOMPARE(grid(448, 1344), std::make_pair(1, 3));
        QCOMPARE(grid(1000, 100), std::make_pair(10, 1));
        // A square image ties 1x1, 2x2 and 3x3: a large one takes the largest grid whose area
        // it covers more than half of, a small one stays at 1x1.
        QCOMPARE(grid(1344, 1344), std::make_pair(3, 3));
        QCOMPARE(grid(300, 300), std::make_pair(1, 1));
        o.maxTiles = 6;
        QCOMPARE(grid(1000, 100), std::make_pair(6, 1));
        o.minTiles = 2; // a square must then take the 2x2 grid (aspect 1), not 2x1
        QCOMPARE(grid(448, 448), std::make_pair(2, 2));
    }

    void tilesAndBatches() {
        cv::Mat image(32, 64, CV_8UC3, cv::Scalar(10, 20, 30));
        image(cv::Rect(32, 0, 32, 32)).setTo(cv::Scalar(250, 250, 250));
        // 64x32 at 16 px tiles: 2x1 and 4x2 match the aspect exactly; the image covers more
        // than half of 4x2's area, so InternVL takes 4x2 (8 tiles + thumbnail).
        media::TilingOptions o{16, 1, 12, true};
        QCOMPARE(media::dynamicTiles(image, o, media::kImageNetNorm).size(0), int64_t(9));
        o.maxTiles = 2;
        const torch::Tensor tiles = media::dynamicTiles(image, o, media::kImageNetNorm);
        QCOMPARE(tiles.sizes().vec(), (std::vector<int64_t>{3, 3, 16, 16}));    // 2x1 + thumbnail
        QVERIFY(tiles[0].mean().item<float>() < tiles[1].mean().item<float>()); // left dark
        o.thumbnail = false;
        QCOMPARE(media::dynamicTiles(image, o, media::kImageNetNorm).size(0), int64_t(2));

        const torch::Tensor pair = media::pairBatch(image, image(cv::Rect(0, 0, 32, 32)).clone(),
                                                    24, FitMode::Pad, media::kImageNetNorm);
        QCOMPARE(pair.sizes().vec(), (std::vector<int64_t>{2, 3, 24, 24}));

        std::vector<media::VideoFrame> frames(5, media::VideoFrame{image, 0, 0.0});
        QCOMPARE(
            media::framesBatch(frames, 8, FitMode::Stretch, media::kImageNetNorm).sizes().vec(),
            (std::vector<int64_t>{5, 3, 8, 8}));
        QVERIFY_THROWS_EXCEPTION(Error,
                                 media::framesBatch({}, 8, FitMode::Stretch, media::kImageNetNorm));
    }
};

QTEST_APPLESS_MAIN(TestImageTensor)
#include "test_image_tensor.moc"
