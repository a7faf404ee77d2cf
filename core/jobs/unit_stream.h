// The data order of a training run: epoch after epoch of seeded permutations of the training
// units, so the unit at any position follows from (seed, position) alone and a resumed run reads
// exactly what an uninterrupted one would. mixSeed derives independent-looking seeds from
// (seed, position) for per-example draws (scenes, noise, prompt dropout).
//
// Usage:
//   UnitStream stream(units, seed);
//   size_t unit = stream.at(step * batch + i);
#pragma once

#include <cstdint>
#include <vector>

namespace rd::jobs {

class UnitStream {
public:
    UnitStream(std::size_t units, std::uint64_t seed);
    std::size_t at(std::uint64_t position);

private:
    std::size_t m_units;
    std::uint64_t m_seed, m_epoch = 0;
    std::vector<std::size_t> m_order;
};

// splitmix64's finaliser.
std::uint64_t mixSeed(std::uint64_t x);
// A uniform double in [0, 1) from a seed.
double unitInterval(std::uint64_t seed);

} // namespace rd::jobs
