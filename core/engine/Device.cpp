#include "engine/Device.h"

#include <stdexcept>

#include <torch/cuda.h>
#include "Error.h"
#include "TorchIncludes.h"

#if defined(UE_WITH_CUDA_RUNTIME)
#include <cuda_runtime_api.h>
#endif

namespace ue {

std::string toString(Precision precision) {
    switch (precision) {
        case Precision::BFloat16:
            return "bf16";
        case Precision::Float16:
            return "fp16";
        case Precision::Float32:
            break;
    }
    return "fp32";
}

Precision precisionFromString(const std::string& name) {
    if (name == "fp32") {
        return Precision::Float32;
    }
    if (name == "bf16") {
        return Precision::BFloat16;
    }
    if (name == "fp16") {
        return Precision::Float16;
    }
    throw std::invalid_argument("unknown precision \"" + name + "\" (expected fp32, bf16 or fp16)");
}

bool cudaBuiltIn() {
    // A CPU-only LibTorch answers "no CUDA" here without needing a GPU or a driver.
    return at::hasCUDA();
}

int cudaDeviceCount() {
    return torch::cuda::is_available() ? static_cast<int>(torch::cuda::device_count()) : 0;
}

std::vector<std::string> availableDevices() {
    std::vector<std::string> devices{"cpu"};
    for (int i = 0; i < cudaDeviceCount(); ++i) {
        devices.push_back("cuda:" + std::to_string(i));
    }
    return devices;
}

std::string resolveDevice(const std::string& request) {
    if (request == "auto") {
        return cudaDeviceCount() > 0 ? "cuda:0" : "cpu";
    }
    if (request == "cpu") {
        return request;
    }
    if (request.rfind("cuda", 0) != 0) {
        throw std::invalid_argument("unknown device \"" + request +
                                    "\" (expected auto, cpu, cuda or cuda:N)");
    }
    int index = 0;
    if (request != "cuda") {
        const std::string digits = request.substr(5);
        if (request[4] != ':' || digits.empty() ||
            digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 3) {
            throw std::invalid_argument("unknown device \"" + request +
                                        "\" (expected auto, cpu, cuda or cuda:N)");
        }
        index = std::stoi(digits);
    }
    if (!cudaBuiltIn()) {
        throw Error("device " + request +
                    ": this build's LibTorch has no CUDA support; rebuild against a CUDA LibTorch "
                    "(cmake -DCMAKE_PREFIX_PATH=/path/to/libtorch) or run on the CPU");
    }
    const int count = cudaDeviceCount();
    if (count == 0) {
        throw Error("device " + request +
                    ": LibTorch has CUDA support but sees no usable GPU (driver missing, or "
                    "CUDA_VISIBLE_DEVICES hides them); run on the CPU");
    }
    if (index >= count) {
        throw Error("device " + request + ": there " + (count == 1 ? "is" : "are") + " only " +
                    std::to_string(count) + " GPU" + (count == 1 ? "" : "s") + " (cuda:0" +
                    (count > 1 ? " … cuda:" + std::to_string(count - 1) : std::string()) + ")");
    }
    return "cuda:" + std::to_string(index);
}

bool isCudaDevice(const std::string& resolvedDevice) {
    return resolvedDevice.rfind("cuda", 0) == 0;
}

std::size_t freeDeviceMemory(const std::string& resolvedDevice) {
#if defined(UE_WITH_CUDA_RUNTIME)
    if (isCudaDevice(resolvedDevice)) {
        int previous = 0;
        cudaGetDevice(&previous);
        cudaSetDevice(std::stoi(resolvedDevice.substr(5)));
        std::size_t freeBytes = 0;
        std::size_t totalBytes = 0;
        const bool ok = cudaMemGetInfo(&freeBytes, &totalBytes) == cudaSuccess;
        cudaSetDevice(previous);
        return ok ? freeBytes : 0;
    }
#else
    (void)resolvedDevice;
#endif
    return 0;
}

}  // namespace ue
