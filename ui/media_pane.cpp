#include "ui/media_pane.h"

#include "media/image_io.h"
#include "media/video_decoder.h"

#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>

namespace rd::ui {

namespace {

QImage fromMat(const cv::Mat& rgb) {
    return QImage(rgb.data, rgb.cols, rgb.rows, static_cast<int>(rgb.step), QImage::Format_RGB888)
        .copy();
}

} // namespace

MediaPane::MediaPane(QWidget* parent) : QWidget(parent) {
    setMinimumSize(160, 160);
    setFocusPolicy(Qt::NoFocus); // keys belong to the Label view
}

MediaPane::~MediaPane() = default;

QImage MediaPane::toQImage(const std::filesystem::path& file) {
    return fromMat(media::loadImageRgb(file));
}

void MediaPane::showImage(const QImage& image) {
    m_clip.reset();
    m_image = image;
    m_message.clear();
    update();
}

void MediaPane::openClip(const std::filesystem::path& file) {
    m_clip = std::make_unique<media::VideoDecoder>(file);
    m_message.clear();
    showFrame(0);
}

void MediaPane::clear(const QString& message) {
    m_clip.reset();
    m_image = QImage();
    m_message = message;
    update();
}

std::int64_t MediaPane::frameCount() const {
    return m_clip ? m_clip->frameCount() : 1;
}

double MediaPane::fps() const {
    return m_clip && m_clip->info().fps > 0 ? m_clip->info().fps : 25.0;
}

void MediaPane::showFrame(std::int64_t index) {
    if (!m_clip)
        return;
    index = std::clamp<std::int64_t>(index, 0, m_clip->frameCount() - 1);
    m_image = fromMat(m_clip->seekToFrame(index).rgb);
    update();
}

void MediaPane::setView(double zoom, QPointF offset) {
    m_zoom = zoom;
    m_offset = offset;
    update();
}

void MediaPane::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), QColor(40, 40, 40));
    if (m_image.isNull()) {
        p.setPen(Qt::white);
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, m_message);
        return;
    }
    const QSizeF fitted = QSizeF(m_image.size()).scaled(QSizeF(size()), Qt::KeepAspectRatio);
    const QSizeF shown = fitted * m_zoom;
    const QPointF topLeft((width() - shown.width()) / 2 + m_offset.x(),
                          (height() - shown.height()) / 2 + m_offset.y());
    // Small generated images stay crisp when enlarged.
    p.setRenderHint(QPainter::SmoothPixmapTransform, m_image.width() >= fitted.width());
    p.drawImage(QRectF(topLeft, shown), m_image);
}

void MediaPane::wheelEvent(QWheelEvent* event) {
    const double factor = event->angleDelta().y() > 0 ? 1.25 : 0.8;
    const double zoom = std::clamp(m_zoom * factor, 1.0, 16.0);
    setView(zoom, zoom == 1.0 ? QPointF() : m_offset * (zoom / m_zoom));
    emit viewChanged(m_zoom, m_offset);
}

void MediaPane::mousePressEvent(QMouseEvent* event) {
    m_dragStart = event->position() - m_offset;
}

void MediaPane::mouseMoveEvent(QMouseEvent* event) {
    if (m_zoom <= 1.0)
        return;
    setView(m_zoom, event->position() - m_dragStart);
    emit viewChanged(m_zoom, m_offset);
}

} // namespace rd::ui
