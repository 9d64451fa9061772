// uncertainty-bench: `uncertainty-cli bench` on raw float32 tensors instead of image files. It
// links only the engine (LibTorch, no OpenCV, no Qt), so it builds on a GPU machine that has
// nothing but a CUDA LibTorch: see scripts/gpu-bench.sh.
#include <iostream>

#include "Error.h"
#include "bench/BenchCommand.h"
#include "io/PrintableText.h"

int main(int argc, char** argv) {
    // Messages quote image and class names from users' files: no terminal escapes from them.
    const ue::PrintableConsole printableConsole;
    CLI::App app{
        "Times the engine against plain-PyTorch loops on the same preprocessed tensors (raw "
        "float32, N x C x H x W of the model's input shape)."};
    ue::app::BenchArgs args;
    std::string tensors;
    args.addTo(&app);
    app.add_option("--tensors", tensors, "Raw float32 file of preprocessed images")->required();
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }
    try {
        const auto bundle = ue::ModelBundle::load(args.model);
        const auto inputs = ue::readBenchTensors(bundle, tensors, args.images);
        return ue::app::runBenchAndReport(bundle, inputs, args, args.options());
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
    }
    return 2;
}
