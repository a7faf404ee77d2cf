#include "text/prompt_encoder.h"

#include "common/error.h"

namespace rd::text {

EncodedPrompt encodeWithImages(const Tokenizer& tokenizer, std::string_view text,
                               const std::vector<int>& tilesPerImage, AddSpecial addSpecial,
                               int tokensPerTile) {
    for (const char* marker : {kImageStart, kImageEnd, kImageContext})
        if (!tokenizer.tokenToId(marker))
            throw Error(ErrorKind::InvalidArgument,
                        std::string("the tokenizer has no ") + marker + " token");
    const int32_t contextId = *tokenizer.tokenToId(kImageContext);
    if (text.find(kImageContext) != std::string_view::npos)
        throw Error(ErrorKind::InvalidArgument,
                    "the prompt holds <IMG_CONTEXT> of its own; write <image> placeholders");
    for (int tiles : tilesPerImage)
        if (tiles <= 0 || tokensPerTile <= 0)
            throw Error(ErrorKind::InvalidArgument, "tile and token counts must be positive");
    // One <IMG_CONTEXT> per image, widened below: the same ids as the fully expanded text,
    // because added tokens are split off before anything else sees the text.
    const std::vector<int> single(tilesPerImage.size(), 1);
    const std::vector<int32_t> compact =
        tokenizer.encode(expandImagePlaceholders(text, single, 1), addSpecial);

    EncodedPrompt prompt;
    size_t image = 0;
    for (int32_t id : compact) {
        if (id != contextId) {
            prompt.ids.push_back(id);
            continue;
        }
        if (image == tilesPerImage.size())
            throw Error(ErrorKind::Internal, "tokenization produced more images than placeholders");
        const int64_t count = static_cast<int64_t>(tokensPerTile) * tilesPerImage[image++];
        for (int64_t k = 0; k < count; ++k) {
            prompt.imageContextPositions.push_back(static_cast<int64_t>(prompt.ids.size()));
            prompt.ids.push_back(contextId);
        }
    }
    if (image != tilesPerImage.size())
        throw Error(ErrorKind::Internal, "image placeholders were lost in tokenization");
    return prompt;
}

} // namespace rd::text
