#pragma once
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace ue::test {

inline std::string sourcePath(const std::string& relative) {
    return std::string(UE_SOURCE_DIR) + "/" + relative;
}

inline const std::string& demoModel() {
    static const std::string path = sourcePath("models/fmnist-mc-cnn.pt");
    return path;
}

inline const std::string& deterministicTwin() {
    static const std::string path = sourcePath("models/fmnist-det-cnn.pt");
    return path;
}

inline const std::string& demoSamples() {
    static const std::string path = sourcePath("resources/samples/fashion-mnist");
    return path;
}

// A one-byte file at `path`, its folders made as needed: a file whose content does not matter.
inline void touch(const std::filesystem::path& path) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << "x";
}

// The ModelError message ModelBundle::load gives for `path`, or "(no error)".
std::string modelLoadError(const std::string& path);

// A fresh folder under the system temp dir, removed when the object goes away.
class TempDir {
  public:
    TempDir() {
        std::random_device random;
        path_ = std::filesystem::temp_directory_path() /
                ("ue-test-" + std::to_string(random()) + std::to_string(random()));
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    const std::filesystem::path& path() const { return path_; }
    std::string file(const std::string& name) const { return (path_ / name).string(); }

  private:
    std::filesystem::path path_;
};

}  // namespace ue::test
