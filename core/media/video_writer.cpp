#include "media/video_writer.h"

#include "common/error.h"
#include "media/av_error.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

#include <opencv2/core.hpp>

#include <thread>

#include <unistd.h>

namespace rd::media {
namespace fs = std::filesystem;

struct VideoWriter::Impl {
    fs::path target;
    fs::path temporary;
    int width = 0, height = 0;           // of the frames given to write()
    int codedWidth = 0, codedHeight = 0; // even sizes the encoder gets
    AVFormatContext* format = nullptr;
    AVCodecContext* codec = nullptr;
    AVStream* stream = nullptr;
    AVFrame* frame = nullptr;
    AVPacket* packet = nullptr;
    SwsContext* sws = nullptr;
    long frames = 0;
    bool finished = false;

    ~Impl() {
        sws_freeContext(sws);
        av_packet_free(&packet);
        av_frame_free(&frame);
        avcodec_free_context(&codec);
        if (format) {
            if (format->pb)
                avio_closep(&format->pb);
            avformat_free_context(format);
        }
        if (!finished) {
            std::error_code ignored;
            fs::remove(temporary, ignored);
        }
    }

    void check(int rc, const std::string& what) const {
        if (rc < 0)
            throw Error(ErrorKind::Io, target.string() + ": " + what + ": " + averrorText(rc));
    }

    // Sends one frame (or nullptr to flush) and writes every packet the encoder has ready.
    void encode(AVFrame* input) {
        check(avcodec_send_frame(codec, input), "encoding a frame");
        while (true) {
            int rc = avcodec_receive_packet(codec, packet);
            if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF)
                return;
            check(rc, "encoding a frame");
            // One frame per tick of the codec's time base; without a duration the muxer cannot
            // know how long the last frame lasts and the clip's frame rate comes out wrong.
            if (packet->duration <= 0)
                packet->duration = 1;
            av_packet_rescale_ts(packet, codec->time_base, stream->time_base);
            packet->stream_index = stream->index;
            check(av_interleaved_write_frame(format, packet), "writing a packet");
        }
    }
};

namespace {

const AVCodec* pickEncoder(const std::string& wanted) {
    if (wanted.empty() || wanted == "h264") {
        if (const AVCodec* h264 = avcodec_find_encoder_by_name("libx264"))
            return h264;
        if (wanted == "h264")
            return avcodec_find_encoder(AV_CODEC_ID_H264);
    }
    if (wanted.empty() || wanted == "mpeg4")
        return avcodec_find_encoder(AV_CODEC_ID_MPEG4);
    return nullptr;
}

} // namespace

VideoWriter::VideoWriter(const fs::path& path, int width, int height,
                         const VideoWriterOptions& options)
    : m_impl(std::make_unique<Impl>()) {
    Impl& d = *m_impl;
    av_log_set_level(AV_LOG_QUIET); // errors reach the caller as rd::Error; x264 chatters
    d.target = path;
    d.temporary = path.parent_path() /
                  ("." + path.filename().string() + ".tmp-" + std::to_string(::getpid()));
    if (width <= 0 || height <= 0 || options.fps <= 0)
        throw Error(ErrorKind::InvalidArgument,
                    path.string() + ": a video needs a positive size and frame rate");
    d.width = width;
    d.height = height;
    d.codedWidth = width + (width & 1);
    d.codedHeight = height + (height & 1);

    const AVCodec* encoder = pickEncoder(options.codec);
    if (!encoder)
        throw Error(ErrorKind::Unsupported,
                    path.string() + ": no encoder for codec '" + options.codec + "'");
    d.check(avformat_alloc_output_context2(&d.format, nullptr, "mp4", d.temporary.c_str()),
            "creating the MP4 muxer");
    d.stream = avformat_new_stream(d.format, nullptr);
    d.codec = avcodec_alloc_context3(encoder);
    d.frame = av_frame_alloc();
    d.packet = av_packet_alloc();
    if (!d.stream || !d.codec || !d.frame || !d.packet)
        throw Error(ErrorKind::Internal, path.string() + ": out of memory");

    d.codec->width = d.codedWidth;
    d.codec->height = d.codedHeight;
    d.codec->pix_fmt = AV_PIX_FMT_YUV420P;
    d.codec->time_base = av_inv_q(av_d2q(options.fps, 100000));
    d.codec->framerate = av_d2q(options.fps, 100000);
    d.codec->gop_size = 12;
    d.codec->thread_count = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    if (encoder->id == AV_CODEC_ID_H264) {
        av_opt_set(d.codec->priv_data, "preset", "veryfast", 0);
        av_opt_set(d.codec->priv_data, "crf", std::to_string(options.quality).c_str(), 0);
    } else {
        d.codec->flags |= AV_CODEC_FLAG_QSCALE;
        // qscale 2..31: map the CRF-like quality (0..51) onto it.
        d.codec->global_quality = FF_QP2LAMBDA * std::clamp(options.quality / 5, 2, 31);
    }
    if (d.format->oformat->flags & AVFMT_GLOBALHEADER)
        d.codec->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    d.check(avcodec_open2(d.codec, encoder, nullptr), "opening the encoder");
    d.check(avcodec_parameters_from_context(d.stream->codecpar, d.codec), "configuring the stream");
    d.stream->time_base = d.codec->time_base;
    d.stream->avg_frame_rate = d.codec->framerate;
    d.check(avio_open(&d.format->pb, d.temporary.c_str(), AVIO_FLAG_WRITE), "creating the file");
    d.check(avformat_write_header(d.format, nullptr), "writing the MP4 header");

    d.frame->format = AV_PIX_FMT_YUV420P;
    d.frame->width = d.codedWidth;
    d.frame->height = d.codedHeight;
    d.check(av_frame_get_buffer(d.frame, 0), "allocating a frame");
    d.sws =
        sws_getContext(d.codedWidth, d.codedHeight, AV_PIX_FMT_RGB24, d.codedWidth, d.codedHeight,
                       AV_PIX_FMT_YUV420P, SWS_BICUBIC, nullptr, nullptr, nullptr);
    if (!d.sws)
        throw Error(ErrorKind::Internal, path.string() + ": cannot create the colour converter");
}

VideoWriter::~VideoWriter() = default;

void VideoWriter::write(const cv::Mat& rgb) {
    Impl& d = *m_impl;
    if (d.finished)
        throw Error(ErrorKind::InvalidArgument, d.target.string() + ": write() after finish()");
    if (rgb.type() != CV_8UC3 || rgb.cols != d.width || rgb.rows != d.height)
        throw Error(ErrorKind::InvalidArgument,
                    d.target.string() + ": frame " + std::to_string(d.frames) + " is " +
                        std::to_string(rgb.cols) + "x" + std::to_string(rgb.rows) +
                        ", expected 8-bit RGB " + std::to_string(d.width) + "x" +
                        std::to_string(d.height));
    cv::Mat padded = rgb;
    if (d.codedWidth != d.width || d.codedHeight != d.height)
        cv::copyMakeBorder(rgb, padded, 0, d.codedHeight - d.height, 0, d.codedWidth - d.width,
                           cv::BORDER_REPLICATE);
    // A source stride that is a multiple of 16 pixels keeps swscale's SIMD paths exact (see
    // VideoDecoder's conversion).
    cv::Mat aligned(d.codedHeight, (d.codedWidth + 15) / 16 * 16, CV_8UC3);
    padded.copyTo(aligned(cv::Rect(0, 0, d.codedWidth, d.codedHeight)));
    d.check(av_frame_make_writable(d.frame), "preparing a frame");
    const uint8_t* source[1] = {aligned.data};
    const int stride[1] = {static_cast<int>(aligned.step)};
    sws_scale(d.sws, source, stride, 0, d.codedHeight, d.frame->data, d.frame->linesize);
    d.frame->pts = d.frames++;
    d.encode(d.frame);
}

void VideoWriter::finish() {
    Impl& d = *m_impl;
    if (d.finished)
        return;
    if (d.frames == 0)
        throw Error(ErrorKind::InvalidArgument, d.target.string() + ": a video needs frames");
    d.encode(nullptr);
    d.check(av_write_trailer(d.format), "writing the MP4 trailer");
    avio_closep(&d.format->pb);
    std::error_code ec;
    fs::rename(d.temporary, d.target, ec);
    if (ec)
        throw Error(ErrorKind::Io, d.target.string() +
                                       ": cannot move the finished video into "
                                       "place: " +
                                       ec.message());
    d.finished = true;
}

std::string VideoWriter::codecName() const {
    return m_impl->codec->codec->name;
}
} // namespace rd::media
