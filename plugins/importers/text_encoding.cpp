#include "text_encoding.h"

#include "common/error.h"

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

namespace rd::importers {

void requireUtf8Text(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::vector<char> head(1 << 16);
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    const auto startsWith = [&](std::initializer_list<unsigned char> mark) {
        return head.size() >= mark.size() &&
               std::equal(mark.begin(), mark.end(), head.begin(), [](unsigned char m, char c) {
                   return m == static_cast<unsigned char>(c);
               });
    };
    std::string encoding;
    if (startsWith({0xFF, 0xFE, 0x00, 0x00}) || startsWith({0x00, 0x00, 0xFE, 0xFF}))
        encoding = "UTF-32 (it starts with a byte-order mark)";
    else if (startsWith({0xFF, 0xFE}) || startsWith({0xFE, 0xFF}))
        encoding = "UTF-16 (it starts with a byte-order mark)";
    else if (std::find(head.begin(), head.end(), '\0') != head.end())
        encoding = "UTF-16 or binary (it holds NUL bytes)";
    if (!encoding.empty())
        throw Error(ErrorKind::Format, file.string() + ": not UTF-8 text: looks like " + encoding +
                                           "; save it as UTF-8");
}

} // namespace rd::importers
