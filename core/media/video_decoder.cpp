#include "media/video_decoder.h"

#include "common/error.h"
#include "common/file_checks.h"
#include "media/av_error.h"
#include "media/av_format.h"
#include "media/image_header.h"
#include "media/image_io.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswscale/swscale.h>
}

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <thread>

namespace rd::media {
namespace fs = std::filesystem;

namespace {

std::int64_t timestampOf(const AVPacket* p) {
    return p->pts != AV_NOPTS_VALUE ? p->pts : p->dts;
}

} // namespace

struct VideoDecoder::Impl {
    fs::path path;
    VideoDecoderOptions options;
    MediaInfo info;
    FormatPtr format;
    int streamIndex = -1;
    AVStream* stream = nullptr;
    AVCodecContext* codec = nullptr;
    AVPacket* packet = nullptr;
    AVFrame* frame = nullptr;
    SwsContext* sws = nullptr;

    bool indexed = false;
    std::vector<std::int64_t> framePts; // every frame's timestamp, sorted (presentation order)
    std::vector<std::int64_t> keyPts;   // keyframes' timestamps, sorted
    std::int64_t startPts = 0;

    bool flushing = false; // the demuxer is at its end; the decoder is being drained
    // While seeking forward, frames before this timestamp are only needed as references:
    // non-reference ones (most B-frames) are not decoded at all.
    std::int64_t skipNonReferenceBefore = AV_NOPTS_VALUE;
    bool haveFrame = false; // `frame` holds the last decoded frame
    std::int64_t lastPts = AV_NOPTS_VALUE;
    std::int64_t sequentialIndex = 0; // frames returned by next() before an index exists

    ~Impl() {
        sws_freeContext(sws);
        av_frame_free(&frame);
        av_packet_free(&packet);
        avcodec_free_context(&codec);
    }

    [[noreturn]] void fail(ErrorKind kind, const std::string& what) const {
        throw Error(kind, path.string() + ": " + what);
    }

    double seconds(std::int64_t pts) const {
        return static_cast<double>(pts - startPts) * av_q2d(stream->time_base);
    }

    // Decodes the next frame into `frame`; false when the stream is exhausted. Corrupt packets
    // are skipped (the decoder conceals what it can); a truncated file simply ends early.
    bool decodeNext() {
        while (true) {
            int rc = avcodec_receive_frame(codec, frame);
            if (rc == 0) {
                haveFrame = true;
                lastPts = frame->best_effort_timestamp;
                return true;
            }
            if (rc == AVERROR_EOF)
                return false;
            if (rc != AVERROR(EAGAIN))
                fail(ErrorKind::Format, "decoding failed: " + averrorText(rc));
            if (flushing)
                return false; // EAGAIN while draining should not happen; stop rather than spin
            rc = av_read_frame(format.get(), packet);
            if (rc < 0) {
                flushing = true;
                avcodec_send_packet(codec, nullptr);
                continue;
            }
            if (packet->stream_index == streamIndex) {
                const std::int64_t pts = timestampOf(packet);
                codec->skip_frame = skipNonReferenceBefore != AV_NOPTS_VALUE &&
                                            pts != AV_NOPTS_VALUE && pts < skipNonReferenceBefore
                                        ? AVDISCARD_NONREF
                                        : AVDISCARD_DEFAULT;
                avcodec_send_packet(codec, packet); // errors: skip the packet, keep going
            }
            av_packet_unref(packet);
        }
    }

    void buildIndex() {
        if (indexed)
            return;
        // A second demuxer reads packet headers only (no decoding): cheap, and exact for VFR.
        FormatPtr scan = openFormat(path, /*readStreamInfo=*/false);
        AVPacket* p = av_packet_alloc();
        while (av_read_frame(scan.get(), p) >= 0) {
            if (p->stream_index == streamIndex && timestampOf(p) != AV_NOPTS_VALUE) {
                framePts.push_back(timestampOf(p));
                if (p->flags & AV_PKT_FLAG_KEY)
                    keyPts.push_back(timestampOf(p));
            }
            av_packet_unref(p);
        }
        av_packet_free(&p);
        std::sort(framePts.begin(), framePts.end());
        std::sort(keyPts.begin(), keyPts.end());
        if (framePts.empty())
            fail(ErrorKind::Format, "no video frames (empty or truncated file)");
        if (stream->start_time != AV_NOPTS_VALUE)
            startPts = stream->start_time;
        else
            startPts = framePts.front();
        info.frames = static_cast<std::int64_t>(framePts.size());
        indexed = true;
    }

    std::int64_t indexOf(std::int64_t pts) const {
        auto it = std::lower_bound(framePts.begin(), framePts.end(), pts);
        return std::min<std::int64_t>(it - framePts.begin(),
                                      static_cast<std::int64_t>(framePts.size()) - 1);
    }

    VideoFrame convert(std::int64_t index) {
        sws = sws_getCachedContext(
            sws, frame->width, frame->height, static_cast<AVPixelFormat>(frame->format),
            frame->width, frame->height, AV_PIX_FMT_RGB24, SWS_BICUBIC, nullptr, nullptr, nullptr);
        if (!sws)
            fail(ErrorKind::Unsupported, "cannot convert its pixel format to RGB");
        // swscale's SIMD paths write whole 16-pixel blocks and give wrong colours for rows
        // whose stride is not a multiple of that: convert into a padded buffer, then crop.
        const int paddedWidth = (frame->width + 15) / 16 * 16;
        cv::Mat padded(frame->height, paddedWidth, CV_8UC3);
        uint8_t* target[1] = {padded.data};
        const int stride[1] = {static_cast<int>(padded.step)};
        sws_scale(sws, frame->data, frame->linesize, 0, frame->height, target, stride);
        cv::Mat rgb = padded(cv::Rect(0, 0, frame->width, frame->height)).clone();
        if (options.applyRotation && info.rotationDegrees != 0) {
            const int code = info.rotationDegrees == 90    ? cv::ROTATE_90_CLOCKWISE
                             : info.rotationDegrees == 180 ? cv::ROTATE_180
                                                           : cv::ROTATE_90_COUNTERCLOCKWISE;
            cv::rotate(rgb, rgb, code);
        }
        return VideoFrame{rgb, index, seconds(frame->best_effort_timestamp)};
    }

    VideoFrame seekToIndex(std::int64_t index) {
        buildIndex();
        if (index < 0 || index >= static_cast<std::int64_t>(framePts.size()))
            fail(ErrorKind::InvalidArgument, "frame " + std::to_string(index) + " is outside 0.." +
                                                 std::to_string(framePts.size() - 1));
        const std::int64_t target = framePts[static_cast<size_t>(index)];
        if (haveFrame && lastPts == target)
            return convert(index);
        auto key = std::upper_bound(keyPts.begin(), keyPts.end(), target);
        const std::int64_t keyBefore = key == keyPts.begin() ? framePts.front() : *(key - 1);
        // Decode forward when no keyframe lies between where we are and the target.
        const bool forward = haveFrame && lastPts != AV_NOPTS_VALUE && lastPts < target &&
                             keyBefore <= lastPts && !flushing;
        if (!forward) {
            int rc = av_seek_frame(format.get(), streamIndex, keyBefore, AVSEEK_FLAG_BACKWARD);
            if (rc < 0)
                fail(ErrorKind::Format,
                     "cannot seek to frame " + std::to_string(index) + ": " + averrorText(rc));
            avcodec_flush_buffers(codec);
            flushing = false;
            haveFrame = false;
        }
        skipNonReferenceBefore = target;
        while (decodeNext()) {
            if (lastPts >= target) {
                skipNonReferenceBefore = AV_NOPTS_VALUE;
                return convert(index);
            }
        }
        skipNonReferenceBefore = AV_NOPTS_VALUE;
        fail(ErrorKind::Format, "frame " + std::to_string(index) +
                                    " cannot be decoded (the file is truncated or corrupt)");
    }
};

VideoDecoder::VideoDecoder(const fs::path& path, const VideoDecoderOptions& options)
    : m_impl(std::make_unique<Impl>()) {
    Impl& d = *m_impl;
    d.path = path;
    d.options = options;
    requireNonEmptyFile(path);
    d.format = openFormat(path, /*readStreamInfo=*/true);
    d.streamIndex = bestVideoStream(d.format.get(), path);
    d.info = describeVideoStream(d.format.get(), d.streamIndex, path);
    d.stream = d.format->streams[d.streamIndex];
    const AVCodec* decoder = avcodec_find_decoder(d.stream->codecpar->codec_id);
    if (!decoder)
        d.fail(ErrorKind::Unsupported, "no decoder for codec '" + d.info.codec + "' here");
    d.codec = avcodec_alloc_context3(decoder);
    d.packet = av_packet_alloc();
    d.frame = av_frame_alloc();
    if (!d.codec || !d.packet || !d.frame)
        d.fail(ErrorKind::Internal, "out of memory");
    if (avcodec_parameters_to_context(d.codec, d.stream->codecpar) < 0)
        d.fail(ErrorKind::Format, "bad codec parameters");
    d.codec->thread_count =
        options.threads > 0 ? options.threads
                            : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    d.codec->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
    d.codec->pkt_timebase = d.stream->time_base;
    int rc = avcodec_open2(d.codec, decoder, nullptr);
    if (rc < 0)
        d.fail(ErrorKind::Unsupported,
               "cannot open the " + d.info.codec + " decoder: " + averrorText(rc));
    d.startPts = d.stream->start_time != AV_NOPTS_VALUE ? d.stream->start_time : 0;
}

VideoDecoder::~VideoDecoder() = default;

const MediaInfo& VideoDecoder::info() const {
    return m_impl->info;
}

std::int64_t VideoDecoder::frameCount() {
    m_impl->buildIndex();
    return m_impl->info.frames;
}

bool VideoDecoder::next(VideoFrame* out) {
    Impl& d = *m_impl;
    if (!d.decodeNext())
        return false;
    const std::int64_t index = d.indexed ? d.indexOf(d.lastPts) : d.sequentialIndex;
    ++d.sequentialIndex;
    if (out)
        *out = d.convert(index);
    return true;
}

VideoFrame VideoDecoder::seekToFrame(std::int64_t index) {
    return m_impl->seekToIndex(index);
}

VideoFrame VideoDecoder::seekToTime(double seconds) {
    Impl& d = *m_impl;
    d.buildIndex();
    const auto target = d.startPts + static_cast<std::int64_t>(
                                         std::floor(seconds / av_q2d(d.stream->time_base) + 1e-6));
    auto it = std::upper_bound(d.framePts.begin(), d.framePts.end(), target);
    const std::int64_t index = it == d.framePts.begin() ? 0 : (it - d.framePts.begin()) - 1;
    return d.seekToIndex(index);
}

std::vector<VideoFrame> VideoDecoder::sampleUniform(int count) {
    if (count <= 0)
        m_impl->fail(ErrorKind::InvalidArgument, "sample count must be positive");
    std::vector<VideoFrame> frames;
    for (std::int64_t index : uniformFrameIndices(frameCount(), count))
        frames.push_back(seekToFrame(index));
    return frames;
}

// nearbyint rounds half to even, as numpy's round in InternVL's get_index does.
std::vector<std::int64_t> uniformFrameIndices(std::int64_t frameCount, int count) {
    if (frameCount <= 0 || count <= 0)
        throw Error(ErrorKind::InvalidArgument, "need frames and a positive sample count");
    const double segment = static_cast<double>(frameCount - 1) / count;
    std::vector<std::int64_t> indices;
    for (int i = 0; i < count; ++i)
        indices.push_back(std::min<std::int64_t>(
            frameCount - 1, static_cast<std::int64_t>(segment / 2 + std::nearbyint(segment * i))));
    return indices;
}

cv::Mat thumbnail(const fs::path& path, int maxSide) {
    if (maxSide <= 0)
        throw Error(ErrorKind::InvalidArgument, "thumbnail size must be positive");
    requireNonEmptyFile(path);
    cv::Mat picture;
    if (readImageHeader(path)) {
        picture = loadImageRgb(path);
    } else {
        VideoDecoder video(path);
        picture = video.seekToFrame(video.frameCount() / 10).rgb;
    }
    const double scale = static_cast<double>(maxSide) / std::max(picture.cols, picture.rows);
    if (scale >= 1.0)
        return picture;
    cv::Mat small;
    cv::resize(picture, small,
               cv::Size(std::max(1, static_cast<int>(std::lround(picture.cols * scale))),
                        std::max(1, static_cast<int>(std::lround(picture.rows * scale)))),
               0, 0, cv::INTER_AREA);
    return small;
}

} // namespace rd::media
