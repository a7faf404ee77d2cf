#include "text/byte_level_bpe_tokenizer.h"

#include "common/error.h"
#include "text/byte_level.h"
#include "text/unicode_text.h"

#include <algorithm>

namespace rd::text {

ByteLevelBpeTokenizer::ByteLevelBpeTokenizer(BpeTokenizerSpec spec)
    : m_spec(std::move(spec)), m_added(m_spec.addedTokens) {
    const std::string& origin = m_spec.origin;
    if (m_spec.preTokenizer.empty() ||
        m_spec.preTokenizer.back().kind != PreTokenizerStep::Kind::ByteLevel)
        throw Error(ErrorKind::Unsupported,
                    origin + ": pre_tokenizer: a byte-level BPE needs ByteLevel as its last step");
    for (size_t i = 0; i < m_spec.preTokenizer.size(); ++i) {
        const PreTokenizerStep& step = m_spec.preTokenizer[i];
        Step compiled;
        compiled.addPrefixSpace = step.addPrefixSpace;
        if (!step.pattern.empty())
            compiled.splitter = std::make_unique<RegexSplitter>(
                step.pattern, origin + ": pre_tokenizer step " + std::to_string(i));
        m_steps.push_back(std::move(compiled));
    }
    BpeModelOptions options;
    options.ignoreMerges = m_spec.ignoreMerges;
    if (m_spec.unkToken) {
        auto found = m_spec.vocab.find(*m_spec.unkToken);
        if (found == m_spec.vocab.end())
            throw Error(ErrorKind::Format, origin + ": model.unk_token '" + *m_spec.unkToken +
                                               "' is not in the vocabulary");
        options.unkId = found->second;
    }
    try {
        m_model = std::make_unique<BpeModel>(m_spec.vocab, m_spec.merges, options, [&](size_t i) {
            return m_spec.describeMerge ? m_spec.describeMerge(i)
                                        : origin + ": merge " + std::to_string(i);
        });
    } catch (const Error& e) {
        // BpeModel names the merge; vocabulary problems need the file as well.
        const std::string message = e.what();
        throw Error(e.kind(), message.rfind(origin, 0) == 0 ? message : origin + ": " + message);
    }
}

ByteLevelBpeTokenizer::~ByteLevelBpeTokenizer() = default;

void ByteLevelBpeTokenizer::splitPieces(std::string_view text, std::deque<std::string>& storage,
                                        std::vector<std::string_view>& pieces) const {
    // storage owns the pieces a prefix space changed; a deque never moves its elements, so the
    // views into them stay valid as it grows.
    pieces.assign(1, text);
    std::vector<std::string_view> next;
    for (const Step& step : m_steps) {
        if (step.addPrefixSpace) {
            for (std::string_view& piece : pieces)
                if (!piece.empty() && piece.front() != ' ') {
                    storage.push_back(" " + std::string(piece));
                    piece = storage.back();
                }
        }
        if (!step.splitter)
            continue;
        next.clear();
        for (std::string_view piece : pieces)
            step.splitter->split(piece, next);
        pieces.swap(next);
    }
}

void ByteLevelBpeTokenizer::encodeText(std::string_view text, std::vector<int32_t>& out) const {
    const std::string normalized = normalizeUnicode(text, m_spec.normalForm);
    std::deque<std::string> storage;
    std::vector<std::string_view> pieces;
    splitPieces(normalized, storage, pieces);
    for (std::string_view piece : pieces)
        m_model->encodeWord(byteLevelEncode(piece), out);
}

std::vector<int32_t> ByteLevelBpeTokenizer::encode(std::string_view text,
                                                   AddSpecial addSpecial) const {
    requireUtf8(text, "text to encode");
    std::vector<TextSegment> segments;
    m_added.split(text, segments);
    std::vector<int32_t> ids;
    ids.reserve(text.size() / 3 + 4);
    if (addSpecial == AddSpecial::Yes)
        ids.insert(ids.end(), m_spec.prefixIds.begin(), m_spec.prefixIds.end());
    for (const TextSegment& segment : segments) {
        if (segment.id >= 0)
            ids.push_back(segment.id);
        else
            encodeText(segment.text, ids);
    }
    if (addSpecial == AddSpecial::Yes)
        ids.insert(ids.end(), m_spec.suffixIds.begin(), m_spec.suffixIds.end());
    return ids;
}

std::vector<std::string> ByteLevelBpeTokenizer::preTokenize(std::string_view text) const {
    requireUtf8(text, "text to pre-tokenize");
    const std::string normalized = normalizeUnicode(text, m_spec.normalForm);
    std::deque<std::string> storage;
    std::vector<std::string_view> pieces;
    splitPieces(normalized, storage, pieces);
    return std::vector<std::string>(pieces.begin(), pieces.end());
}

std::string ByteLevelBpeTokenizer::decode(const std::vector<int32_t>& ids,
                                          SkipSpecial skipSpecial) const {
    std::string bytes;
    std::string spelled; // model tokens waiting to be mapped back to bytes
    for (int32_t id : ids) {
        if (const AddedToken* added = m_added.byId(id)) {
            bytes += byteLevelDecode(spelled);
            spelled.clear();
            if (!(added->special && skipSpecial == SkipSpecial::Yes))
                bytes += added->content;
            continue;
        }
        const std::string* token = m_model->idToToken(id);
        if (!token)
            throw Error(ErrorKind::InvalidArgument, "decode: id " + std::to_string(id) +
                                                        " is not in the vocabulary of " +
                                                        m_spec.origin);
        spelled += *token;
    }
    bytes += byteLevelDecode(spelled);
    return repairUtf8(bytes);
}

std::optional<int32_t> ByteLevelBpeTokenizer::tokenToId(std::string_view token) const {
    if (auto added = m_added.idOf(token))
        return added;
    return m_model->tokenToId(token);
}

std::string ByteLevelBpeTokenizer::idToToken(int32_t id) const {
    if (const AddedToken* added = m_added.byId(id))
        return added->content;
    if (const std::string* token = m_model->idToToken(id))
        return *token;
    throw Error(ErrorKind::InvalidArgument,
                "id " + std::to_string(id) + " is not in the vocabulary of " + m_spec.origin);
}

int32_t ByteLevelBpeTokenizer::vocabSize() const {
    return std::max(m_model->maxId(), m_added.maxId()) + 1;
}

} // namespace rd::text
