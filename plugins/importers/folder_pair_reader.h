// A folder pair: DIR holds two sub-folders, one per generator (named after it), with files of
// matching names (matched by name without extension). Pairs are (first folder, second folder)
// in name order, preference unknown. Prompts come from DIR/prompts.jsonl
// ({"file": "cat_01", "prompt": "...", "category": "...", "split": "..."}) when present, else from
// the file name ("red_circle_01" -> "red circle 01").
#pragma once

#include "store/import_source.h"

namespace rd::importers {

class FolderPairReader : public store::ManifestReader {
public:
    std::string formatName() const override { return "folder-pair"; }
    void read(const std::filesystem::path& input, const store::ReaderOptions& options,
              const store::RowSink& sink) override;
};

} // namespace rd::importers
