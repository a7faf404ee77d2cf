// rdance-studio: the RewardDance Studio window.
//   rdance-studio [WS] [--study NAME] [--annotator NAME] [--view label|inspect|train|results]
//                 [--screenshot FILE.png] [--replay "KEY KEY ..."]
// --replay types the named keys into the Label view, one after another, and prints one JSON line
// per stored judgment: scripted demos, and the test that kills the studio mid-session.
// With --screenshot the window is drawn once (offscreen works: QT_QPA_PLATFORM=offscreen),
// saved, and the program exits: how the README's screenshots and the headless demo are made.
#include "compute/process_setup.h"
#include "ui/inspect_view.h"
#include "ui/label_keys.h"
#include "ui/label_view.h"
#include "ui/runs_view.h"
#include "ui/studio_window.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QKeyEvent>
#include <QTimer>

#include <cstdio>

int main(int argc, char** argv) {
    rd::compute::preferPassiveOpenMpWaiting(argv); // trainings run beside the window
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName("RewardDance");
    QCoreApplication::setApplicationName("RewardDance Studio");
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "RewardDance Studio: GSB labeling, RM inspection, training and results over a workspace");
    parser.addHelpOption();
    parser.addPositionalArgument("WS", "Workspace folder to open");
    QCommandLineOption study("study", "GSB study to label", "NAME");
    QCommandLineOption annotator("annotator", "Annotator name", "NAME");
    QCommandLineOption view("view", "The view to show: label (default), inspect, train or results",
                            "NAME");
    QCommandLineOption screenshot("screenshot", "Save the window as a PNG and exit", "FILE");
    QCommandLineOption replay(
        "replay", "Type these keys (names, space-separated) into the Label view", "KEYS");
    QCommandLineOption replayInterval("replay-interval", "Milliseconds between replayed keys (0)",
                                      "MS", "0");
    parser.addOptions({study, annotator, view, screenshot, replay, replayInterval});
    parser.process(app);

    rd::ui::StudioWindow window;
    window.show();
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty() && !parser.isSet(screenshot))
        QTimer::singleShot(0, &window, [&window] { window.offerDemoOnFirstRun(); });
    if (!positional.isEmpty() &&
        !window.openWorkspace(positional.front().toStdString(), parser.value(study),
                              parser.value(annotator)) &&
        parser.isSet(screenshot))
        return 1;
    const QString shown = parser.value(view) == "runs" ? "train" : parser.value(view);
    window.showView(shown);
    if (shown == "train" && window.runsView())
        window.runsView()->selectLatestTraining();
    if (shown == "inspect" && window.inspectView())
        window.inspectView()->selectRow(0);
    if (parser.isSet(replay) && window.labelView()) {
        const auto keys = rd::ui::LabelKeyMap::parseKeys(parser.value(replay));
        if (!keys) {
            std::fprintf(stderr, "rdance-studio: --replay: '%s' is not a list of key names\n",
                         qPrintable(parser.value(replay)));
            return 2;
        }
        rd::ui::LabelView* label = window.labelView();
        QObject::connect(label, &rd::ui::LabelView::judged, &app, [](int done, int total) {
            std::printf("{\"event\":\"judged\",\"done\":%d,\"total\":%d}\n", done, total);
            std::fflush(stdout);
        });
        const int interval = parser.value(replayInterval).toInt();
        for (int i = 0; i < keys->size(); ++i)
            QTimer::singleShot(interval * i, label, [label, key = (*keys)[i]] {
                QKeyEvent press(QEvent::KeyPress, key, Qt::NoModifier);
                QCoreApplication::sendEvent(label, &press);
            });
    }
    if (parser.isSet(screenshot)) {
        QTimer::singleShot(200, &app, [&] {
            const bool saved = window.grab().save(parser.value(screenshot));
            std::printf("{\"event\":\"screenshot\",\"file\":\"%s\",\"saved\":%s}\n",
                        qPrintable(parser.value(screenshot)), saved ? "true" : "false");
            app.exit(saved ? 0 : 1);
        });
    }
    return app.exec();
}
