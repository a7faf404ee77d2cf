// rd_sentencepiece_shim: libsentencepiece behind the C table of sentencepiece_shim_api.h. Built
// as a module with hidden visibility; only rd_sentencepiece_api is exported.
#include "text/sentencepiece_shim_api.h"

#include <sentencepiece_processor.h>

#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <vector>

struct RdSpModel {
    sentencepiece::SentencePieceProcessor processor;
};

namespace {

int fail(const std::string& message, char* error, size_t errorSize) {
    if (error && errorSize > 0) {
        const size_t length = std::min(message.size(), errorSize - 1);
        std::memcpy(error, message.data(), length);
        error[length] = '\0';
    }
    return -1;
}

RdSpModel* load(const char* bytes, size_t size, char* error, size_t errorSize) {
    try {
        auto model = std::make_unique<RdSpModel>();
        const auto status = model->processor.LoadFromSerializedProto(std::string_view(bytes, size));
        if (!status.ok()) {
            fail(status.ToString(), error, errorSize);
            return nullptr;
        }
        return model.release();
    } catch (const std::exception& e) {
        fail(e.what(), error, errorSize);
        return nullptr;
    }
}

void release(RdSpModel* model) {
    delete model;
}

int pieceCount(const RdSpModel* model) {
    return model->processor.GetPieceSize();
}

int specialId(const RdSpModel* model, int which) {
    const auto& p = model->processor;
    switch (which) {
    case 0:
        return p.unk_id();
    case 1:
        return p.bos_id();
    case 2:
        return p.eos_id();
    case 3:
        return p.pad_id();
    default:
        return -1;
    }
}

int pieceKind(const RdSpModel* model, int id) {
    return (model->processor.IsControl(id) ? 1 : 0) | (model->processor.IsUnknown(id) ? 2 : 0);
}

int pieceToId(const RdSpModel* model, const char* piece, size_t size) {
    return model->processor.PieceToId(std::string_view(piece, size));
}

void idToPiece(const RdSpModel* model, int id, RdSpTextSink sink, void* context) {
    const std::string& piece = model->processor.IdToPiece(id);
    sink(context, piece.data(), piece.size());
}

int encode(const RdSpModel* model, const char* text, size_t size, RdSpIdSink sink, void* context,
           char* error, size_t errorSize) {
    try {
        std::vector<int> ids;
        const auto status = model->processor.Encode(std::string_view(text, size), &ids);
        if (!status.ok())
            return fail(status.ToString(), error, errorSize);
        sink(context, ids.data(), ids.size());
        return 0;
    } catch (const std::exception& e) {
        return fail(e.what(), error, errorSize);
    }
}

int decode(const RdSpModel* model, const int* ids, size_t count, RdSpTextSink sink, void* context,
           char* error, size_t errorSize) {
    try {
        std::string text;
        const auto status = model->processor.Decode(std::vector<int>(ids, ids + count), &text);
        if (!status.ok())
            return fail(status.ToString(), error, errorSize);
        sink(context, text.data(), text.size());
        return 0;
    } catch (const std::exception& e) {
        return fail(e.what(), error, errorSize);
    }
}

const RdSpApi kApi = {kRdSpApiVersion, load,      release,   pieceCount, specialId,
                      pieceKind,       pieceToId, idToPiece, encode,     decode};

} // namespace

extern "C" __attribute__((visibility("default"))) const RdSpApi* rd_sentencepiece_api() {
    return &kApi;
}
