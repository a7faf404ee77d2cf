// safetensors files: bit-identical round trips for every dtype, the writer's layout, dtype and
// device conversion on load, and refusal of malformed headers with messages naming the defect.
#include "common/atomic_file.h"
#include "common/error.h"
#include "fixtures.h"
#include "model/safetensors_file.h"
#include "model/safetensors_writer.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <QtTest>

#include <cstring>
#include <fstream>
#include <limits>

using namespace rd;
using namespace rd::model;
namespace fs = std::filesystem;

Q_DECLARE_METATYPE(c10::ScalarType)
Q_DECLARE_METATYPE(rd::ErrorKind)

namespace {

// A file with the given header text (its length prefixed, as the format wants) and data bytes.
void writeRaw(const fs::path& path, const std::string& header, const std::string& data,
              std::uint64_t headerLength) {
    std::string bytes(8, '\0');
    for (int i = 0; i < 8; ++i)
        bytes[i] = static_cast<char>((headerLength >> (8 * i)) & 0xff);
    std::ofstream(path, std::ios::binary) << bytes << header << data;
}

void writeRaw(const fs::path& path, const std::string& header, const std::string& data) {
    writeRaw(path, header, data, header.size());
}

bool sameBytes(const at::Tensor& a, const at::Tensor& b) {
    if (a.scalar_type() != b.scalar_type() || a.sizes() != b.sizes())
        return false;
    const at::Tensor ca = a.contiguous(), cb = b.contiguous();
    return ca.nbytes() == 0 || std::memcmp(ca.data_ptr(), cb.data_ptr(), ca.nbytes()) == 0;
}

// Twelve values per dtype that include the awkward ones: -0, infinities, NaN, the extremes of
// each integer width (wrapped by the conversion for the narrower types).
at::Tensor awkwardValues(c10::ScalarType type) {
    if (type == at::kBool)
        return at::tensor({1, 0, 0, 1, 1, 1, 0, 1, 0, 0, 1, 0}).ne(0).reshape({3, 4});
    if (at::isFloatingType(type)) {
        const float inf = std::numeric_limits<float>::infinity();
        return at::tensor({0.f, -0.f, 1.5f, -2.25f, inf, -inf, std::nanf(""), 65504.f, 1e-8f,
                           3.14159f, -1e30f, 7.f})
            .to(type)
            .reshape({3, 4});
    }
    return at::tensor({int64_t(0), int64_t(1), int64_t(-1), int64_t(127), int64_t(-128),
                       int64_t(255), int64_t(32767), int64_t(-32768), int64_t(2147483647),
                       int64_t(-2147483647 - 1), std::numeric_limits<int64_t>::max(),
                       std::numeric_limits<int64_t>::min()})
        .to(type)
        .reshape({3, 4});
}

} // namespace

class TestSafetensors : public QObject {
    Q_OBJECT

private slots:
    void roundTripIsBitIdentical_data() {
        QTest::addColumn<c10::ScalarType>("type");
        QTest::addColumn<QString>("name");
        QTest::newRow("f64") << at::kDouble << "F64";
        QTest::newRow("f32") << at::kFloat << "F32";
        QTest::newRow("f16") << at::kHalf << "F16";
        QTest::newRow("bf16") << at::kBFloat16 << "BF16";
        QTest::newRow("i64") << at::kLong << "I64";
        QTest::newRow("i32") << at::kInt << "I32";
        QTest::newRow("i16") << at::kShort << "I16";
        QTest::newRow("i8") << at::kChar << "I8";
        QTest::newRow("u8") << at::kByte << "U8";
        QTest::newRow("bool") << at::kBool << "BOOL";
    }

    void roundTripIsBitIdentical() {
        QFETCH(c10::ScalarType, type);
        QFETCH(QString, name);
        test::ScratchDir dir;
        const at::Tensor values = awkwardValues(type);
        const std::map<std::string, at::Tensor> tensors{
            {"matrix", values},
            {"transposed", values.t()}, // a non-contiguous view: the writer must copy it
            {"scalar", values.reshape({-1})[2].clone()},
            {"empty", at::empty({0, 5}, at::TensorOptions().dtype(type))},
        };
        writeSafetensors(dir / "x.safetensors", tensors, {{"format", "pt"}});

        const SafetensorsFile file(dir / "x.safetensors");
        QCOMPARE(file.tensors().size(), size_t(4));
        QCOMPARE(file.metadata().at("format"), std::string("pt"));
        for (const auto& [tensorName, expected] : tensors) {
            const TensorInfo& info = file.info(tensorName);
            QCOMPARE(QString(dtypeName(info.dtype)), name);
            QCOMPARE(info.shape, expected.sizes().vec());
            const at::Tensor loaded = file.load(tensorName);
            QVERIFY2(sameBytes(loaded, expected), tensorName.c_str());
        }
    }

    void writerLayoutFollowsReference() {
        test::ScratchDir dir;
        const fs::path path = dir / "layout.safetensors";
        writeSafetensors(path,
                         {{"b", at::ones({3}, at::kByte)},
                          {"a", at::zeros({2, 2}, at::kFloat)},
                          {"c", at::ones({1}, at::kDouble)}},
                         {{"note", "x"}});
        const std::string bytes = readWholeFile(path);
        std::uint64_t headerLength = 0;
        std::memcpy(&headerLength, bytes.data(), 8);
        QCOMPARE(headerLength % 8, std::uint64_t(0));
        const std::string header = bytes.substr(8, headerLength);
        const std::size_t jsonEnd = header.rfind('}') + 1; // then fewer than 8 spaces
        QVERIFY(header.size() - jsonEnd < 8);
        QCOMPARE(header.find_first_not_of(' ', jsonEnd), std::string::npos);
        QVERIFY(header.rfind("{\"__metadata__\":{\"note\":\"x\"},", 0) == 0); // metadata first
        const auto json = nlohmann::json::parse(header);
        // Data in name order, back to back from 0 to the end of the file.
        QCOMPARE(json["a"]["data_offsets"], nlohmann::json({0, 16}));
        QCOMPARE(json["b"]["data_offsets"], nlohmann::json({16, 19}));
        QCOMPARE(json["c"]["data_offsets"], nlohmann::json({19, 27}));
        QCOMPARE(json["a"]["dtype"], nlohmann::json("F32"));
        QCOMPARE(bytes.size(), size_t(8 + headerLength + 27));
        // "c" sits at an odd address: the reader must copy rather than alias it.
        QCOMPARE(SafetensorsFile(path).load("c").item<double>(), 1.0);
    }

    void emptyCheckpoint() {
        test::ScratchDir dir;
        writeSafetensors(dir / "e.safetensors", {});
        const std::string bytes = readWholeFile(dir / "e.safetensors");
        QCOMPARE(bytes.size(), size_t(16));
        QCOMPARE(bytes.substr(8), std::string("{}      "));
        QVERIFY(SafetensorsFile(dir / "e.safetensors").tensors().empty());
    }

    void loadConvertsDtypeAndNeverAliasesTheFile() {
        test::ScratchDir dir;
        const at::Tensor source = at::tensor({0.1f, 1.5f, -3.25f, 1000.7f});
        writeSafetensors(dir / "f.safetensors", {{"w", source}});
        const SafetensorsFile file(dir / "f.safetensors");
        for (c10::ScalarType type : {at::kHalf, at::kBFloat16, at::kDouble, at::kLong, at::kBool})
            QVERIFY(sameBytes(file.load("w", type, at::kCPU), source.to(type)));

        at::Tensor loaded = file.load("w");
        loaded.fill_(0); // a loaded tensor is the caller's to write
        QVERIFY(sameBytes(file.load("w"), source));

        if (!at::hasCUDA()) {
            QVERIFY_THROWS_EXCEPTION(Error, file.load("w", at::kFloat, at::Device("cuda:0")));
        } else {
            const at::Tensor onGpu = file.load("w", at::kBFloat16, at::Device("cuda:0"));
            QVERIFY(onGpu.is_cuda());
            QVERIFY(sameBytes(onGpu.cpu(), source.to(at::kBFloat16)));
        }
    }

    void copyIntoAParameter() {
        test::ScratchDir dir;
        const at::Tensor source = at::arange(6, at::kFloat).reshape({2, 3});
        writeSafetensors(dir / "p.safetensors", {{"w", source}});
        const SafetensorsFile file(dir / "p.safetensors");
        at::Tensor parameter = at::zeros({2, 3}, at::kDouble).set_requires_grad(true);
        file.copyInto("w", parameter);
        QVERIFY(sameBytes(parameter.detach(), source.to(at::kDouble)));
        try {
            file.copyInto("w", at::zeros({3, 2}));
            QFAIL("a destination of the wrong shape was accepted");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Format);
            QVERIFY2(std::string(e.what()).find("[2, 3]") != std::string::npos, e.what());
        }
        QVERIFY_THROWS_EXCEPTION(Error, file.copyInto("nope", parameter));
    }

    void misalignedAndBoolDataFromOtherWriters() {
        test::ScratchDir dir;
        // A 9-byte header (no padding) puts the F32 data at file offset 17.
        float values[2] = {1.25f, -8.5f};
        std::string data(reinterpret_cast<const char*>(values), sizeof values);
        data += std::string("\x00\x01\x02\xff", 4);
        const std::string header = R"({"f":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                                   R"("m":{"dtype":"BOOL","shape":[4],"data_offsets":[8,12]}})";
        writeRaw(dir / "odd.safetensors", header + " ", data);
        const SafetensorsFile file(dir / "odd.safetensors");
        QVERIFY(file.dataOffset() % 4 != 0);
        QVERIFY(sameBytes(file.load("f"), at::tensor({1.25f, -8.5f})));
        // LibTorch assumes bool bytes are 0 or 1; other bytes must read as true, not garbage.
        const at::Tensor mask = file.load("m");
        QVERIFY(sameBytes(mask, at::tensor({0, 1, 1, 1}).ne(0)));
        QCOMPARE(mask.sum().item<int64_t>(), int64_t(3));
    }

    void rejectsMalformedFiles_data() {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<qulonglong>("dataBytes");
        QTest::addColumn<qlonglong>("lengthOverride"); // -1: the header's own length
        QTest::addColumn<QString>("defect");
        QTest::addColumn<ErrorKind>("kind");
        const QByteArray ok = R"({"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
        const auto entry = [](const char* body) { return QByteArray(R"({"t":)") + body + "}"; };
        const auto F = ErrorKind::Format;
        QTest::newRow("length past end") << ok << 8ull << 4000ll << "runs past the end" << F;
        QTest::newRow("absurd length") << ok << 8ull << 200000000ll << "absurd" << F;
        QTest::newRow("not json") << QByteArray("{\"t\":") << 0ull << -1ll << "not valid JSON" << F;
        QTest::newRow("not an object")
            << QByteArray("[1, 2]") << 0ull << -1ll << "not an object" << F;
        QTest::newRow("entry not object") << entry("5") << 0ull << -1ll << "not an object" << F;
        QTest::newRow("unknown dtype")
            << entry(R"({"dtype":"F33","shape":[2],"data_offsets":[0,8]})") << 8ull << -1ll
            << "unknown dtype 'F33'" << F;
        QTest::newRow("fp8 unsupported")
            << entry(R"({"dtype":"F8_E4M3","shape":[2],"data_offsets":[0,2]})") << 2ull << -1ll
            << "not supported" << ErrorKind::Unsupported;
        QTest::newRow("dtype not string")
            << entry(R"({"dtype":4,"shape":[2],"data_offsets":[0,8]})") << 8ull << -1ll
            << "'dtype' is a number" << F;
        QTest::newRow("missing shape") << entry(R"({"dtype":"F32","data_offsets":[0,8]})") << 8ull
                                       << -1ll << "missing field 'shape'" << F;
        QTest::newRow("offsets reversed")
            << entry(R"({"dtype":"F32","shape":[2],"data_offsets":[8,0]})") << 8ull << -1ll
            << "end before they begin" << F;
        QTest::newRow("offsets not a pair")
            << entry(R"({"dtype":"F32","shape":[2],"data_offsets":[0,4,8]})") << 8ull << -1ll
            << "not [begin, end]" << F;
        QTest::newRow("negative offset")
            << entry(R"({"dtype":"F32","shape":[2],"data_offsets":[-8,0]})") << 8ull << -1ll
            << "not [begin, end]" << F;
        QTest::newRow("offsets past data")
            << entry(R"({"dtype":"F32","shape":[2],"data_offsets":[0,8]})") << 4ull << -1ll
            << "past the end of the data section" << F;
        QTest::newRow("byte length") << entry(R"({"dtype":"F32","shape":[3],"data_offsets":[0,8]})")
                                     << 8ull << -1ll << "needs 3 x 4" << F;
        QTest::newRow("negative dim")
            << entry(R"({"dtype":"F32","shape":[-2],"data_offsets":[0,8]})") << 8ull << -1ll
            << "negative" << F;
        QTest::newRow("fractional dim")
            << entry(R"({"dtype":"F32","shape":[2.5],"data_offsets":[0,8]})") << 8ull << -1ll
            << "not a non-negative integer" << F;
        QTest::newRow("numel overflow")
            << entry(R"({"dtype":"U8","shape":[4294967296,4294967296,4],"data_offsets":[0,0]})")
            << 0ull << -1ll << "more elements than fit" << F;
        std::string hundredOnes = "1";
        for (int i = 1; i < 100; ++i)
            hundredOnes += ",1";
        QTest::newRow("too many dims")
            << entry(
                   (R"({"dtype":"U8","data_offsets":[0,1],"shape":[)" + hundredOnes + "]}").c_str())
            << 1ull << -1ll << "100 dimensions" << F;
        QTest::newRow("overlap") << QByteArray(
                                        R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                                        R"("b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})")
                                 << 8ull << -1ll << "'a' and 'b' overlap" << F;
        QTest::newRow("duplicate name")
            << QByteArray(R"({"t":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},)"
                          R"("t":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}})")
            << 2ull << -1ll << "names tensor 't' twice" << F;
        QTest::newRow("duplicate field")
            << entry(R"({"dtype":"U8","dtype":"F32","shape":[1],"data_offsets":[0,1]})") << 1ull
            << -1ll << "repeats the key 'dtype'" << F;
        QTest::newRow("metadata value") << QByteArray(R"({"__metadata__":{"epoch":3}})") << 0ull
                                        << -1ll << "'epoch' is a number" << F;
        QTest::newRow("metadata array") << QByteArray(R"({"__metadata__":["x"]})") << 0ull << -1ll
                                        << "__metadata__ is a array" << F;
    }

    void rejectsMalformedFiles() {
        QFETCH(QByteArray, header);
        QFETCH(qulonglong, dataBytes);
        QFETCH(qlonglong, lengthOverride);
        QFETCH(QString, defect);
        QFETCH(ErrorKind, kind);
        test::ScratchDir dir;
        const fs::path path = dir / "bad.safetensors";
        writeRaw(path, header.toStdString(), std::string(dataBytes, '\0'),
                 lengthOverride < 0 ? header.size() : static_cast<std::uint64_t>(lengthOverride));
        try {
            SafetensorsFile file(path);
            QFAIL("a malformed file was accepted");
        } catch (const Error& e) {
            const std::string message = e.what();
            QVERIFY2(message.rfind(path.string() + ": ", 0) == 0, e.what());
            QVERIFY2(message.find(defect.toStdString()) != std::string::npos, e.what());
            QCOMPARE(e.kind(), kind);
        }
    }

    void rejectsShortMissingAndOddFiles() {
        test::ScratchDir dir;
        test::writeText(dir / "short.safetensors", "abc");
        QVERIFY_THROWS_EXCEPTION(Error, SafetensorsFile(dir / "short.safetensors"));
        test::writeText(dir / "zero.safetensors", "");
        QVERIFY_THROWS_EXCEPTION(Error, SafetensorsFile(dir / "zero.safetensors"));
        try {
            SafetensorsFile(dir / "absent.safetensors");
            QFAIL("a missing file was opened");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::NotFound);
        }
        try {
            SafetensorsFile file(dir.path());
            QFAIL("a folder was opened as a file");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::InvalidArgument);
        }
        writeSafetensors(dir / "ok.safetensors", {{"a", at::ones({1})}});
        try {
            SafetensorsFile(dir / "ok.safetensors").load("b");
            QFAIL("an absent tensor was loaded");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::NotFound);
            QVERIFY2(std::string(e.what()).find("'b'") != std::string::npos, e.what());
        }
    }

    void writerRefusesBadInputAndKeepsTheOldFile() {
        test::ScratchDir dir;
        const fs::path path = dir / "keep.safetensors";
        writeSafetensors(path, {{"old", at::ones({2})}});
        const auto refused = [&](const std::map<std::string, at::Tensor>& tensors,
                                 const std::map<std::string, std::string>& metadata,
                                 ErrorKind kind) {
            try {
                writeSafetensors(path, tensors, metadata);
            } catch (const Error& e) {
                return e.kind() == kind;
            }
            return false;
        };
        QVERIFY(refused({{"", at::ones({1})}}, {}, ErrorKind::InvalidArgument));
        QVERIFY(refused({{"__metadata__", at::ones({1})}}, {}, ErrorKind::InvalidArgument));
        QVERIFY(refused({{"u", at::Tensor()}}, {}, ErrorKind::InvalidArgument));
        QVERIFY(refused({{"c", at::ones({2}, at::kComplexFloat)}}, {}, ErrorKind::Unsupported));
        QVERIFY(refused({{"s", at::ones({2, 2}).to_sparse()}}, {}, ErrorKind::Unsupported));
        QVERIFY(refused({{"a", at::ones({1})}}, {{"k", "\xff\xfe"}}, ErrorKind::InvalidArgument));
        QVERIFY_THROWS_EXCEPTION(Error, writeSafetensors(dir / "no" / "x.safetensors", {}));
        const SafetensorsFile file(path);
        QCOMPARE(file.tensors().size(), size_t(1));
        QCOMPARE(file.tensors().front().name, std::string("old"));
        QVERIFY(!fs::exists(dir / "no"));
    }
};

QTEST_APPLESS_MAIN(TestSafetensors)
#include "test_safetensors.moc"
