#pragma once
#include <algorithm>
#include <cstddef>
#include <thread>
#include <vector>

namespace ue {

// Runs body(first, last) over [0, count) in up to `threads` contiguous parts of at least `grain`
// items, the first part on the calling thread. Not at::parallel_for: its OpenMP body is an
// inline template compiled into the caller, and without -fopenmp it silently runs serially.
template <class Body>
void parallelFor(std::size_t count, int threads, std::size_t grain, const Body& body) {
    const std::size_t maxParts =
        (count + std::max<std::size_t>(grain, 1) - 1) / std::max<std::size_t>(grain, 1);
    const std::size_t parts = std::clamp<std::size_t>(std::size_t(std::max(threads, 1)), 1,
                                                      std::max<std::size_t>(maxParts, 1));
    if (parts <= 1) {
        if (count > 0) {
            body(std::size_t{0}, count);
        }
        return;
    }
    const std::size_t step = (count + parts - 1) / parts;
    std::vector<std::thread> workers;
    for (std::size_t first = step; first < count; first += step) {
        workers.emplace_back(body, first, std::min(count, first + step));
    }
    body(std::size_t{0}, std::min(count, step));
    for (auto& worker : workers) {
        worker.join();
    }
}

}  // namespace ue
