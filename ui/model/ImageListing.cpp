#include "model/ImageListing.h"
#include "model/PathText.h"

namespace ue::ui {

std::shared_ptr<const ImageListing> ImageListing::make(std::vector<ImageEntry> images) {
    auto listing = std::make_shared<ImageListing>();
    listing->paths.reserve(qsizetype(images.size()));
    listing->rowOfPath.reserve(qsizetype(images.size()));
    for (const auto& image : images) {
        const QString path = pathText(image.path);
        listing->rowOfPath.insert(path, int(listing->paths.size()));
        listing->paths << path;
    }
    listing->images = std::move(images);
    return listing;
}

}  // namespace ue::ui
