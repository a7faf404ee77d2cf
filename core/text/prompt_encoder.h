// Tokenizing a prompt with image placeholders: the ids the language model reads and where the
// vision tokens go.
//
// Usage:
//   EncodedPrompt p = encodeWithImages(*tok, renderChat(format, sys, user), {7, 7},
//                                      AddSpecial::Yes);
//   // p.ids.size() includes 2 x (7 x 256) <IMG_CONTEXT>; p.imageContextPositions lists them.
#pragma once

#include "text/image_tokens.h"
#include "text/tokenizer.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace rd::text {

struct EncodedPrompt {
    std::vector<int32_t> ids;
    // Indices into ids of every <IMG_CONTEXT>, in order: image by image, tile by tile.
    std::vector<int64_t> imageContextPositions;
};

// Each "<image>" in text becomes <img> + <IMG_CONTEXT> x (tokensPerTile x tiles) + </img>.
// The result equals encoding the fully expanded text, without tokenizing the long runs of
// <IMG_CONTEXT>. Throws rd::Error(InvalidArgument) when the placeholders and tilesPerImage
// disagree, the text holds <IMG_CONTEXT> of its own, or the tokenizer lacks the image tokens.
EncodedPrompt encodeWithImages(const Tokenizer& tokenizer, std::string_view text,
                               const std::vector<int>& tilesPerImage, AddSpecial addSpecial,
                               int tokensPerTile = kTokensPerTile);

} // namespace rd::text
