#include "text/load_tokenizer.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "text/byte_level.h"
#include "text/byte_level_bpe_tokenizer.h"
#include "text/hf_tokenizer_config.h"
#include "text/sentencepiece_tokenizer.h"
#include "text/tokenizer_json_reader.h"
#include "text/vocab_merges_reader.h"

#include <algorithm>
#include <cstdio>
#include <fstream>

namespace rd::text {

namespace fs = std::filesystem;

namespace {

std::unique_ptr<Tokenizer> loadSentencePiece(const fs::path& model) {
    const fs::path folder = model.parent_path().empty() ? fs::path(".") : model.parent_path();
    const HfTokenizerConfig config = readHfTokenizerConfig(folder);
    SentencePieceOptions options;
    options.addedTokens = config.addedTokens;
    // Phi-3 ships a (SentencePiece-style) tokenizer.json; its added_tokens list the chat tokens
    // when tokenizer_config.json does not.
    if (options.addedTokens.empty() && fs::exists(folder / "tokenizer.json"))
        options.addedTokens = readTokenizerJsonAddedTokens(folder / "tokenizer.json");
    options.addBos = config.addBosToken.value_or(true);
    options.addEos = config.addEosToken.value_or(false);
    options.legacy = config.legacy.value_or(true);
    options.bosToken = config.bosToken;
    options.eosToken = config.eosToken;
    options.padToken = config.padToken;
    return std::make_unique<SentencePieceTokenizer>(model, std::move(options));
}

std::unique_ptr<Tokenizer> loadTokenizerJson(const fs::path& file) {
    return std::make_unique<ByteLevelBpeTokenizer>(readTokenizerJson(file));
}

std::unique_ptr<Tokenizer> loadVocabAndMerges(const fs::path& vocab) {
    const fs::path merges = vocab.parent_path() / "merges.txt";
    if (!fs::exists(merges))
        throw Error(ErrorKind::NotFound,
                    vocab.string() + ": needs merges.txt beside it (" + merges.string() + ")");
    return std::make_unique<ByteLevelBpeTokenizer>(readVocabAndMerges(vocab, merges));
}

std::unique_ptr<Tokenizer> loadFolder(const fs::path& folder) {
    const fs::path json = folder / "tokenizer.json", model = folder / "tokenizer.model",
                   vocab = folder / "vocab.json", merges = folder / "merges.txt";
    const bool hasJson = fs::exists(json);
    if (hasJson && isByteLevelTokenizerJson(json))
        return loadTokenizerJson(json);
    if (fs::exists(model))
        return loadSentencePiece(model);
    if (fs::exists(vocab) && fs::exists(merges))
        return loadVocabAndMerges(vocab);
    if (hasJson)
        return loadTokenizerJson(json); // reports why this tokenizer.json is not served
    throw Error(ErrorKind::NotFound, folder.string() +
                                         ": no tokenizer.json, tokenizer.model or vocab.json + "
                                         "merges.txt in this folder");
}

bool looksLikeJson(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    char c = 0;
    while (in.get(c))
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
            return c == '{';
    return false;
}

} // namespace

std::unique_ptr<Tokenizer> loadTokenizer(const fs::path& path) {
    std::error_code ec;
    if (fs::is_directory(path, ec))
        return loadFolder(path);
    if (!fs::exists(path, ec))
        throw Error(ErrorKind::NotFound, path.string() + ": no such file or folder");
    if (path.filename() == "vocab.json")
        return loadVocabAndMerges(path);
    if (path.extension() == ".json" || looksLikeJson(path))
        return loadTokenizerJson(path);
    return loadSentencePiece(path);
}

std::vector<unsigned char> bytesWithoutToken(const Tokenizer& tokenizer) {
    std::vector<unsigned char> missing;
    if (tokenizer.kindName() != "byte-level-bpe" || tokenizer.specialIds().unk)
        return missing;
    for (int byte = 0; byte < 256; ++byte) {
        const char raw = static_cast<char>(byte);
        if (!tokenizer.tokenToId(byteLevelEncode(std::string_view(&raw, 1))))
            missing.push_back(static_cast<unsigned char>(byte));
    }
    return missing;
}

void requireEncodable(const Tokenizer& tokenizer, std::string_view text, const std::string& where) {
    const std::vector<unsigned char> missing = bytesWithoutToken(tokenizer);
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (!std::binary_search(missing.begin(), missing.end(), byte))
            continue;
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02x", byte);
        throw Error(ErrorKind::Format,
                    where + ": the vocabulary has no token for byte " + hex + " (" +
                        std::to_string(missing.size()) +
                        " of the 256 byte tokens are missing), so that text would be dropped");
    }
}

} // namespace rd::text
