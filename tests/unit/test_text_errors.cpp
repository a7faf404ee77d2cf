// Malformed tokenizer files are refused with a message that names the file and what is wrong:
// broken JSON, a missing field, a merge of unknown tokens, a bad merges.txt line, an unsupported
// model; and loadTokenizer picks the right reader for files and folders.
#include "common/error.h"
#include "fixtures.h"
#include "text/load_tokenizer.h"
#include "text/regex_splitter.h"
#include "text/sentencepiece_proto.h"

#include <nlohmann/json.hpp>

#include <QtTest>

#include <fstream>

using namespace rd;
using namespace rd::text;
namespace fs = std::filesystem;
using nlohmann::json;
using Fragments = std::vector<std::string>;

Q_DECLARE_METATYPE(Fragments)
Q_DECLARE_METATYPE(json)

namespace {

json validTokenizerJson() {
    return {
        {"added_tokens", {{{"id", 4}, {"content", "<s>"}, {"special", true}}}},
        {"normalizer", {{"type", "NFC"}}},
        {"pre_tokenizer",
         {{"type", "Sequence"},
          {"pretokenizers",
           {{{"type", "Split"}, {"pattern", {{"Regex", kQwen2Pattern}}}, {"behavior", "Isolated"}},
            {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", false}}}}}},
        {"model",
         {{"type", "BPE"},
          {"vocab", {{"a", 0}, {"b", 1}, {"ab", 2}, {"Ġ", 3}}},
          {"merges", {"a b"}}}}};
}

// Expects loadTokenizer to throw an rd::Error of `kind` whose message holds every fragment.
void expectRefused(const fs::path& path, ErrorKind kind, const Fragments& fragments) {
    try {
        loadTokenizer(path);
    } catch (const Error& e) {
        const std::string message = e.what();
        QVERIFY2(e.kind() == kind, ("unexpected kind for: " + message).c_str());
        for (const std::string& fragment : fragments)
            QVERIFY2(message.find(fragment) != std::string::npos,
                     ("'" + fragment + "' not in: " + message).c_str());
        return;
    }
    QFAIL("the tokenizer should have been refused");
}

} // namespace

class TestTextErrors : public QObject {
    Q_OBJECT

private slots:
    void validFileLoads() {
        test::ScratchDir dir;
        std::ofstream(dir / "tokenizer.json") << validTokenizerJson().dump();
        const auto tok = loadTokenizer(dir.path()); // the folder finds its tokenizer.json
        QCOMPARE(tok->encode("ab<s>", AddSpecial::No), (std::vector<int32_t>{2, 4}));
    }

    void malformedTokenizerJson_data() {
        QTest::addColumn<json>("document");
        QTest::addColumn<int>("kind");
        QTest::addColumn<Fragments>("fragments");
        const auto with = [](const std::string& pointer, const json& value) {
            json document = validTokenizerJson();
            document[json::json_pointer(pointer)] = value;
            return document;
        };
        json noVocab = validTokenizerJson();
        noVocab["model"].erase("vocab");
        QTest::newRow("missing vocab")
            << noVocab << int(ErrorKind::Format) << Fragments{"model.vocab", "missing"};
        QTest::newRow("vocab id not a number")
            << with("/model/vocab/b", "one") << int(ErrorKind::Format)
            << Fragments{"model.vocab.b", "expected an integer"};
        QTest::newRow("merge of unknown token")
            << with("/model/merges", {"a b", "ab zz"}) << int(ErrorKind::Format)
            << Fragments{"model.merges[1]", "unknown token 'zz'"};
        QTest::newRow("merge without space")
            << with("/model/merges", {"ab"}) << int(ErrorKind::Format)
            << Fragments{"model.merges[0]", "two tokens"};
        QTest::newRow("merge pair of three")
            << with("/model/merges", {{"a", "b", "c"}}) << int(ErrorKind::Format)
            << Fragments{"model.merges[0]", "pair"};
        QTest::newRow("merged token missing")
            << with("/model/merges", {"b a"}) << int(ErrorKind::Format)
            << Fragments{"model.merges[0]", "unknown token 'ba'"};
        QTest::newRow("added token without id")
            << with("/added_tokens/0", {{"content", "<x>"}}) << int(ErrorKind::Format)
            << Fragments{"added_tokens[0].id", "missing"};
        QTest::newRow("unigram model")
            << with("/model/type", "Unigram") << int(ErrorKind::Unsupported)
            << Fragments{"model.type", "Unigram"};
        QTest::newRow("sentencepiece-style bpe")
            << with("/pre_tokenizer", {{"type", "Metaspace"}}) << int(ErrorKind::Unsupported)
            << Fragments{"pre_tokenizer", "byte-level"};
        QTest::newRow("bad regex")
            << with("/pre_tokenizer/pretokenizers/0/pattern/Regex", "(unclosed")
            << int(ErrorKind::Format) << Fragments{"regex does not compile", "(unclosed"};
        QTest::newRow("unsupported split behavior")
            << with("/pre_tokenizer/pretokenizers/0/behavior", "Removed")
            << int(ErrorKind::Unsupported) << Fragments{"behavior", "Removed"};
        QTest::newRow("lowercase normalizer")
            << with("/normalizer", {{"type", "Lowercase"}}) << int(ErrorKind::Unsupported)
            << Fragments{"normalizer", "Lowercase"};
        QTest::newRow("unknown unk token")
            << with("/model/unk_token", "<unk>") << int(ErrorKind::Format)
            << Fragments{"unk_token", "<unk>"};
        QTest::newRow("negative id") << with("/model/vocab/a", -3) << int(ErrorKind::Format)
                                     << Fragments{"model.vocab.a", "out of range"};
    }

    void malformedTokenizerJson() {
        QFETCH(json, document);
        QFETCH(int, kind);
        QFETCH(Fragments, fragments);
        test::ScratchDir dir;
        std::ofstream(dir / "tokenizer.json") << document.dump();
        Fragments withFile = fragments;
        withFile.push_back((dir / "tokenizer.json").string());
        expectRefused(dir / "tokenizer.json", static_cast<ErrorKind>(kind), withFile);
    }

    void brokenJsonNamesLine() {
        test::ScratchDir dir;
        test::writeText(dir / "tokenizer.json", "{\n  \"model\": {\n    \"vocab\": {\"a\": 0,,}\n");
        expectRefused(dir / "tokenizer.json", ErrorKind::Format,
                      {(dir / "tokenizer.json").string(), "not valid JSON", "line 3"});
        test::writeText(dir / "tokenizer_config.json", "[oops");
        std::ofstream(dir / "tokenizer.json") << validTokenizerJson().dump();
        expectRefused(dir.path(), ErrorKind::Format, {"tokenizer_config.json", "not valid JSON"});
    }

    void vocabAndMerges() {
        test::ScratchDir dir;
        std::ofstream(dir / "vocab.json") << json{{"a", 0}, {"b", 1}, {"ab", 2}, {"Ġ", 3}}.dump();
        test::writeText(dir / "merges.txt", "#version: 0.2\na b\n");
        std::ofstream(dir / "tokenizer_config.json") << json{
            {"added_tokens_decoder", {{"4", {{"content", "<|endoftext|>"}, {"special", true}}}}},
            {"eos_token", "<|endoftext|>"},
            {"bos_token", nullptr}}.dump();
        const auto tok = loadTokenizer(dir.path());
        QCOMPARE(tok->encode("ab ab<|endoftext|>", AddSpecial::Yes),
                 (std::vector<int32_t>{2, 3, 2, 4})); // Qwen2: no BOS
        QCOMPARE(tok->specialIds().eos, std::optional<int32_t>(4));
        QVERIFY(!tok->specialIds().bos);
        QCOMPARE(loadTokenizer(dir / "vocab.json")->vocabSize(), 5);

        test::writeText(dir / "merges.txt", "#version: 0.2\na b\nab\n");
        expectRefused(dir.path(), ErrorKind::Format,
                      {(dir / "merges.txt").string() + ":3", "two tokens"});
        test::writeText(dir / "merges.txt", "#version: 0.2\n\na b\nb q\n");
        expectRefused(dir.path(), ErrorKind::Format,
                      {(dir / "merges.txt").string() + ":4", "unknown token 'q'"});
        fs::remove(dir / "merges.txt");
        expectRefused(dir / "vocab.json", ErrorKind::NotFound, {"merges.txt"});
    }

    void missingThings() {
        test::ScratchDir dir;
        expectRefused(dir / "nope.json", ErrorKind::NotFound, {"nope.json"});
        expectRefused(dir.path(), ErrorKind::NotFound, {dir.path().string(), "tokenizer.json"});
        test::writeText(dir / "x.model", "");
        expectRefused(dir / "x.model", ErrorKind::Format, {"x.model"});
    }

    void truncatedProtobufIsRefused() {
        // A length-delimited field claiming 100 bytes with 2 present.
        const std::string truncated = std::string("\x1a\x64", 2) + "ab";
        QVERIFY_THROWS_EXCEPTION(Error, withoutDummyPrefix(truncated, "m.model"));
        // An empty model gains a NormalizerSpec holding add_dummy_prefix = false.
        QCOMPARE(withoutDummyPrefix("", "m.model"), std::string("\x1a\x02\x18\x00", 4));
    }
};

QTEST_APPLESS_MAIN(TestTextErrors)
#include "test_text_errors.moc"
