// ShapeWorld scenes and renders: the same seed gives the same bytes (in memory and as PNG
// files), matches satisfy their prompts and near misses fail them, layouts keep objects apart,
// clips move, and sizes and options do what they say.
#include "common/error.h"
#include "fixtures.h"
#include "media/image_io.h"
#include "synth/alignment_judge.h"
#include "synth/prompt_sampler.h"
#include "synth/renderer.h"
#include "synth/scene_builder.h"
#include "synth/split_rules.h"
#include "synth/synth_json.h"

#include <QtTest>

#include <cmath>
#include <fstream>
#include <iterator>

using namespace rd;
using namespace rd::synth;

namespace {

bool sameBytes(const cv::Mat& a, const cv::Mat& b) {
    return a.size() == b.size() && a.type() == b.type() &&
           std::equal(a.datastart, a.dataend, b.datastart);
}

std::string fileBytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

struct Drawn {
    SampledPrompt prompt;
    Scene scene;
    cv::Mat rgb;
};

Drawn draw(std::uint64_t seed, Category category, int size, double noise) {
    Rng rng(seed);
    Drawn d;
    d.prompt = samplePrompt(category, Split::Train, MediaMode::Image, rng);
    d.scene = SceneBuilder(Split::Train).match(d.prompt.spec, rng);
    RenderOptions look;
    look.width = look.height = size;
    look.texture = true;
    look.noiseSigma = noise;
    look.blurSigma = 0.4;
    look.seed = rng.next();
    d.rgb = render(d.scene, look);
    return d;
}

} // namespace

class TestSynthRender : public QObject {
    Q_OBJECT

private slots:
    void sameSeedSameBytes() {
        for (Category category : kCategories) {
            const Drawn a = draw(42, category, 64, 8.0), b = draw(42, category, 64, 8.0);
            QCOMPARE(a.prompt.text, b.prompt.text);
            QVERIFY(sameBytes(a.rgb, b.rgb));
            const Drawn c = draw(43, category, 64, 8.0);
            QVERIFY(!sameBytes(a.rgb, c.rgb));
        }
        test::ScratchDir dir;
        const Drawn a = draw(7, Category::Counting, 256, 5.0);
        media::saveImageRgb(dir / "a.png", a.rgb);
        media::saveImageRgb(dir / "b.png", draw(7, Category::Counting, 256, 5.0).rgb);
        QCOMPARE(fileBytes(dir / "a.png"), fileBytes(dir / "b.png"));
        QVERIFY(sameBytes(media::loadImageRgb(dir / "a.png"), a.rgb)); // PNG is lossless
    }

    void rendersAnySizeAsRgb() {
        Scene scene;
        scene.objects.push_back({Shape::Circle, Color::Red, 0.5, 0.5, 0.2, 0.0});
        for (auto [w, h] : {std::pair{64, 64}, {256, 256}, {100, 60}, {31, 47}}) {
            RenderOptions look;
            look.width = w;
            look.height = h;
            const cv::Mat rgb = render(scene, look);
            QCOMPARE(rgb.cols, w);
            QCOMPARE(rgb.rows, h);
            QCOMPARE(rgb.type(), CV_8UC3);
            const cv::Vec3b centre = rgb.at<cv::Vec3b>(h / 2, w / 2);
            QCOMPARE(int(centre[0]), int(paletteRgb(Color::Red).r)); // R first: RGB order
            QCOMPARE(int(centre[2]), int(paletteRgb(Color::Red).b));
            const cv::Vec3b corner = rgb.at<cv::Vec3b>(0, 0);
            QCOMPARE(int(corner[0]), scene.backgroundGrey);
        }
        RenderOptions tiny;
        tiny.width = 4;
        QVERIFY_THROWS_EXCEPTION(Error, render(scene, tiny));
    }

    void edgesAreAntiAliased() {
        Scene scene;
        scene.objects.push_back({Shape::Triangle, Color::Blue, 0.5, 0.5, 0.3, 7.0});
        const cv::Mat rgb = render(scene, RenderOptions{});
        int blended = 0;
        for (int y = 0; y < rgb.rows; ++y)
            for (int x = 0; x < rgb.cols; ++x) {
                const cv::Vec3b p = rgb.at<cv::Vec3b>(y, x);
                blended += p[2] != 128 && p[2] != paletteRgb(Color::Blue).b;
            }
        QVERIFY(blended > 20); // edge pixels between background and object
    }

    void matchesSatisfyAndNearMissesFail() {
        int nearMisses = 0;
        for (Split split : kSplits)
            for (MediaMode mode : {MediaMode::Image, MediaMode::Video})
                for (int i = 0; i < 120; ++i) {
                    const auto categories = categoriesFor(mode);
                    Rng rng(mixSeed(5, std::uint64_t(i)));
                    const auto p =
                        samplePrompt(categories[size_t(i) % categories.size()], split, mode, rng);
                    const SceneBuilder builder(split);
                    const Scene match = builder.match(p.spec, rng);
                    const int frames = mode == MediaMode::Video ? kDefaultClipFrames : 1;
                    QVERIFY(judge(p.spec, observeScene(match, frames)).satisfied);
                    for (NearMiss kind : builder.nearMissesFor(p.spec)) {
                        const Scene miss = builder.nearMiss(p.spec, match, kind, rng);
                        QVERIFY2(!judge(p.spec, observeScene(miss, frames)).satisfied,
                                 (p.text + ": " + name(kind)).c_str());
                        if (split != Split::Ood)
                            for (const SceneObject& o : miss.objects)
                                QVERIFY(!isHeldOutCombo(o.color, o.shape));
                        ++nearMisses;
                    }
                }
        QVERIFY(nearMisses > 2000);
        PromptSpec single;
        single.groups = {{Shape::Star, std::nullopt, 1}};
        Rng rng(1);
        const Scene m = SceneBuilder(Split::Train).match(single, rng);
        QVERIFY_THROWS_EXCEPTION(
            Error, SceneBuilder(Split::Train).nearMiss(single, m, NearMiss::SwappedColors, rng));
    }

    void layoutsKeepObjectsApartAndInside() {
        for (int i = 0; i < 300; ++i) {
            Rng rng(mixSeed(11, std::uint64_t(i)));
            const auto p = samplePrompt(Category::Counting, Split::Ood, MediaMode::Image, rng);
            const Scene s = SceneBuilder(Split::Ood).match(p.spec, rng);
            const Scene j = jitterScene(s, 0.3, std::uint64_t(i));
            for (const Scene* scene : {&s, &j})
                for (size_t a = 0; a < scene->objects.size(); ++a) {
                    const SceneObject& o = scene->objects[a];
                    QVERIFY(o.x - o.radius > 0 && o.x + o.radius < 1);
                    QVERIFY(o.y - o.radius > 0 && o.y + o.radius < 1);
                    for (size_t b = a + 1; b < scene->objects.size(); ++b) {
                        const SceneObject& q = scene->objects[b];
                        QVERIFY(std::hypot(o.x - q.x, o.y - q.y) > o.radius + q.radius + 0.02);
                    }
                }
        }
    }

    void clipsMoveAcrossTheFrame() {
        Rng rng(3);
        PromptSpec spec;
        spec.category = Category::Colors;
        spec.groups = {{Shape::Square, Color::Green, 1}};
        spec.motion = Direction::LeftToRight;
        const Scene scene = SceneBuilder(Split::Ood).match(spec, rng);
        RenderOptions look;
        const auto frames = renderClip(scene, look, 8);
        QCOMPARE(frames.size(), size_t(8));
        auto centreX = [](const cv::Mat& rgb) {
            double sum = 0, n = 0;
            for (int y = 0; y < rgb.rows; ++y)
                for (int x = 0; x < rgb.cols; ++x)
                    if (rgb.at<cv::Vec3b>(y, x)[1] == paletteRgb(Color::Green).g) {
                        sum += x;
                        ++n;
                    }
            return sum / n;
        };
        double last = -1;
        for (const cv::Mat& f : frames) {
            const double x = centreX(f);
            QVERIFY(x > last);
            last = x;
        }
        QVERIFY(centreX(frames.back()) - centreX(frames.front()) > 0.35 * 64);
    }

    void scenesRoundTripThroughJson() {
        const Drawn d = draw(9, Category::Position, 64, 0.0);
        const Scene back = sceneFromJson(sceneToJson(d.scene));
        QVERIFY(sameBytes(render(back, RenderOptions{}), render(d.scene, RenderOptions{})));
        QCOMPARE(specFromJson(specToJson(d.prompt.spec, d.prompt.wording)), d.prompt.spec);
        QVERIFY_THROWS_EXCEPTION(Error, specFromJson(nlohmann::json{{"category", "poetry"}}));
        QVERIFY_THROWS_EXCEPTION(Error, sceneFromJson(nlohmann::json::parse("{\"objects\": 3}")));
    }
};

QTEST_APPLESS_MAIN(TestSynthRender)
#include "test_synth_render.moc"
