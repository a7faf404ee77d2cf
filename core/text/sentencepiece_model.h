// A SentencePiece model, used through rd_sentencepiece_shim (see sentencepiece_shim_api.h for
// why libsentencepiece is kept in a module of its own). The module is found through the
// RD_SENTENCEPIECE_SHIM environment variable, else in the build tree, else where it is installed.
//
// Usage:
//   SentencePieceModel model(readWholeFile("tokenizer.model"), "tokenizer.model");
//   std::vector<int> ids = model.encode("hello world");
#pragma once

#include <string>
#include <string_view>
#include <vector>

struct RdSpModel;
struct RdSpApi;

namespace rd::text {

class SentencePieceModel {
public:
    // Throws rd::Error(Format) naming origin when the bytes are not a SentencePiece model, and
    // rd::Error(Unsupported) when the shim module cannot be loaded.
    SentencePieceModel(std::string_view serialized, const std::string& origin);
    ~SentencePieceModel();
    SentencePieceModel(const SentencePieceModel&) = delete;
    SentencePieceModel& operator=(const SentencePieceModel&) = delete;

    std::vector<int> encode(std::string_view text) const;
    std::string decode(const std::vector<int>& ids) const;

    int pieceCount() const { return m_pieceCount; }
    // -1 when the model has none.
    int unkId() const;
    int bosId() const;
    int eosId() const;
    int padId() const;
    bool isControl(int id) const;
    bool isUnknown(int id) const;
    // The unk id for an unknown piece, as SentencePiece answers.
    int pieceToId(std::string_view piece) const;
    std::string idToPiece(int id) const;

private:
    const RdSpApi* m_api;
    RdSpModel* m_model = nullptr;
    std::string m_origin;
    int m_pieceCount = 0;
};

} // namespace rd::text
