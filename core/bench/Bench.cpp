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
#include "io/AtomicFile.h"
#include "io/CsvWriter.h"
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

std::vector<float> firstImages(const ModelBundle& bundle, const std::vector<float>& inputs,
                               std::size_t images) {
    const InputSpec& spec = bundle.meta().input;
    const std::size_t perImage = std::size_t(spec.channels) * spec.height * spec.width;
    return {inputs.begin(), inputs.begin() + std::min(inputs.size(), images * perImage)};
}

Timed timeOurs(const ModelBundle& bundle, const std::vector<float>& inputs, RunOptions options,
               Method method, int samples, bool cache) {
    options.method = method;
    options.samples = samples;
    options.useEncodeCache = cache;
    // An untimed warm-up first: TorchScript specialises its graphs during the first runs, and
    // the Python side warms up the same way. A GPU also picks its kernels for each batch
    // shape, so there the warm-up is a whole run, unless every call has one image's shape.
    const bool batchedOnGpu = isCudaDevice(resolveDevice(options.device)) &&
                              options.randomStreams != RandomStreams::PerImage;
    const std::size_t warmImages = batchedOnGpu ? inputs.size() : 4;
    const std::vector<float> warmUp = firstImages(bundle, inputs, warmImages);
    // TorchScript's profiling executor profiles a shape on its first run and optimises it on
    // the second: two warm-ups, as on the Python side.
    for (int i = 0; i < 2; ++i) {
        McEngine(bundle).runPreprocessed(warmUp, options, [](ImageResult&&) {});
    }
    Timed timed;
    timed.report = McEngine(bundle).runPreprocessed(
        inputs, options, [&](ImageResult&& r) { timed.means.push_back(r.summary.mean); });
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

// Images a GPU bench runs with per-image streams: one forward call per image is slow there, so
// a run over all of a GPU bench's images would take minutes.
constexpr std::size_t kGpuPerImageImages = 1024;
// Images compared between the GPU's and the CPU's per-image runs.
constexpr std::size_t kCrossDeviceImages = 32;

// A GPU bench also times a per-image run (what a shard or a reproducible reference run uses)
// and checks it draws the same passes as a CPU's: the same dropout masks give means that differ
// only by the devices' rounding.
void timePerImageOnGpu(const ModelBundle& bundle, const std::vector<float>& inputs,
                       const RunOptions& base, int samples, BenchResult& result) {
    RunOptions perImage = base;
    perImage.randomStreams = RandomStreams::PerImage;
    const auto some = firstImages(bundle, inputs, kGpuPerImageImages);
    const Timed timed = timeOurs(bundle, some, perImage, Method::McDropout, samples, true);
    const RunReport& r = timed.report;
    result.rows.push_back({"ours", "mc per-image streams", r.succeeded, r.seconds,
                           r.seconds > 0 ? r.succeeded / r.seconds : 0.0});
    if (base.precision != Precision::Float32) {
        return;
    }
    RunOptions onCpu = perImage;
    onCpu.device = "cpu";
    const Timed cpu = timeOurs(bundle, firstImages(bundle, inputs, kCrossDeviceImages), onCpu,
                               Method::McDropout, samples, true);
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

BenchResult runBench(const ModelBundle& bundle, const BenchInputs& benchInputs,
                     const BenchOptions& options) {
    const InputSpec& spec = bundle.meta().input;
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
    const auto addOurs = [&](const std::string& approach, const Timed& timed) {
        const RunReport& r = timed.report;
        result.rows.push_back({"ours", approach, r.succeeded, r.seconds,
                               r.seconds > 0 ? r.succeeded / r.seconds : 0.0});
        return result.rows.back().imagesPerSecond;
    };

    const Timed deterministic = timeOurs(bundle, inputs, base, Method::Deterministic, 1, false);
    result.oursDeterministic = addOurs("single pass (deterministic)", deterministic);
    const Timed mcDefault =
        timeOurs(bundle, inputs, base, Method::McDropout, options.samples, true);
    result.oursMcReport = mcDefault.report;
    result.bestOursMc = addOurs(
        "mc default" + std::string(bundle.encodeHeadUsable() ? " (encode once)" : ""), mcDefault);
    if (bundle.encodeHeadUsable()) {
        result.bestOursMc = std::max(
            result.bestOursMc,
            addOurs("mc replicated (--no-cache)",
                    timeOurs(bundle, inputs, base, Method::McDropout, options.samples, false)));
    }
    if (isCudaDevice(result.device)) {
        result.maxDeviceSummaryDifference =
            deviceSummaryDifference(bundle, inputs, base, options.samples);
        timePerImageOnGpu(bundle, inputs, base, options.samples, result);
    }
    if (options.precision != Precision::Float32) {
        RunOptions fp32 = base;
        fp32.precision = Precision::Float32;
        const Timed reference = timeOurs(bundle, inputs, fp32, Method::Deterministic, 1, false);
        result.maxAbsDifferenceFromFp32 = maxMeanDifference(reference, deterministic);
    }
    result.oursPeakRssMb = peakRssMb();

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
    std::ostringstream command;
    command << shellQuote(options.python) << ' ' << shellQuote(options.pytorchScript) << " --model "
            << shellQuote(bundle.path()) << " --inputs " << shellQuote(tensorPath) << " --shape "
            << count << ',' << spec.channels << ',' << spec.height << ',' << spec.width
            << " --samples " << options.samples << " --threads " << result.threads << " --seconds "
            << options.secondsPerPythonApproach << " --device " << result.device << " --precision "
            << toString(options.precision) << " --batch-images " << options.pytorchBatchImages
            << " --chunk-rows " << options.pytorchChunkRows << " --out " << shellQuote(reportPath);
    if (std::system(command.str().c_str()) != 0) {
        throw Error("bench: the PyTorch side failed: " + command.str());
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
        result.rows.push_back({"pytorch", label, a["images"].get<std::size_t>(),
                               a["seconds"].get<double>(), a["images_per_second"].get<double>()});
        if (key == "loop") {
            result.pytorchLoop = result.rows.back().imagesPerSecond;
        }
        if (key != "single") {
            result.bestPytorchMc =
                std::max(result.bestPytorchMc, result.rows.back().imagesPerSecond);
        }
    }
    result.pytorchPeakRssMb = report["peak_rss_mb"].get<double>();
    const auto& theirs = report["deterministic_probabilities"];
    for (std::size_t i = 0; i < deterministic.means.size(); ++i) {
        for (std::size_t c = 0; c < deterministic.means[i].size(); ++c) {
            result.maxAbsProbabilityDifference =
                std::max(result.maxAbsProbabilityDifference,
                         std::abs(double(deterministic.means[i][c]) - theirs[i][c].get<double>()));
        }
    }
    // Plain remove/rmdir rather than filesystem::remove_all: with the CUDA LibTorch wheel's
    // toolchain (GCC 13, Ubuntu 24.04) remove_all jumped to a null pointer.
    std::remove(tensorPath.c_str());
    std::remove(reportPath.c_str());
    ::rmdir(options.workDir.c_str());
    return result;
}

std::string formatBench(const BenchResult& r) {
    std::ostringstream out;
    char line[256];
    out << "Benchmark: " << r.images << " images, T = " << r.samples << ", " << r.threads
        << " thread" << (r.threads == 1 ? "" : "s") << ", " << r.device << ", "
        << toString(r.precision) << " on both sides, " << r.blas << " BLAS on one thread\n\n";
    std::snprintf(line, sizeof line, "  %-8s %-36s %10s %8s %12s\n", "side", "approach", "images",
                  "seconds", "images/s");
    out << line;
    for (const auto& row : r.rows) {
        std::snprintf(line, sizeof line, "  %-8s %-36s %10zu %8.2f %12.1f\n", row.side.c_str(),
                      row.approach.c_str(), row.images, row.seconds, row.imagesPerSecond);
        out << line;
    }
    const auto ratio = [](double a, double b) { return b > 0 ? a / b : 0.0; };
    std::snprintf(line, sizeof line,
                  "\n  ours (best MC) / best plain-PyTorch MC: %.2fx\n"
                  "  ours (best MC) / PyTorch loop:          %.1fx\n"
                  "  ours MC / ours single pass:             %.0f %%\n",
                  ratio(r.bestOursMc, r.bestPytorchMc), ratio(r.bestOursMc, r.pytorchLoop),
                  100.0 * ratio(r.bestOursMc, r.oursDeterministic));
    out << line;
    std::snprintf(line, sizeof line,
                  "  peak RSS: ours %.0f MB, PyTorch %.0f MB\n"
                  "  deterministic probabilities, max |ours - PyTorch|: %.2e\n",
                  r.oursPeakRssMb, r.pytorchPeakRssMb, r.maxAbsProbabilityDifference);
    out << line;
    const RunReport& mc = r.oursMcReport;
    std::snprintf(line, sizeof line,
                  "  ours, mc default: %.2f s = inputs %.2f + packing %.2f + inference %.2f + "
                  "summaries %.2f + delivery %.2f (+ rest)\n",
                  mc.seconds, mc.secondsWaitingForInputs, mc.secondsPacking, mc.secondsInference,
                  mc.secondsSummarizing, mc.secondsDelivering);
    out << line;
    if (r.maxDeviceSummaryDifference >= 0) {
        std::snprintf(line, sizeof line,
                      "  summaries computed on the GPU against the host's, max |difference|: "
                      "%.2e\n",
                      r.maxDeviceSummaryDifference);
        out << line;
    }
    if (r.perImageGpuCpuDifference >= 0) {
        std::snprintf(line, sizeof line,
                      "  mc per-image streams, GPU against CPU (first %zu images), max |mean "
                      "difference|: %.2e\n",
                      kCrossDeviceImages, r.perImageGpuCpuDifference);
        out << line;
    }
    if (r.maxAbsDifferenceFromFp32 >= 0) {
        std::snprintf(line, sizeof line,
                      "  %s against fp32 (ours, deterministic), max |difference|: %.2e\n",
                      toString(r.precision).c_str(), r.maxAbsDifferenceFromFp32);
        out << line;
    }
    return out.str();
}

void writeBenchCsv(const BenchResult& r, const std::string& path) {
    AtomicFile file(path);
    CsvWriter csv(file.stream());
    csv.header({"side", "approach", "images", "seconds", "images_per_second", "samples", "threads",
                "device", "precision"});
    for (const auto& row : r.rows) {
        csv.text(row.side)
            .text(row.approach)
            .integer(static_cast<long long>(row.images))
            .number(row.seconds)
            .number(row.imagesPerSecond)
            .integer(r.samples)
            .integer(r.threads)
            .text(r.device)
            .text(toString(r.precision))
            .endRow();
    }
    file.commit();
}

}  // namespace ue
