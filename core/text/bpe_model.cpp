#include "text/bpe_model.h"

#include "common/error.h"
#include "text/unicode_text.h"

#include <queue>

namespace rd::text {

namespace {

// Long words are rare and would crowd the cache out; the cap bounds its memory.
constexpr size_t kMaxCachedWordBytes = 64;
constexpr size_t kMaxCacheEntries = 1 << 18;
// Ids index a table here and embedding rows in the model: a larger one is a corrupt file.
constexpr int32_t kMaxTokenId = 1 << 24;

struct Symbol {
    int32_t id;
    int prev;
    int next;
    bool alive;
};

struct Candidate {
    int32_t rank;
    int position;
    bool operator>(const Candidate& other) const {
        return rank != other.rank ? rank > other.rank : position > other.position;
    }
};

} // namespace

BpeModel::BpeModel(BpeVocab vocab, const BpeMerges& merges, BpeModelOptions options,
                   const std::function<std::string(size_t)>& describeMerge)
    : m_vocab(std::move(vocab)), m_options(options) {
    int32_t maxId = -1;
    for (const auto& [token, id] : m_vocab) {
        if (id < 0)
            throw Error(ErrorKind::Format,
                        "vocabulary: token '" + token + "' has negative id " + std::to_string(id));
        if (id > kMaxTokenId)
            throw Error(ErrorKind::Format, "vocabulary: token '" + token + "' has id " +
                                               std::to_string(id) + ", implausibly large");
        maxId = std::max(maxId, id);
    }
    m_tokens.resize(static_cast<size_t>(maxId + 1));
    m_hasToken.assign(m_tokens.size(), false);
    for (const auto& [token, id] : m_vocab) {
        if (m_hasToken[id])
            throw Error(ErrorKind::Format, "vocabulary: id " + std::to_string(id) +
                                               " is given to both '" + m_tokens[id] + "' and '" +
                                               token + "'");
        m_tokens[id] = token;
        m_hasToken[id] = true;
    }
    m_merges.reserve(merges.size());
    for (size_t rank = 0; rank < merges.size(); ++rank) {
        const auto& [left, right] = merges[rank];
        const auto requireToken = [&](const std::string& token) {
            auto found = m_vocab.find(token);
            if (found == m_vocab.end())
                throw Error(ErrorKind::Format, describeMerge(rank) + ": merge '" + left + " " +
                                                   right + "' refers to unknown token '" + token +
                                                   "'");
            return found->second;
        };
        const int32_t leftId = requireToken(left), rightId = requireToken(right);
        const int32_t mergedId = requireToken(left + right);
        // A repeated merge keeps its first (lowest) rank, like Hugging Face's.
        m_merges.emplace(pairKey(leftId, rightId), Merge{static_cast<int32_t>(rank), mergedId});
    }
}

const BpeModel::Merge* BpeModel::findMerge(int32_t left, int32_t right) const {
    auto found = m_merges.find(pairKey(left, right));
    return found == m_merges.end() ? nullptr : &found->second;
}

void BpeModel::applyMerges(std::string_view word, std::vector<int32_t>& out) const {
    if (m_options.ignoreMerges) {
        if (auto whole = tokenToId(word)) {
            out.push_back(*whole);
            return;
        }
    }
    std::vector<Symbol> symbols;
    symbols.reserve(word.size());
    for (size_t i = 0; i < word.size();) {
        size_t length =
            std::min(utf8SequenceLength(static_cast<unsigned char>(word[i])), word.size() - i);
        auto found = m_vocab.find(std::string(word.substr(i, length)));
        i += length;
        int32_t id = -1;
        if (found != m_vocab.end())
            id = found->second;
        else if (m_options.unkId)
            id = *m_options.unkId;
        else
            continue;
        const int index = static_cast<int>(symbols.size());
        symbols.push_back({id, index - 1, index + 1, true});
    }
    if (symbols.empty())
        return;
    symbols.back().next = -1;

    std::priority_queue<Candidate, std::vector<Candidate>, std::greater<Candidate>> queue;
    for (size_t i = 0; i + 1 < symbols.size(); ++i)
        if (const Merge* merge = findMerge(symbols[i].id, symbols[i + 1].id))
            queue.push({merge->rank, static_cast<int>(i)});
    while (!queue.empty()) {
        const Candidate top = queue.top();
        queue.pop();
        Symbol& left = symbols[top.position];
        if (!left.alive || left.next < 0)
            continue;
        Symbol& right = symbols[left.next];
        const Merge* merge = findMerge(left.id, right.id);
        if (!merge || merge->rank != top.rank)
            continue; // stale: a neighbour changed since this candidate was queued
        left.id = merge->merged;
        right.alive = false;
        left.next = right.next;
        if (left.next >= 0)
            symbols[left.next].prev = top.position;
        if (left.prev >= 0)
            if (const Merge* before = findMerge(symbols[left.prev].id, left.id))
                queue.push({before->rank, left.prev});
        if (left.next >= 0)
            if (const Merge* after = findMerge(left.id, symbols[left.next].id))
                queue.push({after->rank, top.position});
    }
    for (int i = 0; i >= 0; i = symbols[i].next)
        out.push_back(symbols[i].id);
}

void BpeModel::encodeWord(std::string_view word, std::vector<int32_t>& out) const {
    if (word.empty())
        return;
    const bool cacheable = word.size() <= kMaxCachedWordBytes;
    if (cacheable) {
        std::lock_guard<std::mutex> lock(m_cacheMutex);
        auto found = m_cache.find(std::string(word));
        if (found != m_cache.end()) {
            out.insert(out.end(), found->second.begin(), found->second.end());
            return;
        }
    }
    const size_t before = out.size();
    applyMerges(word, out);
    if (cacheable) {
        std::lock_guard<std::mutex> lock(m_cacheMutex);
        if (m_cache.size() >= kMaxCacheEntries)
            m_cache.clear();
        m_cache.emplace(std::string(word), std::vector<int32_t>(out.begin() + before, out.end()));
    }
}

std::optional<int32_t> BpeModel::tokenToId(std::string_view token) const {
    auto found = m_vocab.find(std::string(token));
    if (found == m_vocab.end())
        return std::nullopt;
    return found->second;
}

const std::string* BpeModel::idToToken(int32_t id) const {
    if (id < 0 || id >= static_cast<int32_t>(m_tokens.size()) || !m_hasToken[id])
        return nullptr;
    return &m_tokens[id];
}

} // namespace rd::text
