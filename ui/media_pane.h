// One side of the Label view: an image, or the current frame of a clip, fitted to the pane.
// Wheel zooms about the cursor and dragging pans; the view mirrors both to the other pane so
// the two sides stay in step. Clips are decoded by the media engine (core/media) on demand.
#pragma once

#include <QImage>
#include <QPointF>
#include <QWidget>

#include <filesystem>
#include <memory>

namespace rd::media {
class VideoDecoder;
}

namespace rd::ui {

class MediaPane : public QWidget {
    Q_OBJECT

public:
    explicit MediaPane(QWidget* parent = nullptr);
    ~MediaPane() override;

    // Shows an image file (or a clip's first frame); throws rd::Error naming the file.
    void showImage(const QImage& image);
    void openClip(const std::filesystem::path& file);
    void clear(const QString& message);
    // Clips: frame count, frames per second, and the frame to show.
    std::int64_t frameCount() const;
    double fps() const;
    void showFrame(std::int64_t index);

    // Zoom (1 = fit) and the pan offset in fitted-image pixels.
    void setView(double zoom, QPointF offset);
    double zoom() const { return m_zoom; }

    static QImage toQImage(const std::filesystem::path& imageFile);

signals:
    void viewChanged(double zoom, QPointF offset);

protected:
    void paintEvent(QPaintEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;

private:
    QImage m_image;
    QString m_message;
    double m_zoom = 1.0;
    QPointF m_offset;
    QPointF m_dragStart;
    std::unique_ptr<media::VideoDecoder> m_clip;
};

} // namespace rd::ui
