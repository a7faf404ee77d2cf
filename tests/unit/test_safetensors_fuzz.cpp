// Malformed safetensors must never crash: random bytes and thousands of mutations of a valid file
// (byte flips, insertions, deletions, truncations, swapped numbers and dtypes) each end either in
// a load whose tensors match the file's bytes exactly, or in an rd::Error. Deterministic seeds.
#include "common/atomic_file.h"
#include "common/error.h"
#include "fixtures.h"
#include "model/safetensors_file.h"
#include "model/safetensors_writer.h"

#include <ATen/ATen.h>

#include <QtTest>

#include <cstring>
#include <fstream>
#include <random>

using namespace rd;
using namespace rd::model;
namespace fs = std::filesystem;

namespace {

enum class Outcome { Loaded, Refused, Wrong };

std::uint64_t headerLengthOf(const std::string& bytes) {
    std::uint64_t length = 0;
    for (int i = 7; i >= 0; --i)
        length = (length << 8) | static_cast<unsigned char>(bytes[i]);
    return length;
}

void setHeaderLength(std::string& bytes, std::uint64_t length) {
    for (int i = 0; i < 8; ++i)
        bytes[i] = static_cast<char>((length >> (8 * i)) & 0xff);
}

// Checks every promise a successful open makes: tensors load with the stated dtype and shape,
// and their contents are exactly the file's bytes at the stated offsets.
std::string checkLoaded(const SafetensorsFile& file, const std::string& bytes) {
    for (const TensorInfo& t : file.tensors()) {
        if (file.dataOffset() + t.dataEnd > bytes.size() ||
            t.byteSize() != static_cast<std::uint64_t>(t.numel()) * elementSize(t.dtype))
            return "tensor '" + t.name + "': offsets out of bounds or inconsistent";
        const at::Tensor loaded = file.load(t.name);
        if (loaded.scalar_type() != toScalarType(t.dtype) || loaded.sizes().vec() != t.shape)
            return "tensor '" + t.name + "': loaded with the wrong dtype or shape";
        const char* stored = bytes.data() + file.dataOffset() + t.dataBegin;
        if (t.dtype == DType::Bool) {
            const at::Tensor flat = loaded.reshape({-1});
            for (int64_t i = 0; i < flat.numel(); ++i)
                if (flat[i].item<bool>() != (stored[i] != 0))
                    return "tensor '" + t.name + "': bool values differ from the file";
        } else if (t.byteSize() > 0 && std::memcmp(loaded.data_ptr(), stored, t.byteSize()) != 0) {
            return "tensor '" + t.name + "': values differ from the file";
        }
        file.load(t.name, at::kFloat, at::kCPU); // any stored value converts
    }
    return {};
}

Outcome tryOpen(const fs::path& path, const std::string& bytes, std::string& problem) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
    try {
        const SafetensorsFile file(path);
        problem = checkLoaded(file, bytes);
        return problem.empty() ? Outcome::Loaded : Outcome::Wrong;
    } catch (const Error&) {
        return Outcome::Refused;
    } catch (const std::exception& e) {
        problem = std::string("threw something other than rd::Error: ") + e.what();
        return Outcome::Wrong;
    }
}

std::string validFile(const fs::path& path) {
    writeSafetensors(path,
                     {{"alpha", at::arange(6, at::kFloat).reshape({2, 3})},
                      {"beta", at::arange(4, at::kBFloat16)},
                      {"flag", at::tensor({1, 0, 1}).ne(0)},
                      {"gamma", at::tensor({int64_t(-7)})},
                      {"zero", at::empty({0}, at::kByte)}},
                     {{"format", "pt"}});
    return readWholeFile(path);
}

} // namespace

class TestSafetensorsFuzz : public QObject {
    Q_OBJECT

private:
    // Runs one mutated file; fails the test on a crash-free but wrong outcome.
    void run(const std::string& bytes, const char* mutation, std::size_t position) {
        std::string problem;
        const Outcome outcome = tryOpen(m_dir.path() / "fuzz.safetensors", bytes, problem);
        if (outcome == Outcome::Wrong)
            QFAIL(qPrintable(QString("%1 at %2: %3")
                                 .arg(mutation)
                                 .arg(position)
                                 .arg(QString::fromStdString(problem))));
        ++(outcome == Outcome::Loaded ? m_loaded : m_refused);
    }

    test::ScratchDir m_dir;
    int m_loaded = 0;
    int m_refused = 0;

private slots:
    void init() { m_loaded = m_refused = 0; }

    void randomBytesNeverCrash() {
        std::mt19937 rng(1234);
        for (int i = 0; i < 4000; ++i) {
            std::string bytes(rng() % 200, '\0');
            for (char& c : bytes)
                c = static_cast<char>(rng());
            // Most random lengths are absurd; make half of them plausible to reach the JSON.
            if (bytes.size() > 8 && i % 2 == 0) {
                setHeaderLength(bytes, rng() % (bytes.size() - 7));
                bytes[8] = '{';
            }
            try {
                parseSafetensorsHeader(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                       bytes.size(), "random");
                ++m_loaded;
            } catch (const Error&) {
                ++m_refused;
            }
            if (i % 10 == 0) {
                run(bytes, "random file", static_cast<std::size_t>(i));
                if (QTest::currentTestFailed())
                    return;
            }
        }
        QVERIFY(m_refused > 0);
    }

    void byteMutationsLoadOrRefuse() {
        const std::string original = validFile(m_dir.path() / "valid.safetensors");
        const std::size_t headerEnd = 8 + headerLengthOf(original);
        static const char kInteresting[] = "{}[]\",:-0123456789.eE \\\x00\xff";
        std::mt19937 rng(99);
        for (std::size_t p = 0; p < original.size(); ++p) {
            const bool inHeader = p >= 8 && p < headerEnd;
            std::string flipped = original;
            flipped[p] = static_cast<char>(flipped[p] ^ (1 + rng() % 255));
            run(flipped, "flip", p);

            std::string replaced = original;
            replaced[p] = kInteresting[rng() % (sizeof kInteresting - 1)];
            run(replaced, "replace", p);

            std::string inserted = original;
            inserted.insert(p, 1, kInteresting[rng() % (sizeof kInteresting - 1)]);
            run(inserted, "insert", p);
            std::string erased = original;
            erased.erase(p, 1);
            run(erased, "erase", p);
            if (inHeader) { // the same edits with the length prefix updated to match
                setHeaderLength(inserted, headerLengthOf(original) + 1);
                run(inserted, "insert+length", p);
                setHeaderLength(erased, headerLengthOf(original) - 1);
                run(erased, "erase+length", p);
            }
            run(original.substr(0, p), "truncate", p);
            if (QTest::currentTestFailed())
                return;
        }
        QVERIFY(m_loaded > 0);
        QVERIFY(m_refused > 0);
    }

    void dataSectionFlipsAlwaysLoad() {
        const std::string original = validFile(m_dir.path() / "valid.safetensors");
        for (std::size_t p = 8 + headerLengthOf(original); p < original.size(); ++p) {
            std::string flipped = original;
            flipped[p] = static_cast<char>(~flipped[p]);
            run(flipped, "data flip", p);
        }
        QCOMPARE(m_refused, 0);
        QVERIFY(m_loaded > 0);
    }

    // Edits that keep the JSON well-formed, so the semantic checks are the ones that answer.
    void semanticMutationsLoadOrRefuse() {
        const std::string original = validFile(m_dir.path() / "valid.safetensors");
        const std::size_t headerEnd = 8 + headerLengthOf(original);
        const std::string header = original.substr(8, headerEnd - 8);
        const std::string data = original.substr(headerEnd);
        const auto withHeader = [&](const std::string& text) {
            std::string bytes(8, '\0');
            setHeaderLength(bytes, text.size());
            return bytes + text + data;
        };
        static const char* const kNumbers[] = {"0",
                                               "1",
                                               "3",
                                               "7",
                                               "16",
                                               "4294967296",
                                               "9223372036854775807",
                                               "9223372036854775808",
                                               "18446744073709551615",
                                               "18446744073709551616",
                                               "-1",
                                               "1.5",
                                               "1e2",
                                               "null",
                                               "\"3\"",
                                               "[]",
                                               "{}"};
        for (std::size_t p = 0; p < header.size(); ++p) {
            if (!std::isdigit(static_cast<unsigned char>(header[p])) ||
                (p > 0 && std::isdigit(static_cast<unsigned char>(header[p - 1]))))
                continue;
            const std::size_t end = header.find_first_not_of("0123456789", p);
            for (const char* number : kNumbers)
                run(withHeader(header.substr(0, p) + number + header.substr(end)), "number", p);
            if (QTest::currentTestFailed())
                return;
        }
        static const char* const kDTypes[] = {"F64", "F32", "F16",  "BF16", "I64",     "I32", "I16",
                                              "I8",  "U8",  "BOOL", "U32",  "F8_E5M2", ""};
        for (std::size_t p = header.find("\"dtype\":\""); p != std::string::npos;
             p = header.find("\"dtype\":\"", p + 1)) {
            const std::size_t begin = p + 9, end = header.find('"', begin);
            for (const char* dtype : kDTypes)
                run(withHeader(header.substr(0, begin) + dtype + header.substr(end)), "dtype", p);
        }
        // One entry renamed onto another: a duplicate name.
        run(withHeader(header.substr(0, header.find("\"beta\"")) + "\"alpha\"" +
                       header.substr(header.find("\"beta\"") + 6)),
            "duplicate", 0);
        QVERIFY(m_loaded > 0);
        QVERIFY(m_refused > 0);
    }
};

QTEST_APPLESS_MAIN(TestSafetensorsFuzz)
#include "test_safetensors_fuzz.moc"
