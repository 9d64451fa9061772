#include "model/PathText.h"

#include <QDir>
#include <QFileInfo>
#include <filesystem>
#include <system_error>

#include "io/PrintableText.h"

namespace ue::ui {

namespace {
constexpr char16_t kEscapeBase = 0xDC00;
}

QString pathText(const std::string& path) {
    QString text;
    text.reserve(qsizetype(path.size()));
    std::size_t validFrom = 0;
    std::size_t at = 0;
    const auto flushValid = [&] {
        text += QString::fromUtf8(path.data() + validFrom, qsizetype(at - validFrom));
    };
    while (at < path.size()) {
        const std::size_t length = utf8SequenceLength(path, at);
        if (length > 0) {
            at += length;
            continue;
        }
        flushValid();
        text += QChar(char16_t(kEscapeBase | static_cast<unsigned char>(path[at])));
        validFrom = ++at;
    }
    flushValid();
    return text;
}

std::string pathBytes(const QString& text) {
    std::string bytes;
    bytes.reserve(std::size_t(text.size()));
    qsizetype validFrom = 0;
    const auto flushValid = [&](qsizetype end) {
        bytes += QStringView(text).mid(validFrom, end - validFrom).toUtf8().toStdString();
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t unit = text[i].unicode();
        // Only a lone low surrogate in U+DC80..U+DCFF is an escaped byte; one after a high
        // surrogate is half of a real character.
        const bool afterHigh = i > 0 && text[i - 1].isHighSurrogate();
        if (unit >= 0xDC80 && unit <= 0xDCFF && !afterHigh) {
            flushValid(i);
            bytes += static_cast<char>(unit & 0xFF);
            validFrom = i + 1;
        }
    }
    flushValid(text.size());
    return bytes;
}

QString absolutePathText(const QString& path) {
    if (QDir::isAbsolutePath(path)) {
        return QDir::cleanPath(path);
    }
    std::error_code error;
    const std::filesystem::path workingFolder = std::filesystem::current_path(error);
    return QDir::cleanPath((error ? QDir::currentPath() : pathText(workingFolder.string())) + '/' +
                           path);
}

QString localPathOf(const QUrl& url) {
    return pathText(
        QByteArray::fromPercentEncoding(url.path(QUrl::FullyEncoded).toLatin1()).toStdString());
}

QString shownPath(const QString& path) {
    return QString::fromStdString(printableText(pathBytes(path)));
}

QString shownFileName(const QString& path) {
    return shownPath(QFileInfo(path).fileName());
}

QString shownName(const QString& name) {
    return shownMessage(name.toStdString());
}

QStringList shownNames(const QStringList& names) {
    QStringList shown;
    shown.reserve(names.size());
    for (const QString& name : names) {
        shown << shownName(name);
    }
    return shown;
}

QString shownClassName(const QStringList& classes, int cls) {
    return cls >= 0 && cls < classes.size() ? shownName(classes[cls]) : QString::number(cls);
}

QString shownMessage(const std::string& message) {
    return QString::fromStdString(printableText(message));
}

}  // namespace ue::ui
