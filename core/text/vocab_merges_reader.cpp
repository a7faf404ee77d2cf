#include "text/vocab_merges_reader.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "text/hf_tokenizer_config.h"
#include "text/json_file.h"
#include "text/regex_splitter.h"
#include "text/special_tokens.h"

#include <climits>
#include <memory>

namespace rd::text {

namespace fs = std::filesystem;

namespace {

BpeVocab readVocab(const fs::path& path) {
    const nlohmann::json document = readJsonFile(path);
    const JsonField root = JsonField::root(document, path.string());
    BpeVocab vocab;
    for (const auto& [token, value] : root.requireObject().items()) {
        (void)value;
        const JsonField field = root.child(token);
        const int64_t id = field.requireInt();
        if (id < 0 || id > INT32_MAX)
            field.fail("id " + std::to_string(id) + " is out of range");
        vocab.emplace(token, static_cast<int32_t>(id));
    }
    return vocab;
}

// Returns the merges and, for messages, the line each came from.
BpeMerges readMergesTxt(const fs::path& path, std::vector<size_t>& lines) {
    const std::string content = readWholeFile(path);
    BpeMerges merges;
    size_t lineNumber = 0;
    size_t start = 0;
    while (start < content.size()) {
        size_t end = content.find('\n', start);
        if (end == std::string::npos)
            end = content.size();
        std::string line = content.substr(start, end - start);
        start = end + 1;
        ++lineNumber;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.empty() || (lineNumber == 1 && line.rfind("#version", 0) == 0))
            continue;
        const size_t space = line.find(' ');
        if (space == std::string::npos || space == 0 || space + 1 == line.size() ||
            line.find(' ', space + 1) != std::string::npos)
            throw Error(ErrorKind::Format, path.string() + ":" + std::to_string(lineNumber) +
                                               ": expected two tokens separated by one space, "
                                               "found '" +
                                               line + "'");
        merges.emplace_back(line.substr(0, space), line.substr(space + 1));
        lines.push_back(lineNumber);
    }
    return merges;
}

} // namespace

BpeTokenizerSpec readVocabAndMerges(const fs::path& vocabJson, const fs::path& mergesTxt) {
    BpeTokenizerSpec spec;
    spec.origin = vocabJson.string() + " + " + mergesTxt.string();
    spec.vocab = readVocab(vocabJson);
    auto lines = std::make_shared<std::vector<size_t>>();
    spec.merges = readMergesTxt(mergesTxt, *lines);
    const std::string mergesName = mergesTxt.string();
    spec.describeMerge = [lines, mergesName](size_t i) {
        return mergesName + ":" + std::to_string(i < lines->size() ? (*lines)[i] : 0);
    };
    spec.normalForm = NormalForm::Nfc;
    PreTokenizerStep split;
    split.pattern = kQwen2Pattern;
    PreTokenizerStep byteLevel;
    byteLevel.kind = PreTokenizerStep::Kind::ByteLevel;
    spec.preTokenizer = {split, byteLevel};

    const HfTokenizerConfig config = readHfTokenizerConfig(vocabJson.parent_path());
    spec.addedTokens = config.addedTokens;
    const AddedTokens added(spec.addedTokens);
    spec.special = resolveSpecialIds(config, bpeTokenLookup(added, spec.vocab));
    if (config.addBosToken.value_or(false) && spec.special.bos)
        spec.prefixIds = {*spec.special.bos};
    if (config.addEosToken.value_or(false) && spec.special.eos)
        spec.suffixIds = {*spec.special.eos};
    return spec;
}

} // namespace rd::text
