// Internal to core/media: opening a container with libavformat and describing its video
// stream, shared by probeVideo() and VideoDecoder so a clip is opened once, not twice.
#pragma once

#include "media/media_info.h"

#include <filesystem>
#include <memory>

struct AVFormatContext;

namespace rd::media {

struct FormatCloser {
    void operator()(AVFormatContext* format) const;
};
using FormatPtr = std::unique_ptr<AVFormatContext, FormatCloser>;

// readStreamInfo: also run avformat_find_stream_info (decodes a few frames to learn frame
// rates and sizes); a packet scan does without. Throws rd::Error(Format) naming the file.
FormatPtr openFormat(const std::filesystem::path& path, bool readStreamInfo);

// The best video stream's index; throws rd::Error(Format) "no video stream".
int bestVideoStream(AVFormatContext* format, const std::filesystem::path& path);

MediaInfo describeVideoStream(const AVFormatContext* format, int streamIndex,
                              const std::filesystem::path& path);

} // namespace rd::media
