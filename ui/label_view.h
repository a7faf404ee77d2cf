// The Label view: one GSB labeling session, keyboard-first (keys in label_keys.h). The prompt
// above, the two sides below (images fitted, zoom and pan in step; clips played by one clock,
// frame-stepped, scrubbed, sped 0.25x-2x and looped together), an optional reason, progress
// with an estimate of the time left. Each judgment is committed by the session before the next
// item shows; the next item's images are loaded ahead while the annotator looks at this one.
#pragma once

#include "label/labeling_session.h"
#include "ui/label_keys.h"

#include <QElapsedTimer>
#include <QImage>
#include <QWidget>

#include <map>
#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSlider;
class QTimer;

namespace rd::ui {

class MediaPane;

class LabelView : public QWidget {
    Q_OBJECT

public:
    explicit LabelView(label::LabelingSession session, QWidget* parent = nullptr);

    const label::LabelingSession& session() const { return m_session; }
    // The current item's id (0 when the session is done), for tests and the status bar.
    store::RowId currentItemId() const;
    QString progressText() const;
    // Clips: the frame both sides show, and the clip controls (for tests).
    std::int64_t frame() const { return m_frame; }
    QSlider* scrubBar() const { return m_scrub; }
    QComboBox* speedBox() const { return m_speed; }
    QCheckBox* loopBox() const { return m_loop; }
    // The keys in use (defaults until set; the studio sets the user's saved map); the hint under
    // the sides follows them.
    void setKeyMap(const LabelKeyMap& keys);
    const LabelKeyMap& keyMap() const { return m_keys; }

signals:
    void judged(int done, int total);
    void failed(const QString& message); // a judgment could not be stored

protected:
    void keyPressEvent(QKeyEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void showCurrent();
    void prefetch();
    void choose(label::Choice choice);
    void undo();
    void togglePlay();
    void step(int frames);
    void tick();
    QWidget* clipBar();
    void showKeyHint();
    void showFrame(std::int64_t frame);
    std::int64_t clipFrames() const;
    QImage imageFor(const std::filesystem::path& file);

    label::LabelingSession m_session;
    LabelKeyMap m_keys = LabelKeyMap::defaults();
    std::optional<label::LabelItem> m_item;
    QLabel* m_prompt;
    QLabel* m_progress;
    QLineEdit* m_reason;
    QLabel* m_hint;
    QWidget* m_clipBar;
    QPushButton* m_play;
    QSlider* m_scrub;
    QComboBox* m_speed;
    QCheckBox* m_loop;
    MediaPane* m_left;
    MediaPane* m_right;
    QTimer* m_clock;
    QElapsedTimer m_shownFor;    // time spent on the current item
    QElapsedTimer m_sessionTime; // for the estimate of the time left
    int m_judgedHere = 0;
    std::int64_t m_frame = 0;
    QElapsedTimer m_playStarted;
    std::int64_t m_playStartFrame = 0;
    std::map<std::filesystem::path, QImage> m_prefetched;
};

} // namespace rd::ui
