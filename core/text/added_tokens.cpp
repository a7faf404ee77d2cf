#include "text/added_tokens.h"

#include <algorithm>

namespace rd::text {

namespace {

bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

} // namespace

AddedTokens::AddedTokens(std::vector<AddedToken> tokens) {
    for (AddedToken& token : tokens) {
        if (m_byContent.count(token.content))
            continue;
        m_byContent.emplace(token.content, token.id);
        m_byId.emplace(token.id, m_tokens.size());
        m_maxId = std::max(m_maxId, token.id);
        if (!token.content.empty())
            m_byFirstByte[static_cast<unsigned char>(token.content[0])].push_back(m_tokens.size());
        m_tokens.push_back(std::move(token));
    }
    for (auto& candidates : m_byFirstByte)
        std::stable_sort(candidates.begin(), candidates.end(), [&](size_t a, size_t b) {
            return m_tokens[a].content.size() > m_tokens[b].content.size();
        });
}

void AddedTokens::split(std::string_view text, std::vector<TextSegment>& out) const {
    if (m_tokens.empty()) {
        if (!text.empty())
            out.push_back({text, -1});
        return;
    }
    size_t pending = 0; // start of the text not yet emitted
    size_t i = 0;
    while (i < text.size()) {
        const AddedToken* found = nullptr;
        for (size_t index : m_byFirstByte[static_cast<unsigned char>(text[i])]) {
            const std::string& content = m_tokens[index].content;
            if (text.compare(i, content.size(), content) == 0) {
                found = &m_tokens[index];
                break;
            }
        }
        if (!found) {
            ++i;
            continue;
        }
        size_t textEnd = i;
        if (found->lstrip)
            while (textEnd > pending && isSpace(text[textEnd - 1]))
                --textEnd;
        if (textEnd > pending)
            out.push_back({text.substr(pending, textEnd - pending), -1});
        out.push_back({std::string_view(), found->id});
        i += found->content.size();
        if (found->rstrip)
            while (i < text.size() && isSpace(text[i]))
                ++i;
        pending = i;
    }
    if (pending < text.size())
        out.push_back({text.substr(pending), -1});
}

const AddedToken* AddedTokens::byId(int32_t id) const {
    auto found = m_byId.find(id);
    return found == m_byId.end() ? nullptr : &m_tokens[found->second];
}

std::optional<int32_t> AddedTokens::idOf(std::string_view content) const {
    auto found = m_byContent.find(std::string(content));
    if (found == m_byContent.end())
        return std::nullopt;
    return found->second;
}

} // namespace rd::text
