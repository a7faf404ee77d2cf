// HPDv2's preference data (tgxs002/HPSv2), JSON arrays:
// - train.json: {"prompt", "file_path": [img0, img1], "human_preference": [1, 0], "user_hash"}:
//   the image whose human_preference is larger wins, equal values are a tie. Images live in
//   train/ beside the manifest.
// - test.json: {"prompt", "image_path": [...], "rank": [...], "raw_annotations"}: averaged ranks,
//   lower is better; every pair becomes a pair, equal ranks a tie. Images live in test/.
// --media-root overrides the image folder.
#pragma once

#include "store/import_source.h"

namespace rd::importers {

class Hpdv2Reader : public store::ManifestReader {
public:
    std::string formatName() const override { return "hpdv2"; }
    void read(const std::filesystem::path& input, const store::ReaderOptions& options,
              const store::RowSink& sink) override;
};

} // namespace rd::importers
