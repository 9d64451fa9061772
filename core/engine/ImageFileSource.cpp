// McEngine::run on image files: the one part of the engine that needs OpenCV, kept apart so the
// engine library builds on a machine that has only LibTorch.
#include "augment/Augmenter.h"
#include "data/ImageLoader.h"
#include "engine/McEngine.h"
#include "engine/RandomStreams.h"
#include "model/ModelBundle.h"

namespace ue {

RunReport McEngine::run(const std::vector<ImageEntry>& images, const RunOptions& options,
                        const ResultCallback& onResult, const ProgressCallback& onProgress,
                        const std::atomic<bool>* cancel) {
    const InputSpec& spec = bundle_.meta().input;
    InputSource source;
    source.count = images.size();
    const AugmentPolicy& augment = options.augment;
    source.copiesPerInput = std::size_t(augment.copiesPerImage());
    // Augmentation draws and the image's random stream key on the same name.
    source.streamKey = [&images](std::size_t i) { return imageStreamKey(imageName(images[i])); };
    source.decode = [&images, &spec, &augment, key = source.streamKey](std::size_t begin,
                                                                       std::size_t end) {
        std::vector<DecodedImage> out(end - begin);
        for (std::size_t i = begin; i < end; ++i) {
            try {
                const std::string& path = images[i].path;
                out[i - begin].chw =
                    modelInputs(decodeImageFile(path), spec, path, augment, key(i));
            } catch (const std::exception& e) {
                out[i - begin].error = e.what();
            }
        }
        return out;
    };
    source.path = [&images](std::size_t i) { return images[i].path; };
    source.label = [&images](std::size_t i) { return images[i].label; };
    return runSource(source, options, onResult, onProgress, cancel);
}

}  // namespace ue
