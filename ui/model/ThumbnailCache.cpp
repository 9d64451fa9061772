#include "model/ThumbnailCache.h"

#include <QMetaObject>
#include <QPointer>

#include "model/ImageConversion.h"

namespace ue::ui {

ThumbnailCache::ThumbnailCache(int side, QObject* parent)
    : QObject(parent), side_(side), cache_(4000) {
    pool_.setMaxThreadCount(2);
}

ThumbnailCache::~ThumbnailCache() {
    pool_.clear();
    pool_.waitForDone();
}

void ThumbnailCache::clear() {
    pool_.clear();
    cache_.clear();
    loading_.clear();
}

QPixmap ThumbnailCache::thumbnail(const QString& path) {
    if (const QPixmap* cached = cache_.object(path)) {
        return *cached;
    }
    if (!loading_.contains(path)) {
        loading_.insert(path);
        QPointer<ThumbnailCache> self(this);
        const int side = side_;
        pool_.start([self, path, side] {
            QImage image = loadDisplayImage(path, side);
            if (!image.isNull() && std::max(image.width(), image.height()) < side) {
                // Tiny images (28 x 28) are enlarged with visible pixels, not blurred.
                image = image.scaled(side, side, Qt::KeepAspectRatio, Qt::FastTransformation);
            }
            if (image.isNull()) {
                image = QImage(1, 1, QImage::Format_Grayscale8);
                image.fill(Qt::lightGray);
            }
            if (!self) {
                return;
            }
            QMetaObject::invokeMethod(
                self.data(),
                [self, path, image] {
                    if (!self || !self->loading_.remove(path)) {
                        return;  // cleared meanwhile
                    }
                    self->cache_.insert(path, new QPixmap(QPixmap::fromImage(image)));
                    emit self->thumbnailReady(path);
                },
                Qt::QueuedConnection);
        });
    }
    return {};
}

}  // namespace ue::ui
