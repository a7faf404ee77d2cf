// SentencePiece models through libsentencepiece, checked against python3-sentencepiece: the test
// trains a small BPE model with byte fallback in Python, then compares our ids with
// SentencePieceProcessor.encode, and checks what transformers adds on top (added tokens split off
// first, BOS per add_bos_token, the legacy flag's dummy prefix). libprotobuf is loaded first, as
// in a process with LibTorch, to check that libsentencepiece stays isolated from it.
#include "common/error.h"
#include "fixtures.h"
#include "text/load_tokenizer.h"

#include <nlohmann/json.hpp>

#include <QProcess>
#include <QtTest>

#include <dlfcn.h>

#include <fstream>

using namespace rd;
using namespace rd::text;
namespace fs = std::filesystem;
using nlohmann::json;
using Ids = std::vector<int32_t>;

namespace {

// Debian's interpreter: the python3 on PATH may be a pyenv without python3-sentencepiece.
constexpr const char* kPython = "/usr/bin/python3";

constexpr const char* kTrainScript = R"(
import json, sys
import sentencepiece as spm
corpus, prefix, sentences = sys.argv[1], sys.argv[2], sys.argv[3]
spm.SentencePieceTrainer.train(input=corpus, model_prefix=prefix, vocab_size=400,
    model_type="bpe", byte_fallback=True, character_coverage=1.0,
    normalization_rule_name="identity", remove_extra_whitespaces=False,
    unk_id=0, bos_id=1, eos_id=2, pad_id=-1, minloglevel=2)
sp = spm.SentencePieceProcessor(model_file=prefix + ".model")
texts = json.load(open(sentences, encoding="utf-8"))
print(json.dumps({"size": sp.get_piece_size(), "bos": sp.bos_id(), "eos": sp.eos_id(),
                  "ids": [sp.encode(t) for t in texts]}))
)";

const std::vector<std::string> kSentences = {
    "3 red circles left of a blue square.",
    "Image 2 shows the hexagon clearly; image 1 does not.",
    "café naïve 日本 👋🏽 ok",
    "line one\nline two\ttabbed",
    "  two leading spaces",
    "unseen: zebra ∑ 🦓",
    "user\nhello there", // the chunk between chat tokens below
    "hi",
};

std::string corpusText() {
    const char* colors[] = {"red", "green", "blue", "yellow", "purple", "orange", "gray"};
    const char* shapes[] = {"circle", "square", "triangle", "star", "hexagon"};
    std::string text;
    for (int i = 0; i < 500; ++i)
        text += std::to_string(i % 5 + 1) + " " + colors[i % 7] + " " + shapes[(i / 7) % 5] +
                "s left of a " + colors[(i / 3) % 7] + " " + shapes[i % 5] +
                ". Image 2 shows the " + shapes[i % 5] + " clearly; café naïve 日本 user hello\n";
    return text;
}

Ids concat(std::initializer_list<Ids> parts) {
    Ids out;
    for (const Ids& part : parts)
        out.insert(out.end(), part.begin(), part.end());
    return out;
}

} // namespace

class TestTextSentencePiece : public QObject {
    Q_OBJECT

    std::unique_ptr<test::ScratchDir> m_dir;
    fs::path m_model;
    std::vector<Ids> m_pythonIds; // sp.encode of each of kSentences

    std::string piecesOf(const Tokenizer& tok, const Ids& ids, size_t from) {
        std::string joined;
        for (size_t i = from; i < ids.size(); ++i)
            joined += tok.idToToken(ids[i]);
        return joined;
    }

    // A checkpoint-like folder: tokenizer.model and a tokenizer_config.json with chat tokens.
    fs::path folderWithConfig(const std::string& name, const json& extra) {
        const fs::path folder = *m_dir / name;
        fs::create_directories(folder);
        fs::copy_file(m_model, folder / "tokenizer.model");
        json config = {{"added_tokens_decoder",
                        {{"400", {{"content", "<|im_start|>"}, {"special", true}}},
                         {"401", {{"content", "<|im_end|>"}, {"special", true}}},
                         {"402", {{"content", "<img>"}, {"special", true}}},
                         {"403", {{"content", "</img>"}, {"special", true}}},
                         {"404", {{"content", "<IMG_CONTEXT>"}, {"special", true}}}}},
                       {"bos_token", "<s>"},
                       {"eos_token", "</s>"}};
        config.update(extra);
        std::ofstream(folder / "tokenizer_config.json") << config.dump(1);
        return folder;
    }

private slots:
    void initTestCase() {
        // What LibTorch and OpenCV bring into the engine's processes: libprotobuf's symbols in
        // the global scope, which libsentencepiece's private protobuf must not meet.
        if (!::dlopen("libprotobuf.so.32", RTLD_NOW | RTLD_GLOBAL) &&
            !::dlopen("libprotobuf.so", RTLD_NOW | RTLD_GLOBAL))
            qWarning("libprotobuf not found; the isolation of libsentencepiece goes unchecked");
        m_dir = std::make_unique<test::ScratchDir>();
        test::writeText(*m_dir / "corpus.txt", corpusText());
        std::ofstream(*m_dir / "sentences.json") << json(kSentences).dump();
        QProcess python;
        python.start(kPython,
                     {"-c", kTrainScript, QString::fromStdString((*m_dir / "corpus.txt").string()),
                      QString::fromStdString((*m_dir / "sp").string()),
                      QString::fromStdString((*m_dir / "sentences.json").string())});
        QVERIFY2(python.waitForFinished(120000), "python3 did not finish");
        const std::string err = python.readAllStandardError().toStdString();
        QVERIFY2(python.exitStatus() == QProcess::NormalExit && python.exitCode() == 0,
                 ("python3-sentencepiece failed: " + err).c_str());
        const json result = json::parse(python.readAllStandardOutput().toStdString());
        QCOMPARE(result["size"].get<int>(), 400);
        QCOMPARE(result["bos"].get<int>(), 1);
        m_pythonIds = result["ids"].get<std::vector<Ids>>();
        m_model = *m_dir / "sp.model";
    }

    void agreesWithPython() {
        const auto tok = loadTokenizer(m_model);
        QCOMPARE(tok->kindName(), std::string("sentencepiece"));
        QCOMPARE(tok->vocabSize(), 400);
        QCOMPARE(tok->specialIds().bos, std::optional<int32_t>(1));
        QCOMPARE(tok->specialIds().eos, std::optional<int32_t>(2));
        for (size_t i = 0; i < kSentences.size(); ++i) {
            QCOMPARE(tok->encode(kSentences[i], AddSpecial::No), m_pythonIds[i]);
            // BOS by default, as InternLM2 and Phi-3 do.
            QCOMPARE(tok->encode(kSentences[i], AddSpecial::Yes), concat({{1}, m_pythonIds[i]}));
            QCOMPARE(tok->decode(m_pythonIds[i], SkipSpecial::No), kSentences[i]);
        }
    }

    void addedTokensSplitFirst() {
        const auto tok = loadTokenizer(folderWithConfig("internlm2", json::object()));
        QCOMPARE(tok->vocabSize(), 405);
        const std::string chat = "<|im_start|>user\nhello there<|im_end|>";
        const Ids ids = tok->encode(chat, AddSpecial::Yes);
        QCOMPARE(ids, concat({{1, 400}, m_pythonIds[6], {401}}));
        QCOMPARE(tok->decode(ids, SkipSpecial::No), "<s>" + chat);
        QCOMPARE(tok->decode(ids, SkipSpecial::Yes), std::string("user\nhello there"));
        // The model's control symbols are special tokens too.
        QCOMPARE(tok->encode("<s>hi</s>", AddSpecial::No), concat({{1}, m_pythonIds[7], {2}}));
        QCOMPARE(tok->tokenToId("<IMG_CONTEXT>"), std::optional<int32_t>(404));
        QVERIFY(!tok->tokenToId("no such piece"));
    }

    void bosFollowsConfig() {
        const auto tok = loadTokenizer(
            folderWithConfig("no-bos", {{"add_bos_token", false}, {"add_eos_token", true}}));
        QCOMPARE(tok->encode("hi", AddSpecial::Yes), concat({m_pythonIds[7], {2}}));
        QCOMPARE(tok->encode("hi", AddSpecial::No), m_pythonIds[7]);
    }

    void legacyFlagControlsDummyPrefix() {
        const auto legacy = loadTokenizer(folderWithConfig("legacy", json::object()));
        const auto modern = loadTokenizer(folderWithConfig("modern", {{"legacy", false}}));
        // After an added token: "▁hi" in legacy mode, plain "hi" otherwise.
        const Ids legacyIds = legacy->encode("<|im_start|>hi", AddSpecial::No);
        const Ids modernIds = modern->encode("<|im_start|>hi", AddSpecial::No);
        QCOMPARE(legacyIds.front(), 400);
        QCOMPARE(piecesOf(*legacy, legacyIds, 1), std::string("▁hi"));
        QCOMPARE(modernIds.front(), 400);
        QCOMPARE(piecesOf(*modern, modernIds, 1), std::string("hi"));
        // A space after the token survives as "▁" (transformers encodes behind the unk text).
        QCOMPARE(piecesOf(*modern, modern->encode("<|im_start|> hi", AddSpecial::No), 1),
                 std::string("▁hi"));
        // The start of the text keeps its dummy prefix either way.
        QCOMPARE(modern->encode("hi<|im_end|>", AddSpecial::No), concat({m_pythonIds[7], {401}}));
        QCOMPARE(modern->decode(modernIds, SkipSpecial::Yes), std::string("hi"));
    }

    void roundTripsWithAddedTokens() {
        const auto tok = loadTokenizer(folderWithConfig("roundtrip", json::object()));
        for (const std::string& text :
             {std::string("a <|im_end|> b"), std::string("<img><IMG_CONTEXT></img>\nwhat?"),
              std::string("émoji 👋🏽<|im_start|>日本")})
            QCOMPARE(tok->decode(tok->encode(text, AddSpecial::No), SkipSpecial::No), text);
    }

    void rejectsBadModels() {
        test::writeText(*m_dir / "bad.model", "this is not a protobuf at all");
        try {
            loadTokenizer(*m_dir / "bad.model");
            QFAIL("a text file loaded as a SentencePiece model");
        } catch (const Error& e) {
            QVERIFY(std::string(e.what()).find("bad.model") != std::string::npos);
        }
        const auto tok = loadTokenizer(m_model);
        QVERIFY_THROWS_EXCEPTION(Error, tok->decode({400}, SkipSpecial::No));
        QVERIFY_THROWS_EXCEPTION(Error, tok->encode("\xC0\x80", AddSpecial::No));
    }
};

QTEST_APPLESS_MAIN(TestTextSentencePiece)
#include "test_text_sentencepiece.moc"
