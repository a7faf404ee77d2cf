// ImageReward's preference data (THUDM/ImageReward, ImageRewardDB).
//
// Two layouts of a JSON array, both read:
// - grouped (the training code's train/valid/test.json):
//     {"id", "prompt", "generations": [path, ...], "ranking": [rank, ...]}
// - per image (ImageRewardDB's {split}_N.json):
//     {"image_path", "prompt_id", "prompt", "classification", "rank", ...}, grouped by prompt_id.
// Lower rank is better; every pair of a prompt's generations becomes a pair, equal ranks a tie.
// Paths are relative to --media-root (default: the manifest's folder). The split comes from the
// file name (train / valid -> val / test); "classification" becomes the prompt's category.
#pragma once

#include "store/import_source.h"

namespace rd::importers {

class ImageRewardReader : public store::ManifestReader {
public:
    std::string formatName() const override { return "imagereward"; }
    void read(const std::filesystem::path& input, const store::ReaderOptions& options,
              const store::RowSink& sink) override;
};

} // namespace rd::importers
