#pragma once
#include <QImage>
#include <QString>
#include <cstdint>
#include <vector>

#include "augment/AugmentPolicy.h"
#include "model/ModelMeta.h"

namespace ue::ui {

// One augmented copy as the model sees it (its size and channels, before normalisation).
struct AugmentedCopy {
    QImage image;
    QString description;    // what was done to it: "mirrored, shifted (+2.0, −1.5) px, …"
    bool original = false;  // the untouched image (AugmentPolicy::includeOriginal)
};

// What a draw does, in words, for a tile's tooltip.
QString describeDraw(const AugmentDraw& draw, int width, int height);

// The first `maxCopies` copies a run with `policy` makes of the image whose key is `imageKey`
// (imageStreamKey of its name): the same draws the engine uses, so the preview is what the model
// saw. Empty, with `error` set, when the file cannot be read.
std::vector<AugmentedCopy> augmentedPreviews(const QString& path, const InputSpec& spec,
                                             const AugmentPolicy& policy, std::uint64_t imageKey,
                                             int maxCopies, QString* error = nullptr);

}  // namespace ue::ui
