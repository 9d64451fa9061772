#pragma once
#include <QHash>
#include <QStringList>
#include <memory>

#include "data/FolderScan.h"

namespace ue::ui {

// A run's listed images with what the table needs per row, built on the worker thread and
// shared read-only, so taking in 100k images costs the GUI thread a pointer swap.
struct ImageListing {
    std::vector<ImageEntry> images;
    QStringList paths;
    QHash<QString, int> rowOfPath;

    static std::shared_ptr<const ImageListing> make(std::vector<ImageEntry> images);
};

using SharedListing = std::shared_ptr<const ImageListing>;

}  // namespace ue::ui
