#include "jobs/unit_stream.h"

#include "common/error.h"

#include <algorithm>
#include <numeric>
#include <random>

namespace rd::jobs {

UnitStream::UnitStream(std::size_t units, std::uint64_t seed) : m_units(units), m_seed(seed) {
    if (units == 0)
        throw Error(ErrorKind::InvalidArgument, "a training run needs at least one unit of data");
}

std::size_t UnitStream::at(std::uint64_t position) {
    const std::uint64_t epoch = position / m_units;
    if (epoch != m_epoch || m_order.empty()) {
        m_order.resize(m_units);
        std::iota(m_order.begin(), m_order.end(), std::size_t{0});
        std::mt19937_64 rng(m_seed * 1000003ull + epoch);
        std::shuffle(m_order.begin(), m_order.end(), rng);
        m_epoch = epoch;
    }
    return m_order[position % m_units];
}

std::uint64_t mixSeed(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

double unitInterval(std::uint64_t seed) {
    return static_cast<double>(mixSeed(seed) >> 11) / static_cast<double>(1ull << 53);
}

} // namespace rd::jobs
