// Byte-level BPE: GPT-2's byte map, Qwen2's pre-tokenizer splits (expected pieces reasoned out
// from the regex, alternative by alternative), merges applied by rank on a hand-made vocabulary,
// added tokens, and encode/decode round trips.
#include "common/error.h"
#include "fixtures.h"
#include "text/added_tokens.h"
#include "text/bpe_trainer.h"
#include "text/byte_level.h"
#include "text/byte_level_bpe_tokenizer.h"
#include "text/load_tokenizer.h"
#include "text/regex_splitter.h"
#include "text/tokenizer_json_reader.h"
#include "text/tokenizer_json_writer.h"
#include "text/unicode_text.h"

#include <nlohmann/json.hpp>

#include <QtTest>

#include <fstream>

using namespace rd;
using namespace rd::text;
namespace fs = std::filesystem;
using nlohmann::json;
using Ids = std::vector<int32_t>;
using Pieces = std::vector<std::string>;

Q_DECLARE_METATYPE(Pieces)

namespace {

// Ids 0-8: a b c Ġ ab Ġa Ġab abc bc; merges by rank: a+b, Ġ+a, Ġa+b, ab+c, b+c.
json handMadeTokenizerJson(bool pairForm, bool ignoreMerges = false) {
    // json::array: a braced list of string pairs would become an object.
    json merges = json::array();
    for (const char* merge : {"a b", "Ġ a", "Ġa b", "ab c", "b c"}) {
        const std::string text = merge;
        const size_t space = text.find(' ');
        if (pairForm)
            merges.push_back(json::array({text.substr(0, space), text.substr(space + 1)}));
        else
            merges.push_back(text);
    }
    return {{"version", "1.0"},
            {"added_tokens",
             {{{"id", 9}, {"content", "<|im_start|>"}, {"special", true}},
              {{"id", 10}, {"content", "<|im_end|>"}, {"special", true}},
              {{"id", 11}, {"content", "<x>"}, {"special", false}}}},
            {"normalizer", {{"type", "NFC"}}},
            {"pre_tokenizer",
             {{"type", "Sequence"},
              {"pretokenizers",
               {{{"type", "Split"},
                 {"pattern", {{"Regex", kQwen2Pattern}}},
                 {"behavior", "Isolated"},
                 {"invert", false}},
                {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", false}}}}}},
            {"decoder", {{"type", "ByteLevel"}}},
            {"model",
             {{"type", "BPE"},
              {"ignore_merges", ignoreMerges},
              {"vocab",
               {{"a", 0},
                {"b", 1},
                {"c", 2},
                {"Ġ", 3},
                {"ab", 4},
                {"Ġa", 5},
                {"Ġab", 6},
                {"abc", 7},
                {"bc", 8}}},
              {"merges", merges}}}};
}

fs::path writeJson(const fs::path& path, const json& document) {
    std::ofstream(path) << document.dump(1);
    return path;
}

// A Qwen2-style tokenizer without merges: enough to see the pre-tokenizer's pieces.
ByteLevelBpeTokenizer qwen2PreTokenizer() {
    BpeTokenizerSpec spec;
    spec.origin = "test";
    spec.normalForm = NormalForm::Nfc;
    PreTokenizerStep split, byteLevel;
    split.pattern = kQwen2Pattern;
    byteLevel.kind = PreTokenizerStep::Kind::ByteLevel;
    spec.preTokenizer = {split, byteLevel};
    return ByteLevelBpeTokenizer(std::move(spec));
}

std::string corpusText() {
    const char* colors[] = {"red", "green", "blue", "yellow", "purple", "gray"};
    const char* shapes[] = {"circle", "square", "triangle", "star", "hexagon"};
    std::string text;
    for (int i = 0; i < 400; ++i)
        text += std::to_string(i % 5 + 1) + " " + colors[i % 6] + " " + shapes[(i / 6) % 5] +
                "s left of a " + colors[(i / 3) % 6] + " " + shapes[i % 5] +
                ". Image 2 is better: it shows them clearly.\n";
    return text + "café naïve 日本語 👋🏽 — “quotes” ok\n";
}

} // namespace

class TestTextBpe : public QObject {
    Q_OBJECT

    std::unique_ptr<test::ScratchDir> m_dir;
    std::unique_ptr<Tokenizer> m_trained;  // in memory
    std::unique_ptr<Tokenizer> m_reloaded; // the same, through tokenizer.json

private slots:
    void initTestCase() {
        m_dir = std::make_unique<test::ScratchDir>();
        BpeTrainerOptions options;
        options.vocabSize = 600;
        BpeTrainer trainer(options);
        trainer.addText(corpusText());
        BpeTokenizerSpec spec = trainer.train();
        writeTokenizerJson(*m_dir / "tokenizer.json", spec);
        m_trained = std::make_unique<ByteLevelBpeTokenizer>(std::move(spec));
        m_reloaded = loadTokenizer(*m_dir / "tokenizer.json");
    }

    void byteMapFollowsGpt2() {
        QCOMPARE(byteLevelEncode(" "), std::string("Ġ"));  // 0x20 -> U+0120
        QCOMPARE(byteLevelEncode("\n"), std::string("Ċ")); // 0x0A -> U+010A
        QCOMPARE(byteLevelChar(0), std::string("Ā"));      // first unprintable -> U+0100
        QCOMPARE(byteLevelChar(0x7F), std::string("ġ"));   // 33 unprintables before it
        QCOMPARE(byteLevelChar(0xAD), std::string("Ń"));   // the last one: U+0143
        QCOMPARE(byteLevelChar('A'), std::string("A"));
        QCOMPARE(byteLevelChar(0xE9), std::string("é")); // printable Latin-1 keeps its code point
        std::string all;
        for (int b = 0; b < 256; ++b)
            all += static_cast<char>(b);
        QCOMPARE(byteLevelDecode(byteLevelEncode(all)), all);
    }

    void unicodeNormalForms() {
        QCOMPARE(normalizeUnicode("\u212B", NormalForm::Nfc), std::string("\u00C5")); // Angstrom
        QCOMPARE(normalizeUnicode("e\u0301", NormalForm::Nfc), std::string("\u00E9"));
        QCOMPARE(normalizeUnicode("\u00E9", NormalForm::Nfd), std::string("e\u0301"));
        QCOMPARE(normalizeUnicode("\uFB01", NormalForm::Nfkc), std::string("fi"));
        QCOMPARE(normalizeUnicode("\uFB01", NormalForm::Nfc), std::string("\uFB01"));
        QCOMPARE(normalizeUnicode("na\u00EFve \u00C5", NormalForm::Nfc),
                 std::string("na\u00EFve \u00C5"));                    // below U+0300: left alone
        const std::string broken = std::string("a\xE2\x82") + "b\xFF"; // cut 3-byte, stray
        const std::string replacement = "\xEF\xBF\xBD";
        QCOMPARE(repairUtf8(broken), "a" + replacement + "b" + replacement);
        QCOMPARE(firstInvalidUtf8("ok\xED\xA0\x80"), std::optional<size_t>(2)); // a surrogate
        QVERIFY(!firstInvalidUtf8("\xF0\x9F\x91\x8B"));
    }

    void qwen2PreTokenizerSplits_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<Pieces>("pieces");
        QTest::newRow("words") << "Hello world" << Pieces{"Hello", " world"};
        QTest::newRow("contraction") << "I'm here" << Pieces{"I", "'m", " here"};
        QTest::newRow("contraction, any case") << "HE'LL" << Pieces{"HE", "'LL"};
        QTest::newRow("digits one by one") << "12345" << Pieces{"1", "2", "3", "4", "5"};
        // \s+(?!\S) leaves the last space to the word after it.
        QTest::newRow("two spaces") << "a  b" << Pieces{"a", " ", " b"};
        QTest::newRow("leading spaces") << "  hi" << Pieces{" ", " hi"};
        QTest::newRow("tabs") << "\t\tx" << Pieces{"\t", "\tx"};
        QTest::newRow("newlines together") << "hello\n\nworld" << Pieces{"hello", "\n\n", "world"};
        QTest::newRow("spaces then newline") << "end.  \n" << Pieces{"end", ".", "  \n"};
        QTest::newRow("punctuation and numbers")
            << "x = 3.14!" << Pieces{"x", " =", " ", "3", ".", "1", "4", "!"};
        QTest::newRow("emoji run") << "hi 👋🏽!" << Pieces{"hi", " 👋🏽!"};
        QTest::newRow("CJK letters") << "你好世界" << Pieces{"你好世界"};
        QTest::newRow("possessive") << "it's" << Pieces{"it", "'s"};
        QTest::newRow("NFC first") << "cafe\u0301" << Pieces{"café"};
    }

    void qwen2PreTokenizerSplits() {
        QFETCH(QString, text);
        QFETCH(Pieces, pieces);
        QCOMPARE(qwen2PreTokenizer().preTokenize(text.toStdString()), pieces);
    }

    void mergesApplyByRank() {
        test::ScratchDir dir;
        for (bool pairForm : {false, true}) {
            const auto tok =
                loadTokenizer(writeJson(dir / "t.json", handMadeTokenizerJson(pairForm)));
            // "abc": a+b (rank 0) then ab+c (rank 3). " ab": a+b (rank 0) comes before Ġ+a
            // (rank 1), and Ġ+ab is no merge, so not the single token Ġab. " cab": only a+b.
            QCOMPARE(tok->encode("abc ab cab", AddSpecial::Yes), (Ids{7, 3, 4, 3, 2, 4}));
            QCOMPARE(tok->encode("abca", AddSpecial::No), (Ids{7, 0}));
            QCOMPARE(tok->encode(" ac", AddSpecial::No), (Ids{5, 2}));
            QCOMPARE(tok->encode("bc", AddSpecial::No), (Ids{8}));
            QCOMPARE(tok->encode("<|im_start|>ab<|im_end|>", AddSpecial::No), (Ids{9, 4, 10}));
            // A character outside the vocabulary without an unk token is dropped (Hugging Face).
            QCOMPARE(tok->encode("dab", AddSpecial::No), (Ids{4}));
            QCOMPARE(tok->vocabSize(), 12);
            QCOMPARE(tok->tokenToId("Ġab"), std::optional<int32_t>(6));
            QCOMPARE(tok->idToToken(11), std::string("<x>"));
        }
        const auto whole =
            loadTokenizer(writeJson(dir / "w.json", handMadeTokenizerJson(false, true)));
        QCOMPARE(whole->encode(" ab", AddSpecial::No), (Ids{6})); // ignore_merges: Ġab is a token
    }

    void decodeHandlesSpecialTokens() {
        test::ScratchDir dir;
        const auto tok = loadTokenizer(writeJson(dir / "t.json", handMadeTokenizerJson(false)));
        QCOMPARE(tok->decode({9, 4, 10}, SkipSpecial::No), std::string("<|im_start|>ab<|im_end|>"));
        QCOMPARE(tok->decode({9, 4, 3, 2, 10}, SkipSpecial::Yes), std::string("ab c"));
        QCOMPARE(tok->decode({11, 7}, SkipSpecial::Yes), std::string("<x>abc")); // not special
        QVERIFY_THROWS_EXCEPTION(Error, tok->decode({12}, SkipSpecial::No));
        QVERIFY_THROWS_EXCEPTION(Error, tok->idToToken(-1));
    }

    void addedTokensMatchLongestAndStrip() {
        AddedTokens added({{"<a>", 1, true},
                           {"<a><b>", 2, true},
                           {"<e>", 3, true, false, true},
                           {"<l>", 4, true, true, false}});
        std::vector<TextSegment> segments;
        added.split("x<a><b>y<a>z <e>  w  <l>v", segments);
        QCOMPARE(segments.size(), size_t(9));
        QCOMPARE(segments[0].text, std::string_view("x"));
        QCOMPARE(segments[1].id, 2); // longest match wins at the same start
        QCOMPARE(segments[3].id, 1);
        QCOMPARE(segments[4].text, std::string_view("z "));
        QCOMPARE(segments[5].id, 3);
        QCOMPARE(segments[6].text, std::string_view("w")); // rstrip ate "  ", lstrip ate "  "
        QCOMPARE(segments[7].id, 4);
        QCOMPARE(segments[8].text, std::string_view("v"));
    }

    void roundTrips_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("ascii") << "3 red circles left of a blue square.";
        QTest::newRow("empty") << "";
        QTest::newRow("accents") << "café naïve façade Ångström";
        QTest::newRow("cjk") << "日本語のテキストと中文";
        QTest::newRow("emoji") << "party 🎉👋🏽 family 👨‍👩‍👧 flag 🇫🇷";
        QTest::newRow("newlines and tabs") << "line one\nline two\r\n\tindented\n\n";
        QTest::newRow("spaces") << "  leading and   inner and trailing  ";
        QTest::newRow("chat") << "<|im_start|>user\nIs it red?<|im_end|><|im_start|>assistant\n";
        QTest::newRow("image tokens") << "a<img><IMG_CONTEXT><IMG_CONTEXT></img>b";
        QTest::newRow("control bytes") << QString::fromUtf8("nul\x01\x7f del");
    }

    void roundTrips() {
        QFETCH(QString, text);
        const std::string utf8 = text.toStdString();
        for (const Tokenizer* tok : {m_trained.get(), m_reloaded.get()}) {
            const Ids ids = tok->encode(utf8, AddSpecial::Yes);
            QCOMPARE(tok->decode(ids, SkipSpecial::No), utf8);
        }
        QCOMPARE(m_reloaded->encode(utf8, AddSpecial::Yes),
                 m_trained->encode(utf8, AddSpecial::Yes));
    }

    void specialTokensAreSingleIds() {
        const Ids ids = m_trained->encode("<|im_start|>user<|im_end|>", AddSpecial::Yes);
        QCOMPARE(ids.front(), 1); // default specials: <|endoftext|>=0, <|im_start|>=1, ...
        QCOMPARE(ids.back(), 2);
        QCOMPARE(m_trained->decode(ids, SkipSpecial::Yes), std::string("user"));
        QCOMPARE(m_trained->specialIds().eos, std::optional<int32_t>(0));
        QVERIFY(!m_trained->specialIds().bos);
    }

    void partialUtf8DecodesToReplacement() {
        const auto lead = m_trained->tokenToId(byteLevelChar(0xC3)); // first byte of "é"
        QVERIFY(lead);
        QCOMPARE(m_trained->decode({*lead}, SkipSpecial::No), std::string("\xEF\xBF\xBD"));
        QVERIFY_THROWS_EXCEPTION(Error, m_trained->encode("bad \xC3(", AddSpecial::No));
    }
};

QTEST_APPLESS_MAIN(TestTextBpe)
#include "test_text_bpe.moc"
