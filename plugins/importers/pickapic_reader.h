// Pick-a-Pic (v1/v2, yuvalkirstain/PickScore) as a parquet-free JSON Lines manifest: one row per
// comparison with the dataset's column names:
//   {"caption", "jpg_0": path, "jpg_1": path, "label_0": 1, "label_1": 0, "model_0", "model_1",
//    "has_label": true, "split": "train"}
// jpg_0/jpg_1 hold file paths (the images exported from the parquet bytes); without them
// image_0_uid/image_1_uid name files <uid>.jpg under the media root. label_0 = 1 -> image 0 wins,
// label_1 = 1 -> image 1 wins, 0.5/0.5 -> tie; has_label false -> unknown. model_0/model_1 are
// the generators. The split is the row's "split", else the file name's.
#pragma once

#include "store/import_source.h"

namespace rd::importers {

class PickapicReader : public store::ManifestReader {
public:
    std::string formatName() const override { return "pickapic"; }
    void read(const std::filesystem::path& input, const store::ReaderOptions& options,
              const store::RowSink& sink) override;
};

} // namespace rd::importers
