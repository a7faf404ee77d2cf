// bench-label-paint: how long an annotator waits between pressing a verdict key and seeing the
// next pair painted (issue "The studio": target <= 50 ms for images). A demo workspace (256 px
// images) is built in a scratch folder, or WS is used; the Label view runs offscreen at the
// given size and each key press is timed until both panes have painted the next item. The
// judgment's SQLite commit (synchronous=FULL) is inside the figure, as it is for a user.
//   bench-label-paint [WS] [--study NAME] [--items N] [--width W --height H]
// Prints one JSON line: median, p95 and max milliseconds, and the items timed.
#include "label/labeling_session.h"
#include "scratch_folder.h"
#include "store/workspace.h"
#include "synth/demo_builder.h"
#include "ui/label_view.h"
#include "ui/media_pane.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QKeyEvent>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace {

// Counts paint events of the panes it watches.
class PaintCounter : public QObject {
public:
    int paints = 0;
    bool eventFilter(QObject*, QEvent* event) override {
        paints += event->type() == QEvent::Paint ? 1 : 0;
        return false;
    }
};

double percentile(std::vector<double> v, double q) {
    std::sort(v.begin(), v.end());
    return v[static_cast<size_t>(q * double(v.size() - 1) + 0.5)];
}

} // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addPositionalArgument("WS", "Workspace (default: a fresh demo workspace)");
    QCommandLineOption study("study", "GSB study", "NAME", rd::synth::kDemoStudyName);
    QCommandLineOption items("items", "Key presses timed (default 60)", "N", "60");
    QCommandLineOption width("width", "Window width (default 1280)", "PX", "1280");
    QCommandLineOption height("height", "Window height (default 800)", "PX", "800");
    parser.addOptions({study, items, width, height});
    parser.addHelpOption();
    parser.process(app);

    rd::bench::ScratchFolder scratch("label-paint");
    std::filesystem::path folder = scratch / "demo";
    if (!parser.positionalArguments().isEmpty()) {
        folder = parser.positionalArguments().front().toStdString();
    } else {
        rd::synth::DemoOptions options;
        options.clipPrompts[0] = options.clipPrompts[1] = options.clipPrompts[2] = 0;
        rd::synth::buildDemo(folder, options);
    }
    auto ws = rd::store::Workspace::open(folder);
    const std::string annotator = "bench-" + std::to_string(QCoreApplication::applicationPid());
    rd::ui::LabelView view(
        rd::label::LabelingSession::open(*ws, parser.value(study).toStdString(), annotator));
    view.resize(parser.value(width).toInt(), parser.value(height).toInt());
    view.show();
    PaintCounter counter;
    const QList<rd::ui::MediaPane*> panes = view.findChildren<rd::ui::MediaPane*>();
    for (auto* pane : panes)
        pane->installEventFilter(&counter);
    QElapsedTimer settle;
    settle.start();
    while (settle.elapsed() < 300) // first paint and the first prefetch
        app.processEvents();

    std::vector<double> ms;
    const int wanted = parser.value(items).toInt();
    for (int i = 0; i < wanted && view.currentItemId() != 0; ++i) {
        const rd::store::RowId before = view.currentItemId();
        counter.paints = 0;
        QElapsedTimer clock;
        clock.start();
        QKeyEvent press(QEvent::KeyPress,
                        i % 3 == 0   ? Qt::Key_Left
                        : i % 3 == 1 ? Qt::Key_Right
                                     : Qt::Key_Down,
                        Qt::NoModifier);
        QCoreApplication::sendEvent(&view, &press);
        while (counter.paints < int(panes.size()) && clock.elapsed() < 5000)
            app.processEvents(QEventLoop::AllEvents, 5);
        if (view.currentItemId() == before || view.currentItemId() == 0)
            break;
        ms.push_back(double(clock.nsecsElapsed()) / 1e6);
        // Let the prefetch of the following item run, as it does while a person looks.
        QElapsedTimer look;
        look.start();
        while (look.elapsed() < 30)
            app.processEvents(QEventLoop::AllEvents, 5);
    }
    // Leave a given workspace as it was: the bench annotator's judgments go again.
    auto cleanup =
        rd::label::LabelingSession::open(*ws, parser.value(study).toStdString(), annotator);
    while (cleanup.undo()) {
    }
    if (ms.empty()) {
        std::fprintf(stderr, "bench-label-paint: no item could be timed\n");
        return 1;
    }
    std::printf(
        "{\"bench\":\"label_key_to_paint\",\"items\":%zu,\"median_ms\":%.2f,\"p95_ms\":%.2f,"
        "\"max_ms\":%.2f,\"target_ms\":50}\n",
        ms.size(), percentile(ms, 0.5), percentile(ms, 0.95),
        *std::max_element(ms.begin(), ms.end()));
    return 0;
}
