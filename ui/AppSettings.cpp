#include "AppSettings.h"

#include "data/ImageLoader.h"
#include "model/PathText.h"

namespace ue::ui {
namespace {
constexpr const char* kModelFolder = "paths/lastModelFolder";
constexpr const char* kImageFolder = "paths/lastImageFolder";
constexpr const char* kRecentModels = "recent/models";
constexpr const char* kRecentInputs = "recent/inputs";
constexpr const char* kSamples = "run/samples";
constexpr const char* kMethod = "run/method";
constexpr const char* kSeed = "run/seed";
constexpr const char* kAugmentation = "run/augmentation";
constexpr const char* kMaxPixels = "images/maxPixels";
constexpr const char* kGeometry = "window/geometry";
constexpr const char* kState = "window/state";
}  // namespace

AppSettings::AppSettings() : settings_("UncertaintyExplorer", "UncertaintyExplorer") {}

QString AppSettings::lastModelFolder() const {
    return settings_.value(kModelFolder).toString();
}
void AppSettings::setLastModelFolder(const QString& f) {
    settings_.setValue(kModelFolder, f);
}
QString AppSettings::lastImageFolder() const {
    return settings_.value(kImageFolder).toString();
}
void AppSettings::setLastImageFolder(const QString& f) {
    settings_.setValue(kImageFolder, f);
}

QStringList AppSettings::recentModels() const {
    return recentPathsFrom(settings_.value(kRecentModels));
}
void AppSettings::addRecentModel(const QString& path) {
    addRecent(kRecentModels, path);
}
QStringList AppSettings::recentInputs() const {
    return recentPathsFrom(settings_.value(kRecentInputs));
}
void AppSettings::addRecentInput(const QString& path) {
    addRecent(kRecentInputs, path);
}

QStringList recentPathsFrom(const QVariant& value) {
    const auto pathOf = [](const QVariant& item) {
        return item.typeId() == QMetaType::QByteArray ? pathText(item.toByteArray().toStdString())
                                                      : item.toString();
    };
    if (value.typeId() == QMetaType::QByteArray) {
        return {pathOf(value)};
    }
    if (value.typeId() != QMetaType::QVariantList) {
        return value.toStringList();  // as earlier builds wrote them
    }
    QStringList paths;
    for (const QVariant& item : value.toList()) {
        paths << pathOf(item);
    }
    return paths;
}

// Kept as the paths' bytes: the INI file is UTF-8, so a name's bytes that are not (pathText's
// escapes) would come back as U+FFFD in the next session and the entry would no longer open.
void AppSettings::addRecent(const char* key, const QString& path) {
    QStringList list = recentPathsFrom(settings_.value(key));
    list.removeAll(path);
    list.prepend(path);
    while (list.size() > kMaxRecent) {
        list.removeLast();
    }
    QVariantList bytes;
    for (const QString& entry : list) {
        bytes << QByteArray::fromStdString(pathBytes(entry));
    }
    settings_.setValue(key, bytes);
}

std::uint64_t AppSettings::maxImagePixels() const {
    bool ok = false;
    const auto value = settings_.value(kMaxPixels).toULongLong(&ok);
    return ok && value > 0 ? value : kDefaultMaxImagePixels;
}

int AppSettings::samples() const {
    return settings_.value(kSamples, 100).toInt();
}
void AppSettings::setSamples(int samples) {
    settings_.setValue(kSamples, samples);
}

Method AppSettings::method() const {
    try {
        return methodFromString(settings_.value(kMethod, "mc-dropout").toString().toStdString());
    } catch (const std::invalid_argument&) {
        return Method::McDropout;
    }
}
void AppSettings::setMethod(Method method) {
    settings_.setValue(kMethod, QString::fromStdString(toString(method)));
}

std::uint64_t AppSettings::seed() const {
    return settings_.value(kSeed, 0).toULongLong();
}
void AppSettings::setSeed(std::uint64_t seed) {
    settings_.setValue(kSeed, qulonglong(seed));
}

AugmentPolicy AppSettings::augmentPolicy() const {
    const QString json = settings_.value(kAugmentation).toString();
    if (json.isEmpty()) {
        return {};
    }
    try {
        return augmentPolicyFromJson(json.toStdString());
    } catch (const std::exception&) {
        return {};  // written by another version: start without augmentation
    }
}
void AppSettings::setAugmentPolicy(const AugmentPolicy& policy) {
    settings_.setValue(kAugmentation, QString::fromStdString(augmentPolicyToJson(policy)));
}

QByteArray AppSettings::windowGeometry() const {
    return settings_.value(kGeometry).toByteArray();
}
void AppSettings::setWindowGeometry(const QByteArray& g) {
    settings_.setValue(kGeometry, g);
}
QByteArray AppSettings::windowState() const {
    return settings_.value(kState).toByteArray();
}
void AppSettings::setWindowState(const QByteArray& s) {
    settings_.setValue(kState, s);
}

}  // namespace ue::ui
