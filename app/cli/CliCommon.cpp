#include "CliCommon.h"

#include <csignal>

namespace ue::cli {
namespace {
extern "C" void onInterrupt(int) {
    cancelFlag().store(true);
}
}  // namespace

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
