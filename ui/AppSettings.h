#pragma once
#include <QByteArray>
#include <QSettings>
#include <QStringList>

#include "engine/McEngine.h"

namespace ue::ui {

// Recent paths as the settings file holds them: their bytes (one QByteArray, or a list of them),
// or the text earlier builds wrote.
QStringList recentPathsFrom(const QVariant& stored);

// Typed accessors over QSettings: no string keys outside this class.
class AppSettings {
  public:
    AppSettings();

    QString lastModelFolder() const;
    void setLastModelFolder(const QString& folder);
    QString lastImageFolder() const;
    void setLastImageFolder(const QString& folder);

    QStringList recentModels() const;
    void addRecentModel(const QString& path);
    QStringList recentInputs() const;
    void addRecentInput(const QString& path);

    int samples() const;
    void setSamples(int samples);
    Method method() const;
    void setMethod(Method method);
    std::uint64_t seed() const;
    void setSeed(std::uint64_t seed);
    // Images over this many pixels are refused before decoding (see ImageLoader.h); no dialog
    // sets it: edit the settings file's images/maxPixels, as --max-pixels does for the CLI.
    std::uint64_t maxImagePixels() const;
    AugmentPolicy augmentPolicy() const;  // the policy JSON, as the CLI's --tta-policy reads it
    void setAugmentPolicy(const AugmentPolicy& policy);

    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray& geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray& state);

    static constexpr int kMaxRecent = 8;

  private:
    void addRecent(const char* key, const QString& path);
    mutable QSettings settings_;
};

}  // namespace ue::ui
