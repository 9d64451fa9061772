#pragma once

namespace ue {

// LibTorch hands its matrix products (the linear layers, which dominate an MC dropout head) to
// whatever libblas.so.3 Debian's alternatives point at: the reference BLAS, single-threaded, or
// OpenBLAS (5x faster here), which starts threads of its own on top of LibTorch's intra-op
// threads. Sets how many OpenBLAS may use. Returns false when the loaded BLAS has no such
// control (the reference BLAS), which is not an error.
bool setBlasThreads(int threads);

// "openblas" when the loaded libblas.so.3 is OpenBLAS, "reference" otherwise. Benchmarks
// print it: the two differ by 5x or more on the same machine.
const char* blasName();

}  // namespace ue
