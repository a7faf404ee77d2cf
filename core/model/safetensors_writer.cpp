#include "model/safetensors_writer.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "model/safetensors_dtype.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <cstdint>
#include <ostream>
#include <vector>

namespace rd::model {

namespace {

using OrderedJson = nlohmann::ordered_json;

struct PlannedTensor {
    const std::string* name;
    const at::Tensor* tensor;
    std::uint64_t bytes;
};

std::vector<PlannedTensor> planTensors(const std::filesystem::path& path,
                                       const std::map<std::string, at::Tensor>& tensors) {
    std::vector<PlannedTensor> plan;
    for (const auto& [name, tensor] : tensors) {
        const std::string where = path.string() + ": tensor '" + name + "'";
        if (name.empty() || name == "__metadata__")
            throw Error(ErrorKind::InvalidArgument,
                        path.string() + ": '" + name + "' cannot be a tensor name");
        if (!tensor.defined())
            throw Error(ErrorKind::InvalidArgument, where + " is undefined");
        if (tensor.layout() != c10::kStrided)
            throw Error(ErrorKind::Unsupported, where + " is not a dense tensor");
        const DType dtype = dtypeOf(tensor.scalar_type(), where);
        plan.push_back(
            {&name, &tensor, static_cast<std::uint64_t>(tensor.numel()) * elementSize(dtype)});
    }
    return plan;
}

// The JSON header, padded with spaces so the data section starts 8-byte aligned.
std::string makeHeader(const std::filesystem::path& path, const std::vector<PlannedTensor>& plan,
                       const std::map<std::string, std::string>& metadata) {
    OrderedJson header = OrderedJson::object();
    if (!metadata.empty())
        header["__metadata__"] = metadata;
    std::uint64_t offset = 0;
    for (const PlannedTensor& planned : plan) {
        OrderedJson entry = OrderedJson::object();
        entry["dtype"] = dtypeName(dtypeOf(planned.tensor->scalar_type(), *planned.name));
        entry["shape"] = planned.tensor->sizes().vec();
        entry["data_offsets"] = {offset, offset + planned.bytes};
        header[*planned.name] = std::move(entry);
        offset += planned.bytes;
    }
    std::string text;
    try {
        text = header.dump();
    } catch (const OrderedJson::exception& e) {
        throw Error(ErrorKind::InvalidArgument,
                    path.string() + ": a tensor name or metadata text is not UTF-8: " + e.what());
    }
    text.append((8 - text.size() % 8) % 8, ' ');
    return text;
}

void writeLittleEndian64(std::ostream& out, std::uint64_t value) {
    char bytes[8];
    for (char& byte : bytes) {
        byte = static_cast<char>(value & 0xff);
        value >>= 8;
    }
    out.write(bytes, sizeof bytes);
}

} // namespace

void writeSafetensors(const std::filesystem::path& path,
                      const std::map<std::string, at::Tensor>& tensors,
                      const std::map<std::string, std::string>& metadata) {
    const std::vector<PlannedTensor> plan = planTensors(path, tensors);
    const std::string header = makeHeader(path, plan, metadata);
    writeFileAtomically(path, [&](std::ostream& out) {
        writeLittleEndian64(out, header.size());
        out.write(header.data(), static_cast<std::streamsize>(header.size()));
        for (const PlannedTensor& planned : plan) {
            if (planned.bytes == 0)
                continue;
            torch::Tensor cpu;
            try {
                cpu = planned.tensor->to(torch::kCPU).contiguous();
            } catch (const c10::Error& e) {
                throw Error(ErrorKind::Io,
                            path.string() + ": tensor '" + *planned.name +
                                "': cannot copy to the CPU: " + e.what_without_backtrace());
            }
            out.write(static_cast<const char*>(cpu.data_ptr()),
                      static_cast<std::streamsize>(planned.bytes));
        }
    });
}

} // namespace rd::model
