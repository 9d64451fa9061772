#include "engine/IntraOpThreads.h"

#include <array>
#include <chrono>
#include <limits>
#include <mutex>
#include <vector>

#include "engine/DropoutMasks.h"
#include "engine/HashedDropout.h"

namespace ue {
namespace {

constexpr double kClearlyLargeSeconds = 0.02;
constexpr int kWarmUpRounds = 2;  // the profiling executor optimises a graph on its 2nd run
constexpr int kTimedRounds = 7;
// All threads must beat one by this much: the timing sees one image's calls alone, the run also
// has the decode thread on the same cores. With the frozen encoder (CpuFrozenModel.h) the demo
// CNN's calls timed 2 threads faster in about half the runs by a few per cent, and those runs
// then went 10-25 % slower than on one thread.
constexpr double kThreadsMustSave = 0.15;

// One image's calls as the run makes them: its encoder and a head over its rows, or the whole
// model over its rows; under MC, with the hashed masks of a per-image run (BatchRunner), whose
// cost also depends on the thread count, and which draw nothing from LibTorch's generator.
double secondsForOneImage(const MemberModel& member, bool monteCarlo, bool cached, int rows) {
    const auto input = member.probeInput(1);
    const auto rowsOfTheImage = torch::zeros({rows}, torch::kLong);
    std::vector<std::uint64_t> passKeys;
    for (int pass = 0; pass < rows; ++pass) {
        passKeys.push_back(dropoutPassKey(0, std::uint64_t(pass)));
    }
    const auto start = std::chrono::steady_clock::now();
    torch::Tensor rowsInput;
    if (cached) {
        member.setMonteCarlo(false);
        rowsInput = member.encode(input).index_select(0, rowsOfTheImage);
    } else {
        rowsInput = input.index_select(0, rowsOfTheImage);
    }
    member.setMonteCarlo(monteCarlo);
    const DropoutStreamsScope masks(std::move(passKeys));
    if (cached) {
        member.head(rowsInput);
    } else {
        member.forward(rowsInput);
    }
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

bool callsDrawFromTorchGenerator(const ModelBundle::Impl& model, bool monteCarlo, bool cached,
                                 int rowsPerCall) {
    auto generator = at::detail::getDefaultCPUGenerator();
    const auto state = [&generator] {
        const std::lock_guard<std::mutex> lock(generator.mutex());
        return generator.get_state();
    };
    bool draws = false;
    try {
        for (const MemberModel& member : model.members) {
            const auto before = state();
            secondsForOneImage(member, monteCarlo, cached, rowsPerCall);
            draws = draws || !torch::equal(before, state());
        }
    } catch (const std::exception&) {
        draws = true;  // the run itself will report what fails
    }
    for (const MemberModel& member : model.members) {
        member.setMonteCarlo(false);
    }
    return draws;
}

int chooseIntraOpThreads(const ModelBundle::Impl& model, bool monteCarlo, bool cached,
                         int rowsPerCall, int threads) {
    at::set_num_threads(threads);
    if (threads <= 1) {
        return threads;
    }
    const MemberModel& member = model.members.front();
    const std::array<int, 2> counts = {1, threads};
    std::array<double, 2> best = {std::numeric_limits<double>::infinity(),
                                  std::numeric_limits<double>::infinity()};
    try {
        for (int round = 0; round < kWarmUpRounds + kTimedRounds; ++round) {
            for (std::size_t k = 0; k < counts.size(); ++k) {
                at::set_num_threads(counts[k]);
                const double seconds = secondsForOneImage(member, monteCarlo, cached, rowsPerCall);
                if (seconds > kClearlyLargeSeconds) {
                    member.setMonteCarlo(false);
                    at::set_num_threads(threads);
                    return threads;
                }
                if (round >= kWarmUpRounds) {
                    best[k] = std::min(best[k], seconds);
                }
            }
        }
    } catch (const std::exception&) {
        best = {1.0, 0.0};  // the run itself will report what fails
    }
    member.setMonteCarlo(false);
    const int chosen = best[1] < best[0] * (1.0 - kThreadsMustSave) ? threads : 1;
    at::set_num_threads(chosen);
    return chosen;
}

}  // namespace ue
