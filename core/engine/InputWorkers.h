#pragma once
// Private to the engine's torch translation units.
#include <algorithm>
#include <cstddef>
#include <exception>
#include <mutex>

#include "TorchIncludes.h"
#include "engine/ParallelFor.h"

namespace ue {

// Runs body(first, last) over [0, count) inputs on up to `workers` threads, each making its
// LibTorch calls in inference mode on threads / (threads used) intra-op threads. Small models
// gain more from inputs side by side than from splitting each input's small ops (the demo CNN's
// calls ran slower on two intra-op threads than on one). The first exception a part throws is
// rethrown here, after every part has finished.
template <class Body>
void forEachInputInParallel(std::size_t count, int workers, int threads, const Body& body) {
    const int used = int(std::clamp<std::size_t>(count, 1, std::size_t(std::max(workers, 1))));
    const int intraOpThreads = std::max(1, threads / used);
    std::exception_ptr failure;
    std::mutex failureMutex;
    parallelFor(count, used, 1, [&](std::size_t first, std::size_t last) {
        try {
            // OpenMP's thread count is per thread: a new one would use every core.
            at::set_num_threads(intraOpThreads);
            const c10::InferenceMode inferenceMode;
            body(first, last);
        } catch (...) {
            const std::lock_guard<std::mutex> lock(failureMutex);
            if (!failure) {
                failure = std::current_exception();
            }
        }
    });
    if (failure) {
        std::rethrow_exception(failure);
    }
}

}  // namespace ue
