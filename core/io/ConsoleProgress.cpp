#include "io/ConsoleProgress.h"

#include <unistd.h>

#include <string>

namespace ue {

ConsoleProgress::ConsoleProgress(std::FILE* stream)
    : stream_(stream), terminal_(::isatty(::fileno(stream)) != 0) {}

void ConsoleProgress::update(const RunProgress& p) {
    const double fraction = p.total ? double(p.done) / p.total : 1.0;
    if (terminal_) {
        constexpr int kWidth = 30;
        const int filled = static_cast<int>(fraction * kWidth);
        std::string bar(filled, '#');
        bar.resize(kWidth, '.');
        std::fprintf(stream_, "\r[%s] %zu/%zu images  %.1f img/s  ETA %.0f s  failed %zu  ",
                     bar.c_str(), p.done, p.total, p.imagesPerSecond, p.secondsLeft, p.failed);
        std::fflush(stream_);
        drawn_ = true;
        return;
    }
    const auto now = std::chrono::steady_clock::now();
    if (p.done < p.total && now - lastLine_ < std::chrono::seconds(5)) {
        return;
    }
    lastLine_ = now;
    std::fprintf(stream_, "progress: %zu/%zu images (%.0f%%), %.1f img/s, ETA %.0f s, failed %zu\n",
                 p.done, p.total, 100.0 * fraction, p.imagesPerSecond, p.secondsLeft, p.failed);
    std::fflush(stream_);
}

void ConsoleProgress::finish() {
    if (terminal_ && drawn_) {
        std::fputc('\n', stream_);
        std::fflush(stream_);
    }
}

}  // namespace ue
