#include "text/hf_tokenizer_config.h"

#include "text/json_file.h"

#include <algorithm>
#include <climits>

namespace rd::text {

namespace fs = std::filesystem;

namespace {

// Special tokens are written either as "<s>" or as {"content": "<s>", ...}.
std::optional<std::string> tokenText(const JsonField& field) {
    if (field.isNull())
        return std::nullopt;
    if (field.value().is_object())
        return field.child("content").requireString();
    return field.requireString();
}

int32_t tokenId(const JsonField& field, int64_t id) {
    if (id < 0 || id > INT32_MAX)
        field.fail("id " + std::to_string(id) + " is out of range");
    return static_cast<int32_t>(id);
}

std::vector<AddedToken> readAddedTokensDecoder(const JsonField& decoder) {
    std::vector<AddedToken> tokens;
    for (const auto& [key, value] : decoder.requireObject().items()) {
        (void)value;
        const JsonField entry = decoder.child(key);
        int64_t id = 0;
        try {
            size_t used = 0;
            id = std::stoll(key, &used);
            if (used != key.size())
                throw std::invalid_argument(key);
        } catch (const std::exception&) {
            entry.fail("key is not a token id");
        }
        AddedToken token;
        token.id = tokenId(entry, id);
        token.content = entry.child("content").requireString();
        token.special = entry.child("special").boolOr(false);
        token.lstrip = entry.child("lstrip").boolOr(false);
        token.rstrip = entry.child("rstrip").boolOr(false);
        token.normalized = entry.child("normalized").boolOr(false);
        tokens.push_back(std::move(token));
    }
    // JSON objects have no order; ids give the one Hugging Face lists them in.
    std::sort(tokens.begin(), tokens.end(),
              [](const AddedToken& a, const AddedToken& b) { return a.id < b.id; });
    return tokens;
}

std::vector<AddedToken> readAddedTokensJson(const fs::path& path) {
    const nlohmann::json root = readJsonFile(path);
    const JsonField field = JsonField::root(root, path.string());
    std::vector<AddedToken> tokens;
    for (const auto& [content, value] : field.requireObject().items()) {
        (void)value;
        AddedToken token;
        token.content = content;
        token.id = tokenId(field.child(content), field.child(content).requireInt());
        tokens.push_back(std::move(token));
    }
    std::sort(tokens.begin(), tokens.end(),
              [](const AddedToken& a, const AddedToken& b) { return a.id < b.id; });
    return tokens;
}

} // namespace

HfTokenizerConfig readHfTokenizerConfig(const fs::path& folder) {
    HfTokenizerConfig config;
    const fs::path configPath = folder / "tokenizer_config.json";
    if (fs::exists(configPath)) {
        config.found = true;
        const nlohmann::json root = readJsonFile(configPath);
        const JsonField field = JsonField::root(root, configPath.string());
        field.requireObject();
        if (!field.child("added_tokens_decoder").isNull())
            config.addedTokens = readAddedTokensDecoder(field.child("added_tokens_decoder"));
        config.bosToken = tokenText(field.child("bos_token"));
        config.eosToken = tokenText(field.child("eos_token"));
        config.padToken = tokenText(field.child("pad_token"));
        config.unkToken = tokenText(field.child("unk_token"));
        const auto optionalBool = [&](const char* key) -> std::optional<bool> {
            const JsonField flag = field.child(key);
            if (flag.isNull())
                return std::nullopt;
            return flag.boolOr(false);
        };
        config.addBosToken = optionalBool("add_bos_token");
        config.addEosToken = optionalBool("add_eos_token");
        config.legacy = optionalBool("legacy");
    }
    const fs::path addedPath = folder / "added_tokens.json";
    if (config.addedTokens.empty() && fs::exists(addedPath)) {
        config.addedTokens = readAddedTokensJson(addedPath);
        for (AddedToken& token : config.addedTokens)
            token.special = true;
    }
    return config;
}

} // namespace rd::text
