// Pre-tokenizer regex split (PCRE2 in UTF + UCP mode, JIT-compiled where the platform allows):
// the text is cut into the pattern's matches and the stretches between them, all kept in order
// (Hugging Face's Split with behavior "Isolated").
//
// Usage:
//   RegexSplitter splitter(kQwen2Pattern, "tokenizer.json: pre_tokenizer");
//   std::vector<std::string_view> pieces;
//   splitter.split("Hello world", pieces);   // "Hello", " world"
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace rd::text {

// Qwen2's pre-tokenizer (InternVL2 §5), also used by the tokenizers our BPE trainer writes.
inline constexpr const char* kQwen2Pattern =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

// GPT-2's, which Hugging Face's ByteLevel pre-tokenizer applies when use_regex is true.
inline constexpr const char* kGpt2Pattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

class RegexSplitter {
public:
    // Throws rd::Error(Format) with `origin`, PCRE2's message and the offset when the pattern does
    // not compile.
    RegexSplitter(std::string pattern, std::string_view origin);
    ~RegexSplitter();
    RegexSplitter(const RegexSplitter&) = delete;
    RegexSplitter& operator=(const RegexSplitter&) = delete;

    const std::string& pattern() const { return m_pattern; }

    // Appends the pieces of text (valid UTF-8, checked by the caller) to out; empty pieces are
    // never produced. Safe to call from several threads.
    void split(std::string_view text, std::vector<std::string_view>& out) const;

private:
    struct Compiled;
    std::string m_pattern;
    std::unique_ptr<Compiled> m_compiled;
};

} // namespace rd::text
