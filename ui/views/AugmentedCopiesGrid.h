#pragma once
#include <QStringList>
#include <QWidget>
#include <vector>

#include "model/AugmentedPreview.h"
#include "model/CopyOutcomes.h"

namespace ue::ui {

// Augmented copies of one image as tiles, each with its number and, after a run, the class it
// predicts and that class's probability: green where it agrees with the image's overall
// prediction, red where the copy changes its mind. The tooltip says what was done to the copy.
class AugmentedCopiesGrid : public QWidget {
    Q_OBJECT
  public:
    explicit AugmentedCopiesGrid(QWidget* parent = nullptr);

    void setCopies(std::vector<AugmentedCopy> copies);
    // Per-copy outcomes (empty: none known) and the image's overall prediction they are
    // compared with.
    void setOutcomes(std::vector<CopyOutcome> outcomes, const QStringList& classes,
                     int overallPrediction);
    // Shown instead of tiles when there is nothing to show (no image, unreadable file, TTA off).
    void setMessage(const QString& message);
    void setTileSide(int side);

    int copyCount() const { return int(copies_.size()); }
    const std::vector<AugmentedCopy>& copies() const { return copies_; }
    int disagreeing() const;
    QString tileToolTip(int index) const;
    int tileAt(const QPoint& position) const;

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;

  protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;

  private:
    int columnsFor(int width) const;
    QRect tileRect(int index) const;

    std::vector<AugmentedCopy> copies_;
    std::vector<CopyOutcome> outcomes_;
    QStringList classes_;
    int overallPrediction_ = -1;
    QString message_;
    int tileSide_ = 84;
};

}  // namespace ue::ui
