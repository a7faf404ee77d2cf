#include "diffusion/sample_writer.h"

#include "common/error.h"
#include "diffusion/text_to_image.h"
#include "media/image_io.h"
#include "store/file_hash.h"
#include "store/generation_repository.h"
#include "store/media_repository.h"
#include "store/sqlite_db.h"
#include "store/workspace.h"

#include <algorithm>
#include <filesystem>

namespace rd::diffusion {
namespace fs = std::filesystem;

SampleWriteReport writeSamples(store::Workspace& ws, TextToImage& generator,
                               const std::vector<store::PromptRecord>& prompts,
                               const SampleWriteOptions& options,
                               const std::function<void(int, int)>& progress) {
    if (options.generator.empty() || options.generator.find_first_of("/\\") != std::string::npos ||
        options.generator == "..")
        throw Error(ErrorKind::InvalidArgument,
                    "generator name '" + options.generator + "' cannot name a folder");
    const fs::path folder = ws.mediaFolder() / "generated" / options.generator;
    fs::create_directories(folder);
    struct Item {
        const store::PromptRecord* prompt;
        std::uint64_t seed;
        fs::path file;
    };
    std::vector<Item> items;
    for (size_t i = 0; i < prompts.size(); ++i)
        for (int j = 0; j < options.perPrompt; ++j) {
            const std::uint64_t seed = options.seed + i * options.perPrompt + j;
            items.push_back({&prompts[i], seed,
                             folder / ("p" + std::to_string(prompts[i].id) + "-s" +
                                       std::to_string(seed) + ".png")});
        }
    // Files first (each written atomically), rows after in one transaction.
    const size_t batch = static_cast<size_t>(std::max(1, options.batch));
    for (size_t first = 0; first < items.size(); first += batch) {
        std::vector<std::string> texts;
        std::vector<std::uint64_t> seeds;
        const size_t end = std::min(items.size(), first + batch);
        for (size_t k = first; k < end; ++k) {
            texts.push_back(items[k].prompt->text);
            seeds.push_back(items[k].seed);
        }
        const std::vector<cv::Mat> images = generator.sample(texts, seeds, options.sampling);
        for (size_t k = first; k < end; ++k)
            media::saveImageRgb(items[k].file, images[k - first]);
        if (progress)
            progress(static_cast<int>(end), static_cast<int>(items.size()));
    }
    SampleWriteReport report;
    const int size = generator.config().imageSize;
    store::Transaction tx(ws.database());
    for (const Item& item : items) {
        bool added = false;
        const store::RowId mediaId = ws.media().findOrInsert(
            store::sha256File(item.file),
            [&] {
                store::MediaRecord m;
                m.path = ws.storableMediaPath(item.file);
                m.kind = store::MediaKind::Image;
                m.width = m.height = size;
                return m;
            },
            &added);
        report.mediaAdded += added ? 1 : 0;
        ws.generations().findOrInsert({0, item.prompt->id, mediaId, options.generator,
                                       static_cast<std::int64_t>(item.seed), std::nullopt},
                                      &added);
        report.generationsAdded += added ? 1 : 0;
        ++report.images;
    }
    tx.commit();
    return report;
}

} // namespace rd::diffusion
