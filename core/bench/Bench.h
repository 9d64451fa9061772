#pragma once
#include <string>
#include <vector>

namespace ue {

class ModelBundle;

struct BenchOptions {
    std::vector<std::string> inputs;  // image files and folders
    int samples = 100;
    int threads = 0;      // 0 = all cores; both sides use the same count
    int maxImages = 256;  // decoded once, shared by both sides
    double secondsPerPythonApproach = 3.0;
    std::string python = "/usr/bin/python3";
    std::string pytorchScript;  // scripts/bench_pytorch.py
    std::string workDir;        // where the decoded tensors are written for the script
};

struct BenchRow {
    std::string side;      // "ours" or "pytorch"
    std::string approach;  // e.g. "mc encode-once", "loop"
    std::size_t images = 0;
    double seconds = 0;
    double imagesPerSecond = 0;
};

struct BenchResult {
    std::vector<BenchRow> rows;
    int samples = 0;
    int threads = 0;
    std::size_t images = 0;
    double oursPeakRssMb = 0;
    double pytorchPeakRssMb = 0;
    // Deterministic probabilities, ours against PyTorch's on the same tensors.
    double maxAbsProbabilityDifference = 0;
    double bestOursMc = 0;     // images/s
    double bestPytorchMc = 0;  // images/s, over the Monte Carlo approaches
    double pytorchLoop = 0;    // images/s of the seeds' loop
    double oursDeterministic = 0;
};

// Times our engine and, in the same run, the plain-PyTorch equivalents (a Python script run with
// Debian's python3-torch) on the same decoded tensors and thread count. Throws ue::Error when
// the script cannot run.
BenchResult runBench(const ModelBundle& bundle, const BenchOptions& options);

std::string formatBench(const BenchResult& result);
// Writes the rows as CSV (atomically).
void writeBenchCsv(const BenchResult& result, const std::string& path);

}  // namespace ue
