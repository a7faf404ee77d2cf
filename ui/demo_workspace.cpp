#include "ui/demo_workspace.h"

#include "common/error.h"
#include "synth/demo_builder.h"

#include <QApplication>
#include <QProgressDialog>
#include <QStandardPaths>

#include <atomic>
#include <thread>

namespace rd::ui {

std::filesystem::path defaultDemoFolder() {
    QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (documents.isEmpty())
        documents = QStandardPaths::writableLocation(QStandardPaths::HomeLocation);
    return std::filesystem::path(documents.toStdString()) / "RewardDance" / "demo-workspace";
}

bool buildDemoWorkspace(QWidget* parent, const std::filesystem::path& folder, QString* error) {
    std::atomic<long> done{0}, total{1};
    std::atomic<bool> cancel{false}, finished{false};
    std::string failure;
    synth::DemoOptions options;
    options.progress = [&](const synth::SynthProgress& p) { // called from the render workers
        done = p.done;
        total = std::max(1L, p.total);
        return !cancel.load();
    };
    std::error_code ec;
    std::filesystem::create_directories(folder.parent_path(), ec);
    std::thread worker([&] {
        try {
            synth::buildDemo(folder, options);
        } catch (const std::exception& e) {
            failure = e.what();
        }
        finished = true;
    });
    QProgressDialog dialog(QObject::tr("Building the ShapeWorld demo workspace..."),
                           QObject::tr("Cancel"), 0, 1000, parent);
    dialog.setWindowModality(Qt::WindowModal);
    dialog.setMinimumDuration(0);
    while (!finished) {
        if (!cancel)
            dialog.setValue(int(1000.0 * double(done) / double(total.load())) % 1000);
        QApplication::processEvents(QEventLoop::AllEvents, 50);
        if (dialog.wasCanceled() && !cancel) {
            // The dialog stays up (and the window blocked) until the worker has stopped and
            // removed the half-built folder.
            cancel = true;
            dialog.setLabelText(QObject::tr("Cancelling..."));
            dialog.setCancelButton(nullptr);
            dialog.show();
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    worker.join();
    dialog.reset();
    if (!failure.empty() && error)
        *error = cancel ? QString() : QString::fromStdString(failure);
    return failure.empty();
}

} // namespace rd::ui
