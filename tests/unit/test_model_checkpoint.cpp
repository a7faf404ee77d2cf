// Whole-model checkpoints: our format reloads bit-identically; InternVL2-style checkpoints with
// InternLM2's packed wqkv and Phi-3's fused qkv/gate_up load onto the same weights; strict
// reports; agreement with the Python reference forward (bench/python) to 1e-4 on logits.
#include "common/error.h"
#include "fixtures.h"
#include "model/checkpoint.h"
#include "model/model_checkpoint.h"
#include "model/parameter_shapes.h"
#include "model/safetensors_writer.h"

#include <torch/torch.h>

#include <QProcess>
#include <QtTest>

using namespace rd;
using namespace rd::model;
namespace fs = std::filesystem;

namespace {

constexpr int64_t kImageContext = 5;

std::map<std::string, at::Tensor> parameters(VisionLanguageModel& vlm) {
    std::map<std::string, at::Tensor> out;
    for (const auto& item : vlm->named_parameters())
        out[item.key()] = item.value().detach().clone();
    return out;
}

torch::Tensor logitsOf(VisionLanguageModel& vlm, const torch::Tensor& ids,
                       const torch::Tensor& pixels) {
    torch::NoGradGuard noGrad;
    const auto features = vlm->encodeImages(pixels);
    return vlm->logits(vlm->forward(ids, features.reshape({ids.size(0), -1, features.size(-1)}),
                                    kImageContext, nullptr));
}

torch::Tensor sampleIds(const VlmConfig& c, int64_t batch) {
    torch::Tensor ids =
        torch::randint(10, c.lm.vocabSize, {batch, c.tokensPerTile() + 6}, torch::kLong);
    ids.slice(1, 2, 2 + c.tokensPerTile()).fill_(kImageContext);
    return ids;
}

// Writes the model's weights the way an InternVL2 Hugging Face checkpoint of that family names
// and packs them (INTERNVL2.md §2), with an InternVL chat config.json.
void writeHfStyle(VisionLanguageModel& vlm, const fs::path& folder) {
    const LmConfig& l = vlm->config().lm;
    std::map<std::string, at::Tensor> out;
    const std::string layers = "language_model.model.layers.";
    for (auto& [name, t] : parameters(vlm)) {
        if (name.rfind(layers, 0) != 0) {
            std::string renamed = name;
            if (l.family == LmFamily::InternLM2 &&
                name == "language_model.model.embed_tokens.weight")
                renamed = "language_model.model.tok_embeddings.weight";
            if (l.family == LmFamily::InternLM2 && name == "language_model.lm_head.weight")
                renamed = "language_model.output.weight";
            out[renamed] = t;
        }
    }
    for (int i = 0; i < l.layers; ++i) {
        const std::string p = layers + std::to_string(i) + ".";
        auto w = [&](const std::string& n) { return parameters(vlm).at(p + n); };
        if (l.family == LmFamily::InternLM2) {
            const int64_t groups = l.heads / l.kvHeads, d = l.headDim;
            const auto q = w("self_attn.q_proj.weight").view({l.kvHeads, groups, d, l.hidden});
            const auto k = w("self_attn.k_proj.weight").view({l.kvHeads, 1, d, l.hidden});
            const auto v = w("self_attn.v_proj.weight").view({l.kvHeads, 1, d, l.hidden});
            out[p + "attention.wqkv.weight"] = torch::cat({q, k, v}, 1).reshape({-1, l.hidden});
            out[p + "attention.wo.weight"] = w("self_attn.o_proj.weight");
            out[p + "feed_forward.w1.weight"] = w("mlp.gate_proj.weight");
            out[p + "feed_forward.w3.weight"] = w("mlp.up_proj.weight");
            out[p + "feed_forward.w2.weight"] = w("mlp.down_proj.weight");
            out[p + "attention_norm.weight"] = w("input_layernorm.weight");
            out[p + "ffn_norm.weight"] = w("post_attention_layernorm.weight");
        } else { // Phi-3
            out[p + "self_attn.qkv_proj.weight"] =
                torch::cat({w("self_attn.q_proj.weight"), w("self_attn.k_proj.weight"),
                            w("self_attn.v_proj.weight")});
            out[p + "self_attn.o_proj.weight"] = w("self_attn.o_proj.weight");
            out[p + "mlp.gate_up_proj.weight"] =
                torch::cat({w("mlp.gate_proj.weight"), w("mlp.up_proj.weight")});
            out[p + "mlp.down_proj.weight"] = w("mlp.down_proj.weight");
            out[p + "input_layernorm.weight"] = w("input_layernorm.weight");
            out[p + "post_attention_layernorm.weight"] = w("post_attention_layernorm.weight");
        }
    }
    fs::create_directories(folder);
    writeSafetensors(folder / "model.safetensors", out);
    const VlmConfig& c = vlm->config();
    const std::string arch =
        l.family == LmFamily::InternLM2 ? "InternLM2ForCausalLM" : "Phi3ForCausalLM";
    test::writeText(
        folder / "config.json",
        "{\"downsample_ratio\": 0.5, \"template\": \"internlm2-chat\", \"force_image_size\": 64,"
        "\"vision_config\": {\"hidden_size\": " +
            std::to_string(c.vision.hidden) +
            ", \"num_hidden_layers\": " + std::to_string(c.vision.layers) +
            ", \"num_attention_heads\": " + std::to_string(c.vision.heads) +
            ", \"intermediate_size\": " + std::to_string(c.vision.mlpHidden) +
            ", \"patch_size\": 8, \"qkv_bias\": true},"
            "\"llm_config\": {\"architectures\": [\"" +
            arch + "\"], \"vocab_size\": " + std::to_string(l.vocabSize) + ", \"hidden_size\": " +
            std::to_string(l.hidden) + ", \"num_hidden_layers\": " + std::to_string(l.layers) +
            ", \"num_attention_heads\": " + std::to_string(l.heads) +
            ", \"num_key_value_heads\": " + std::to_string(l.kvHeads) +
            ", \"intermediate_size\": " + std::to_string(l.intermediate) +
            ", \"rope_theta\": 10000.0, \"rms_norm_eps\": 1e-6}}");
}

VlmConfig familyConfig(LmFamily family) {
    VlmConfig c = presetConfig("rd-xs");
    c.lm.family = family;
    c.lm.qkvBias = false;
    c.lm.heads = 4;
    c.lm.kvHeads = family == LmFamily::Phi3 ? 4 : 2;
    c.lm.headDim = c.lm.hidden / c.lm.heads;
    return c;
}

} // namespace

class TestModelCheckpoint : public QObject {
    Q_OBJECT

private slots:
    void ourFormatReloadsBitIdentically() {
        test::ScratchDir dir;
        torch::manual_seed(11);
        VisionLanguageModel vlm(presetConfig("rd-xs"));
        saveModel(vlm, dir / "ckpt", {{"step", "42"}});
        QVERIFY(fs::exists(dir / "ckpt" / "config.json"));
        VisionLanguageModel loaded = loadModel(dir / "ckpt", torch::kCPU);
        const auto before = parameters(vlm), after = parameters(loaded);
        QCOMPARE(after.size(), before.size());
        for (const auto& [name, t] : before)
            QVERIFY2(torch::equal(t, after.at(name)), name.c_str());
        QCOMPARE(readModelConfig(dir / "ckpt").name, std::string("rd-xs"));
        QVERIFY(checkModelCheckpoint(presetConfig("rd-xs"), dir / "ckpt").ok());
    }

    void packedHfLayoutsLoadOntoTheSameWeights_data() {
        QTest::addColumn<int>("family");
        QTest::newRow("internlm2 wqkv") << int(LmFamily::InternLM2);
        QTest::newRow("phi3 qkv_proj") << int(LmFamily::Phi3);
    }

    void packedHfLayoutsLoadOntoTheSameWeights() {
        QFETCH(int, family);
        test::ScratchDir dir;
        torch::manual_seed(12);
        VisionLanguageModel vlm(familyConfig(static_cast<LmFamily>(family)));
        writeHfStyle(vlm, dir / "hf");
        VisionLanguageModel loaded = loadModel(dir / "hf", torch::kCPU);
        QCOMPARE(loaded->config().lm.family, static_cast<LmFamily>(family));
        const auto before = parameters(vlm), after = parameters(loaded);
        for (const auto& [name, t] : before)
            QVERIFY2(torch::equal(t, after.at(name)), name.c_str());
        torch::manual_seed(3);
        const auto ids = sampleIds(vlm->config(), 1);
        const auto pixels = torch::randn({1, 3, 64, 64});
        QVERIFY(torch::equal(logitsOf(vlm, ids, pixels), logitsOf(loaded, ids, pixels)));
    }

    void mismatchedCheckpointsAreReported() {
        test::ScratchDir dir;
        VisionLanguageModel vlm(presetConfig("rd-xs"));
        saveModel(vlm, dir / "ckpt");
        // The same files, claimed to be a bigger model: every layer-size tensor mismatches.
        try {
            checkModelCheckpoint(presetConfig("rd-s"), dir / "ckpt").require("ckpt");
            QFAIL("an rd-xs checkpoint must not fit rd-s");
        } catch (const Error& e) {
            QVERIFY(std::string(e.what()).find("missing") != std::string::npos ||
                    std::string(e.what()).find("shape") != std::string::npos);
        }
        auto tensors = parameters(vlm);
        tensors.erase("mlp1.3.bias");
        tensors["language_model.model.layers.0.extra.weight"] = torch::zeros({2});
        writeSafetensors(dir / "ckpt" / "model.safetensors", tensors);
        const LoadReport report = checkModelCheckpoint(vlm->config(), dir / "ckpt");
        QCOMPARE(report.missing, std::vector<std::string>{"mlp1.3.bias"});
        QCOMPARE(report.unexpected.size(), size_t(1));
        QVERIFY_THROWS_EXCEPTION(Error, loadModel(dir / "ckpt", torch::kCPU));
        QVERIFY_THROWS_EXCEPTION(Error, loadModel(dir / "nothing", torch::kCPU));
    }

    void agreesWithThePythonReference() {
        test::ScratchDir dir;
        torch::manual_seed(13);
        VisionLanguageModel vlm(presetConfig("rd-xs"));
        // Non-trivial layer scales and norms, so a mistake in either shows.
        {
            torch::NoGradGuard noGrad;
            for (auto& item : vlm->named_parameters())
                if (item.key().find("ls") != std::string::npos ||
                    item.key().find("norm") != std::string::npos)
                    item.value().uniform_(0.5, 1.5);
        }
        saveModel(vlm, dir / "ckpt");
        const auto ids = sampleIds(vlm->config(), 2);
        const auto pixels = torch::randn({2, 3, 64, 64});
        writeSafetensors(dir / "inputs.safetensors",
                         {{"ids", ids},
                          {"pixels", pixels},
                          {"image_context_id", torch::tensor({kImageContext}, torch::kLong)}});
        QProcess python;
        python.setProcessChannelMode(QProcess::MergedChannels);
        python.start("/usr/bin/python3",
                     {QString(RD_SOURCE_DIR) + "/bench/python/vlm_reference.py",
                      QString::fromStdString((dir / "ckpt").string()),
                      QString::fromStdString((dir / "inputs.safetensors").string()),
                      QString::fromStdString((dir / "out.safetensors").string())});
        QVERIFY(python.waitForFinished(120000));
        QVERIFY2(python.exitCode() == 0, python.readAll().constData());
        const Checkpoint out = Checkpoint::open(dir / "out.safetensors");
        const auto reference = out.load("logits");
        const auto ours = logitsOf(vlm, ids, pixels);
        QCOMPARE(reference.sizes().vec(), ours.sizes().vec());
        const double diff = (reference - ours).abs().max().item<double>();
        QVERIFY2(diff < 1e-4, ("max |logit difference| " + std::to_string(diff)).c_str());
    }
};

QTEST_GUILESS_MAIN(TestModelCheckpoint)
#include "test_model_checkpoint.moc"
