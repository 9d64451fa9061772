#pragma once
#include <cstdint>

namespace ue {

// SplitMix64's state advances by this after each output.
inline constexpr std::uint64_t kSplitMix64Increment = 0x9e3779b97f4a7c15ULL;

// SplitMix64 (Steele, Lea & Flood): the output for state `x`; the generator's next state is
// x + kSplitMix64Increment. A fixed, portable mixer: std:: distributions differ between
// libraries, and the same seed must give the same numbers everywhere (tests/cli/torch_oracle.py
// replays it).
constexpr std::uint64_t splitMix64(std::uint64_t x) {
    x += kSplitMix64Increment;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

}  // namespace ue
