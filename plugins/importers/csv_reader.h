// The generic CSV manifest (RFC 4180, parsed by libcsv): a header row naming the fields of
// manifest_fields.h, then one record per row. Quoted fields may hold commas and newlines.
#pragma once

#include "store/import_source.h"

namespace rd::importers {

class CsvReader : public store::ManifestReader {
public:
    std::string formatName() const override { return "csv"; }
    void read(const std::filesystem::path& input, const store::ReaderOptions& options,
              const store::RowSink& sink) override;
};

} // namespace rd::importers
