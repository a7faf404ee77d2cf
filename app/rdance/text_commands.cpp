// Tokenizers on the command line: `rdance text encode|decode|info|train`.
#include "cli_output.h"
#include "commands.h"
#include "common/atomic_file.h"
#include "common/error.h"
#include "common/file_checks.h"
#include "text/bpe_trainer.h"
#include "text/load_tokenizer.h"
#include "text/tokenizer_json_writer.h"

#include <CLI/CLI.hpp>

#include <chrono>
#include <fstream>
#include <memory>

namespace rd::cli {

namespace {

nlohmann::json optionalId(const std::optional<int32_t>& id) {
    return id ? nlohmann::json(*id) : nlohmann::json(nullptr);
}

void addEncode(CLI::App& text) {
    struct Options {
        std::string tokenizer, text, file;
        bool noSpecial = false;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = text.add_subcommand("encode", "Print the token ids of a text as a JSON array");
    cmd->add_option("--tokenizer", o->tokenizer,
                    "tokenizer.json, SentencePiece .model, vocab.json or a folder")
        ->required();
    auto* textOption = cmd->add_option("--text", o->text, "Text to encode");
    auto* fileOption = cmd->add_option("--file", o->file, "Encode this file's content instead");
    textOption->excludes(fileOption);
    cmd->add_flag("--no-special", o->noSpecial, "Do not add BOS/EOS the tokenizer asks for");
    cmd->callback([o, textOption, fileOption] {
        if (textOption->count() == 0 && fileOption->count() == 0)
            throw Error(ErrorKind::InvalidArgument, "give --text or --file");
        const auto tokenizer = text::loadTokenizer(o->tokenizer);
        const std::string input = o->file.empty() ? o->text : readWholeFile(o->file);
        text::requireEncodable(*tokenizer, input, o->tokenizer);
        printJson(
            tokenizer->encode(input, o->noSpecial ? text::AddSpecial::No : text::AddSpecial::Yes));
    });
}

void addDecode(CLI::App& text) {
    struct Options {
        std::string tokenizer, ids;
        bool skipSpecial = false;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = text.add_subcommand("decode", "Print the text of token ids as a JSON string");
    cmd->add_option("--tokenizer", o->tokenizer,
                    "tokenizer.json, SentencePiece .model, vocab.json or a folder")
        ->required();
    cmd->add_option("--ids", o->ids, "Token ids as a JSON array, e.g. '[1, 2, 3]'")->required();
    cmd->add_flag("--skip-special", o->skipSpecial, "Drop special tokens");
    cmd->callback([o] {
        std::vector<int32_t> ids;
        try {
            const nlohmann::json parsed = nlohmann::json::parse(o->ids);
            if (!parsed.is_array())
                throw Error(ErrorKind::InvalidArgument, "--ids: expected a JSON array of ids");
            for (const auto& id : parsed) {
                if (!id.is_number_integer() || id.get<int64_t>() < 0 ||
                    id.get<int64_t>() > INT32_MAX)
                    throw Error(ErrorKind::InvalidArgument,
                                "--ids: " + id.dump() + " is not a token id");
                ids.push_back(id.get<int32_t>());
            }
        } catch (const nlohmann::json::parse_error& e) {
            throw Error(ErrorKind::InvalidArgument,
                        std::string("--ids: malformed JSON: ") + e.what());
        }
        const auto tokenizer = text::loadTokenizer(o->tokenizer);
        printJson(tokenizer->decode(ids, o->skipSpecial ? text::SkipSpecial::Yes
                                                        : text::SkipSpecial::No));
    });
}

void addInfo(CLI::App& text) {
    auto path = std::make_shared<std::string>();
    CLI::App* cmd = text.add_subcommand("info", "Print a tokenizer's kind, size and special ids");
    cmd->add_option("--tokenizer", *path, "tokenizer.json, .model, vocab.json or a folder")
        ->required();
    cmd->callback([path] {
        const auto tokenizer = text::loadTokenizer(*path);
        const text::SpecialTokenIds& special = tokenizer->specialIds();
        printJsonPretty({{"tokenizer", *path},
                         {"kind", tokenizer->kindName()},
                         {"vocab_size", tokenizer->vocabSize()},
                         {"bos", optionalId(special.bos)},
                         {"eos", optionalId(special.eos)},
                         {"pad", optionalId(special.pad)},
                         {"unk", optionalId(special.unk)}});
    });
}

void addTrain(CLI::App& text) {
    struct Options {
        std::string corpus, out;
        int32_t vocab = 4096;
        int64_t minFrequency = 2;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = text.add_subcommand(
        "train", "Train a byte-level BPE on a text file (one document per line) and write it as "
                 "a Hugging Face tokenizer.json");
    cmd->add_option("--corpus", o->corpus, "UTF-8 text file")->required();
    cmd->add_option("--vocab", o->vocab, "Vocabulary size, special and byte tokens included")
        ->required();
    cmd->add_option("--out", o->out, "tokenizer.json to write (atomically)")->required();
    cmd->add_option("--min-frequency", o->minFrequency,
                    "Never merge a pair seen fewer times (default 2)");
    cmd->callback([o] {
        const auto start = std::chrono::steady_clock::now();
        text::BpeTrainerOptions options;
        options.vocabSize = o->vocab;
        options.minFrequency = o->minFrequency;
        options.progress = [](int64_t done, int64_t total) {
            if (done % 500 == 0)
                printJson(
                    {{"event", "progress"}, {"phase", "merges"}, {"done", done}, {"total", total}});
            return true;
        };
        requireWritableFilePath(o->out); // before minutes of training, not after
        requireRegularFile(o->corpus);
        text::BpeTrainer trainer(options);
        std::ifstream in(o->corpus, std::ios::binary);
        if (!in)
            throw Error(ErrorKind::Io, o->corpus + ": cannot open the corpus");
        std::string line;
        int64_t lines = 0;
        while (std::getline(in, line)) {
            ++lines;
            try {
                trainer.addText(line + "\n");
            } catch (const Error& e) {
                throw Error(e.kind(), o->corpus + ":" + std::to_string(lines) + ": " + e.what());
            }
        }
        const text::BpeTokenizerSpec spec = trainer.train();
        text::writeTokenizerJson(o->out, spec);
        printJson(
            {{"event", "done"},
             {"out", o->out},
             {"lines", lines},
             {"distinct_words", trainer.distinctWords()},
             {"vocab_size", spec.vocab.size()},
             {"merges", spec.merges.size()},
             {"seconds",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()}});
    });
}

} // namespace

void addTextCommands(CLI::App& app) {
    CLI::App* text = app.add_subcommand("text", "Tokenizers: encode, decode, inspect, train");
    text->require_subcommand(1);
    addEncode(*text);
    addDecode(*text);
    addInfo(*text);
    addTrain(*text);
}

} // namespace rd::cli
