#include "bench/Bench.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "Error.h"
#include "engine/BlasThreads.h"
#include "engine/McEngine.h"
#include "model/ModelBundle.h"

namespace ue {
namespace fs = std::filesystem;

namespace {

double peakRssMb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024.0;
}

std::string shellQuote(const std::string& text) {
    std::string quoted = "'";
    for (char c : text) {
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return quoted + "'";
}

struct Timed {
    RunReport report;
    std::vector<std::vector<float>> means;
};

std::size_t valuesPerImage(const ModelBundle& bundle) {
    const InputSpec& spec = bundle.meta().input;
    return std::size_t(spec.channels) * spec.height * spec.width;
}

std::vector<float> firstImages(const ModelBundle& bundle, const std::vector<float>& inputs,
                               std::size_t images) {
    return {inputs.begin(),
            inputs.begin() + std::min(inputs.size(), images * valuesPerImage(bundle))};
}

// Our side of one approach. Like the PyTorch side's loops, a slow approach is cut to the images
// that fit in secondsBudget, estimated from the second warm-up (at least as many as it ran).
Timed timeOurs(const ModelBundle& bundle, const std::vector<float>& inputs, RunOptions options,
               Method method, int samples, bool cache, double secondsBudget) {
    options.method = method;
    options.samples = samples;
    options.useEncodeCache = cache;
    // An untimed warm-up first: TorchScript specialises its graphs during the first runs, and
    // the Python side warms up the same way. A GPU also picks its kernels for each batch
    // shape, so there the warm-up is a whole run, unless every call has one image's shape.
    const bool batchedOnGpu = isCudaDevice(resolveDevice(options.device)) &&
                              options.randomStreams != RandomStreams::PerImage;
    const std::size_t perImage = valuesPerImage(bundle);
    const std::size_t count = inputs.size() / perImage;
    const std::size_t warmImages = batchedOnGpu ? count : std::min<std::size_t>(count, 4);
    const std::vector<float> warmUp = firstImages(bundle, inputs, warmImages);
    // TorchScript's profiling executor profiles a shape on its first run and optimises it on
    // the second: two warm-ups, as on the Python side.
    double warmSeconds = 0;
    for (int i = 0; i < 2; ++i) {
        warmSeconds =
            McEngine(bundle).runPreprocessed(warmUp, options, [](ImageResult&&) {}).seconds;
    }
    std::size_t fitting = count;
    if (secondsBudget > 0 && warmSeconds > 0) {
        const double estimate = std::ceil(secondsBudget * double(warmImages) / warmSeconds);
        fitting = std::clamp<std::size_t>(std::size_t(std::min(estimate, double(count))),
                                          warmImages, count);
    }
    Timed timed;
    const auto keepMeans = [&](ImageResult&& r) { timed.means.push_back(r.summary.mean); };
    timed.report = fitting == count ? McEngine(bundle).runPreprocessed(inputs, options, keepMeans)
                                    : McEngine(bundle).runPreprocessed(
                                          firstImages(bundle, inputs, fitting), options, keepMeans);
    return timed;
}

// On a GPU the engine summarises on the device: the largest difference between those summaries
// and the host's summarizeSamples of the same raw samples, over a few images (histogram counts
// that differ count as 1).
double deviceSummaryDifference(const ModelBundle& bundle, const std::vector<float>& inputs,
                               RunOptions options, int samples) {
    options.method = Method::McDropout;
    options.samples = samples;
    options.keepRawSamples = true;
    const std::vector<float> some = firstImages(bundle, inputs, 64);
    double worst = 0;
    const auto compare = [&worst](const std::vector<float>& a, const std::vector<float>& b) {
        for (std::size_t c = 0; c < a.size(); ++c) {
            worst = std::max(worst, double(std::abs(a[c] - b[c])));
        }
    };
    McEngine(bundle).runPreprocessed(some, options, [&](ImageResult&& r) {
        if (!r.ok) {
            return;
        }
        const ImageSummary& d = r.summary;
        const ImageSummary h =
            summarizeSamples(r.rawSamples.data(), d.samples, d.classes, options.summary);
        for (const auto& [a, b] : {std::pair{&d.mean, &h.mean},
                                   {&d.median, &h.median},
                                   {&d.stddev, &h.stddev},
                                   {&d.q10, &h.q10},
                                   {&d.q25, &h.q25},
                                   {&d.q75, &h.q75},
                                   {&d.q90, &h.q90}}) {
            compare(*a, *b);
        }
        for (const auto& [a, b] : {std::pair{d.predictiveEntropy, h.predictiveEntropy},
                                   {d.expectedEntropy, h.expectedEntropy},
                                   {d.mutualInformation, h.mutualInformation},
                                   {d.variationRatio, h.variationRatio}}) {
            worst = std::max(worst, std::abs(a - b));
        }
        if (d.histograms != h.histograms) {
            worst = std::max(worst, 1.0);
        }
    });
    return worst;
}

double maxMeanDifference(const Timed& a, const Timed& b) {
    double worst = 0;
    for (std::size_t i = 0; i < std::min(a.means.size(), b.means.size()); ++i) {
        for (std::size_t c = 0; c < a.means[i].size(); ++c) {
            worst = std::max(worst, double(std::abs(a.means[i][c] - b.means[i][c])));
        }
    }
    return worst;
}

// One approach's row of a round; returns its images/s.
double addRow(BenchResult& result, const std::string& side, const std::string& approach, int round,
              std::size_t images, double seconds) {
    result.rows.push_back(
        {side, approach, round, images, seconds, seconds > 0 ? images / seconds : 0.0});
    return result.rows.back().imagesPerSecond;
}

double addOurs(BenchResult& result, const std::string& approach, int round, const Timed& timed) {
    return addRow(result, "ours", approach, round, timed.report.succeeded, timed.report.seconds);
}

// Images a GPU bench runs with per-image streams: one forward call per image is slow there, so
// a run over all of a GPU bench's images would take minutes.
constexpr std::size_t kGpuPerImageImages = 1024;

// A GPU bench also times a per-image run (what a shard or a reproducible reference run uses)
// and checks it draws the same passes as a CPU's: the same dropout masks give means that differ
// only by the devices' rounding.
void timePerImageOnGpu(const ModelBundle& bundle, const std::vector<float>& inputs,
                       const RunOptions& base, int samples, BenchResult& result) {
    RunOptions perImage = base;
    perImage.randomStreams = RandomStreams::PerImage;
    const auto some = firstImages(bundle, inputs, kGpuPerImageImages);
    const Timed timed = timeOurs(bundle, some, perImage, Method::McDropout, samples, true, 0);
    addOurs(result, "mc per-image streams", 1, timed);
    if (base.precision != Precision::Float32) {
        return;
    }
    RunOptions onCpu = perImage;
    onCpu.device = "cpu";
    const Timed cpu = timeOurs(bundle, firstImages(bundle, inputs, kBenchCrossDeviceImages), onCpu,
                               Method::McDropout, samples, true, 0);
    result.perImageGpuCpuDifference = maxMeanDifference(timed, cpu);
}

}  // namespace

BenchInputs readBenchTensors(const ModelBundle& bundle, const std::string& path, int maxImages) {
    const InputSpec& spec = bundle.meta().input;
    const std::size_t perImage = std::size_t(spec.channels) * spec.height * spec.width;
    std::error_code ec;
    const auto bytes = fs::file_size(path, ec);
    if (ec || bytes == 0 || bytes % (perImage * sizeof(float)) != 0) {
        throw Error(path + ": not a raw float32 file of whole " + std::to_string(spec.channels) +
                    " x " + std::to_string(spec.height) + " x " + std::to_string(spec.width) +
                    " images");
    }
    BenchInputs inputs;
    inputs.count =
        std::min<std::size_t>(bytes / (perImage * sizeof(float)), std::size_t(maxImages));
    inputs.data.resize(inputs.count * perImage);
    std::ifstream in(path, std::ios::binary);
    in.read(reinterpret_cast<char*>(inputs.data.data()),
            std::streamsize(inputs.data.size() * sizeof(float)));
    if (!in) {
        throw IoError(path + ": cannot read the benchmark tensors");
    }
    return inputs;
}

namespace {

std::string pytorchCommand(const ModelBundle& bundle, const BenchResult& result,
                           const BenchOptions& options, std::size_t count,
                           const std::string& tensorPath, const std::string& reportPath) {
    const InputSpec& spec = bundle.meta().input;
    std::ostringstream command;
    command << shellQuote(options.python) << ' ' << shellQuote(options.pytorchScript) << " --model "
            << shellQuote(bundle.path()) << " --inputs " << shellQuote(tensorPath) << " --shape "
            << count << ',' << spec.channels << ',' << spec.height << ',' << spec.width
            << " --samples " << options.samples << " --threads " << result.threads << " --seconds "
            << options.secondsPerApproach << " --device " << result.device << " --precision "
            << toString(options.precision) << " --batch-images " << options.pytorchBatchImages
            << " --chunk-rows " << options.pytorchChunkRows << " --out " << shellQuote(reportPath);
    return command.str();
}

// Runs the PyTorch side once and adds its rows to the round.
void runPytorchSide(const std::string& command, const std::string& reportPath,
                    const BenchOptions& options, const Timed& ourDeterministic, int round,
                    BenchResult& result, BenchRound& figures) {
    if (std::system(command.c_str()) != 0) {
        throw Error("bench: the PyTorch side failed: " + command);
    }
    std::ifstream in(reportPath);
    const nlohmann::json report = nlohmann::json::parse(in);
    const std::vector<std::pair<std::string, std::string>> names = {
        {"loop", "loop (one image, T passes)"},
        {"replicated",
         "replicated batch (" + std::to_string(options.pytorchChunkRows) + "-row chunks)"},
        {"encode_once", "encode once + head T times"},
        {"single", "single pass (deterministic)"}};
    for (const auto& [key, label] : names) {
        if (!report["approaches"].contains(key)) {
            continue;
        }
        const auto& a = report["approaches"][key];
        const double perSecond = addRow(result, "pytorch", label, round,
                                        a["images"].get<std::size_t>(), a["seconds"].get<double>());
        if (key == "loop") {
            figures.pytorchLoop = perSecond;
        }
        if (key != "single") {
            figures.bestPytorchMc = std::max(figures.bestPytorchMc, perSecond);
        }
    }
    result.pytorchPeakRssMb =
        std::max(result.pytorchPeakRssMb, report["peak_rss_mb"].get<double>());
    const auto& theirs = report["deterministic_probabilities"];
    for (std::size_t i = 0; i < ourDeterministic.means.size() && i < theirs.size(); ++i) {
        for (std::size_t c = 0; c < ourDeterministic.means[i].size(); ++c) {
            result.maxAbsProbabilityDifference = std::max(
                result.maxAbsProbabilityDifference,
                std::abs(double(ourDeterministic.means[i][c]) - theirs[i][c].get<double>()));
        }
    }
}

}  // namespace

BenchResult runBench(const ModelBundle& bundle, const BenchInputs& benchInputs,
                     const BenchOptions& options) {
    const std::vector<float>& inputs = benchInputs.data;
    const std::size_t count = benchInputs.count;
    if (count == 0) {
        throw Error("bench: no readable images in the given inputs");
    }
    BenchResult result;
    result.samples = options.samples;
    result.images = count;
    result.blas = blasName();
    result.threads = options.threads > 0 ? options.threads
                                         : int(std::max(1u, std::thread::hardware_concurrency()));
    result.device = resolveDevice(options.device);
    result.precision = options.precision;
    RunOptions base;
    base.threads = result.threads;
    base.device = result.device;
    base.precision = options.precision;
    const double budget = options.secondsPerApproach;

    // The same tensors for the Python side.
    fs::create_directories(options.workDir);
    const std::string tensorPath = (fs::path(options.workDir) / "bench-inputs.f32").string();
    const std::string reportPath = (fs::path(options.workDir) / "bench-pytorch.json").string();
    {
        std::ofstream out(tensorPath, std::ios::binary);
        out.write(reinterpret_cast<const char*>(inputs.data()),
                  std::streamsize(inputs.size() * sizeof(float)));
        if (!out) {
            throw IoError(tensorPath + ": cannot write the benchmark tensors");
        }
    }
    const std::string command =
        pytorchCommand(bundle, result, options, count, tensorPath, reportPath);

    for (int round = 1; round <= std::max(1, options.rounds); ++round) {
        BenchRound figures;
        // Never cut: its probabilities are compared with PyTorch's, image for image.
        const Timed deterministic =
            timeOurs(bundle, inputs, base, Method::Deterministic, 1, false, 0);
        figures.oursDeterministic =
            addOurs(result, "single pass (deterministic)", round, deterministic);
        const Timed mcDefault =
            timeOurs(bundle, inputs, base, Method::McDropout, options.samples, true, budget);
        result.oursMcReport = mcDefault.report;
        figures.bestOursMc = addOurs(
            result, "mc default" + std::string(bundle.encodeHeadUsable() ? " (encode once)" : ""),
            round, mcDefault);
        if (bundle.encodeHeadUsable()) {
            figures.bestOursMc = std::max(figures.bestOursMc,
                                          addOurs(result, "mc replicated (--no-cache)", round,
                                                  timeOurs(bundle, inputs, base, Method::McDropout,
                                                           options.samples, false, budget)));
        }
        // Checks rather than timings: once is enough.
        if (round == 1 && isCudaDevice(result.device)) {
            result.maxDeviceSummaryDifference =
                deviceSummaryDifference(bundle, inputs, base, options.samples);
            timePerImageOnGpu(bundle, inputs, base, options.samples, result);
        }
        if (round == 1 && options.precision != Precision::Float32) {
            RunOptions fp32 = base;
            fp32.precision = Precision::Float32;
            const Timed reference =
                timeOurs(bundle, inputs, fp32, Method::Deterministic, 1, false, 0);
            result.maxAbsDifferenceFromFp32 = maxMeanDifference(reference, deterministic);
        }
        result.oursPeakRssMb = peakRssMb();
        runPytorchSide(command, reportPath, options, deterministic, round, result, figures);
        result.rounds.push_back(figures);
    }
    // Plain remove/rmdir rather than filesystem::remove_all: with the CUDA LibTorch wheel's
    // toolchain (GCC 13, Ubuntu 24.04) remove_all jumped to a null pointer.
    std::remove(tensorPath.c_str());
    std::remove(reportPath.c_str());
    ::rmdir(options.workDir.c_str());
    return result;
}

}  // namespace ue
