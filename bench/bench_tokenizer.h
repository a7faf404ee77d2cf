// The small tokenizer.json the reward-model benchmarks build their models over (the RM prompt's
// words; the benchmarks feed random ids, so only its size and special tokens matter).
#pragma once

#include <filesystem>

namespace rd::bench {

void writeBenchTokenizer(const std::filesystem::path& file);

} // namespace rd::bench
