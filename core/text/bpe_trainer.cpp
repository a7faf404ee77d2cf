#include "text/bpe_trainer.h"

#include "common/error.h"
#include "text/added_tokens.h"
#include "text/byte_level.h"
#include "text/special_tokens.h"
#include "text/unicode_text.h"

#include <algorithm>
#include <queue>
#include <set>
#include <unordered_map>

namespace rd::text {

namespace {

uint64_t pairKey(int32_t left, int32_t right) {
    return (static_cast<uint64_t>(static_cast<uint32_t>(left)) << 32) |
           static_cast<uint32_t>(right);
}
int32_t leftOf(uint64_t key) {
    return static_cast<int32_t>(key >> 32);
}
int32_t rightOf(uint64_t key) {
    return static_cast<int32_t>(key & 0xFFFFFFFFu);
}

struct Word {
    std::vector<int32_t> symbols;
    int64_t count;
};

struct Candidate {
    int64_t count;
    uint64_t key;
    // The priority queue pops the largest: the highest count, then the smallest ids.
    bool operator<(const Candidate& other) const {
        return count != other.count ? count < other.count : key > other.key;
    }
};

// The merge loop over the corpus's words: pair counts kept up to date incrementally, a priority
// queue whose stale entries are re-queued with their current count when they surface (counts of
// existing pairs only ever fall, so the true best pair is never passed over).
class PairMerger {
public:
    explicit PairMerger(std::vector<Word> words) : m_words(std::move(words)) {
        for (uint32_t w = 0; w < m_words.size(); ++w) {
            const auto& symbols = m_words[w].symbols;
            for (size_t i = 0; i + 1 < symbols.size(); ++i)
                addPair(pairKey(symbols[i], symbols[i + 1]), m_words[w].count, w);
        }
        for (const auto& [key, count] : m_counts)
            m_queue.push({count, key});
    }

    // The next pair to merge, or false when none is seen minFrequency times.
    bool best(int64_t minFrequency, uint64_t& key) {
        while (!m_queue.empty()) {
            const Candidate top = m_queue.top();
            m_queue.pop();
            auto found = m_counts.find(top.key);
            const int64_t actual = found == m_counts.end() ? 0 : found->second;
            if (actual != top.count) {
                if (actual > 0)
                    m_queue.push({actual, top.key});
                continue;
            }
            if (actual < std::max<int64_t>(minFrequency, 1))
                return false;
            key = top.key;
            return true;
        }
        return false;
    }

    void merge(uint64_t key, int32_t mergedId) {
        const int32_t left = leftOf(key), right = rightOf(key);
        std::vector<uint32_t> words = std::move(m_where[key]);
        m_where.erase(key);
        std::sort(words.begin(), words.end());
        words.erase(std::unique(words.begin(), words.end()), words.end());
        std::set<uint64_t> created;
        for (uint32_t w : words) {
            auto& symbols = m_words[w].symbols;
            const int64_t count = m_words[w].count;
            for (size_t i = 0; i + 1 < symbols.size(); ++i) {
                if (symbols[i] != left || symbols[i + 1] != right)
                    continue;
                if (i > 0) {
                    addPair(pairKey(symbols[i - 1], left), -count, w);
                    created.insert(pairKey(symbols[i - 1], mergedId));
                    addPair(pairKey(symbols[i - 1], mergedId), count, w);
                }
                if (i + 2 < symbols.size()) {
                    addPair(pairKey(right, symbols[i + 2]), -count, w);
                    created.insert(pairKey(mergedId, symbols[i + 2]));
                    addPair(pairKey(mergedId, symbols[i + 2]), count, w);
                }
                addPair(key, -count, w);
                symbols[i] = mergedId;
                symbols.erase(symbols.begin() + static_cast<std::ptrdiff_t>(i) + 1);
            }
        }
        m_counts.erase(key);
        for (uint64_t pair : created) {
            auto found = m_counts.find(pair);
            if (found != m_counts.end() && found->second > 0)
                m_queue.push({found->second, pair});
        }
    }

private:
    void addPair(uint64_t key, int64_t delta, uint32_t word) {
        m_counts[key] += delta;
        if (delta > 0)
            m_where[key].push_back(word);
    }

    std::vector<Word> m_words;
    std::unordered_map<uint64_t, int64_t> m_counts;
    std::unordered_map<uint64_t, std::vector<uint32_t>> m_where; // may hold stale entries
    std::priority_queue<Candidate> m_queue;
};

} // namespace

std::vector<std::string> defaultSpecialTokens() {
    return {"<|endoftext|>", "<|im_start|>", "<|im_end|>", "<img>",  "</img>", "<IMG_CONTEXT>",
            "<quad>",        "</quad>",      "<ref>",      "</ref>", "<box>",  "</box>"};
}

BpeTrainer::BpeTrainer(BpeTrainerOptions options)
    : m_options(std::move(options)),
      m_splitter(std::make_unique<RegexSplitter>(kQwen2Pattern, "BPE trainer")) {
    std::set<std::string> seen;
    for (const std::string& token : m_options.specialTokens) {
        if (token.empty())
            throw Error(ErrorKind::InvalidArgument, "BPE trainer: empty special token");
        if (!seen.insert(token).second)
            throw Error(ErrorKind::InvalidArgument,
                        "BPE trainer: special token '" + token + "' given twice");
        requireUtf8(token, "BPE trainer: special token");
    }
    const int64_t floor = static_cast<int64_t>(m_options.specialTokens.size()) + 256;
    if (m_options.vocabSize < floor)
        throw Error(ErrorKind::InvalidArgument, "BPE trainer: vocabulary size " +
                                                    std::to_string(m_options.vocabSize) +
                                                    " is below the " + std::to_string(floor) +
                                                    " special and byte tokens it must hold");
}

BpeTrainer::~BpeTrainer() = default;

void BpeTrainer::addText(std::string_view document) {
    requireUtf8(document, "BPE trainer: corpus text");
    // Special tokens in the corpus stay whole: their characters teach the merges nothing.
    std::vector<AddedToken> specials;
    for (const std::string& token : m_options.specialTokens)
        specials.push_back({token, 0, true});
    std::vector<TextSegment> segments;
    AddedTokens(std::move(specials)).split(document, segments);
    std::vector<std::string_view> pieces;
    for (const TextSegment& segment : segments) {
        if (segment.id >= 0)
            continue;
        const std::string normalized = normalizeUnicode(segment.text, NormalForm::Nfc);
        pieces.clear();
        m_splitter->split(normalized, pieces);
        for (std::string_view piece : pieces)
            ++m_wordCounts[byteLevelEncode(piece)];
    }
}

BpeTokenizerSpec BpeTrainer::train() const {
    BpeTokenizerSpec spec;
    spec.origin = "trained BPE";
    spec.normalForm = NormalForm::Nfc;
    PreTokenizerStep split, byteLevel;
    split.pattern = kQwen2Pattern;
    byteLevel.kind = PreTokenizerStep::Kind::ByteLevel;
    spec.preTokenizer = {split, byteLevel};

    std::vector<std::string> tokens; // by id
    for (const std::string& special : m_options.specialTokens) {
        spec.addedTokens.push_back({special, static_cast<int32_t>(tokens.size()), true});
        tokens.push_back(special);
    }
    const auto firstByteId = static_cast<int32_t>(tokens.size());
    for (int b = 0; b < 256; ++b)
        tokens.push_back(byteLevelChar(static_cast<uint8_t>(b)));
    for (size_t id = 0; id < tokens.size(); ++id)
        spec.vocab.emplace(tokens[id], static_cast<int32_t>(id));

    std::vector<Word> words;
    words.reserve(m_wordCounts.size());
    for (const auto& [spelled, count] : m_wordCounts) {
        // The spelling is byte-level: recover the bytes to get one symbol per byte.
        Word word{{}, count};
        for (char byte : byteLevelDecode(spelled))
            word.symbols.push_back(firstByteId + static_cast<uint8_t>(byte));
        words.push_back(std::move(word));
    }
    PairMerger merger(std::move(words));
    const int64_t wanted = m_options.vocabSize - static_cast<int64_t>(tokens.size());
    uint64_t key = 0;
    while (static_cast<int64_t>(tokens.size()) < m_options.vocabSize &&
           merger.best(m_options.minFrequency, key)) {
        const std::string& left = tokens[leftOf(key)];
        const std::string& right = tokens[rightOf(key)];
        spec.merges.emplace_back(left, right);
        // Two different pairs can spell the same token ("a"+"bc", "ab"+"c"): it keeps one id.
        auto [slot, added] = spec.vocab.emplace(left + right, static_cast<int32_t>(tokens.size()));
        if (added)
            tokens.push_back(left + right);
        merger.merge(key, slot->second);
        if (m_options.progress &&
            !m_options.progress(static_cast<int64_t>(spec.merges.size()), wanted))
            throw Error(ErrorKind::Cancelled, "BPE training cancelled");
    }
    const AddedTokens added(spec.addedTokens);
    spec.special = resolveSpecialIds(HfTokenizerConfig{},
                                     [&](std::string_view token) { return added.idOf(token); });
    return spec;
}

} // namespace rd::text
