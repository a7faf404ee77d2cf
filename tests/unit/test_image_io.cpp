// Image loading: formats, depths, grey and alpha to RGB, EXIF orientation, the pixel limit
// (checked from the header), and saving.
#include "common/error.h"
#include "fixtures.h"
#include "media/image_header.h"
#include "media/image_io.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <QtTest>

#include <fstream>

using namespace rd;
namespace fs = std::filesystem;

namespace {

// 40x20: left half red, right half blue (BGR for OpenCV's writer).
cv::Mat redBlueBgr() {
    cv::Mat image(20, 40, CV_8UC3, cv::Scalar(255, 0, 0));
    image(cv::Rect(0, 0, 20, 20)).setTo(cv::Scalar(0, 0, 255));
    return image;
}

std::vector<unsigned char> readBytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

void writeBytes(const fs::path& path, const std::vector<unsigned char>& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
}

// An APP1 EXIF segment holding only Orientation (tag 0x0112) = value, big-endian TIFF.
std::vector<unsigned char> exifOrientation(unsigned char value) {
    return {0xFF, 0xE1, 0x00, 0x22, 'E',  'x',  'i',  'f',  0,    0, // APP1, length 34
            'M',  'M',  0x00, 0x2A, 0x00, 0x00, 0x00, 0x08,          // TIFF header
            0x00, 0x01,                                              // one entry
            0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, value,
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00}; // no next IFD
}

} // namespace

class TestImageIo : public QObject {
    Q_OBJECT

private slots:
    void loadsEveryFormatAsRgb_data() {
        QTest::addColumn<QString>("extension");
        for (const char* e : {".png", ".jpg", ".webp", ".bmp", ".tiff"})
            QTest::newRow(e) << QString(e);
    }

    void loadsEveryFormatAsRgb() {
        QFETCH(QString, extension);
        test::ScratchDir dir;
        const fs::path path = dir / ("image" + extension.toStdString());
        std::vector<int> params;
        if (extension == ".webp")
            params = {cv::IMWRITE_WEBP_QUALITY, 101}; // lossless
        QVERIFY(cv::imwrite(path.string(), redBlueBgr(), params));
        const cv::Mat rgb = media::loadImageRgb(path);
        QCOMPARE(rgb.type(), CV_8UC3);
        QCOMPARE(rgb.cols, 40);
        QCOMPARE(rgb.rows, 20);
        const cv::Vec3b left = rgb.at<cv::Vec3b>(10, 5), right = rgb.at<cv::Vec3b>(10, 35);
        QVERIFY2(left[0] > 200 && left[2] < 60, "left half should be red in RGB order");
        QVERIFY2(right[2] > 200 && right[0] < 60, "right half should be blue");
        const auto header = media::readImageHeader(path);
        QVERIFY(header.has_value());
        QCOMPARE(header->width, 40LL);
        QCOMPARE(header->height, 20LL);
    }

    void sixteenBitGreyAndAlpha() {
        test::ScratchDir dir;
        cv::Mat deep(8, 8, CV_16UC3, cv::Scalar(0, 32896, 65535)); // BGR: blue full, green half
        QVERIFY(cv::imwrite((dir / "deep.png").string(), deep));
        cv::Vec3b px = media::loadImageRgb(dir / "deep.png").at<cv::Vec3b>(0, 0);
        QCOMPARE(int(px[0]), 255);
        QCOMPARE(int(px[1]), 128);
        QCOMPARE(int(px[2]), 0);

        QVERIFY(cv::imwrite((dir / "grey.png").string(), cv::Mat(8, 8, CV_8UC1, cv::Scalar(77))));
        px = media::loadImageRgb(dir / "grey.png").at<cv::Vec3b>(3, 3);
        QCOMPARE(px, cv::Vec3b(77, 77, 77));

        cv::Mat bgra(8, 8, CV_8UC4, cv::Scalar(0, 0, 255, 255));    // opaque red
        bgra(cv::Rect(0, 0, 4, 8)).setTo(cv::Scalar(0, 0, 255, 0)); // left half transparent
        QVERIFY(cv::imwrite((dir / "alpha.png").string(), bgra));
        media::ImageLoadOptions options;
        options.alphaBackground = 255;
        const cv::Mat rgb = media::loadImageRgb(dir / "alpha.png", options);
        QCOMPARE(rgb.at<cv::Vec3b>(4, 1), cv::Vec3b(255, 255, 255)); // background shows
        QCOMPARE(rgb.at<cv::Vec3b>(4, 6), cv::Vec3b(255, 0, 0));
    }

    void exifOrientationIsApplied() {
        test::ScratchDir dir;
        std::vector<unsigned char> jpeg;
        QVERIFY(cv::imencode(".jpg", redBlueBgr(), jpeg));
        const auto exif = exifOrientation(6); // display rotated 90 degrees clockwise
        jpeg.insert(jpeg.begin() + 2, exif.begin(), exif.end());
        writeBytes(dir / "phone.jpg", jpeg);
        const cv::Mat rgb = media::loadImageRgb(dir / "phone.jpg");
        QCOMPARE(rgb.cols, 20);
        QCOMPARE(rgb.rows, 40);
        QVERIFY2(rgb.at<cv::Vec3b>(5, 10)[0] > 200, "the red left half is now on top");
        QVERIFY2(rgb.at<cv::Vec3b>(35, 10)[2] > 200, "the blue right half is now below");
    }

    void pixelLimitRefusesBeforeDecoding() {
        test::ScratchDir dir;
        // A PNG whose IHDR claims 100000 x 100000 pixels, with no data to back it.
        std::vector<unsigned char> png;
        QVERIFY(cv::imencode(".png", cv::Mat(4, 4, CV_8UC3, cv::Scalar::all(9)), png));
        const unsigned char big[8] = {0x00, 0x01, 0x86, 0xA0, 0x00, 0x01, 0x86, 0xA0};
        std::copy(big, big + 8, png.begin() + 16);
        writeBytes(dir / "bomb.png", png);
        try {
            media::loadImageRgb(dir / "bomb.png");
            QFAIL("a 10-gigapixel header must be refused");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Unsupported);
            QVERIFY(std::string(e.what()).find("bomb.png") != std::string::npos);
            QVERIFY(std::string(e.what()).find("limit") != std::string::npos);
        }
        test::writeImage(dir / "small.png", 1, 40, 30);
        media::ImageLoadOptions tight;
        tight.maxPixels = 1000;
        QVERIFY_THROWS_EXCEPTION(Error, media::loadImageRgb(dir / "small.png", tight));
        tight.maxPixels = 1200;
        QCOMPARE(media::loadImageRgb(dir / "small.png", tight).cols, 40);
    }

    void savesPngAndJpegAtomically() {
        test::ScratchDir dir;
        cv::Mat rgb(10, 12, CV_8UC3, cv::Scalar(10, 200, 30));
        media::saveImageRgb(dir / "out.png", rgb);
        QCOMPARE(media::loadImageRgb(dir / "out.png").at<cv::Vec3b>(5, 5), cv::Vec3b(10, 200, 30));
        media::saveImageRgb(dir / "out.jpg", rgb);
        const cv::Vec3b px = media::loadImageRgb(dir / "out.jpg").at<cv::Vec3b>(5, 5);
        QVERIFY(std::abs(px[1] - 200) < 6);
        QVERIFY_THROWS_EXCEPTION(Error, media::saveImageRgb(dir / "out.gif", rgb));
        QVERIFY_THROWS_EXCEPTION(Error, media::saveImageRgb(dir / "x.png", cv::Mat()));
        int files = 0;
        for (const auto& entry : fs::directory_iterator(dir.path()))
            files += entry.path().filename().string()[0] == '.' ? 100 : 1; // no temp files left
        QCOMPARE(files, 2);
    }

    void namesTheFileAndCause() {
        test::ScratchDir dir;
        auto expect = [](const fs::path& path, const char* cause) {
            try {
                media::loadImageRgb(path);
                QFAIL("load should fail");
            } catch (const Error& e) {
                const std::string message = e.what();
                QVERIFY2(message.find(path.filename().string()) != std::string::npos, e.what());
                QVERIFY2(message.find(cause) != std::string::npos, e.what());
            }
        };
        expect(dir / "missing.png", "no such file");
        test::writeText(dir / "empty.png", "");
        expect(dir / "empty.png", "empty");
        test::writeText(dir / "text.jpg", "just some text pretending");
        expect(dir / "text.jpg", "not a PNG");
        test::writeImage(dir / "cut.png", 3, 32, 32);
        auto bytes = readBytes(dir / "cut.png");
        bytes.resize(bytes.size() - 5);
        writeBytes(dir / "cut.png", bytes);
        expect(dir / "cut.png", "truncated");
    }
};

QTEST_APPLESS_MAIN(TestImageIo)
#include "test_image_io.moc"
