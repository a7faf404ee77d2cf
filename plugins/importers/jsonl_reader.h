// The generic JSON Lines manifest: one object per line with the fields of manifest_fields.h.
#pragma once

#include "store/import_source.h"

namespace rd::importers {

class JsonlReader : public store::ManifestReader {
public:
    std::string formatName() const override { return "jsonl"; }
    void read(const std::filesystem::path& input, const store::ReaderOptions& options,
              const store::RowSink& sink) override;
};

} // namespace rd::importers
