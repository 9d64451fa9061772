#include "CliCommon.h"

#include <csignal>
#include <iostream>

#include "io/ConsoleProgress.h"

namespace ue::cli {
namespace {
extern "C" void onInterrupt(int) {
    cancelFlag().store(true);
}
}  // namespace

std::optional<ScanResult> scanForRun(const std::vector<std::string>& inputs,
                                     const std::vector<std::string>& classes, bool needLabels,
                                     const std::string& what) {
    ScanResult scan = scanInputs(inputs, classes);
    for (const auto& problem : scan.problems) {
        std::cerr << "error: " << problem << "\n";
    }
    if (scan.images.empty()) {
        std::cerr << "error: no images found in the " << what << "\n";
        return std::nullopt;
    }
    if (needLabels && scan.labelledCount == 0) {
        std::cerr << "error: no labelled images in the " << what
                  << " (labels come from folders named after the model's classes)\n";
        return std::nullopt;
    }
    return scan;
}

RunReport runReporting(const ModelBundle& bundle, const ScanResult& scan, const RunOptions& options,
                       bool quiet, std::size_t& failed,
                       const std::function<void(const ImageResult&)>& onResult) {
    ConsoleProgress progress(stderr);
    const RunReport report = McEngine(bundle).run(
        scan.images, options,
        [&](ImageResult&& r) {
            if (r.ok) {
                onResult(r);
            } else {
                std::cerr << "error: " << r.error << "\n";
                ++failed;
            }
        },
        [&](const RunProgress& p) {
            if (!quiet) {
                progress.update(p);
            }
        },
        &cancelFlag());
    progress.finish();
    return report;
}

std::atomic<bool>& cancelFlag() {
    static std::atomic<bool> flag{false};
    return flag;
}

InterruptGuard::InterruptGuard() {
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
}

InterruptGuard::~InterruptGuard() {
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
}

}  // namespace ue::cli
