#pragma once
// Private to the engine's torch translation units.
#include <ATen/autocast_mode.h>
#include <torch/version.h>

#include "TorchIncludes.h"
#include "engine/Device.h"

namespace ue {

// Turns CUDA autocast on for its lifetime when a 16-bit precision is asked for, and restores
// the previous state after. LibTorch renamed this API in 2.4; both spellings are covered.
class AutocastGuard {
  public:
    AutocastGuard(Precision precision, bool onCuda)
        : active_(onCuda && precision != Precision::Float32) {
        if (!active_) {
            return;
        }
        const auto dtype = precision == Precision::BFloat16 ? at::kBFloat16 : at::kHalf;
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
        wasEnabled_ = at::autocast::is_autocast_enabled(at::kCUDA);
        previousType_ = at::autocast::get_autocast_dtype(at::kCUDA);
        at::autocast::set_autocast_dtype(at::kCUDA, dtype);
        at::autocast::set_autocast_enabled(at::kCUDA, true);
#else
        wasEnabled_ = at::autocast::is_enabled();
        previousType_ = at::autocast::get_autocast_gpu_dtype();
        at::autocast::set_autocast_gpu_dtype(dtype);
        at::autocast::set_enabled(true);
#endif
    }

    ~AutocastGuard() {
        if (!active_) {
            return;
        }
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
        at::autocast::set_autocast_enabled(at::kCUDA, wasEnabled_);
        at::autocast::set_autocast_dtype(at::kCUDA, previousType_);
#else
        at::autocast::set_enabled(wasEnabled_);
        at::autocast::set_autocast_gpu_dtype(previousType_);
#endif
        at::autocast::clear_cache();
    }

    AutocastGuard(const AutocastGuard&) = delete;
    AutocastGuard& operator=(const AutocastGuard&) = delete;

  private:
    bool active_;
    bool wasEnabled_ = false;
    at::ScalarType previousType_ = at::kHalf;
};

}  // namespace ue
