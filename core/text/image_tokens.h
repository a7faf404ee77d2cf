// InternVL's image placeholders in prompt text (InternVL2 §3-4): each "<image>" stands for one
// image (or video frame) and becomes <img> + <IMG_CONTEXT> x (tokens per tile x tiles) + </img>;
// the model overwrites the embeddings at the <IMG_CONTEXT> positions with the vision tokens, in
// order (tiles row-major, thumbnail last).
//
// Usage:
//   std::string q = imagesPrefix(2) + "Which is redder?";   // "Image-1: <image>\nImage-2: ..."
//   std::string full = expandImagePlaceholders(q, {7, 1});  // 7 tiles (6 + thumbnail), 1 tile
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rd::text {

inline constexpr const char* kImagePlaceholder = "<image>";
inline constexpr const char* kImageStart = "<img>";
inline constexpr const char* kImageEnd = "</img>";
inline constexpr const char* kImageContext = "<IMG_CONTEXT>";
// 448x448 tile, 14x14 patches, pixel shuffle 0.5: 16x16 = 256 tokens.
inline constexpr int kTokensPerTile = 256;

// One image: "<image>\n"; several: "Image-1: <image>\nImage-2: <image>\n"; none: "".
std::string imagesPrefix(int images);

// "Frame1: <image>\nFrame2: <image>\n..." for the frames sampled from a video.
std::string videoFramesPrefix(int frames);

size_t countImagePlaceholders(std::string_view text);

// Throws rd::Error(InvalidArgument) when the text does not hold exactly tilesPerImage.size()
// placeholders or a tile count is not positive.
std::string expandImagePlaceholders(std::string_view text, const std::vector<int>& tilesPerImage,
                                    int tokensPerTile = kTokensPerTile);

} // namespace rd::text
