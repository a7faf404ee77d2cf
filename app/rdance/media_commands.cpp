#include "cli_output.h"
#include "commands.h"
#include "media/media_info.h"

#include <CLI/CLI.hpp>

#include <memory>

namespace rd::cli {

void addMediaCommands(CLI::App& app) {
    CLI::App* media = app.add_subcommand("media", "Inspect images and videos");
    media->require_subcommand(1);
    auto file = std::make_shared<std::string>();
    CLI::App* probe = media->add_subcommand("probe", "Print what the media engine reads of a file");
    probe->add_option("FILE", *file, "Image or video file")->required();
    probe->callback([file] {
        const auto info = rd::media::probeMedia(*file);
        printJsonPretty({{"file", *file},
                         {"type", info.type == rd::media::MediaType::Video ? "video" : "image"},
                         {"container", info.container},
                         {"codec", info.codec},
                         {"width", info.width},
                         {"height", info.height},
                         {"rotation", info.rotationDegrees},
                         {"fps", info.fps},
                         {"variable_frame_rate", info.variableFrameRate},
                         {"frames", info.frames},
                         {"duration_s", info.durationS}});
    });
}

} // namespace rd::cli
