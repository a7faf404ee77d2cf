// Rng: ShapeWorld's random numbers. std::mt19937_64 is specified bit for bit by the standard, but
// the std:: distributions are not, so every draw here is computed from the raw 64-bit output:
// the same seed gives the same prompts, scenes and pixels with any standard library.
//
// Usage:
//   Rng rng(seed);
//   int n = rng.uniformInt(1, 6);          // inclusive bounds
//   double x = rng.uniformReal(0.2, 0.8);  // [lo, hi)
//   Rng child(mixSeed(seed, 3));           // an independent stream for sub-item 3
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace rd::synth {

class Rng {
public:
    explicit Rng(std::uint64_t seed) : m_engine(seed) {}

    std::uint64_t next() { return m_engine(); }
    // Uniform in [lo, hi], by rejection (no modulo bias).
    int uniformInt(int lo, int hi);
    // Uniform in [lo, hi) from the top 53 bits.
    double uniformReal(double lo = 0.0, double hi = 1.0);
    bool chance(double probability) { return uniformReal() < probability; }

    template <typename T> const T& pick(const std::vector<T>& items) {
        return items.at(static_cast<size_t>(uniformInt(0, static_cast<int>(items.size()) - 1)));
    }
    template <typename T> void shuffle(std::vector<T>& items) {
        for (size_t i = items.size(); i > 1; --i)
            std::swap(items[i - 1], items[static_cast<size_t>(uniformInt(0, int(i) - 1))]);
    }

private:
    std::mt19937_64 m_engine;
};

// SplitMix64 finaliser: spreads a combination of seeds over all 64 bits.
std::uint64_t mixSeed(std::uint64_t a, std::uint64_t b);
// FNV-1a of a string, for seeding by name (split names, generator names).
std::uint64_t hashName(const std::string& text);

} // namespace rd::synth
