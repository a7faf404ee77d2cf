#include "synth/synth_writer.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "media/image_io.h"
#include "media/video_writer.h"
#include "store/file_hash.h"
#include "store/generation_repository.h"
#include "store/media_repository.h"
#include "store/pair_repository.h"
#include "store/prompt_repository.h"
#include "store/sqlite_db.h"
#include "store/workspace.h"
#include "synth/synth_json.h"

#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include <unistd.h>

namespace rd::synth {
namespace fs = std::filesystem;

namespace {

struct StoredFile {
    fs::path path;
    std::string sha256;
};

class FileStage {
public:
    FileStage(const fs::path& mediaRoot, const SynthWriteOptions& options)
        : m_root(mediaRoot), m_options(options) {}

    StoredFile write(const PromptBundle& bundle, size_t bundleIndex, size_t imageIndex) const {
        const SynthImage& image = bundle.images[imageIndex];
        const fs::path folder = m_root / name(bundle.prompt.split);
        fs::create_directories(folder);
        const bool clip = bundle.frames > 1;
        const std::string ext = clip ? ".mp4" : ".png";
        // Unique per image of this run; renamed to the content hash below.
        const fs::path staging =
            folder / (".staging-" + std::to_string(bundleIndex) + "-" + std::to_string(imageIndex) +
                      "-" + std::to_string(image.seed) + ext);
        if (clip) {
            const std::vector<cv::Mat> frames = renderClip(image.scene, image.look, bundle.frames);
            media::VideoWriterOptions vo;
            vo.fps = m_options.fps;
            media::VideoWriter writer(staging, image.look.width, image.look.height, vo);
            for (const cv::Mat& f : frames)
                writer.write(f);
            writer.finish();
        } else {
            media::saveImageRgb(staging, render(image.scene, image.look));
        }
        StoredFile stored;
        stored.sha256 = store::sha256File(staging);
        stored.path = folder / (stored.sha256 + ext);
        std::error_code ec;
        fs::rename(staging, stored.path, ec);
        if (ec)
            throw Error(ErrorKind::Io, "cannot rename " + staging.string() + " to " +
                                           stored.path.string() + ": " + ec.message());
        const nlohmann::json sidecar = {{"shapeworld_scene", sceneToJson(image.scene)},
                                        {"frames", bundle.frames},
                                        {"width", image.look.width},
                                        {"height", image.look.height},
                                        {"texture", image.look.texture},
                                        {"blur_sigma", image.look.blurSigma},
                                        {"noise_sigma", image.look.noiseSigma}};
        writeFileAtomically(sidecarPath(stored.path),
                            [&](std::ostream& out) { out << sidecar.dump(1) << "\n"; });
        return stored;
    }

private:
    fs::path m_root;
    const SynthWriteOptions& m_options;
};

// Renders every image of every bundle, workers taking bundles in turn.
std::vector<std::vector<StoredFile>> writeFiles(const fs::path& mediaRoot,
                                                const std::vector<PromptBundle>& bundles,
                                                const SynthWriteOptions& options) {
    std::vector<std::vector<StoredFile>> files(bundles.size());
    const FileStage stage(mediaRoot, options);
    std::atomic<size_t> next{0};
    std::atomic<bool> stop{false};
    std::mutex mutex; // guards failure, done and the progress callback
    std::exception_ptr failure;
    long done = 0;
    auto work = [&] {
        for (size_t b = next++; b < bundles.size() && !stop; b = next++) {
            try {
                for (size_t i = 0; i < bundles[b].images.size(); ++i)
                    files[b].push_back(stage.write(bundles[b], b, i));
            } catch (...) {
                std::lock_guard<std::mutex> lock(mutex);
                if (!failure)
                    failure = std::current_exception();
                stop = true;
                return;
            }
            std::lock_guard<std::mutex> lock(mutex);
            ++done;
            if (options.progress && (done % 50 == 0 || done == long(bundles.size())) &&
                !options.progress({"render", done, long(bundles.size())}))
                stop = true;
        }
    };
    const int threads = std::max(1, std::min(options.threads, 16));
    std::vector<std::thread> workers;
    for (int t = 1; t < threads; ++t)
        workers.emplace_back(work);
    work();
    for (std::thread& t : workers)
        t.join();
    if (failure)
        std::rethrow_exception(failure);
    if (stop)
        throw Error(ErrorKind::Cancelled, "ShapeWorld synthesis cancelled while rendering");
    return files;
}

store::Preference preferenceOf(Winner winner) {
    switch (winner) {
    case Winner::First:
        return store::Preference::A;
    case Winner::Second:
        return store::Preference::B;
    case Winner::Tie:
        return store::Preference::Tie;
    }
    return store::Preference::Unknown;
}

} // namespace

fs::path sidecarPath(const fs::path& mediaFile) {
    fs::path p = mediaFile;
    return p.replace_extension(".json");
}

SynthWriteReport writeBundles(store::Workspace& ws, const std::vector<PromptBundle>& bundles,
                              const SynthWriteOptions& options, const BeforeCommit& beforeCommit) {
    const auto files = writeFiles(ws.mediaFolder() / "shapeworld", bundles, options);

    SynthWriteReport report;
    store::Transaction tx(ws.database());
    for (size_t b = 0; b < bundles.size(); ++b) {
        const PromptBundle& bundle = bundles[b];
        const SampledPrompt& p = bundle.prompt;
        const nlohmann::json metadata = {{"shapeworld", specToJson(p.spec, p.wording)}};
        bool added = false;
        const store::RowId promptId = ws.prompts().findOrInsert(
            {0, p.text, name(p.spec.category), name(p.split), metadata.dump()}, &added);
        ++report.prompts;
        report.promptsAdded += added ? 1 : 0;

        std::vector<store::RowId> generations;
        for (size_t i = 0; i < bundle.images.size(); ++i) {
            const SynthImage& image = bundle.images[i];
            const StoredFile& file = files[b][i];
            bool mediaAdded = false;
            const store::RowId mediaId = ws.media().findOrInsert(
                file.sha256,
                [&] {
                    store::MediaRecord m;
                    m.path = ws.storableMediaPath(file.path);
                    m.kind = bundle.frames > 1 ? store::MediaKind::Video : store::MediaKind::Image;
                    m.width = image.look.width;
                    m.height = image.look.height;
                    m.frames = bundle.frames;
                    if (bundle.frames > 1) {
                        m.fps = options.fps;
                        m.durationS = bundle.frames / options.fps;
                    }
                    return m;
                },
                &mediaAdded);
            report.mediaAdded += mediaAdded ? 1 : 0;
            report.mediaReused += mediaAdded ? 0 : 1;
            bool genAdded = false;
            generations.push_back(ws.generations().findOrInsert(
                {0, promptId, mediaId, image.generator, image.seed, std::nullopt}, &genAdded));
            report.generationsAdded += genAdded ? 1 : 0;
        }
        for (size_t k = 0; k < bundle.pairs.size(); ++k) {
            const SynthPair& pair = bundle.pairs[k];
            store::PairRecord record;
            record.promptId = promptId;
            record.genA = generations[size_t(pair.first)];
            record.genB = generations[size_t(pair.second)];
            if (record.genA == record.genB) // identical renders (two empty backgrounds)
                continue;
            record.preferred = preferenceOf(pair.winner);
            record.source = store::PairSource::Synthetic;
            record.rationale = pair.rationale.decisionFirst;
            record.split = name(p.split);
            if (auto id = ws.pairs().insertIfAbsent(record)) {
                ++report.pairsAdded;
                report.pairs.push_back({*id, b, k});
            } else {
                ++report.pairsExisting;
            }
        }
        if (options.progress && (b + 1) % 200 == 0 &&
            !options.progress({"rows", long(b + 1), long(bundles.size())}))
            throw Error(ErrorKind::Cancelled, "ShapeWorld synthesis cancelled; nothing written");
    }
    if (beforeCommit)
        beforeCommit(ws, report);
    tx.commit();
    return report;
}

} // namespace rd::synth
