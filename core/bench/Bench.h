#pragma once
#include <string>
#include <vector>

#include "engine/Device.h"
#include "engine/McEngine.h"

namespace ue {

class ModelBundle;

struct BenchOptions {
    std::vector<std::string> inputs;  // image files and folders
    int samples = 100;
    int threads = 0;             // 0 = all cores; both sides use the same count
    std::string device = "cpu";  // both sides; "auto" picks the GPU when there is one
    Precision precision = Precision::Float32;
    // Images per call on the PyTorch side for the batched approaches (replicated, encode once):
    // 1 mirrors a notebook's per-image loop; a GPU needs many to be busy.
    int pytorchBatchImages = 1;
    int pytorchChunkRows = 256;
    int maxImages = 256;  // decoded once, shared by both sides
    // Time budget of each Monte Carlo approach on both sides: slow ones are cut after the image
    // that crosses it (ours by an estimate from the warm-up, PyTorch's as its loop goes). A
    // GPU's batched warm-up is a whole run, so nothing of ours is cut there; the single passes,
    // whose probabilities are compared, are never cut.
    double secondsPerApproach = 3.0;
    // Both sides, one after the other, this many times: on a shared machine one run's figures
    // move by a third, and a ratio is only fair between runs made under the same load.
    int rounds = 3;
    std::string python = "/usr/bin/python3";
    std::string pytorchScript;  // scripts/bench_pytorch.py
    std::string workDir;        // where the decoded tensors are written for the script
};

struct BenchRow {
    std::string side;      // "ours" or "pytorch"
    std::string approach;  // e.g. "mc encode-once", "loop"
    int round = 1;
    std::size_t images = 0;
    double seconds = 0;
    double imagesPerSecond = 0;
};

// What one round's ratios are made of, images/s.
struct BenchRound {
    double bestOursMc = 0;
    double bestPytorchMc = 0;  // over the Monte Carlo approaches
    double pytorchLoop = 0;    // the seeds' loop
    double oursDeterministic = 0;
};

// The median and the spread of one figure over the rounds.
struct BenchSpread {
    double median = 0;
    double low = 0;
    double high = 0;
};
BenchSpread spreadOf(std::vector<double> values);

struct BenchResult {
    std::vector<BenchRow> rows;  // every round's, in the order they ran
    std::vector<BenchRound> rounds;
    int samples = 0;
    int threads = 0;
    std::size_t images = 0;
    double oursPeakRssMb = 0;
    double pytorchPeakRssMb = 0;
    // Deterministic probabilities, ours against PyTorch's on the same tensors.
    double maxAbsProbabilityDifference = 0;
    RunReport oursMcReport;  // the last round's default MC run, for its time breakdown
    std::string device;
    // The libblas.so.3 LibTorch runs its matrix products on ("openblas" or "reference").
    std::string blas;
    Precision precision = Precision::Float32;
    // GPU runs only: the engine's on-device summaries against the host's of the same samples.
    double maxDeviceSummaryDifference = -1;
    // GPU fp32 runs only: MC means of a per-image run on the GPU against the same on the CPU.
    double perImageGpuCpuDifference = -1;
    // 16-bit runs only: ours at that precision against ours in fp32, deterministic pass.
    double maxAbsDifferenceFromFp32 = -1;
};

// Images of a GPU bench's per-image run that are also run on the CPU and compared.
constexpr std::size_t kBenchCrossDeviceImages = 32;

// The preprocessed images a bench times: count x C x H x W floats.
struct BenchInputs {
    std::vector<float> data;
    std::size_t count = 0;
};

// Decodes up to options.maxImages of options.inputs (unreadable files are skipped). Needs OpenCV.
BenchInputs decodeBenchInputs(const ModelBundle& bundle, const BenchOptions& options);
// Reads a raw float32 file of whole images of the bundle's input shape, up to maxImages.
BenchInputs readBenchTensors(const ModelBundle& bundle, const std::string& path, int maxImages);

// Times our engine and, in the same run, the plain-PyTorch equivalents (a Python script run with
// Debian's python3-torch) on the same decoded tensors and thread count, options.rounds times.
// Throws ue::Error when the script cannot run.
BenchResult runBench(const ModelBundle& bundle, const BenchInputs& inputs,
                     const BenchOptions& options);

// The table of medians over the rounds with their ranges, the ratios, memory and agreement.
std::string formatBench(const BenchResult& result);
// Writes every round's rows as CSV (atomically).
void writeBenchCsv(const BenchResult& result, const std::string& path);

}  // namespace ue
