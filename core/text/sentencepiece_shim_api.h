// The C interface of rd_sentencepiece_shim, the module that wraps libsentencepiece.
//
// Why a separate module: Debian's libsentencepiece carries its own copy of protobuf-lite 3.14 and
// exports its symbols. In a process that also loads libprotobuf.so.32 (LibTorch, OpenCV's dnn)
// the two copies interpose on each other and the program crashes while loading. The shim is
// dlopen()ed with RTLD_LOCAL | RTLD_DEEPBIND, so libsentencepiece binds to its own copy and
// nothing else sees it. Only plain C types cross this boundary; variable-size results come back
// through sink callbacks, so no memory changes hands.
//
// Usage: see SentencePieceModel (sentencepiece_model.h), the only caller.
#pragma once

#include <stddef.h>

extern "C" {

struct RdSpModel;

typedef void (*RdSpIdSink)(void* context, const int* ids, size_t count);
typedef void (*RdSpTextSink)(void* context, const char* text, size_t size);

// Each function that can fail returns 0 on success, or writes a message to error (at most
// errorSize bytes, NUL-terminated) and returns -1.
struct RdSpApi {
    int version; // kRdSpApiVersion
    RdSpModel* (*load)(const char* bytes, size_t size, char* error, size_t errorSize);
    void (*release)(RdSpModel* model);
    int (*pieceCount)(const RdSpModel* model);
    // which: 0 unk, 1 bos, 2 eos, 3 pad; -1 when the model has none.
    int (*specialId)(const RdSpModel* model, int which);
    // Bit 1: control symbol, bit 2: unknown.
    int (*pieceKind)(const RdSpModel* model, int id);
    int (*pieceToId)(const RdSpModel* model, const char* piece, size_t size);
    void (*idToPiece)(const RdSpModel* model, int id, RdSpTextSink sink, void* context);
    int (*encode)(const RdSpModel* model, const char* text, size_t size, RdSpIdSink sink,
                  void* context, char* error, size_t errorSize);
    int (*decode)(const RdSpModel* model, const int* ids, size_t count, RdSpTextSink sink,
                  void* context, char* error, size_t errorSize);
};

// Exported by the shim under this name.
typedef const RdSpApi* (*RdSpApiEntry)(void);
}

inline constexpr int kRdSpApiVersion = 1;
inline constexpr const char* kRdSpApiEntryName = "rd_sentencepiece_api";
