#pragma once
#include <string>
#include <vector>

#include "Labels.h"

namespace ue {

struct ImageEntry {
    std::string path;
    int label = kNoLabel;  // index into the model's classes, or kNoLabel
    // What the image is called wherever the data is mounted: the input folder's own name and the
    // path inside it ("samples/Bag/0001.png"), or a file's name when it was named itself. Its
    // random streams and its shard follow this name, not the path, so a run gives the same
    // numbers in any checkout and on every node of a cluster.
    std::string name;
};

// entry.name, or the file name of an entry made by hand without one.
std::string imageName(const ImageEntry& entry);

struct ScanResult {
    std::vector<ImageEntry> images;  // sorted by path within each input, inputs in order
    // Inputs that do not exist or could not be listed, and entries named like images that are
    // not analysed (symlink loops and broken links, pipes, devices), sorted within each input.
    std::vector<std::string> problems;
    std::size_t labelledCount = 0;
};

// True for the file extensions OpenCV decodes (case-insensitive).
bool hasImageExtension(const std::string& path);

// The class a folder name stands for: exact match, or after replacing characters a folder
// name cannot hold ('/', '\\', ':') with '_' ("T-shirt/top" is stored as "T-shirt_top").
int classForFolderName(const std::string& folder, const std::vector<std::string>& classes);

// Expands files and folders (recursively, without following directory symlinks, so a symlink
// loop ends the descent instead of repeating it) into image entries. An image's label is its
// parent folder's class, when that names one of `classes`; otherwise it is unlabelled, which is
// not an error. An input that cannot be resolved (missing, a symlink loop) is a problem.
ScanResult scanInputs(const std::vector<std::string>& inputs,
                      const std::vector<std::string>& classes);

}  // namespace ue
