// The sweep's input side: each image decoded once, then prepared at every γ. Needs OpenCV, so
// it lives in uncertainty_core; the inference is the engine's, as for any other run.
#include "analysis/GammaSweep.h"
#include "augment/Augmenter.h"
#include "data/ImageLoader.h"
#include "engine/RandomStreams.h"
#include "model/ModelBundle.h"

namespace ue {

RunReport runGammaSweep(McEngine& engine, const ModelBundle& bundle,
                        const std::vector<ImageEntry>& images, const std::vector<double>& gammas,
                        const RunOptions& options, const GammaResultCallback& onResult,
                        const ProgressCallback& onProgress, const std::atomic<bool>* cancel) {
    if (gammas.empty()) {
        throw std::invalid_argument("a gamma sweep needs at least one gamma value");
    }
    const InputSpec& spec = bundle.meta().input;
    const std::size_t perImage = gammas.size();
    const AugmentPolicy& augment = options.augment;
    InputSource source;
    source.count = images.size() * perImage;
    source.copiesPerInput = std::size_t(augment.copiesPerImage());
    source.decode = [&](std::size_t begin, std::size_t end) {
        std::vector<DecodedImage> out(end - begin);
        for (std::size_t i = begin; i < end;) {
            const ImageEntry& image = images[i / perImage];
            cv::Mat decoded;
            std::string error;
            try {
                decoded = decodeImageFile(image.path);
            } catch (const std::exception& e) {
                error = e.what();
            }
            for (const std::size_t current = i / perImage; i < end && i / perImage == current;
                 ++i) {
                DecodedImage& target = out[i - begin];
                if (!error.empty()) {
                    target.error = error;
                    continue;
                }
                try {
                    // Keyed by the image, not the (image, γ) pair: every γ sees the same copies,
                    // so the curves compare γ values, not augmentation draws.
                    target.chw =
                        modelInputs(decoded, spec, image.path, augment,
                                    imageStreamKey(imageName(image)), gammas[i % perImage]);
                } catch (const std::exception& e) {
                    target.error = e.what();
                }
            }
        }
        return out;
    };
    source.path = [&](std::size_t i) { return images[i / perImage].path; };
    source.streamKey = [&](std::size_t i) {
        return imageStreamKey(imageName(images[i / perImage]));
    };
    source.label = [&](std::size_t i) { return images[i / perImage].label; };
    return engine.runSource(
        source, options,
        [&](ImageResult&& result) {
            GammaResult sweep;
            sweep.imageIndex = result.index / perImage;
            sweep.gammaIndex = result.index % perImage;
            sweep.gamma = gammas[sweep.gammaIndex];
            result.index = sweep.imageIndex;
            sweep.result = std::move(result);
            onResult(std::move(sweep));
        },
        onProgress, cancel);
}

}  // namespace ue
