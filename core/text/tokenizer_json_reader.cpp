#include "text/tokenizer_json_reader.h"

#include "common/error.h"
#include "text/hf_tokenizer_config.h"
#include "text/json_file.h"
#include "text/regex_splitter.h"
#include "text/special_tokens.h"

#include <climits>

namespace rd::text {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void unsupported(const JsonField& field, const std::string& what) {
    throw Error(ErrorKind::Unsupported, field.where() + ": " + what + " is not supported");
}

int32_t readId(const JsonField& field) {
    const int64_t id = field.requireInt();
    if (id < 0 || id > INT32_MAX)
        field.fail("id " + std::to_string(id) + " is out of range");
    return static_cast<int32_t>(id);
}

std::vector<AddedToken> readAddedTokens(const JsonField& list) {
    std::vector<AddedToken> tokens;
    if (list.isNull())
        return tokens;
    const size_t count = list.requireArray().size();
    for (size_t i = 0; i < count; ++i) {
        const JsonField entry = list.at(i);
        entry.requireObject();
        AddedToken token;
        token.id = readId(entry.child("id"));
        token.content = entry.child("content").requireString();
        token.special = entry.child("special").boolOr(false);
        token.lstrip = entry.child("lstrip").boolOr(false);
        token.rstrip = entry.child("rstrip").boolOr(false);
        token.normalized = entry.child("normalized").boolOr(!token.special);
        tokens.push_back(std::move(token));
    }
    return tokens;
}

NormalForm readNormalizer(const JsonField& normalizer) {
    if (normalizer.isNull())
        return NormalForm::None;
    const std::string type = normalizer.child("type").requireString();
    if (type == "NFC")
        return NormalForm::Nfc;
    if (type == "NFD")
        return NormalForm::Nfd;
    if (type == "NFKC")
        return NormalForm::Nfkc;
    if (type == "NFKD")
        return NormalForm::Nfkd;
    if (type == "Sequence") {
        const JsonField list = normalizer.child("normalizers");
        const size_t count = list.requireArray().size();
        if (count == 0)
            return NormalForm::None;
        if (count == 1)
            return readNormalizer(list.at(0));
        unsupported(list, "a sequence of several normalizers");
    }
    unsupported(normalizer.child("type"), "normalizer '" + type + "'");
}

// A literal Split pattern ({"String": ...}) as a regex.
std::string escapeRegex(const std::string& literal) {
    std::string out;
    for (char c : literal) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                           (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80;
        if (!plain)
            out += '\\';
        out += c;
    }
    return out;
}

void readPreTokenizer(const JsonField& field, std::vector<PreTokenizerStep>& steps) {
    if (field.isNull())
        return;
    const std::string type = field.child("type").requireString();
    if (type == "Sequence") {
        const JsonField list = field.child("pretokenizers");
        const size_t count = list.requireArray().size();
        for (size_t i = 0; i < count; ++i)
            readPreTokenizer(list.at(i), steps);
        return;
    }
    if (!steps.empty() && steps.back().kind == PreTokenizerStep::Kind::ByteLevel)
        unsupported(field, "a pre-tokenizer step after ByteLevel");
    PreTokenizerStep step;
    if (type == "ByteLevel") {
        // Hugging Face's defaults: add_prefix_space and use_regex are true when absent.
        step.kind = PreTokenizerStep::Kind::ByteLevel;
        step.addPrefixSpace = field.child("add_prefix_space").boolOr(true);
        if (field.child("use_regex").boolOr(true))
            step.pattern = kGpt2Pattern;
    } else if (type == "Split") {
        const JsonField pattern = field.child("pattern");
        pattern.requireObject();
        if (!pattern.child("Regex").absent())
            step.pattern = pattern.child("Regex").requireString();
        else if (!pattern.child("String").absent())
            step.pattern = escapeRegex(pattern.child("String").requireString());
        else
            pattern.fail("expected {\"Regex\": ...} or {\"String\": ...}");
        const std::string behavior = field.child("behavior").requireString();
        if (behavior != "Isolated")
            unsupported(field.child("behavior"), "split behavior '" + behavior + "'");
        if (field.child("invert").boolOr(false))
            unsupported(field.child("invert"), "an inverted split");
    } else {
        unsupported(field.child("type"), "pre-tokenizer '" + type + "'");
    }
    steps.push_back(std::move(step));
}

// The special-token ids a post-processor puts before and after the text.
void readPostProcessor(const JsonField& field, BpeTokenizerSpec& spec) {
    if (field.isNull())
        return;
    const std::string type = field.child("type").requireString();
    if (type == "Sequence") {
        const JsonField list = field.child("processors");
        const size_t count = list.requireArray().size();
        for (size_t i = 0; i < count; ++i)
            readPostProcessor(list.at(i), spec);
    } else if (type == "TemplateProcessing") {
        const JsonField single = field.child("single");
        const JsonField specials = field.child("special_tokens");
        bool afterText = false;
        const size_t count = single.requireArray().size();
        for (size_t i = 0; i < count; ++i) {
            const JsonField item = single.at(i);
            if (!item.child("Sequence").absent()) {
                afterText = true;
                continue;
            }
            const std::string name = item.child("SpecialToken").child("id").requireString();
            const JsonField ids = specials.child(name).child("ids");
            for (size_t k = 0; k < ids.requireArray().size(); ++k)
                (afterText ? spec.suffixIds : spec.prefixIds).push_back(readId(ids.at(k)));
        }
    } else if (type == "RobertaProcessing" || type == "BertProcessing") {
        spec.prefixIds.push_back(readId(field.child("cls").at(1)));
        spec.suffixIds.push_back(readId(field.child("sep").at(1)));
    } else if (type != "ByteLevel") {
        unsupported(field.child("type"), "post-processor '" + type + "'");
    }
}

BpeMerges readMerges(const JsonField& list) {
    BpeMerges merges;
    const size_t count = list.requireArray().size();
    merges.reserve(count);
    for (size_t i = 0; i < count; ++i) {
        const JsonField item = list.at(i);
        if (item.value().is_array()) {
            if (item.value().size() != 2)
                item.fail("expected a pair of tokens");
            merges.emplace_back(item.at(0).requireString(), item.at(1).requireString());
            continue;
        }
        const std::string line = item.requireString();
        const size_t space = line.find(' ');
        if (space == std::string::npos || line.find(' ', space + 1) != std::string::npos)
            item.fail("expected two tokens separated by one space, found '" + line + "'");
        merges.emplace_back(line.substr(0, space), line.substr(space + 1));
    }
    return merges;
}

void readModel(const JsonField& model, BpeTokenizerSpec& spec) {
    model.requireObject();
    if (const auto type = model.child("type").optionalString(); type && *type != "BPE")
        unsupported(model.child("type"), "model '" + *type + "'");
    const JsonField vocab = model.child("vocab");
    for (const auto& [token, value] : vocab.requireObject().items()) {
        (void)value;
        spec.vocab.emplace(token, readId(vocab.child(token)));
    }
    spec.merges = readMerges(model.child("merges"));
    spec.unkToken = model.child("unk_token").optionalString();
    spec.ignoreMerges = model.child("ignore_merges").boolOr(false);
    // Dropout only matters while training a model on the tokens; encoding here is deterministic.
    for (const char* affix : {"continuing_subword_prefix", "end_of_word_suffix"})
        if (auto value = model.child(affix).optionalString(); value && !value->empty())
            unsupported(model.child(affix), std::string("a non-empty ") + affix);
}

bool hasByteLevel(const JsonField& preTokenizer) {
    if (preTokenizer.isNull() || !preTokenizer.value().is_object())
        return false;
    const auto type = preTokenizer.child("type").value();
    if (type == "ByteLevel")
        return true;
    if (type != "Sequence" || !preTokenizer.child("pretokenizers").value().is_array())
        return false;
    for (size_t i = 0; i < preTokenizer.child("pretokenizers").value().size(); ++i)
        if (hasByteLevel(preTokenizer.child("pretokenizers").at(i)))
            return true;
    return false;
}

} // namespace

BpeTokenizerSpec readTokenizerJson(const fs::path& path) {
    const nlohmann::json document = readJsonFile(path);
    const JsonField root = JsonField::root(document, path.string());
    root.requireObject();
    BpeTokenizerSpec spec;
    spec.origin = path.string();
    const std::string file = path.string();
    spec.describeMerge = [file](size_t i) {
        return file + ": model.merges[" + std::to_string(i) + "]";
    };
    readModel(root.child("model"), spec);
    if (!hasByteLevel(root.child("pre_tokenizer")))
        throw Error(ErrorKind::Unsupported,
                    file + ": pre_tokenizer: no ByteLevel step, so not a byte-level BPE (a "
                           "SentencePiece-style tokenizer loads from its tokenizer.model)");
    readPreTokenizer(root.child("pre_tokenizer"), spec.preTokenizer);
    spec.normalForm = readNormalizer(root.child("normalizer"));
    spec.addedTokens = readAddedTokens(root.child("added_tokens"));
    readPostProcessor(root.child("post_processor"), spec);

    const HfTokenizerConfig config = readHfTokenizerConfig(path.parent_path());
    const AddedTokens added(spec.addedTokens);
    spec.special = resolveSpecialIds(config, bpeTokenLookup(added, spec.vocab));
    // tokenizer_config.json's flags win over the post-processor, as in transformers' fast
    // tokenizers, which rebuild the post-processor from them.
    if (config.addBosToken)
        spec.prefixIds = *config.addBosToken && spec.special.bos
                             ? std::vector<int32_t>{*spec.special.bos}
                             : std::vector<int32_t>{};
    if (config.addEosToken)
        spec.suffixIds = *config.addEosToken && spec.special.eos
                             ? std::vector<int32_t>{*spec.special.eos}
                             : std::vector<int32_t>{};
    return spec;
}

bool isByteLevelTokenizerJson(const fs::path& path) {
    const nlohmann::json document = readJsonFile(path);
    return hasByteLevel(JsonField::root(document, path.string()).child("pre_tokenizer"));
}

std::vector<AddedToken> readTokenizerJsonAddedTokens(const fs::path& path) {
    const nlohmann::json document = readJsonFile(path);
    return readAddedTokens(JsonField::root(document, path.string()).child("added_tokens"));
}

} // namespace rd::text
