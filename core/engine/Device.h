#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace ue {

// Arithmetic precision of the forward passes. Anything but Float32 runs the model under
// LibTorch's autocast on a CUDA device (matrix products and convolutions in 16 bits, reductions
// and softmax in 32); on the CPU only Float32 is offered.
enum class Precision { Float32, BFloat16, Float16 };

std::string toString(Precision precision);
// "fp32", "bf16" or "fp16"; throws std::invalid_argument otherwise.
Precision precisionFromString(const std::string& name);

// True when the LibTorch this program is linked against was built with CUDA.
bool cudaBuiltIn();
// Number of usable CUDA devices (0 on a CPU-only LibTorch or without a GPU).
int cudaDeviceCount();
// "cpu", then "cuda:0", "cuda:1", ... for each usable GPU.
std::vector<std::string> availableDevices();

// Turns what a user asked for into a device name the engine runs on: "auto" is the first GPU
// when there is one and the CPU otherwise; "cuda" is "cuda:0". Throws std::invalid_argument for
// a name that is not a device and ue::Error when the device exists in name only (a CPU-only
// LibTorch, no GPU, an index past the last GPU), saying which.
std::string resolveDevice(const std::string& request);
bool isCudaDevice(const std::string& resolvedDevice);

// Bytes free on a CUDA device right now; 0 when unknown (CPU, or CUDA runtime headers were not
// available at build time).
std::size_t freeDeviceMemory(const std::string& resolvedDevice);

}  // namespace ue
