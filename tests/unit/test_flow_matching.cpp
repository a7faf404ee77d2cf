// The generator engine (core/diffusion, LibTorch only): the flow-matching samplers against ODEs
// with known solutions, the loss learning a two-mode distribution, classifier-free guidance, the
// DiT's prompt masking and zero start, strict checkpoints, and a tiny generator that learns to
// draw the colour its prompt names.
#include "common/error.h"
#include "diffusion/flow_generator.h"
#include "diffusion/flow_matching.h"
#include "diffusion/generator_checkpoint.h"
#include "diffusion/guided_sampling.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace rd;
using namespace rd::diffusion;
namespace fs = std::filesystem;

namespace {

GeneratorConfig tinyConfig() {
    GeneratorConfig c;
    c.imageSize = 16;
    c.patchSize = 4;
    c.width = 32;
    c.depth = 2;
    c.heads = 2;
    c.textLayers = 1;
    c.maxPromptTokens = 8;
    c.vocabSize = 8;
    return c;
}

// Gives the zero-initialised output layers random weights, so outputs depend on the inputs.
void randomiseOutputs(FlowGenerator& net) {
    torch::NoGradGuard noGrad;
    for (auto& p : net->named_parameters())
        if (p.key().find("modulation") != std::string::npos || p.key().find("patch_out") == 0)
            p.value().normal_(0.0, 0.1);
}

} // namespace

class TestFlowMatching : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { torch::manual_seed(0); }

    // For a single clean point c the exact velocity is (x - c) / t and the paths are straight,
    // so one Euler pass lands exactly on c from any noise.
    void eulerFollowsStraightPathsExactly() {
        const at::Tensor c = torch::tensor({0.5f, -1.5f});
        const VelocityFn v = [&](const at::Tensor& x, const at::Tensor& t) {
            return (x - c) / t.unsqueeze(1);
        };
        const at::Tensor noise = torch::randn({16, 2});
        const at::Tensor x = integrate(v, noise, timeGrid(5), Sampler::Euler);
        QVERIFY((x - c).abs().max().item<double>() < 1e-5);
    }

    // dx/dt = x from t = 1 to 0 has x(0) = x(1) / e. Heun is second order: far closer than Euler.
    void heunIsMoreAccurateThanEuler() {
        const VelocityFn v = [](const at::Tensor& x, const at::Tensor&) { return x; };
        const at::Tensor start = torch::ones({1, 1});
        const double exact = std::exp(-1.0);
        const double euler = integrate(v, start, timeGrid(10), Sampler::Euler).item<double>();
        const double heun = integrate(v, start, timeGrid(10), Sampler::Heun).item<double>();
        QVERIFY2(std::abs(heun - exact) * 10 < std::abs(euler - exact),
                 qPrintable(QString("euler %1 heun %2 exact %3").arg(euler).arg(heun).arg(exact)));
    }

    void timeGridAndCleanEstimate() {
        const auto grid = timeGrid(4);
        QCOMPARE(grid.size(), size_t(5));
        QCOMPARE(grid.front(), 1.0);
        QCOMPARE(grid.back(), 0.0);
        QVERIFY_THROWS_EXCEPTION(Error, timeGrid(0));
        // On the straight path x_t = (1 - t) x0 + t n with v = n - x0, x_t - t v is x0 again.
        const at::Tensor x0 = torch::randn({3, 4}), n = torch::randn({3, 4});
        const at::Tensor xt = renoise(x0, n, 0.3);
        QVERIFY(torch::allclose(predictClean(xt, 0.3, n - x0), x0, 1e-5, 1e-5));
        QVERIFY(torch::allclose(interpolate(x0, n, torch::full({3}, 0.3)), xt, 1e-6, 1e-6));
    }

    void guidanceMixesTheVelocities() {
        const at::Tensor c = torch::tensor({1.0f, 2.0f}), u = torch::tensor({0.0f, 1.0f});
        QVERIFY(torch::equal(guide(c, u, 1.0), c));
        QVERIFY(torch::equal(guide(c, u, 0.0), u));
        QVERIFY(torch::allclose(guide(c, u, 3.0), torch::tensor({3.0f, 4.0f})));
        QCOMPARE(parseSampler("heun"), Sampler::Heun);
        QVERIFY_THROWS_EXCEPTION(Error, parseSampler("ddim"));
    }

    // A small MLP trained with the flow-matching loss on two points, (-2, 0) and (2, 0): the
    // sampler must bring nearly all noise to one of them, and both must be used.
    void learnsATwoModeDistribution() {
        torch::nn::Sequential mlp(torch::nn::Linear(3, 64), torch::nn::SiLU(),
                                  torch::nn::Linear(64, 64), torch::nn::SiLU(),
                                  torch::nn::Linear(64, 2));
        const VelocityFn v = [&](const at::Tensor& x, const at::Tensor& t) {
            return mlp->forward(torch::cat({x, t.unsqueeze(1)}, 1));
        };
        torch::optim::Adam optimizer(mlp->parameters(), torch::optim::AdamOptions(3e-3));
        double firstLoss = 0, lastLoss = 0;
        for (int step = 0; step < 1500; ++step) {
            const at::Tensor sign = torch::randint(0, 2, {256, 1}).to(torch::kFloat32) * 2 - 1;
            const at::Tensor x0 =
                torch::cat({sign * 2, torch::zeros({256, 1})}, 1) + 0.05 * torch::randn({256, 2});
            const at::Tensor loss = flowMatchingLoss(v, x0, torch::randn({256, 2}),
                                                     sampleTimes(256, TimeSampling::Uniform, x0));
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            (step == 0 ? firstLoss : lastLoss) = loss.item<double>();
        }
        QVERIFY2(lastLoss < firstLoss,
                 qPrintable(QString("%1 -> %2").arg(firstLoss).arg(lastLoss)));
        torch::NoGradGuard noGrad;
        const at::Tensor x = integrate(v, torch::randn({1000, 2}), timeGrid(40), Sampler::Heun);
        const at::Tensor left = (x - torch::tensor({-2.0f, 0.0f})).norm(2, 1) < 0.5;
        const at::Tensor right = (x - torch::tensor({2.0f, 0.0f})).norm(2, 1) < 0.5;
        const double nearMode = (left | right).to(torch::kFloat32).mean().item<double>();
        const double leftShare = left.to(torch::kFloat32).mean().item<double>();
        QVERIFY2(nearMode > 0.9, qPrintable(QString("near a mode: %1").arg(nearMode)));
        QVERIFY2(leftShare > 0.3 && leftShare < 0.7,
                 qPrintable(QString("left: %1").arg(leftShare)));
    }

    // adaLN-Zero: a fresh generator predicts zero velocity; padding never changes the result;
    // different prompts do.
    void generatorStartsAtZeroAndMasksPadding() {
        const GeneratorConfig config = tinyConfig();
        FlowGenerator net(config);
        const at::Tensor x = torch::randn({2, 3, 16, 16});
        const at::Tensor t = torch::tensor({0.3f, 0.8f});
        const at::Tensor short_ = torch::tensor({{1, 2, 3}, {4, 5, 6}}, torch::kLong);
        const at::Tensor v0 = net->velocity(x, t, net->encodePrompts(short_));
        QCOMPARE(v0.sizes(), x.sizes());
        QCOMPARE(v0.abs().max().item<double>(), 0.0);

        randomiseOutputs(net);
        const int pad = config.padToken();
        const at::Tensor padded =
            torch::tensor({{1, 2, 3, pad, pad}, {4, 5, 6, pad, pad}}, torch::kLong);
        const at::Tensor a = net->velocity(x, t, net->encodePrompts(short_));
        const at::Tensor b = net->velocity(x, t, net->encodePrompts(padded));
        QVERIFY(a.abs().max().item<double>() > 1e-3);
        QVERIFY2(torch::allclose(a, b, 1e-4, 1e-5),
                 qPrintable(QString("max diff %1").arg((a - b).abs().max().item<double>())));
        const at::Tensor other = torch::tensor({{1, 2, 7}, {4, 5, 6}}, torch::kLong);
        const at::Tensor c = net->velocity(x, t, net->encodePrompts(other));
        QVERIFY((a[0] - c[0]).abs().max().item<double>() > 1e-4);
        QVERIFY(torch::allclose(a[1], c[1], 1e-4, 1e-5)); // rows do not leak into each other

        QVERIFY_THROWS_EXCEPTION(
            Error, net->velocity(torch::randn({1, 3, 8, 8}), t, net->encodePrompts(short_)));
        QVERIFY_THROWS_EXCEPTION(Error, net->encodePrompts(torch::zeros({1, 9}, torch::kLong)));
    }

    void checkpointRoundTripIsStrict() {
        QTemporaryDir dir;
        const fs::path folder = dir.filePath("gen").toStdString();
        FlowGenerator net(tinyConfig());
        randomiseOutputs(net);
        saveGeneratorWeights(folder, net, {{"step", "3"}});
        FlowGenerator loaded = loadGeneratorWeights(folder, torch::kCPU);
        const at::Tensor x = torch::randn({1, 3, 16, 16}), t = torch::tensor({0.5f});
        const at::Tensor tokens = torch::tensor({{1, 2}}, torch::kLong);
        QVERIFY(torch::equal(net->velocity(x, t, net->encodePrompts(tokens)),
                             loaded->velocity(x, t, loaded->encodePrompts(tokens))));

        // Another shape in config.json: the first mismatching tensor is named.
        GeneratorConfig wider = tinyConfig();
        wider.width = 64;
        { std::ofstream(folder / kGeneratorConfigFile) << toJson(wider).dump(); }
        try {
            loadGeneratorWeights(folder, torch::kCPU);
            QFAIL("a mismatched checkpoint loaded");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("model.safetensors"), e.what());
        }
        // A config with a bad field names it.
        {
            nlohmann::json bad = toJson(tinyConfig());
            bad["heads"] = 3;
            std::ofstream(folder / kGeneratorConfigFile) << bad.dump();
        }
        try {
            loadGeneratorWeights(folder, torch::kCPU);
            QFAIL("a bad config loaded");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("heads"), e.what());
        }
        // Truncated weights are refused, not read past the end.
        std::ofstream(folder / kGeneratorConfigFile) << toJson(tinyConfig()).dump();
        fs::resize_file(folder / kGeneratorWeightsFile,
                        fs::file_size(folder / kGeneratorWeightsFile) / 2);
        QVERIFY_THROWS_EXCEPTION(Error, loadGeneratorWeights(folder, torch::kCPU));
    }

    // Prompt token 1 means an all-red image, token 2 all blue: after a short training the
    // sampler draws the colour each prompt names.
    void tinyGeneratorLearnsItsPrompts() {
        torch::manual_seed(1);
        FlowGenerator net(tinyConfig());
        torch::optim::AdamW optimizer(net->parameters(),
                                      torch::optim::AdamWOptions(2e-3).weight_decay(0));
        const at::Tensor red =
            torch::tensor({1.0f, -1.0f, -1.0f}).view({3, 1, 1}).expand({3, 16, 16});
        const at::Tensor blue =
            torch::tensor({-1.0f, -1.0f, 1.0f}).view({3, 1, 1}).expand({3, 16, 16});
        for (int step = 0; step < 300; ++step) {
            const at::Tensor which = torch::randint(0, 2, {32});
            const at::Tensor x0 = torch::where(which.view({32, 1, 1, 1}).to(torch::kBool),
                                               blue.unsqueeze(0), red.unsqueeze(0));
            const PromptEncoding prompt = net->encodePrompts((which + 1).view({32, 1}));
            const at::Tensor loss = flowMatchingLoss(
                [&](const at::Tensor& x, const at::Tensor& t) {
                    return net->velocity(x, t, prompt);
                },
                x0, torch::randn_like(x0), sampleTimes(32, TimeSampling::LogitNormal, x0));
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }
        const at::Tensor tokens = torch::tensor({{1}, {2}, {1}, {2}}, torch::kLong);
        const at::Tensor images =
            sampleImages(net, tokens, torch::randn({4, 3, 16, 16}), {12, Sampler::Euler, 1.0});
        const at::Tensor means = images.mean({2, 3}); // [4, 3]
        for (int i : {0, 2}) {
            QVERIFY2(means[i][0].item<double>() > 0.5 && means[i][2].item<double>() < -0.5,
                     qPrintable(QString("red prompt drew %1 %2")
                                    .arg(means[i][0].item<double>())
                                    .arg(means[i][2].item<double>())));
        }
        for (int i : {1, 3}) {
            QVERIFY2(means[i][2].item<double>() > 0.5 && means[i][0].item<double>() < -0.5,
                     qPrintable(QString("blue prompt drew %1 %2")
                                    .arg(means[i][0].item<double>())
                                    .arg(means[i][2].item<double>())));
        }
        // Guidance with the (untrained) null prompt still returns images in range.
        const at::Tensor guided =
            sampleImages(net, tokens, torch::randn({4, 3, 16, 16}), {4, Sampler::Heun, 3.0});
        QVERIFY(guided.abs().max().item<double>() <= 1.0);
        QCOMPARE(nullPromptTokens(tinyConfig(), 2, 3, torch::kCPU)[0][0].item<int64_t>(),
                 int64_t(tinyConfig().nullToken()));
    }
};

QTEST_GUILESS_MAIN(TestFlowMatching)
#include "test_flow_matching.moc"
