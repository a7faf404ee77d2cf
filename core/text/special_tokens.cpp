#include "text/special_tokens.h"

#include <initializer_list>

namespace rd::text {

namespace {

std::optional<int32_t> pick(const HfTokenizerConfig& config, const std::optional<std::string>& name,
                            std::initializer_list<const char*> conventional,
                            const TokenLookup& idOf) {
    if (config.found)
        return name ? idOf(*name) : std::nullopt;
    for (const char* candidate : conventional)
        if (auto id = idOf(candidate))
            return id;
    return std::nullopt;
}

} // namespace

TokenLookup bpeTokenLookup(const AddedTokens& added, const BpeVocab& vocab) {
    return [&added, &vocab](std::string_view token) -> std::optional<int32_t> {
        if (auto id = added.idOf(token))
            return id;
        auto found = vocab.find(std::string(token));
        return found == vocab.end() ? std::nullopt : std::optional<int32_t>(found->second);
    };
}

SpecialTokenIds resolveSpecialIds(const HfTokenizerConfig& config, const TokenLookup& idOf) {
    SpecialTokenIds ids;
    ids.bos = pick(config, config.bosToken, {"<s>", "<|begin_of_text|>", "<bos>"}, idOf);
    ids.eos =
        pick(config, config.eosToken, {"</s>", "<|endoftext|>", "<|end_of_text|>", "<eos>"}, idOf);
    ids.pad = pick(config, config.padToken, {"<pad>", "<|pad|>", "<|endoftext|>"}, idOf);
    ids.unk = pick(config, config.unkToken, {"<unk>"}, idOf);
    return ids;
}

} // namespace rd::text
