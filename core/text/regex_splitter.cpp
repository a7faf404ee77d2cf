#include "text/regex_splitter.h"

#include "common/error.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

namespace rd::text {

struct RegexSplitter::Compiled {
    pcre2_code* code = nullptr;
    ~Compiled() { pcre2_code_free(code); }
};

namespace {

std::string pcre2Message(int code) {
    PCRE2_UCHAR buffer[256];
    pcre2_get_error_message(code, buffer, sizeof buffer);
    return reinterpret_cast<const char*>(buffer);
}

using MatchData = std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)>;

} // namespace

RegexSplitter::RegexSplitter(std::string pattern, std::string_view origin)
    : m_pattern(std::move(pattern)), m_compiled(std::make_unique<Compiled>()) {
    int errorCode = 0;
    PCRE2_SIZE errorOffset = 0;
    m_compiled->code =
        pcre2_compile(reinterpret_cast<PCRE2_SPTR>(m_pattern.data()), m_pattern.size(),
                      PCRE2_UTF | PCRE2_UCP, &errorCode, &errorOffset, nullptr);
    if (!m_compiled->code)
        throw Error(ErrorKind::Format,
                    std::string(origin) + ": regex does not compile: " + pcre2Message(errorCode) +
                        " at offset " + std::to_string(errorOffset) + " of '" + m_pattern + "'");
    // Best effort: without JIT (unsupported CPU, SELinux) pcre2_match interprets the pattern.
    pcre2_jit_compile(m_compiled->code, PCRE2_JIT_COMPLETE);
}

RegexSplitter::~RegexSplitter() = default;

void RegexSplitter::split(std::string_view text, std::vector<std::string_view>& out) const {
    if (text.empty())
        return;
    MatchData match(pcre2_match_data_create_from_pattern(m_compiled->code, nullptr),
                    &pcre2_match_data_free);
    if (!match)
        throw Error(ErrorKind::Internal, "pcre2: out of memory for match data");
    const auto subject = reinterpret_cast<PCRE2_SPTR>(text.data());
    size_t last = 0; // end of the previous piece
    size_t start = 0;
    while (start < text.size()) {
        // The caller validated the UTF-8; PCRE2_NOTEMPTY because an empty match makes no piece.
        const uint32_t options = PCRE2_NO_UTF_CHECK | PCRE2_NOTEMPTY;
        int rc = pcre2_match(m_compiled->code, subject, text.size(), start, options, match.get(),
                             nullptr);
        if (rc == PCRE2_ERROR_JIT_STACKLIMIT) // a very long run; the interpreter uses the heap
            rc = pcre2_match(m_compiled->code, subject, text.size(), start, options | PCRE2_NO_JIT,
                             match.get(), nullptr);
        if (rc == PCRE2_ERROR_NOMATCH)
            break;
        if (rc < 0)
            throw Error(ErrorKind::InvalidArgument, "pre-tokenizer regex failed at byte " +
                                                        std::to_string(start) + ": " +
                                                        pcre2Message(rc));
        const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(match.get());
        const size_t matchStart = ovector[0], matchEnd = ovector[1];
        if (matchStart > last)
            out.push_back(text.substr(last, matchStart - last));
        out.push_back(text.substr(matchStart, matchEnd - matchStart));
        last = start = matchEnd;
    }
    if (last < text.size())
        out.push_back(text.substr(last));
}

} // namespace rd::text
