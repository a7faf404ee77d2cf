// The BPE trainer: hand-checked merges on tiny corpora (frequency first, then smaller ids),
// determinism, the vocabulary budget, and a tokenizer.json that reloads through loadTokenizer
// and encodes exactly as the tokenizer it was written from.
#include "common/atomic_file.h"
#include "common/error.h"
#include "fixtures.h"
#include "text/bpe_trainer.h"
#include "text/byte_level.h"
#include "text/byte_level_bpe_tokenizer.h"
#include "text/load_tokenizer.h"
#include "text/tokenizer_json_writer.h"

#include <nlohmann/json.hpp>

#include <QtTest>

using namespace rd;
using namespace rd::text;
namespace fs = std::filesystem;
using Ids = std::vector<int32_t>;
using Merge = std::pair<std::string, std::string>;

namespace {

constexpr int32_t kFirstMergeId = 12 + 256; // default specials, then the byte alphabet

BpeTokenizerSpec trainOn(const std::string& corpus, int32_t vocabSize, int64_t minFrequency) {
    BpeTrainerOptions options;
    options.vocabSize = vocabSize;
    options.minFrequency = minFrequency;
    BpeTrainer trainer(options);
    trainer.addText(corpus);
    return trainer.train();
}

std::string shapeWorldCorpus() {
    const char* colors[] = {"red", "green", "blue", "yellow", "purple", "orange", "gray"};
    const char* shapes[] = {"circle", "square", "triangle", "star", "hexagon", "cross"};
    const char* relations[] = {"left of", "right of", "above", "below"};
    std::string text;
    for (int i = 0; i < 700; ++i) {
        text += std::string("<|im_start|>user\n") + std::to_string(i % 4 + 1) + " " +
                colors[i % 7] + " " + shapes[(i / 7) % 6] + "s " + relations[i % 4] + " a " +
                colors[(i / 5) % 7] + " " + shapes[(i / 3) % 6] + "<|im_end|>\n";
        text += "Image 2 shows the " + std::string(shapes[i % 6]) + " in " + colors[i % 7] +
                ", image 1 does not.\n";
    }
    return text;
}

} // namespace

class TestTextTrainer : public QObject {
    Q_OBJECT

private slots:
    void mergesFollowFrequency() {
        // Words: "ab" x1, " ab" x2, " abc" x1. Pair counts: a+b 4, Ġ+a 3, b+c 1. After a+b:
        // Ġ+ab 3, ab+c 1; after Ġ+ab: Ġab+c 1.
        const BpeTokenizerSpec spec = trainOn("ab ab ab abc", kFirstMergeId + 3, 1);
        QCOMPARE(spec.merges, (std::vector<Merge>{{"a", "b"}, {"Ġ", "ab"}, {"Ġab", "c"}}));
        QCOMPARE(spec.vocab.at("ab"), kFirstMergeId);
        QCOMPARE(spec.vocab.at("Ġab"), kFirstMergeId + 1);
        QCOMPARE(spec.vocab.at("Ġabc"), kFirstMergeId + 2);
        ByteLevelBpeTokenizer tok(spec);
        QCOMPARE(tok.encode("ab abc", AddSpecial::Yes), (Ids{kFirstMergeId, kFirstMergeId + 2}));
    }

    void tiesGoToSmallerIds() {
        // Every pair occurs once. Ids are 12 + byte, so Ġ (0x20) + z beats x + y; then x + y
        // (132, 133) beats Ġz + w (268, ...).
        const BpeTokenizerSpec spec = trainOn("xy zw", kFirstMergeId + 3, 1);
        QCOMPARE(spec.merges, (std::vector<Merge>{{"Ġ", "z"}, {"x", "y"}, {"Ġz", "w"}}));
    }

    void minFrequencyStopsEarly() {
        const BpeTokenizerSpec spec = trainOn("ab ab ab abc", kFirstMergeId + 50, 3);
        QCOMPARE(spec.merges, (std::vector<Merge>{{"a", "b"}, {"Ġ", "ab"}}));
        QCOMPARE(spec.vocab.size(), size_t(kFirstMergeId + 2));
    }

    void specialTokensComeFirstAndStayWhole() {
        const BpeTokenizerSpec spec = trainOn("<|im_start|><|im_start|><|im_start|>", 400, 1);
        QVERIFY(spec.merges.empty()); // the markers teach nothing
        const std::vector<std::string> specials = defaultSpecialTokens();
        QCOMPARE(spec.addedTokens.size(), specials.size());
        for (size_t i = 0; i < specials.size(); ++i) {
            QCOMPARE(spec.addedTokens[i].content, specials[i]);
            QCOMPARE(spec.addedTokens[i].id, static_cast<int32_t>(i));
            QVERIFY(spec.addedTokens[i].special);
        }
        QCOMPARE(spec.vocab.at(byteLevelChar(0)), 12);
        QCOMPARE(spec.vocab.at("Ġ"), 12 + 0x20);
    }

    void rejectsImpossibleOptions() {
        BpeTrainerOptions small;
        small.vocabSize = 100;
        QVERIFY_THROWS_EXCEPTION(Error, BpeTrainer{small});
        BpeTrainerOptions repeated;
        repeated.specialTokens = {"<a>", "<a>"};
        QVERIFY_THROWS_EXCEPTION(Error, BpeTrainer{repeated});
        BpeTrainer trainer(BpeTrainerOptions{});
        QVERIFY_THROWS_EXCEPTION(Error, trainer.addText("bad \xFF byte"));
    }

    void progressCanCancel() {
        BpeTrainerOptions options;
        options.vocabSize = 1000;
        int calls = 0;
        options.progress = [&](int64_t done, int64_t wanted) {
            ++calls;
            return done < 5 && wanted == 1000 - kFirstMergeId;
        };
        BpeTrainer trainer(options);
        trainer.addText(shapeWorldCorpus());
        try {
            trainer.train();
            QFAIL("training should have been cancelled");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Cancelled);
        }
        QCOMPARE(calls, 5);
    }

    void writtenFileReloadsAndEncodesIdentically() {
        test::ScratchDir dir;
        const std::string corpus = shapeWorldCorpus();
        const BpeTokenizerSpec spec = trainOn(corpus, 360, 2);
        QCOMPARE(spec.vocab.size(), size_t(360)); // the corpus yields 371 before pairs get rare
        writeTokenizerJson(dir / "tokenizer.json", spec);
        const ByteLevelBpeTokenizer trained(spec);
        const auto reloaded = loadTokenizer(dir / "tokenizer.json");
        QCOMPARE(reloaded->kindName(), std::string("byte-level-bpe"));
        QCOMPARE(reloaded->vocabSize(), 360);
        for (const std::string& text :
             {corpus.substr(0, 2000), std::string("3 purple hexagons above a gray star"),
              std::string("<|im_start|>system\nJudge.<|im_end|><img><IMG_CONTEXT></img>"),
              std::string("unseen words: zebra, 42 €, ünïcödé 👋")}) {
            const Ids ids = trained.encode(text, AddSpecial::Yes);
            QCOMPARE(reloaded->encode(text, AddSpecial::Yes), ids);
            QCOMPARE(reloaded->decode(ids, SkipSpecial::No), text);
        }
        // Frequent words became single tokens.
        QCOMPARE(reloaded->encode(" circle", AddSpecial::No).size(), size_t(1));
        QVERIFY(reloaded->encode("3 red squares", AddSpecial::No).size() <= 4);

        // The file is a Hugging Face tokenizer.json.
        const auto document = nlohmann::json::parse(readWholeFile(dir / "tokenizer.json"));
        QCOMPARE(document["model"]["type"], "BPE");
        QCOMPARE(document["model"]["merges"].size(), spec.merges.size());
        QCOMPARE(document["normalizer"]["type"], "NFC");
        QCOMPARE(document["pre_tokenizer"]["pretokenizers"][1]["type"], "ByteLevel");
        QCOMPARE(document["added_tokens"][1]["content"], "<|im_start|>");
        QCOMPARE(document["added_tokens"][1]["special"], true);
    }

    void trainingIsDeterministic() {
        test::ScratchDir dir;
        const std::string corpus = shapeWorldCorpus();
        writeTokenizerJson(dir / "a.json", trainOn(corpus, 370, 2));
        writeTokenizerJson(dir / "b.json", trainOn(corpus, 370, 2));
        QCOMPARE(readWholeFile(dir / "a.json"), readWholeFile(dir / "b.json"));
        // Feeding the corpus in pieces counts the same words.
        BpeTrainerOptions options;
        options.vocabSize = 370;
        BpeTrainer pieces(options);
        size_t start = 0;
        while (start < corpus.size()) {
            const size_t end = corpus.find('\n', start) + 1;
            pieces.addText(corpus.substr(start, end - start));
            start = end;
        }
        writeTokenizerJson(dir / "c.json", pieces.train());
        QCOMPARE(readWholeFile(dir / "c.json"), readWholeFile(dir / "a.json"));
    }
};

QTEST_APPLESS_MAIN(TestTextTrainer)
#include "test_text_trainer.moc"
