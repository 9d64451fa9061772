#include "bench/Bench.h"

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "Error.h"
#include "data/FolderScan.h"
#include "data/ImageLoader.h"
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

Timed timeOurs(const ModelBundle& bundle, const std::vector<float>& inputs, Method method,
               int samples, int threads, bool cache) {
    RunOptions options;
    options.method = method;
    options.samples = samples;
    options.threads = threads;
    options.useEncodeCache = cache;
    // An untimed warm-up on a few images first: TorchScript specialises its graphs during the
    // first runs, and the Python side warms up the same way.
    const InputSpec& spec = bundle.meta().input;
    const std::size_t perImage = std::size_t(spec.channels) * spec.height * spec.width;
    const std::vector<float> warmUp(inputs.begin(),
                                    inputs.begin() + std::min(inputs.size(), 4 * perImage));
    McEngine(bundle).runPreprocessed(warmUp, options, [](ImageResult&&) {});
    Timed timed;
    timed.report = McEngine(bundle).runPreprocessed(
        inputs, options, [&](ImageResult&& r) { timed.means.push_back(r.summary.mean); });
    return timed;
}

}  // namespace

BenchResult runBench(const ModelBundle& bundle, const BenchOptions& options) {
    const InputSpec& spec = bundle.meta().input;
    const ScanResult scan = scanInputs(options.inputs, bundle.meta().classes);
    std::vector<float> inputs;
    std::size_t count = 0;
    for (const auto& image : scan.images) {
        if (count >= std::size_t(options.maxImages)) {
            break;
        }
        try {
            const auto chw = loadImageForModel(image.path, spec);
            inputs.insert(inputs.end(), chw.begin(), chw.end());
            ++count;
        } catch (const ImageError&) {
            // A bench measures speed; unreadable files are simply not part of it.
        }
    }
    if (count == 0) {
        throw Error("bench: no readable images in the given inputs");
    }

    BenchResult result;
    result.samples = options.samples;
    result.images = count;
    result.threads = options.threads > 0 ? options.threads
                                         : int(std::max(1u, std::thread::hardware_concurrency()));
    const auto addOurs = [&](const std::string& approach, const Timed& timed) {
        const RunReport& r = timed.report;
        result.rows.push_back({"ours", approach, r.succeeded, r.seconds,
                               r.seconds > 0 ? r.succeeded / r.seconds : 0.0});
        return result.rows.back().imagesPerSecond;
    };

    const Timed deterministic =
        timeOurs(bundle, inputs, Method::Deterministic, 1, result.threads, false);
    result.oursDeterministic = addOurs("single pass (deterministic)", deterministic);
    result.bestOursMc =
        addOurs("mc default" + std::string(bundle.encodeHeadUsable() ? " (encode once)" : ""),
                timeOurs(bundle, inputs, Method::McDropout, options.samples, result.threads, true));
    if (bundle.encodeHeadUsable()) {
        result.bestOursMc =
            std::max(result.bestOursMc, addOurs("mc replicated (--no-cache)",
                                                timeOurs(bundle, inputs, Method::McDropout,
                                                         options.samples, result.threads, false)));
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
            << options.secondsPerPythonApproach << " --out " << shellQuote(reportPath);
    if (std::system(command.str().c_str()) != 0) {
        throw Error("bench: the PyTorch side failed: " + command.str());
    }
    std::ifstream in(reportPath);
    const nlohmann::json report = nlohmann::json::parse(in);
    const std::vector<std::pair<std::string, std::string>> names = {
        {"loop", "loop (one image, T passes)"},
        {"replicated", "replicated batch (256-row chunks)"},
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
    std::remove(tensorPath.c_str());
    return result;
}

std::string formatBench(const BenchResult& r) {
    std::ostringstream out;
    char line[256];
    out << "Benchmark: " << r.images << " images, T = " << r.samples << ", " << r.threads
        << " thread" << (r.threads == 1 ? "" : "s") << " on both sides\n\n";
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
    return out.str();
}

void writeBenchCsv(const BenchResult& r, const std::string& path) {
    AtomicFile file(path);
    CsvWriter csv(file.stream());
    csv.header(
        {"side", "approach", "images", "seconds", "images_per_second", "samples", "threads"});
    for (const auto& row : r.rows) {
        csv.text(row.side)
            .text(row.approach)
            .integer(static_cast<long long>(row.images))
            .number(row.seconds)
            .number(row.imagesPerSecond)
            .integer(r.samples)
            .integer(r.threads)
            .endRow();
    }
    file.commit();
}

}  // namespace ue
