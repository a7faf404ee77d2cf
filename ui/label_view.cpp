#include "ui/label_view.h"

#include "common/error.h"
#include "ui/label_keys.h"
#include "ui/media_pane.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QTimer>
#include <QVBoxLayout>

namespace rd::ui {

LabelView::LabelView(label::LabelingSession session, QWidget* parent)
    : QWidget(parent), m_session(std::move(session)) {
    setFocusPolicy(Qt::StrongFocus);
    m_prompt = new QLabel(this);
    m_prompt->setWordWrap(true);
    m_prompt->setAlignment(Qt::AlignCenter);
    QFont big = m_prompt->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    m_prompt->setFont(big);
    m_left = new MediaPane(this);
    m_right = new MediaPane(this);
    connect(m_left, &MediaPane::viewChanged, m_right, &MediaPane::setView);
    connect(m_right, &MediaPane::viewChanged, m_left, &MediaPane::setView);
    m_reason = new QLineEdit(this);
    m_reason->setPlaceholderText(tr("Reason (optional; Enter or Esc returns to the keys)"));
    m_reason->installEventFilter(this);
    m_progress = new QLabel(this);
    m_hint = new QLabel(this);
    m_hint->setAlignment(Qt::AlignCenter);
    showKeyHint();
    auto* sides = new QHBoxLayout;
    sides->addWidget(m_left, 1);
    sides->addWidget(m_right, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_prompt);
    layout->addLayout(sides, 1);
    layout->addWidget(clipBar());
    layout->addWidget(m_reason);
    layout->addWidget(m_hint);
    layout->addWidget(m_progress);
    m_clock = new QTimer(this);
    m_clock->setInterval(15);
    connect(m_clock, &QTimer::timeout, this, &LabelView::tick);
    m_sessionTime.start();
    showCurrent();
}

// Clip controls under both sides: play, scrub, speed 0.25x-2x, loop. None takes the keyboard
// focus, so the verdict keys keep working after a click.
QWidget* LabelView::clipBar() {
    m_clipBar = new QWidget(this);
    m_play = new QPushButton(tr("Play"), m_clipBar);
    m_scrub = new QSlider(Qt::Horizontal, m_clipBar);
    m_speed = new QComboBox(m_clipBar);
    for (double speed : {0.25, 0.5, 1.0, 1.5, 2.0})
        m_speed->addItem(QString("%1x").arg(speed), speed);
    m_speed->setCurrentIndex(2);
    m_loop = new QCheckBox(tr("Loop"), m_clipBar);
    m_loop->setChecked(true);
    for (QWidget* w : std::initializer_list<QWidget*>{m_play, m_scrub, m_speed, m_loop})
        w->setFocusPolicy(Qt::NoFocus);
    auto* row = new QHBoxLayout(m_clipBar);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_play);
    row->addWidget(m_scrub, 1);
    row->addWidget(m_speed);
    row->addWidget(m_loop);
    connect(m_play, &QPushButton::clicked, this, &LabelView::togglePlay);
    connect(m_scrub, &QSlider::valueChanged, this, [this](int frame) {
        m_clock->stop();
        showFrame(frame);
    });
    connect(m_speed, &QComboBox::currentIndexChanged, this, [this] {
        m_playStartFrame = m_frame; // the clock continues from here at the new speed
        m_playStarted.restart();
    });
    m_clipBar->hide();
    return m_clipBar;
}

void LabelView::setKeyMap(const LabelKeyMap& keys) {
    m_keys = keys;
    showKeyHint();
}

void LabelView::showKeyHint() {
    auto keys = [this](LabelAction a) { return LabelKeyMap::keysText(m_keys.keysFor(a)); };
    m_hint->setText(tr("%1: left better   %2: right better   %3: same   %4: undo   %5: play   "
                       "%6 %7: frame step")
                        .arg(keys(LabelAction::LeftBetter), keys(LabelAction::RightBetter),
                             keys(LabelAction::Same), keys(LabelAction::Undo),
                             keys(LabelAction::PlayPause), keys(LabelAction::StepBack),
                             keys(LabelAction::StepForward)));
}

// Both sides and the scrub bar show `frame`.
void LabelView::showFrame(std::int64_t frame) {
    m_frame = frame;
    m_left->showFrame(m_frame);
    m_right->showFrame(m_frame);
    const QSignalBlocker quiet(m_scrub);
    m_scrub->setValue(static_cast<int>(m_frame));
}

store::RowId LabelView::currentItemId() const {
    return m_item ? m_item->itemId : 0;
}

QString LabelView::progressText() const {
    const label::SessionProgress p = m_session.progress();
    QString text = tr("%1 of %2 judged").arg(p.done).arg(p.total);
    if (m_judgedHere > 0 && p.done < p.total) {
        const double perItem = m_sessionTime.elapsed() / 1000.0 / m_judgedHere;
        const int minutes = static_cast<int>(perItem * (p.total - p.done) / 60.0 + 0.5);
        text += tr("  -  about %1 min left").arg(minutes);
    }
    return text;
}

QImage LabelView::imageFor(const std::filesystem::path& file) {
    const auto it = m_prefetched.find(file);
    if (it != m_prefetched.end())
        return it->second;
    return MediaPane::toQImage(file);
}

void LabelView::showCurrent() {
    m_clock->stop();
    m_play->setText(tr("Play"));
    m_frame = 0;
    m_item = m_session.current();
    m_reason->clear();
    m_progress->setText(progressText());
    if (!m_item) {
        m_prompt->setText(
            tr("All %1 items are judged. Thank you!").arg(m_session.progress().total));
        m_left->clear(QString());
        m_right->clear(QString());
        m_clipBar->hide();
        return;
    }
    m_prompt->setText(QString::fromStdString(m_item->prompt));
    try {
        m_clipBar->setVisible(m_item->kind == store::MediaKind::Video);
        if (m_item->kind == store::MediaKind::Video) {
            m_left->openClip(m_item->left);
            m_right->openClip(m_item->right);
            const QSignalBlocker quiet(m_scrub);
            m_scrub->setRange(0, static_cast<int>(clipFrames() - 1));
            m_scrub->setValue(0);
        } else {
            m_left->showImage(imageFor(m_item->left));
            m_right->showImage(imageFor(m_item->right));
        }
    } catch (const Error& e) {
        m_left->clear(QString::fromUtf8(e.what()));
        m_right->clear(QString());
    }
    m_left->setView(1.0, QPointF());
    m_right->setView(1.0, QPointF());
    m_shownFor.start();
    QTimer::singleShot(0, this, &LabelView::prefetch);
}

// Loads the next item's images while the annotator looks at this one.
void LabelView::prefetch() {
    std::map<std::filesystem::path, QImage> next;
    if (const auto upcoming = m_session.upcoming(1);
        upcoming && upcoming->kind == store::MediaKind::Image) {
        try {
            next[upcoming->left] = imageFor(upcoming->left);
            next[upcoming->right] = imageFor(upcoming->right);
        } catch (const Error&) { // shown with its error when it comes up
        }
    }
    if (m_item && m_item->kind == store::MediaKind::Image)
        for (const auto* file : {&m_item->left, &m_item->right})
            if (m_prefetched.count(*file))
                next[*file] = m_prefetched[*file];
    m_prefetched = std::move(next);
}

void LabelView::choose(label::Choice choice) {
    if (!m_item)
        return;
    try {
        m_session.judge(choice, m_reason->text().trimmed().toStdString(), m_shownFor.elapsed());
    } catch (const Error& e) {
        emit failed(QString::fromUtf8(e.what()));
        return; // the item stays on screen: nothing was stored
    }
    ++m_judgedHere;
    const label::SessionProgress p = m_session.progress();
    emit judged(p.done, p.total);
    showCurrent();
}

void LabelView::undo() {
    try {
        if (m_session.undo())
            showCurrent();
    } catch (const Error& e) {
        emit failed(QString::fromUtf8(e.what()));
    }
}

void LabelView::togglePlay() {
    if (!m_item || m_item->kind != store::MediaKind::Video)
        return;
    if (m_clock->isActive()) {
        m_clock->stop();
        m_play->setText(tr("Play"));
        return;
    }
    if (!m_loop->isChecked() && m_frame >= clipFrames() - 1)
        showFrame(0); // played to the end: play again from the start
    m_clock->start();
    m_play->setText(tr("Pause"));
    m_playStarted.start();
    m_playStartFrame = m_frame;
}

std::int64_t LabelView::clipFrames() const {
    return std::max(m_left->frameCount(), m_right->frameCount());
}

void LabelView::step(int frames) {
    if (!m_item || m_item->kind != store::MediaKind::Video)
        return;
    m_clock->stop();
    m_play->setText(tr("Play"));
    showFrame(std::clamp<std::int64_t>(m_frame + frames, 0, clipFrames() - 1));
}

// One clock drives both sides: the frame shown is the one due at the elapsed time and speed;
// at the end the clip loops, or stops on its last frame.
void LabelView::tick() {
    const std::int64_t count = std::max<std::int64_t>(1, clipFrames());
    const double speed = m_speed->currentData().toDouble();
    const auto due = m_playStartFrame + static_cast<std::int64_t>(m_playStarted.elapsed() / 1000.0 *
                                                                  m_left->fps() * speed);
    std::int64_t frame = due % count;
    if (!m_loop->isChecked() && due >= count - 1) {
        frame = count - 1;
        m_clock->stop();
        m_play->setText(tr("Play"));
    }
    if (frame != m_frame)
        showFrame(frame);
}

void LabelView::keyPressEvent(QKeyEvent* event) {
    const auto action = m_keys.actionFor(event->key());
    if (!action || event->isAutoRepeat()) {
        QWidget::keyPressEvent(event);
        return;
    }
    switch (*action) {
    case LabelAction::LeftBetter:
        choose(label::Choice::Left);
        break;
    case LabelAction::RightBetter:
        choose(label::Choice::Right);
        break;
    case LabelAction::Same:
        choose(label::Choice::Same);
        break;
    case LabelAction::Undo:
        undo();
        break;
    case LabelAction::PlayPause:
        togglePlay();
        break;
    case LabelAction::StepBack:
        step(-1);
        break;
    case LabelAction::StepForward:
        step(1);
        break;
    }
}

// In the reason field, keys type text; Enter or Escape hands the keys back to the view.
bool LabelView::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_reason && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent*>(event)->key();
        if (key == Qt::Key_Return || key == Qt::Key_Enter || key == Qt::Key_Escape) {
            setFocus();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace rd::ui
