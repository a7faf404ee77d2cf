// Interoperability with Python: PyTorch (Debian's python3-torch, via /usr/bin/python3) reads a
// file our writer made, and we read a file Python wrote by hand. There is no `safetensors` Python
// package here, so the script parses the format itself, in a few lines. Both sides fill tensors
// from the same formula, so each checks the other's values independently.
#include "common/error.h"
#include "fixtures.h"
#include "model/safetensors_file.h"
#include "model/safetensors_writer.h"

#include <ATen/ATen.h>

#include <QProcess>
#include <QtTest>

#include <cstring>

using namespace rd;
using namespace rd::model;
namespace fs = std::filesystem;

namespace {

// Not the `python3` on PATH: that may be a pyenv without Debian's torch.
const char* const kPython = "/usr/bin/python3";

const char* const kScript = R"PY(
import json, struct, sys, torch

DTYPES = {"F64": torch.float64, "F32": torch.float32, "F16": torch.float16,
          "BF16": torch.bfloat16, "I64": torch.int64, "I32": torch.int32, "I16": torch.int16,
          "I8": torch.int8, "U8": torch.uint8, "BOOL": torch.bool}
SHAPES = {"F64": [2, 3], "F32": [5], "F16": [3, 1, 2], "BF16": [7], "I64": [2, 2],
          "I32": [3], "I16": [4], "I8": [9], "U8": [5], "BOOL": [3, 3]}
EXTRA = {"scalar.F32": ("F32", []), "empty.I64": ("I64", [0, 4])}

def expected(dtype, shape):
    n = 1
    for d in shape:
        n *= d
    i = torch.arange(n, dtype=torch.int64)
    if dtype in ("F64", "F32", "F16", "BF16"):
        v = (i.to(torch.float64) * 0.75 - 3.0).to(DTYPES[dtype])
    elif dtype == "BOOL":
        v = i % 3 == 0
    elif dtype == "U8":
        v = ((i * 37) % 256).to(torch.uint8)
    elif dtype == "I8":
        v = ((i * 37) % 256 - 128).to(torch.int8)
    else:
        v = (i * 1001 - 5000).to(DTYPES[dtype])
    return v.reshape(shape)

def wanted():
    out = {"t." + d: (d, s) for d, s in SHAPES.items()}
    out.update(EXTRA)
    return out

def read(path):
    buf = open(path, "rb").read()
    n = struct.unpack("<Q", buf[:8])[0]
    header = json.loads(buf[8:8 + n])
    meta = header.pop("__metadata__", {})
    tensors = {}
    for name, e in header.items():
        begin, end = e["data_offsets"]
        raw = bytearray(buf[8 + n + begin:8 + n + end])
        t = torch.frombuffer(raw, dtype=DTYPES[e["dtype"]]) if raw else \
            torch.empty(0, dtype=DTYPES[e["dtype"]])
        tensors[name] = (e["dtype"], t.reshape(e["shape"]))
    return n, buf[8:8 + n], meta, tensors

def check(path):
    n, text, meta, tensors = read(path)
    assert n % 8 == 0, "header length %d is not a multiple of 8" % n
    assert text.rstrip(b" ").endswith(b"}"), "header is not padded with spaces"
    assert meta == {"format": "pt", "note": "w\u00e9"}, meta
    assert sorted(tensors) == sorted(wanted()), sorted(tensors)
    for name, (dtype, shape) in wanted().items():
        got_dtype, got = tensors[name]
        assert got_dtype == dtype, (name, got_dtype)
        assert list(got.shape) == shape, (name, list(got.shape))
        assert torch.equal(got, expected(dtype, shape)), (name, got)
    print("checked %d tensors" % len(tensors))

def write(path):
    # Unlike the reference writer: no padding, pretty separators, data in reverse name order,
    # so the data section starts at an odd offset and the layout differs from ours.
    items = sorted(wanted().items(), reverse=True)
    header, blobs, offset = {"__metadata__": {"source": "python"}}, [], 0
    for name, (dtype, shape) in items:
        data = expected(dtype, shape).contiguous().reshape(-1).view(torch.uint8).numpy().tobytes()
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header).encode()
    if len(text) % 2 == 0:
        text += b" "
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))
    print("wrote %d tensors" % len(items))

{"check": check, "write": write}[sys.argv[1]](sys.argv[2])
)PY";

const std::map<std::string, std::vector<int64_t>> kShapes{
    {"F64", {2, 3}}, {"F32", {5}}, {"F16", {3, 1, 2}}, {"BF16", {7}}, {"I64", {2, 2}},
    {"I32", {3}},    {"I16", {4}}, {"I8", {9}},        {"U8", {5}},   {"BOOL", {3, 3}}};

// The script's expected(), in LibTorch.
at::Tensor expected(const std::string& dtype, const std::vector<int64_t>& shape) {
    int64_t n = 1;
    for (int64_t d : shape)
        n *= d;
    const at::Tensor i = at::arange(n, at::kLong);
    const c10::ScalarType type = toScalarType(*parseDType(dtype));
    at::Tensor v;
    if (at::isFloatingType(type))
        v = (i.to(at::kDouble) * 0.75 - 3.0).to(type);
    else if (type == at::kBool)
        v = i.remainder(3).eq(0);
    else if (type == at::kByte)
        v = (i * 37).remainder(256).to(type);
    else if (type == at::kChar)
        v = ((i * 37).remainder(256) - 128).to(type);
    else
        v = (i * 1001 - 5000).to(type);
    return v.reshape(shape);
}

std::map<std::string, std::pair<std::string, std::vector<int64_t>>> wanted() {
    std::map<std::string, std::pair<std::string, std::vector<int64_t>>> all;
    for (const auto& [dtype, shape] : kShapes)
        all["t." + dtype] = {dtype, shape};
    all["scalar.F32"] = {"F32", {}};
    all["empty.I64"] = {"I64", {0, 4}};
    return all;
}

bool sameBytes(const at::Tensor& a, const at::Tensor& b) {
    if (a.scalar_type() != b.scalar_type() || a.sizes() != b.sizes())
        return false;
    const at::Tensor ca = a.contiguous(), cb = b.contiguous();
    return ca.nbytes() == 0 || std::memcmp(ca.data_ptr(), cb.data_ptr(), ca.nbytes()) == 0;
}

} // namespace

class TestSafetensorsPython : public QObject {
    Q_OBJECT

private:
    // Runs the script in a mode; returns its stdout, failing the test on a non-zero exit.
    QString runScript(const QString& mode, const fs::path& file) {
        QProcess python;
        python.start(kPython, {QString::fromStdString((m_dir / "st.py").string()), mode,
                               QString::fromStdString(file.string())});
        if (!python.waitForFinished(120000))
            return "timed out: " + python.errorString();
        const QString out = QString::fromUtf8(python.readAllStandardOutput());
        const QString err = QString::fromUtf8(python.readAllStandardError());
        if (python.exitStatus() != QProcess::NormalExit || python.exitCode() != 0)
            return "python failed: " + err;
        return out.trimmed();
    }

    test::ScratchDir m_dir;

private slots:
    void initTestCase() {
        if (!fs::exists(kPython))
            QSKIP("no /usr/bin/python3 (Debian's python3-torch is needed for this test)");
        QProcess probe;
        probe.start(kPython, {"-c", "import torch"});
        QVERIFY(probe.waitForFinished(120000));
        if (probe.exitCode() != 0)
            QSKIP("/usr/bin/python3 has no torch module (install python3-torch)");
        test::writeText(m_dir / "st.py", kScript);
    }

    void pythonReadsOurFile() {
        std::map<std::string, at::Tensor> tensors;
        for (const auto& [name, spec] : wanted())
            tensors[name] = expected(spec.first, spec.second);
        writeSafetensors(m_dir / "ours.safetensors", tensors,
                         {{"format", "pt"}, {"note", "w\xc3\xa9"}});
        QCOMPARE(runScript("check", m_dir / "ours.safetensors"), QString("checked 12 tensors"));
    }

    void weReadPythonsFile() {
        QCOMPARE(runScript("write", m_dir / "theirs.safetensors"), QString("wrote 12 tensors"));
        const SafetensorsFile file(m_dir / "theirs.safetensors");
        QVERIFY(file.dataOffset() % 2 == 1); // the script made the data section misaligned
        QCOMPARE(file.metadata().at("source"), std::string("python"));
        QCOMPARE(file.tensors().size(), wanted().size());
        for (const auto& [name, spec] : wanted()) {
            const TensorInfo& info = file.info(name);
            QCOMPARE(std::string(dtypeName(info.dtype)), spec.first);
            QVERIFY2(sameBytes(file.load(name), expected(spec.first, spec.second)), name.c_str());
        }
    }
};

QTEST_GUILESS_MAIN(TestSafetensorsPython)
#include "test_safetensors_python.moc"
