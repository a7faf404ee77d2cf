#include "model/safetensors_file.h"

#include "common/error.h"

#include <torch/torch.h>

#include <algorithm>
#include <cstring>

// The format stores little-endian bytes and the loader hands them to LibTorch unchanged.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "safetensors I/O assumes little-endian");

namespace rd::model {

SafetensorsFile::SafetensorsFile(const std::filesystem::path& path)
    : m_file(std::make_shared<const MappedFile>(path)) {
    m_header = std::make_shared<const SafetensorsHeader>(
        parseSafetensorsHeader(m_file->data(), m_file->size(), path.string()));
}

const TensorInfo* SafetensorsFile::find(const std::string& name) const {
    const std::vector<TensorInfo>& all = m_header->tensors;
    const auto it =
        std::lower_bound(all.begin(), all.end(), name,
                         [](const TensorInfo& t, const std::string& n) { return t.name < n; });
    return it != all.end() && it->name == name ? &*it : nullptr;
}

const TensorInfo& SafetensorsFile::info(const std::string& name) const {
    if (const TensorInfo* found = find(name))
        return *found;
    throw Error(ErrorKind::NotFound, path().string() + ": no tensor named '" + name + "'");
}

at::Tensor SafetensorsFile::mappedView(const TensorInfo& info) const {
    const bool isBool = info.dtype == DType::Bool;
    // Raw BOOL bytes go through uint8: LibTorch assumes a bool byte is 0 or 1, a file may not.
    const auto options =
        torch::TensorOptions().dtype(isBool ? torch::kUInt8 : toScalarType(info.dtype));
    if (info.numel() == 0)
        return torch::empty(info.shape, options.dtype(toScalarType(info.dtype)));
    const std::uint8_t* bytes = m_file->data() + m_header->dataOffset + info.dataBegin;
    torch::Tensor view;
    if (reinterpret_cast<std::uintptr_t>(bytes) % elementSize(info.dtype) == 0) {
        // The deleter holds the mapping, so the view stays valid however long it lives.
        std::shared_ptr<const MappedFile> keepAlive = m_file;
        view = torch::from_blob(
            const_cast<std::uint8_t*>(bytes), info.shape, [keepAlive](void*) {}, options);
    } else {
        // Writers that do not align (ours sorts by name, not by element size) leave some tensors
        // at odd addresses; LibTorch kernels may assume alignment, so copy those.
        view = torch::empty(info.shape, options);
        std::memcpy(view.data_ptr(), bytes, info.byteSize());
    }
    return isBool ? view.ne(0) : view;
}

at::Tensor SafetensorsFile::load(const std::string& name, c10::ScalarType dtype,
                                 c10::Device device) const {
    const TensorInfo& tensor = info(name);
    try {
        return mappedView(tensor).to(device, dtype, /*non_blocking=*/false, /*copy=*/true);
    } catch (const c10::Error& e) {
        throw Error(ErrorKind::InvalidArgument, path().string() + ": tensor '" + name +
                                                    "': cannot load as " + c10::toString(dtype) +
                                                    " on " + device.str() + ": " +
                                                    e.what_without_backtrace());
    }
}

at::Tensor SafetensorsFile::load(const std::string& name) const {
    return load(name, toScalarType(info(name).dtype), torch::kCPU);
}

void SafetensorsFile::copyInto(const std::string& name, const at::Tensor& destination) const {
    const TensorInfo& tensor = info(name);
    if (!destination.defined())
        throw Error(ErrorKind::InvalidArgument,
                    path().string() + ": tensor '" + name + "': destination tensor is undefined");
    if (destination.sizes().vec() != tensor.shape)
        throw Error(ErrorKind::Format, path().string() + ": tensor '" + name + "' has shape " +
                                           shapeToString(tensor.shape) +
                                           " but the destination has " +
                                           shapeToString(destination.sizes().vec()));
    torch::NoGradGuard noGrad;
    try {
        destination.copy_(mappedView(tensor));
    } catch (const c10::Error& e) {
        throw Error(ErrorKind::InvalidArgument,
                    path().string() + ": tensor '" + name +
                        "': cannot copy into the destination: " + e.what_without_backtrace());
    }
}

} // namespace rd::model
