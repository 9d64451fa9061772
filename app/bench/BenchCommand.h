#pragma once
// The `bench` options and their run, shared by uncertainty-cli (images decoded with OpenCV) and
// uncertainty-bench (raw tensors; builds where only LibTorch is installed). Header-only: app/
// holds mains and the little glue between CLI11 and core.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <string>

#include "bench/Bench.h"
#include "io/DataDir.h"
#include "model/ModelBundle.h"

#ifndef UE_SOURCE_DIR
#define UE_SOURCE_DIR "."
#endif

namespace ue::app {

struct BenchArgs {
    std::string model;
    int samples = 100;
    int threads = 0;
    int images = 256;
    double seconds = 3.0;
    int rounds = 3;
    std::string device = "cpu";
    std::string precision = "fp32";
    int pytorchBatchImages = 1;
    int pytorchChunkRows = 256;
    std::string out;
    std::string python = "/usr/bin/python3";
    std::string script = (bundledDataDir(UE_SOURCE_DIR) / "scripts" / "bench_pytorch.py").string();

    void addTo(CLI::App* command) {
        command->add_option("-m,--model", model, "Model bundle")->required();
        command->add_option("-T,--samples", samples, "Monte Carlo passes per image")
            ->check(CLI::Range(1, 100000))
            ->capture_default_str();
        command->add_option("--threads", threads, "Threads on both sides (0 = all cores)")
            ->check(CLI::Range(0, 1024))
            ->capture_default_str();
        command->add_option("--images", images, "Images to time (the first N)")
            ->check(CLI::Range(1, 10000000))
            ->capture_default_str();
        command->add_option("--device", device, "auto, cpu, cuda or cuda:N (both sides)")
            ->capture_default_str();
        command->add_option("--precision", precision, "fp32, or bf16/fp16 autocast on CUDA")
            ->check(CLI::IsMember({"fp32", "bf16", "fp16"}))
            ->capture_default_str();
        command
            ->add_option("--seconds", seconds,
                         "Time budget of each approach on both sides (slow ones are cut)")
            ->check(CLI::Range(0.1, 3600.0))
            ->capture_default_str();
        command
            ->add_option("--rounds", rounds,
                         "Times both sides run, one after the other (medians are shown)")
            ->check(CLI::Range(1, 100))
            ->capture_default_str();
        command
            ->add_option("--pytorch-batch-images", pytorchBatchImages,
                         "Images per call in PyTorch's replicated and encode-once loops (1 = a "
                         "notebook's per-image loop; a GPU wants hundreds)")
            ->check(CLI::Range(1, 1000000))
            ->capture_default_str();
        command->add_option("--pytorch-chunk-rows", pytorchChunkRows, "Rows per PyTorch forward")
            ->check(CLI::Range(1, 10000000))
            ->capture_default_str();
        command->add_option("-o,--out", out, "CSV of the timings");
        command->add_option("--python", python, "Python with torch")->capture_default_str();
        command->add_option("--pytorch-script", script, "The plain-PyTorch side")
            ->capture_default_str();
    }

    BenchOptions options() const {
        BenchOptions options;
        options.samples = samples;
        options.threads = threads;
        options.maxImages = images;
        options.device = device;
        options.precision = precisionFromString(precision);
        options.pytorchBatchImages = pytorchBatchImages;
        options.pytorchChunkRows = pytorchChunkRows;
        options.secondsPerApproach = seconds;
        options.rounds = rounds;
        options.python = python;
        options.pytorchScript = script;
        options.workDir = (std::filesystem::temp_directory_path() /
                           ("uncertainty-bench-" + std::to_string(::getpid())))
                              .string();
        return options;
    }
};

inline int runBenchAndReport(const ModelBundle& bundle, const BenchInputs& inputs,
                             const BenchArgs& args, BenchOptions options) {
    const auto result = runBench(bundle, inputs, options);
    std::cout << formatBench(result);
    if (!args.out.empty()) {
        writeBenchCsv(result, args.out);
        std::cout << "\nCSV        " << args.out << "\n";
    }
    return 0;
}

}  // namespace ue::app
