#include "ranked_pairs.h"

namespace rd::importers {

void emitRankedPairs(const store::ImportRow& base, const std::vector<RankedGeneration>& ranked,
                     const store::RowSink& sink) {
    for (size_t i = 0; i < ranked.size(); ++i) {
        for (size_t j = i + 1; j < ranked.size(); ++j) {
            store::ImportRow row = base;
            row.mediaA = ranked[i].media;
            row.mediaB = ranked[j].media;
            row.preferred = ranked[i].rank < ranked[j].rank   ? store::Preference::A
                            : ranked[j].rank < ranked[i].rank ? store::Preference::B
                                                              : store::Preference::Tie;
            sink(row);
        }
    }
}

std::string splitFromFileName(const std::filesystem::path& manifest) {
    const std::string stem = manifest.stem().string();
    if (stem.find("valid") != std::string::npos)
        return "val";
    if (stem.find("test") != std::string::npos)
        return "test";
    return "train";
}

} // namespace rd::importers
