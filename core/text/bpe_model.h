// The BPE model proper: a vocabulary and rank-ordered merges applied to one pre-tokenized word
// at a time (lowest rank first, leftmost first on ties, as Hugging Face's BPE does). Results are
// cached per word, because natural text repeats its words.
//
// Usage:
//   BpeModel model(vocab, merges, {}, describeMerge);
//   std::vector<int32_t> ids;
//   model.encodeWord(byteLevelEncode(" hello"), ids);
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace rd::text {

using BpeVocab = std::unordered_map<std::string, int32_t>;
using BpeMerges = std::vector<std::pair<std::string, std::string>>;

struct BpeModelOptions {
    // Id for characters the vocabulary lacks; without one they are dropped (Hugging Face's rule).
    std::optional<int32_t> unkId;
    // A word that is itself in the vocabulary is one token, whatever the merges say (Llama 3).
    bool ignoreMerges = false;
};

class BpeModel {
public:
    // Throws rd::Error(Format) when a merge refers to a token the vocabulary lacks, or when the
    // vocabulary has a negative or repeated id; describeMerge(i) names merge i in the message
    // ("merges.txt:14", "tokenizer.json: model.merges[12]").
    BpeModel(BpeVocab vocab, const BpeMerges& merges, BpeModelOptions options,
             const std::function<std::string(size_t)>& describeMerge);

    // Appends the ids of one word, spelled in the vocabulary's alphabet. Thread-safe.
    void encodeWord(std::string_view word, std::vector<int32_t>& out) const;

    std::optional<int32_t> tokenToId(std::string_view token) const;
    // nullptr for an id no token has.
    const std::string* idToToken(int32_t id) const;
    int32_t maxId() const { return static_cast<int32_t>(m_tokens.size()) - 1; }

private:
    struct Merge {
        int32_t rank;
        int32_t merged;
    };
    static uint64_t pairKey(int32_t left, int32_t right) {
        return (static_cast<uint64_t>(static_cast<uint32_t>(left)) << 32) |
               static_cast<uint32_t>(right);
    }
    const Merge* findMerge(int32_t left, int32_t right) const;
    void applyMerges(std::string_view word, std::vector<int32_t>& out) const;

    BpeVocab m_vocab;
    std::vector<std::string> m_tokens; // by id; empty where no token has the id
    std::vector<bool> m_hasToken;
    std::unordered_map<uint64_t, Merge> m_merges;
    BpeModelOptions m_options;

    mutable std::mutex m_cacheMutex;
    mutable std::unordered_map<std::string, std::vector<int32_t>> m_cache;
};

} // namespace rd::text
