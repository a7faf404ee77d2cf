#include "import_file.h"

#include "importer_registry.h"
#include "media/media_info.h"

namespace rd::importers {

store::MediaFacts probeWithMediaEngine(const std::filesystem::path& path) {
    const media::MediaInfo info = media::probeMedia(path);
    store::MediaFacts facts;
    facts.kind =
        info.type == media::MediaType::Video ? store::MediaKind::Video : store::MediaKind::Image;
    facts.width = info.width;
    facts.height = info.height;
    facts.frames = info.frames;
    if (info.type == media::MediaType::Video) {
        facts.fps = info.fps;
        facts.durationS = info.durationS;
    }
    return facts;
}

store::ImportReport importFile(store::Workspace& workspace, const ImportRequest& request) {
    const std::string format =
        request.format.empty() ? detectFormat(request.input) : request.format;
    auto reader = makeReader(format);
    store::ReaderOptions readerOptions;
    readerOptions.mediaRoot = request.mediaRoot;
    store::ImportOptions options;
    options.copyMedia = request.copyMedia;
    options.progress = request.progress;
    return store::importManifest(workspace, *reader, request.input, readerOptions,
                                 &probeWithMediaEngine, options);
}

} // namespace rd::importers
