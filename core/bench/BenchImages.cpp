// The bench's image decoding: kept out of Bench.cpp so the timing side builds without OpenCV.
#include "Error.h"
#include "bench/Bench.h"
#include "data/FolderScan.h"
#include "data/ImageLoader.h"
#include "model/ModelBundle.h"

namespace ue {

BenchInputs decodeBenchInputs(const ModelBundle& bundle, const BenchOptions& options) {
    const InputSpec& spec = bundle.meta().input;
    const ScanResult scan = scanInputs(options.inputs, bundle.meta().classes);
    BenchInputs inputs;
    for (const auto& image : scan.images) {
        if (inputs.count >= std::size_t(options.maxImages)) {
            break;
        }
        try {
            const auto chw = loadImageForModel(image.path, spec);
            inputs.data.insert(inputs.data.end(), chw.begin(), chw.end());
            ++inputs.count;
        } catch (const ImageError&) {
            // A bench measures speed; unreadable files are simply not part of it.
        }
    }
    return inputs;
}

}  // namespace ue
