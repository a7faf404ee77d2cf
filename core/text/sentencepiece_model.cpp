#include "text/sentencepiece_model.h"

#include "common/error.h"
#include "text/sentencepiece_shim_api.h"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

namespace rd::text {

namespace {

// RTLD_DEEPBIND keeps libsentencepiece on its own protobuf; AddressSanitizer refuses it, so
// sanitized builds load the module plainly (and must not load libprotobuf beside it).
#ifdef RD_SP_NO_DEEPBIND
constexpr int kOpenFlags = RTLD_NOW | RTLD_LOCAL;
#else
constexpr int kOpenFlags = RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND;
#endif

const RdSpApi* loadApi() {
    std::vector<std::string> candidates;
    if (const char* overridePath = std::getenv("RD_SENTENCEPIECE_SHIM"))
        candidates.push_back(overridePath);
    // The build tree first, so a developer's build never picks up an older installed module.
    candidates.push_back(RD_SP_SHIM_BUILT);
    // Installed: beside the program's bin/ (a package may use another prefix than the build),
    // then the configured install location.
    std::error_code ec;
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec)
        candidates.push_back((exe.parent_path().parent_path() / RD_SP_SHIM_RELATIVE).string());
    candidates.push_back(RD_SP_SHIM_INSTALLED);
    std::string failures;
    for (const std::string& path : candidates) {
        void* handle = ::dlopen(path.c_str(), kOpenFlags);
        if (!handle) {
            failures += "\n  " + path + ": " + ::dlerror();
            continue;
        }
        auto entry = reinterpret_cast<RdSpApiEntry>(::dlsym(handle, kRdSpApiEntryName));
        const RdSpApi* api = entry ? entry() : nullptr;
        if (api && api->version == kRdSpApiVersion)
            return api; // stays loaded for the life of the process
        failures += "\n  " + path + ": not a compatible rd_sentencepiece_shim";
        ::dlclose(handle);
    }
    throw Error(ErrorKind::Unsupported,
                "SentencePiece support is unavailable: cannot load the shim module" + failures);
}

const RdSpApi& api() {
    static const RdSpApi* loaded = nullptr;
    static std::mutex mutex;
    std::lock_guard<std::mutex> lock(mutex);
    if (!loaded)
        loaded = loadApi(); // a failure is retried on the next call
    return *loaded;
}

struct ErrorBuffer {
    char text[512] = {0};
};

} // namespace

SentencePieceModel::SentencePieceModel(std::string_view serialized, const std::string& origin)
    : m_api(&api()), m_origin(origin) {
    ErrorBuffer error;
    m_model = m_api->load(serialized.data(), serialized.size(), error.text, sizeof error.text);
    if (!m_model)
        throw Error(ErrorKind::Format, origin + ": not a SentencePiece model: " + error.text);
    m_pieceCount = m_api->pieceCount(m_model);
    if (m_pieceCount <= 0)
        throw Error(ErrorKind::Format, origin + ": SentencePiece model without pieces");
}

SentencePieceModel::~SentencePieceModel() {
    if (m_model)
        m_api->release(m_model);
}

std::vector<int> SentencePieceModel::encode(std::string_view text) const {
    std::vector<int> ids;
    ErrorBuffer error;
    const auto sink = [](void* context, const int* data, size_t count) {
        static_cast<std::vector<int>*>(context)->assign(data, data + count);
    };
    if (m_api->encode(m_model, text.data(), text.size(), sink, &ids, error.text,
                      sizeof error.text) != 0)
        throw Error(ErrorKind::InvalidArgument, m_origin + ": encode failed: " + error.text);
    return ids;
}

std::string SentencePieceModel::decode(const std::vector<int>& ids) const {
    std::string text;
    ErrorBuffer error;
    const auto sink = [](void* context, const char* data, size_t size) {
        static_cast<std::string*>(context)->assign(data, size);
    };
    if (m_api->decode(m_model, ids.data(), ids.size(), sink, &text, error.text,
                      sizeof error.text) != 0)
        throw Error(ErrorKind::InvalidArgument, m_origin + ": decode failed: " + error.text);
    return text;
}

int SentencePieceModel::unkId() const {
    return m_api->specialId(m_model, 0);
}
int SentencePieceModel::bosId() const {
    return m_api->specialId(m_model, 1);
}
int SentencePieceModel::eosId() const {
    return m_api->specialId(m_model, 2);
}
int SentencePieceModel::padId() const {
    return m_api->specialId(m_model, 3);
}
bool SentencePieceModel::isControl(int id) const {
    return m_api->pieceKind(m_model, id) & 1;
}
bool SentencePieceModel::isUnknown(int id) const {
    return m_api->pieceKind(m_model, id) & 2;
}

int SentencePieceModel::pieceToId(std::string_view piece) const {
    return m_api->pieceToId(m_model, piece.data(), piece.size());
}

std::string SentencePieceModel::idToPiece(int id) const {
    std::string piece;
    const auto sink = [](void* context, const char* data, size_t size) {
        static_cast<std::string*>(context)->assign(data, size);
    };
    m_api->idToPiece(m_model, id, sink, &piece);
    return piece;
}

} // namespace rd::text
