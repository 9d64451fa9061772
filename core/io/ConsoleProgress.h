#pragma once
#include <chrono>
#include <cstdio>

#include "engine/McEngine.h"

namespace ue {

// A progress bar on a terminal (redrawn in place), or a line every few seconds when the
// stream is a log file, so CI logs stay readable.
class ConsoleProgress {
  public:
    explicit ConsoleProgress(std::FILE* stream);
    void update(const RunProgress& progress);
    void finish();

  private:
    std::FILE* stream_;
    bool terminal_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point lastLine_;
};

}  // namespace ue
