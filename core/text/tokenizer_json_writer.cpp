#include "text/tokenizer_json_writer.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "text/regex_splitter.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <ostream>

namespace rd::text {

namespace {

using Json = nlohmann::ordered_json;

Json byteLevelJson(const PreTokenizerStep& step) {
    return {{"type", "ByteLevel"},
            {"add_prefix_space", step.addPrefixSpace},
            {"trim_offsets", false},
            {"use_regex", !step.pattern.empty()}};
}

Json preTokenizerJson(const std::vector<PreTokenizerStep>& steps) {
    Json list = Json::array();
    for (const PreTokenizerStep& step : steps) {
        if (step.kind == PreTokenizerStep::Kind::ByteLevel) {
            if (!step.pattern.empty() && step.pattern != kGpt2Pattern)
                throw Error(ErrorKind::Internal,
                            "a ByteLevel pre-tokenizer step can only carry GPT-2's pattern");
            list.push_back(byteLevelJson(step));
        } else {
            list.push_back({{"type", "Split"},
                            {"pattern", {{"Regex", step.pattern}}},
                            {"behavior", "Isolated"},
                            {"invert", false}});
        }
    }
    return list.size() == 1 ? list[0] : Json{{"type", "Sequence"}, {"pretokenizers", list}};
}

Json normalizerJson(NormalForm form) {
    switch (form) {
    case NormalForm::Nfc:
        return {{"type", "NFC"}};
    case NormalForm::Nfd:
        return {{"type", "NFD"}};
    case NormalForm::Nfkc:
        return {{"type", "NFKC"}};
    case NormalForm::Nfkd:
        return {{"type", "NFKD"}};
    case NormalForm::None:
        break;
    }
    return nullptr;
}

// The BOS/EOS around the text, as a TemplateProcessing; plain ByteLevel when there are none.
Json postProcessorJson(const BpeTokenizerSpec& spec,
                       const std::function<std::string(int32_t)>& tokenOf) {
    if (spec.prefixIds.empty() && spec.suffixIds.empty())
        return {{"type", "ByteLevel"},
                {"add_prefix_space", false},
                {"trim_offsets", false},
                {"use_regex", false}};
    Json single = Json::array(), pair = Json::array(), specials = Json::object();
    const auto add = [&](Json& list, int32_t id) {
        const std::string token = tokenOf(id);
        list.push_back({{"SpecialToken", {{"id", token}, {"type_id", 0}}}});
        specials[token] = {{"id", token}, {"ids", {id}}, {"tokens", {token}}};
    };
    for (const char* sequence : {"A", "B"}) {
        Json& list = sequence[0] == 'A' ? single : pair;
        for (int32_t id : spec.prefixIds)
            add(list, id);
        list.push_back({{"Sequence", {{"id", sequence}, {"type_id", 0}}}});
        for (int32_t id : spec.suffixIds)
            add(list, id);
    }
    // A pair is the first sequence's template followed by the second's.
    Json fullPair = single;
    for (const auto& item : pair)
        fullPair.push_back(item);
    return {{"type", "TemplateProcessing"},
            {"single", single},
            {"pair", fullPair},
            {"special_tokens", specials}};
}

} // namespace

void writeTokenizerJson(const std::filesystem::path& path, const BpeTokenizerSpec& spec) {
    std::vector<std::pair<std::string, int32_t>> vocab(spec.vocab.begin(), spec.vocab.end());
    std::sort(vocab.begin(), vocab.end(),
              [](const auto& a, const auto& b) { return a.second < b.second; });
    Json vocabJson = Json::object();
    // ordered_json's operator[] searches linearly; appending keeps 150k tokens linear. Tokens are
    // unique (they are map keys), so no duplicate keys arise.
    auto& vocabEntries = vocabJson.get_ref<Json::object_t&>();
    vocabEntries.reserve(vocab.size());
    for (const auto& [token, id] : vocab)
        vocabEntries.emplace_back(token, id);
    Json merges = Json::array();
    for (const auto& [left, right] : spec.merges)
        merges.push_back(left + " " + right); // the form every tokenizers version reads
    Json added = Json::array();
    for (const AddedToken& token : spec.addedTokens)
        added.push_back({{"id", token.id},
                         {"content", token.content},
                         {"single_word", false},
                         {"lstrip", token.lstrip},
                         {"rstrip", token.rstrip},
                         {"normalized", token.normalized},
                         {"special", token.special}});
    const auto tokenOf = [&](int32_t id) {
        for (const AddedToken& token : spec.addedTokens)
            if (token.id == id)
                return token.content;
        for (const auto& [token, tokenId] : vocab)
            if (tokenId == id)
                return token;
        throw Error(ErrorKind::Internal,
                    "post-processor id " + std::to_string(id) + " is not in the vocabulary");
    };
    PreTokenizerStep decoder;
    decoder.kind = PreTokenizerStep::Kind::ByteLevel;

    Json root;
    root["version"] = "1.0";
    root["truncation"] = nullptr;
    root["padding"] = nullptr;
    root["added_tokens"] = added;
    root["normalizer"] = normalizerJson(spec.normalForm);
    root["pre_tokenizer"] = preTokenizerJson(spec.preTokenizer);
    root["post_processor"] = postProcessorJson(spec, tokenOf);
    root["decoder"] = byteLevelJson(decoder);
    root["model"] = {{"type", "BPE"},
                     {"dropout", nullptr},
                     {"unk_token", spec.unkToken ? Json(*spec.unkToken) : Json(nullptr)},
                     {"continuing_subword_prefix", nullptr},
                     {"end_of_word_suffix", nullptr},
                     {"fuse_unk", false},
                     {"byte_fallback", false},
                     {"ignore_merges", spec.ignoreMerges},
                     {"vocab", vocabJson},
                     {"merges", merges}};
    std::string text;
    try {
        text = root.dump(2, ' ', false, Json::error_handler_t::strict);
    } catch (const nlohmann::json::type_error& e) {
        throw Error(ErrorKind::InvalidArgument,
                    path.string() + ": a token is not valid UTF-8 (" + e.what() + ")");
    }
    writeFileAtomically(path, [&](std::ostream& out) { out << text << "\n"; });
}

} // namespace rd::text
