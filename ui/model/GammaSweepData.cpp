#include "model/GammaSweepData.h"

#include "StdStrings.h"
#include "WriteAtomically.h"
#include "io/ResultsCsv.h"
#include "model/PathText.h"

namespace ue::ui {

void GammaSweepData::reset(std::vector<double> gammas, const QStringList& classes,
                           std::vector<float> thresholds) {
    gammas_ = std::move(gammas);
    classes_ = classes;
    thresholds_ = std::move(thresholds);
    sweepThresholds_ = thresholds_;
    images_.clear();
    pathIndex_.clear();
    accumulator_ = GammaSweepAccumulator(gammas_, thresholds_);
}

void GammaSweepData::add(const GammaResult& r) {
    if (r.gammaIndex >= gammas_.size()) {
        return;
    }
    if (images_.size() <= r.imageIndex) {
        images_.resize(r.imageIndex + 1);
    }
    Image& image = images_[r.imageIndex];
    if (image.atGamma.empty()) {
        image.path = pathText(r.result.path);
        image.label = r.result.label;
        image.atGamma.resize(gammas_.size());
        image.ok.assign(gammas_.size(), false);
        pathIndex_.insert(image.path, int(r.imageIndex));
    }
    image.ok[r.gammaIndex] = r.result.ok;
    if (r.result.ok) {
        image.atGamma[r.gammaIndex] = r.result.summary;
    } else {
        image.error = r.result.error;
    }
    accumulator_.add(r);
}

void GammaSweepData::setThresholds(std::vector<float> thresholds) {
    if (thresholds == thresholds_) {
        return;
    }
    thresholds_ = std::move(thresholds);
    accumulator_ = GammaSweepAccumulator(gammas_, thresholds_);
    for (const Image& image : images_) {
        for (std::size_t g = 0; g < image.ok.size(); ++g) {
            if (image.ok[g]) {
                accumulator_.add(g, image.atGamma[g], image.label);
            }
        }
    }
}

QString GammaSweepData::writeSetCsv(const QString& path) const {
    return writeAtomically(path, [&](std::ostream& out) { writeGammaSweepCsv(points(), out); });
}

QString GammaSweepData::writePerImageCsv(const QString& path) const {
    const std::vector<std::string> names = toStdStrings(classes_);
    return writeAtomically(path, [&](std::ostream& out) {
        ResultsCsv csv(out, names, thresholds_, "gamma");
        for (const Image& image : images_) {
            for (std::size_t g = 0; g < gammas_.size(); ++g) {
                ImageResult row;
                row.path = pathBytes(image.path);
                row.label = image.label;
                row.ok = image.ok[g];
                row.error = row.ok ? std::string() : image.error;
                if (row.ok) {
                    row.summary = image.atGamma[g];
                }
                csv.write(row, gammas_[g]);
            }
        }
    });
}

}  // namespace ue::ui
