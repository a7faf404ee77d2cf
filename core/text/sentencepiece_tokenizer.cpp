#include "text/sentencepiece_tokenizer.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "text/sentencepiece_proto.h"
#include "text/unicode_text.h"

#include <algorithm>

namespace rd::text {

namespace fs = std::filesystem;

SentencePieceTokenizer::SentencePieceTokenizer(const fs::path& modelPath,
                                               SentencePieceOptions options)
    : m_origin(modelPath.string()), m_options(std::move(options)) {
    const std::string model = readWholeFile(modelPath);
    m_processor = std::make_unique<SentencePieceModel>(model, m_origin);
    const int pieces = m_processor->pieceCount();

    std::vector<AddedToken> added = m_options.addedTokens;
    for (int id = 0; id < pieces; ++id)
        if (m_processor->isControl(id) || m_processor->isUnknown(id))
            added.push_back({m_processor->idToPiece(id), id, true});
    m_added = AddedTokens(std::move(added));

    const auto known = [&](int id) { return id >= 0 ? std::optional<int32_t>(id) : std::nullopt; };
    m_special.bos = known(m_processor->bosId());
    m_special.eos = known(m_processor->eosId());
    m_special.pad = known(m_processor->padId());
    m_special.unk = known(m_processor->unkId());
    const auto override = [&](std::optional<int32_t>& slot,
                              const std::optional<std::string>& name) {
        if (name)
            if (auto id = tokenToId(*name))
                slot = id;
    };
    override(m_special.bos, m_options.bosToken);
    override(m_special.eos, m_options.eosToken);
    override(m_special.pad, m_options.padToken);

    if (!m_options.legacy) {
        m_continuation = std::make_unique<SentencePieceModel>(withoutDummyPrefix(model, m_origin),
                                                              m_origin + " (no dummy prefix)");
        m_unkPieceCount =
            m_continuation->encode(m_processor->idToPiece(m_processor->unkId())).size();
    }
}

SentencePieceTokenizer::~SentencePieceTokenizer() = default;

void SentencePieceTokenizer::encodeChunk(std::string_view chunk, bool atTextStart,
                                         std::vector<int32_t>& out) const {
    std::vector<int> ids;
    if (!m_continuation || atTextStart) {
        ids = m_processor->encode(chunk);
    } else if (!chunk.empty() && chunk.front() == ' ') {
        // transformers' trick for a leading space, which SentencePiece would otherwise drop:
        // encode behind the unk token's text and cut its pieces off again.
        const std::string unk = m_processor->idToPiece(m_processor->unkId());
        ids = m_continuation->encode(unk + std::string(chunk));
        ids.erase(ids.begin(), ids.begin() + std::min(m_unkPieceCount, ids.size()));
    } else {
        ids = m_continuation->encode(chunk);
    }
    out.insert(out.end(), ids.begin(), ids.end());
}

std::vector<int32_t> SentencePieceTokenizer::encode(std::string_view text,
                                                    AddSpecial addSpecial) const {
    requireUtf8(text, "text to encode");
    std::vector<TextSegment> segments;
    m_added.split(text, segments);
    std::vector<int32_t> ids;
    if (addSpecial == AddSpecial::Yes && m_options.addBos && m_special.bos)
        ids.push_back(*m_special.bos);
    for (size_t i = 0; i < segments.size(); ++i) {
        if (segments[i].id >= 0)
            ids.push_back(segments[i].id);
        else
            encodeChunk(segments[i].text, i == 0, ids);
    }
    if (addSpecial == AddSpecial::Yes && m_options.addEos && m_special.eos)
        ids.push_back(*m_special.eos);
    return ids;
}

void SentencePieceTokenizer::decodeRun(std::vector<int>& run, bool atTextStart,
                                       std::string& out) const {
    if (run.empty())
        return;
    const auto& processor = m_continuation && !atTextStart ? m_continuation : m_processor;
    out += processor->decode(run);
    run.clear();
}

std::string SentencePieceTokenizer::decode(const std::vector<int32_t>& ids,
                                           SkipSpecial skipSpecial) const {
    const int pieces = m_processor->pieceCount();
    std::string out;
    std::vector<int> run;
    bool runAtStart = true;
    for (size_t i = 0; i < ids.size(); ++i) {
        const int32_t id = ids[i];
        if (const AddedToken* added = m_added.byId(id)) {
            decodeRun(run, runAtStart, out);
            runAtStart = false;
            if (!(added->special && skipSpecial == SkipSpecial::Yes))
                out += added->content;
            continue;
        }
        if (id < 0 || id >= pieces)
            throw Error(ErrorKind::InvalidArgument, "decode: id " + std::to_string(id) +
                                                        " is not in the vocabulary of " + m_origin);
        run.push_back(id);
    }
    decodeRun(run, runAtStart, out);
    return repairUtf8(out);
}

std::optional<int32_t> SentencePieceTokenizer::tokenToId(std::string_view token) const {
    if (auto added = m_added.idOf(token))
        return added;
    const int id = m_processor->pieceToId(token);
    if (id == m_processor->unkId() && m_processor->idToPiece(id) != token)
        return std::nullopt;
    return id;
}

std::string SentencePieceTokenizer::idToToken(int32_t id) const {
    if (const AddedToken* added = m_added.byId(id))
        return added->content;
    if (id < 0 || id >= m_processor->pieceCount())
        throw Error(ErrorKind::InvalidArgument,
                    "id " + std::to_string(id) + " is not in the vocabulary of " + m_origin);
    return m_processor->idToPiece(id);
}

int32_t SentencePieceTokenizer::vocabSize() const {
    return std::max(m_processor->pieceCount() - 1, m_added.maxId()) + 1;
}

} // namespace rd::text
