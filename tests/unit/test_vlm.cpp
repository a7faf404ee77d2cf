// The vision-language model: parameter counts against INTERNVL2.md, pixel shuffle order, KV-cache
// decoding equal to full recomputation, prefix sharing, configs in and out.
#include "common/error.h"
#include "fixtures.h"
#include "model/model_config.h"
#include "model/parameter_shapes.h"
#include "model/vision_encoder.h"
#include "model/vlm.h"

#include <torch/torch.h>

#include <QtTest>

using namespace rd;
using namespace rd::model;

namespace {

constexpr int64_t kImageContext = 7;

int64_t moduleParameters(torch::nn::Module& module) {
    int64_t n = 0;
    for (const auto& p : module.parameters())
        n += p.numel();
    return n;
}

// ids [B, T] whose positions 1..tokensPerTile hold the image context token.
torch::Tensor promptIds(const VlmConfig& c, int64_t batch, int64_t extra, int64_t seed) {
    torch::manual_seed(seed);
    const int64_t k = c.tokensPerTile();
    torch::Tensor ids = torch::randint(10, c.lm.vocabSize, {batch, 1 + k + extra}, torch::kLong);
    ids.slice(1, 1, 1 + k).fill_(kImageContext);
    return ids;
}

// A model with weights drawn from `seed`, in eval mode.
VisionLanguageModel seededModel(const VlmConfig& c, uint64_t seed) {
    torch::manual_seed(seed);
    VisionLanguageModel vlm(c);
    vlm->eval();
    return vlm;
}

} // namespace

class TestVlm : public QObject {
    Q_OBJECT

private slots:
    void parameterCountsMatchInternVl2_data() {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<double>("billions");
        QTest::newRow("1b") << "internvl2-1b" << 0.938;
        QTest::newRow("2b") << "internvl2-2b" << 2.206;
        QTest::newRow("4b") << "internvl2-4b" << 4.147;
        QTest::newRow("8b") << "internvl2-8b" << 8.075;
        QTest::newRow("26b") << "internvl2-26b" << 25.514;
    }

    void parameterCountsMatchInternVl2() {
        QFETCH(QString, preset);
        QFETCH(double, billions);
        const double counted = countParameters(presetConfig(preset.toStdString())).total() / 1e9;
        QVERIFY2(std::abs(counted - billions) / billions < 0.01,
                 (std::to_string(counted) + "B counted").c_str());
    }

    void analyticCountEqualsTheModule() {
        VlmConfig sixB = presetConfig("rd-xs"); // the InternViT-6B variant, scaled down
        sixB.vision.norm = NormKind::RmsNorm;
        sixB.vision.qkvBias = false;
        sixB.vision.qkNorm = true;
        sixB.lm.family = LmFamily::InternLM2;
        sixB.lm.qkvBias = false;
        // rd-xs-mha is rd-xs with a key/value head per query head.
        VlmConfig mha = presetConfig("rd-xs-mha");
        QCOMPARE(mha.lm.kvHeads, mha.lm.heads);
        VlmConfig asXs = mha;
        asXs.name = "rd-xs";
        asXs.lm.kvHeads = 1;
        QCOMPARE(QString::fromStdString(toJson(asXs)),
                 QString::fromStdString(toJson(presetConfig("rd-xs"))));
        // rd-xs-conv is rd-xs with a convolutional stem for the patch embedding.
        VlmConfig conv = presetConfig("rd-xs-conv");
        QVERIFY(conv.vision.convStem);
        QCOMPARE(convStemWidths(conv.vision), (std::vector<std::int64_t>{16, 32, 64}));
        QVERIFY(fromJson(toJson(conv), "conv").vision.convStem); // survives config.json
        for (const VlmConfig& c : {presetConfig("rd-xs"), mha, conv, presetConfig("rd-s"), sixB}) {
            VisionLanguageModel vlm(c);
            QCOMPARE(moduleParameters(*vlm), countParameters(c).total());
            TensorShapes fromModule;
            for (const auto& item : vlm->named_parameters())
                fromModule[item.key()] = item.value().sizes().vec();
            QCOMPARE(fromModule, parameterShapes(c));
        }
        // The stem makes the same grid of patches: 16 image tokens of the LM's width.
        VisionLanguageModel withStem(conv);
        QCOMPARE(withStem->encodeImages(torch::randn({2, 3, 64, 64})).sizes().vec(),
                 (std::vector<int64_t>{2, 16, 96}));
        VlmConfig big = presetConfig("rd-l");
        QVERIFY(countParameters(big).total() > 20'000'000);
        QVERIFY(countParameters(presetConfig("rd-xs")).total() < 1'000'000);
    }

    void pixelShuffleKeepsInternVlBlockOrder() {
        // 4x4 grid, one channel holding row * 4 + col.
        torch::Tensor x = torch::arange(16, torch::kFloat32).reshape({1, 4, 4, 1});
        torch::Tensor y = pixelShuffle(x, 0.5);
        QCOMPARE(y.sizes().vec(), (std::vector<int64_t>{1, 2, 2, 4}));
        for (int i = 0; i < 2; ++i)
            for (int j = 0; j < 2; ++j) {
                const float expected[4] = {
                    float((2 * i) * 4 + 2 * j), float((2 * i) * 4 + 2 * j + 1),
                    float((2 * i + 1) * 4 + 2 * j), float((2 * i + 1) * 4 + 2 * j + 1)};
                for (int k = 0; k < 4; ++k)
                    QCOMPARE(y[0][i][j][k].item<float>(), expected[k]);
            }
    }

    void kvCacheEqualsFullRecomputation() {
        torch::NoGradGuard noGrad;
        const VlmConfig c = presetConfig("rd-xs");
        VisionLanguageModel vlm = seededModel(c, 1);
        const torch::Tensor ids = promptIds(c, 2, 9, 3);
        const torch::Tensor pixels = torch::randn({2, 3, 64, 64});
        const torch::Tensor features = vlm->encodeImages(pixels);
        QCOMPARE(features.sizes().vec(), (std::vector<int64_t>{2, c.tokensPerTile(), c.lm.hidden}));
        const torch::Tensor full = vlm->logits(vlm->forward(ids, features, kImageContext, nullptr));

        KvCache cache = vlm->newCache();
        const int64_t split = 1 + c.tokensPerTile() + 3;
        vlm->forward(ids.slice(1, 0, split), features, kImageContext, &cache);
        QCOMPARE(cache.length(), split);
        std::vector<torch::Tensor> pieces;
        for (int64_t t = split; t < ids.size(1); ++t) // one token at a time, as decoding does
            pieces.push_back(
                vlm->logits(vlm->forward(ids.slice(1, t, t + 1), {}, kImageContext, &cache)));
        const torch::Tensor incremental = torch::cat(pieces, 1);
        QVERIFY(torch::allclose(incremental, full.slice(1, split), 1e-4, 1e-5));
    }

    void prefixSharingEqualsSeparateRuns() {
        torch::NoGradGuard noGrad;
        const VlmConfig c = presetConfig("rd-xs");
        VisionLanguageModel vlm = seededModel(c, 2);
        const torch::Tensor prefix = promptIds(c, 1, 2, 5);
        const torch::Tensor feature = vlm->encodeImages(torch::randn({1, 3, 64, 64}));
        const torch::Tensor suffixes = torch::randint(10, c.lm.vocabSize, {3, 6}, torch::kLong);

        KvCache shared = vlm->newCache();
        vlm->forward(prefix, feature, kImageContext, &shared);
        KvCache batch = shared.expandedTo(3);
        const torch::Tensor sharedLogits =
            vlm->logits(vlm->forward(suffixes, {}, kImageContext, &batch));
        for (int64_t i = 0; i < 3; ++i) {
            const torch::Tensor whole = torch::cat({prefix, suffixes.slice(0, i, i + 1)}, 1);
            const torch::Tensor alone =
                vlm->logits(vlm->forward(whole, feature, kImageContext, nullptr))
                    .slice(1, prefix.size(1));
            QVERIFY(torch::allclose(sharedLogits.slice(0, i, i + 1), alone, 1e-4, 1e-5));
        }
    }

    void readingOnePositionPerRowEqualsTheFullForward() {
        torch::NoGradGuard noGrad;
        const VlmConfig c = presetConfig("rd-xs");
        VisionLanguageModel vlm = seededModel(c, 4);
        const int64_t k = c.tokensPerTile();
        const torch::Tensor ids = promptIds(c, 3, 9, 6);
        const torch::Tensor features =
            vlm->encodeImages(torch::randn({3, 3, 64, 64})).reshape({3, k, -1});
        const torch::Tensor full = vlm->forward(ids, features, kImageContext, nullptr);
        const torch::Tensor readAt = torch::tensor({ids.size(1) - 1, k + 4, k + 1}, torch::kLong);
        const torch::Tensor picked = vlm->forward(ids, features, kImageContext, nullptr, readAt);
        QCOMPARE(picked.sizes().vec(), (std::vector<int64_t>{3, 1, c.lm.hidden}));
        for (int64_t i = 0; i < 3; ++i)
            QVERIFY(torch::allclose(picked[i][0], full[i][readAt[i].item<int64_t>()], 1e-4, 1e-5));

        // After a cached prefix, positions count among the new tokens and the cache keeps all.
        const int64_t split = 1 + k + 2;
        KvCache cache = vlm->newCache();
        vlm->forward(ids.slice(1, 0, split), features, kImageContext, &cache);
        const torch::Tensor rest = torch::tensor({0, 6, 3}, torch::kLong);
        const torch::Tensor tail =
            vlm->forward(ids.slice(1, split), {}, kImageContext, &cache, rest);
        QCOMPARE(cache.length(), ids.size(1));
        for (int64_t i = 0; i < 3; ++i)
            QVERIFY(
                torch::allclose(tail[i][0], full[i][split + rest[i].item<int64_t>()], 1e-4, 1e-5));
    }

    void frozenWeightsRunFusedAndFollowUpdates() {
        const VlmConfig c = presetConfig("rd-xs");
        VisionLanguageModel vlm = seededModel(c, 5);
        const torch::Tensor ids = promptIds(c, 2, 7, 8);
        const torch::Tensor pixels = torch::randn({2, 3, 64, 64});
        const auto run = [&](bool autograd) {
            torch::AutoGradMode mode(autograd); // on: q/k/v and gate/up one by one; off: fused
            const torch::Tensor features = vlm->encodeImages(pixels);
            return vlm->logits(vlm->forward(ids, features, kImageContext, nullptr)).detach();
        };
        const torch::Tensor fused = run(false);
        QVERIFY(torch::allclose(fused, run(true), 1e-4, 1e-5));
        {
            torch::NoGradGuard noGrad; // an optimizer step changes weights in place
            for (torch::Tensor& p : vlm->language()->parameters())
                p.mul_(1.1);
        }
        const torch::Tensor fusedAfter = run(false);
        QVERIFY(!torch::allclose(fusedAfter, fused, 1e-3, 1e-3));
        QVERIFY(torch::allclose(fusedAfter, run(true), 1e-4, 1e-5));
    }

    void imageSlotsMustMatchFeatures() {
        torch::NoGradGuard noGrad;
        VlmConfig c = presetConfig("rd-xs");
        VisionLanguageModel vlm(c);
        const torch::Tensor ids = promptIds(c, 1, 2, 1);
        const torch::Tensor tooFew = torch::zeros({1, c.tokensPerTile() - 1, c.lm.hidden});
        QVERIFY_THROWS_EXCEPTION(Error, vlm->forward(ids, tooFew, kImageContext, nullptr));
    }

    void configsRoundTripAndRefuseNonsense() {
        const VlmConfig c = presetConfig("internvl2-26b");
        const VlmConfig back = fromJson(toJson(c), "test");
        QCOMPARE(countParameters(back).total(), countParameters(c).total());
        QCOMPARE(back.vision.norm, NormKind::RmsNorm);
        QVERIFY(back.vision.qkNorm);
        QCOMPARE(back.lm.family, LmFamily::InternLM2);

        test::ScratchDir dir;
        test::writeText(dir / "InternVL2-1B" / "config.json", R"({
          "architectures": ["InternVLChatModel"], "downsample_ratio": 0.5, "select_layer": -1,
          "template": "Hermes-2", "force_image_size": 448,
          "vision_config": {"hidden_size": 1024, "num_hidden_layers": 24,
            "num_attention_heads": 16, "intermediate_size": 4096, "patch_size": 14,
            "norm_type": "layer_norm", "layer_norm_eps": 1e-6, "qkv_bias": true,
            "qk_normalization": false},
          "llm_config": {"architectures": ["Qwen2ForCausalLM"], "vocab_size": 151655,
            "hidden_size": 896, "num_hidden_layers": 24, "num_attention_heads": 14,
            "num_key_value_heads": 2, "intermediate_size": 4864, "rope_theta": 1000000.0,
            "rms_norm_eps": 1e-6, "tie_word_embeddings": false, "rope_scaling": null}})");
        const VlmConfig hf = loadHfConfig(dir / "InternVL2-1B" / "config.json");
        QCOMPARE(countParameters(hf).total(),
                 countParameters(presetConfig("internvl2-1b")).total());
        QCOMPARE(hf.tokensPerTile(), 256);

        test::writeText(dir / "bad" / "config.json",
                        R"({"vision_config": {"hidden_size": "wide"}, "llm_config": {}})");
        try {
            loadHfConfig(dir / "bad" / "config.json");
            QFAIL("a bad config must be refused");
        } catch (const Error& e) {
            QVERIFY(std::string(e.what()).find("hidden_size") != std::string::npos);
        }
        VlmConfig broken = presetConfig("rd-xs");
        broken.lm.kvHeads = 2; // 3 heads
        QVERIFY_THROWS_EXCEPTION(Error, validate(broken));
        QVERIFY_THROWS_EXCEPTION(Error, presetConfig("gpt-5"));
    }
};

QTEST_APPLESS_MAIN(TestVlm)
#include "test_vlm.moc"
