#include "text/image_tokens.h"

#include "common/error.h"

#include <cstring>

namespace rd::text {

std::string imagesPrefix(int images) {
    if (images <= 0)
        return {};
    if (images == 1)
        return std::string(kImagePlaceholder) + "\n";
    std::string out;
    for (int i = 1; i <= images; ++i)
        out += "Image-" + std::to_string(i) + ": " + kImagePlaceholder + "\n";
    return out;
}

std::string videoFramesPrefix(int frames) {
    std::string out;
    for (int i = 1; i <= frames; ++i)
        out += "Frame" + std::to_string(i) + ": " + kImagePlaceholder + "\n";
    return out;
}

size_t countImagePlaceholders(std::string_view text) {
    size_t count = 0;
    for (size_t at = text.find(kImagePlaceholder); at != std::string_view::npos;
         at = text.find(kImagePlaceholder, at + 1))
        ++count;
    return count;
}

std::string expandImagePlaceholders(std::string_view text, const std::vector<int>& tilesPerImage,
                                    int tokensPerTile) {
    const size_t placeholders = countImagePlaceholders(text);
    if (placeholders != tilesPerImage.size())
        throw Error(ErrorKind::InvalidArgument,
                    "prompt has " + std::to_string(placeholders) + " <image> placeholders for " +
                        std::to_string(tilesPerImage.size()) + " images");
    if (tokensPerTile <= 0)
        throw Error(ErrorKind::InvalidArgument, "tokens per tile must be positive");
    const size_t placeholderLength = std::strlen(kImagePlaceholder);
    std::string out;
    size_t from = 0;
    for (size_t image = 0; image < tilesPerImage.size(); ++image) {
        if (tilesPerImage[image] <= 0)
            throw Error(ErrorKind::InvalidArgument, "image " + std::to_string(image + 1) + " has " +
                                                        std::to_string(tilesPerImage[image]) +
                                                        " tiles");
        const size_t at = text.find(kImagePlaceholder, from);
        out.append(text.substr(from, at - from));
        out += kImageStart;
        const size_t contexts = static_cast<size_t>(tokensPerTile) * tilesPerImage[image];
        out.reserve(out.size() + contexts * std::strlen(kImageContext) + 16);
        for (size_t k = 0; k < contexts; ++k)
            out += kImageContext;
        out += kImageEnd;
        from = at + placeholderLength;
    }
    out.append(text.substr(from));
    return out;
}

} // namespace rd::text
