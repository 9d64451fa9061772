#pragma once
#include <QHash>
#include <QString>
#include <QStringList>
#include <vector>

#include "analysis/GammaSweep.h"

namespace ue::ui {

// A gamma sweep's results on the GUI side: every image's summary at every γ (histograms
// included, for the per-γ view), and the set-level numbers per γ. Filled by streamed batches.
// The summaries do not depend on the class thresholds, so new thresholds re-measure the set
// from them instead of sweeping again.
class GammaSweepData {
  public:
    struct Image {
        QString path;
        int label = kNoLabel;
        std::vector<ImageSummary> atGamma;  // one per γ; valid where ok[g]
        std::vector<bool> ok;
        std::string error;  // why it failed, when it did
    };

    void reset(std::vector<double> gammas, const QStringList& classes,
               std::vector<float> thresholds);
    void add(const GammaResult& result);
    // The per-class thresholds the threshold rule applies from now on (empty: none), in
    // points() and both CSVs; for this sweep's classes, which the caller checks.
    void setThresholds(std::vector<float> thresholds);

    const std::vector<double>& gammas() const { return gammas_; }
    const QStringList& classes() const { return classes_; }
    // Those in force; and those the sweep started with, which stay in force when the user's
    // belong to another model.
    const std::vector<float>& thresholds() const { return thresholds_; }
    const std::vector<float>& sweepThresholds() const { return sweepThresholds_; }
    bool isEmpty() const { return images_.empty(); }
    int imageCount() const { return int(images_.size()); }
    // Index of the image with this path, or -1 when the sweep has not reached it.
    int indexOf(const QString& path) const { return pathIndex_.value(path, -1); }
    const Image& image(int index) const { return images_.at(std::size_t(index)); }
    std::vector<GammaPoint> points() const { return accumulator_.result(); }

    // The set-level table (as `uncertainty-cli gamma-sweep --out`) and every image at every γ
    // (as `--per-image`), written atomically; an empty string on success, else the error.
    QString writeSetCsv(const QString& path) const;
    QString writePerImageCsv(const QString& path) const;

  private:
    std::vector<double> gammas_;
    QStringList classes_;
    std::vector<float> thresholds_;
    std::vector<float> sweepThresholds_;
    std::vector<Image> images_;
    QHash<QString, int> pathIndex_;
    GammaSweepAccumulator accumulator_{{}};
};

}  // namespace ue::ui
