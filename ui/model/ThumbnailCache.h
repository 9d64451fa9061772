#pragma once
#include <QCache>
#include <QObject>
#include <QPixmap>
#include <QSet>
#include <QThreadPool>

namespace ue::ui {

// Thumbnails made lazily, off the GUI thread, only for the rows a view asks about; the decoded
// QImage becomes a QPixmap on the GUI thread. Bounded: an LRU cache of pixmaps and a small
// pool, so 100k images cost nothing until they are scrolled into view.
class ThumbnailCache : public QObject {
    Q_OBJECT
  public:
    explicit ThumbnailCache(int side, QObject* parent = nullptr);
    ~ThumbnailCache() override;

    // The thumbnail if ready; otherwise a null pixmap, and loading starts.
    QPixmap thumbnail(const QString& path);
    int side() const { return side_; }
    void clear();

  signals:
    void thumbnailReady(const QString& path);

  private:
    int side_;
    QCache<QString, QPixmap> cache_;
    QSet<QString> loading_;
    QThreadPool pool_;
};

}  // namespace ue::ui
