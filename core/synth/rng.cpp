#include "synth/rng.h"

#include "common/error.h"

namespace rd::synth {

int Rng::uniformInt(int lo, int hi) {
    if (hi < lo)
        throw Error(ErrorKind::Internal, "Rng::uniformInt: empty range");
    const std::uint64_t span = static_cast<std::uint64_t>(hi - lo) + 1;
    // Reject the top sliver of the 64-bit range that would favour small residues.
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % span;
    std::uint64_t x = m_engine();
    while (x >= limit)
        x = m_engine();
    return lo + static_cast<int>(x % span);
}

double Rng::uniformReal(double lo, double hi) {
    const double unit = static_cast<double>(m_engine() >> 11) * (1.0 / 9007199254740992.0);
    return lo + (hi - lo) * unit;
}

std::uint64_t mixSeed(std::uint64_t a, std::uint64_t b) {
    std::uint64_t z = a + 0x9e3779b97f4a7c15ULL * (b + 1);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

std::uint64_t hashName(const std::string& text) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : text) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    return h;
}

} // namespace rd::synth
