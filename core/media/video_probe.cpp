#include "common/error.h"
#include "media/av_error.h"
#include "media/av_format.h"

extern "C" {
#include <libavformat/avformat.h>
#include <libavutil/display.h>
}

#include <cmath>

namespace rd::media {
namespace fs = std::filesystem;

namespace {

// Clockwise degrees a player turns the picture, as ffmpeg's own autorotation computes them.
int displayRotation(const AVStream* stream) {
    size_t size = 0;
    const uint8_t* matrix = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, &size);
    if (!matrix || size < 9 * sizeof(int32_t))
        return 0;
    const double degrees = -av_display_rotation_get(reinterpret_cast<const int32_t*>(matrix));
    const int rounded = static_cast<int>(std::lround(degrees / 90.0)) * 90;
    return ((rounded % 360) + 360) % 360;
}

} // namespace

void FormatCloser::operator()(AVFormatContext* format) const {
    avformat_close_input(&format);
}

FormatPtr openFormat(const fs::path& path, bool readStreamInfo) {
    // Our errors name the file and cause; libav's own log lines would only repeat them.
    av_log_set_level(AV_LOG_QUIET);
    AVFormatContext* raw = nullptr;
    int rc = avformat_open_input(&raw, path.c_str(), nullptr, nullptr);
    if (rc < 0)
        throw Error(ErrorKind::Format,
                    path.string() + ": not a readable image or video: " + averrorText(rc));
    FormatPtr format(raw);
    if (readStreamInfo) {
        rc = avformat_find_stream_info(format.get(), nullptr);
        if (rc < 0)
            throw Error(ErrorKind::Format,
                        path.string() + ": cannot read stream information: " + averrorText(rc));
    }
    return format;
}

int bestVideoStream(AVFormatContext* format, const fs::path& path) {
    const int index = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (index < 0)
        throw Error(ErrorKind::Format, path.string() + ": no video stream");
    return index;
}

MediaInfo describeVideoStream(const AVFormatContext* format, int streamIndex,
                              const fs::path& path) {
    const AVStream* stream = format->streams[streamIndex];
    const AVCodecParameters* par = stream->codecpar;
    if (par->width <= 0 || par->height <= 0)
        throw Error(ErrorKind::Format, path.string() + ": video stream has no frame size");
    MediaInfo info;
    info.type = MediaType::Video;
    info.container = format->iformat->name;
    info.codec = avcodec_get_name(par->codec_id);
    info.width = par->width;
    info.height = par->height;
    info.rotationDegrees = displayRotation(stream);
    const AVRational average = stream->avg_frame_rate;
    const AVRational real = stream->r_frame_rate;
    info.fps = average.num > 0 && average.den > 0 ? av_q2d(average) : av_q2d(real);
    // r_frame_rate is the smallest frame spacing; when the average differs from it, frames
    // are not evenly spaced.
    info.variableFrameRate =
        real.num > 0 && average.num > 0 && std::fabs(av_q2d(real) - info.fps) > 0.01 * info.fps;
    if (stream->duration != AV_NOPTS_VALUE && stream->duration > 0)
        info.durationS = static_cast<double>(stream->duration) * av_q2d(stream->time_base);
    else if (format->duration > 0)
        info.durationS = static_cast<double>(format->duration) / AV_TIME_BASE;
    info.frames = stream->nb_frames > 0
                      ? stream->nb_frames
                      : static_cast<std::int64_t>(std::llround(info.durationS * info.fps));
    return info;
}

MediaInfo probeVideo(const fs::path& path) {
    FormatPtr format = openFormat(path, /*readStreamInfo=*/true);
    return describeVideoStream(format.get(), bestVideoStream(format.get(), path), path);
}

} // namespace rd::media
