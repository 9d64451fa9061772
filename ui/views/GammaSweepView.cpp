#include "views/GammaSweepView.h"

#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QImage>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QToolButton>
#include <QVBoxLayout>
#include <cmath>

#include "PlainText.h"
#include "model/PathText.h"
#include "plots/ClassHistogramsPlot.h"
#include "plots/ClassProbabilityPlot.h"
#include "plots/GammaCurvesPlot.h"
#include "views/AdaptiveSplitter.h"
#include "views/GammaSweepCurves.h"

namespace ue::ui {
namespace {

constexpr int kPreviewSize = 56;

// The image as the model sees its brightness change: x -> x^γ on [0,1], per channel.
QImage withGamma(const QImage& source, double gamma) {
    QImage image = source.convertToFormat(source.isGrayscale() ? QImage::Format_Grayscale8
                                                               : QImage::Format_RGB888);
    uchar table[256];
    for (int v = 0; v < 256; ++v) {
        table[v] = uchar(std::lround(255.0 * std::pow(v / 255.0, gamma)));
    }
    for (int y = 0; y < image.height(); ++y) {
        uchar* line = image.scanLine(y);
        const int bytes =
            image.format() == QImage::Format_Grayscale8 ? image.width() : image.width() * 3;
        for (int i = 0; i < bytes; ++i) {
            line[i] = table[line[i]];
        }
    }
    return image;
}

int nearestIndex(const std::vector<double>& values, double target) {
    int best = 0;
    for (int i = 1; i < int(values.size()); ++i) {
        if (std::abs(std::log(values[i] / target)) < std::abs(std::log(values[best] / target))) {
            best = i;
        }
    }
    return best;
}

}  // namespace

GammaSweepView::GammaSweepView(QWidget* parent) : QWidget(parent) {
    setObjectName("gammaSweepView");
    auto* controls = new QHBoxLayout;
    minGamma_ = new QDoubleSpinBox;
    maxGamma_ = new QDoubleSpinBox;
    for (auto* box : {minGamma_, maxGamma_}) {
        box->setRange(0.01, 20.0);
        box->setDecimals(2);
        box->setSingleStep(0.1);
    }
    minGamma_->setValue(0.2);
    maxGamma_->setValue(3.0);
    steps_ = new QSpinBox;
    steps_->setRange(1, 50);
    steps_->setValue(9);
    steps_->setToolTip(tr("Log-spaced values from min to max; 0.5, 1 and 2 are always added"));
    run_ = new QPushButton(tr("Run sweep"));
    run_->setToolTip(tr("Every image at every γ, with the toolbar's method, T, seed and device"));
    export_ = new QToolButton;
    export_->setText(tr("Export"));
    export_->setPopupMode(QToolButton::InstantPopup);
    auto* exportMenu = new QMenu(export_);
    exportMenu->addAction(tr("Sweep table (CSV)…"), this, [this] { exportCsv(false); });
    exportMenu->addAction(tr("Every image at every γ (CSV)…"), this, [this] { exportCsv(true); });
    export_->setMenu(exportMenu);
    export_->setEnabled(false);
    status_ = plainLabel();
    controls->addWidget(new QLabel(tr("γ from")));
    controls->addWidget(minGamma_);
    controls->addWidget(new QLabel(tr("to")));
    controls->addWidget(maxGamma_);
    controls->addWidget(new QLabel(tr("steps")));
    controls->addWidget(steps_);
    controls->addWidget(run_);
    controls->addWidget(export_);
    controls->addWidget(status_, 1);
    connect(run_, &QPushButton::clicked, this, [this] {
        try {
            const auto gammas = requestedGammas();
            emit sweepRequested(QVector<double>(gammas.begin(), gammas.end()));
        } catch (const std::exception& e) {
            status_->setText(QString::fromStdString(e.what()));
        }
    });

    setPlot_ = new GammaCurvesPlot;
    setPlot_->setExportName("gamma-sweep-set");
    imagePlot_ = new GammaCurvesPlot;
    imagePlot_->setExportName("gamma-sweep-image");
    // Readable heights: below them the page scrolls (a short window) instead of squeezing the
    // per-class histograms to a few pixels.
    for (QWidget* plot : std::initializer_list<QWidget*>{setPlot_, imagePlot_}) {
        plot->setMinimumHeight(180);
    }
    // Side by side the set's and the image's curves (legends included) need about 760 px; the
    // tab between the window's docks at 1500 px had 690 and scrolled sideways.
    auto* curves = new AdaptiveSplitter(/*sideBySideWidth=*/900, /*stackedPaneHeight=*/260);
    curves->addWidget(setPlot_);
    curves->addWidget(imagePlot_);

    auto* strip = new QWidget;
    previews_ = new QHBoxLayout(strip);
    previews_->setContentsMargins(0, 0, 0, 0);
    previews_->setSpacing(2);
    previews_->addStretch();
    // A film strip that scrolls on its own: a dozen γ values of thumbnails held the whole tab
    // about 800 px wide.
    previewStrip_ = new QScrollArea;
    previewStrip_->setWidget(strip);
    previewStrip_->setWidgetResizable(true);
    previewStrip_->setFrameShape(QFrame::NoFrame);
    previewStrip_->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    previewStrip_->setFixedHeight(0);

    gammaSlider_ = new QSlider(Qt::Horizontal);
    gammaSlider_->setEnabled(false);
    gammaLabel_ = plainLabel();
    gammaLabel_->setMinimumWidth(150);
    auto* pick = new QHBoxLayout;
    pickLabel_ = new QLabel(tr("Histograms at"));
    pick->addWidget(pickLabel_);
    pick->addWidget(gammaLabel_);
    pick->addWidget(gammaSlider_, 1);
    connect(gammaSlider_, &QSlider::valueChanged, this, [this] { refreshImage(); });

    histograms_ = new ClassHistogramsPlot;
    histograms_->setExportName("gamma-sweep-histograms");
    histograms_->setMinimumHeight(260);
    probabilities_ = new ClassProbabilityPlot;
    probabilities_->setExportName("gamma-sweep-probabilities");
    atGamma_ = new QStackedWidget;
    atGamma_->addWidget(histograms_);
    atGamma_->addWidget(probabilities_);
    auto* lower = new QWidget;
    auto* lowerLayout = new QVBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    lowerLayout->addWidget(previewStrip_);
    lowerLayout->addLayout(pick);
    lowerLayout->addWidget(atGamma_, 1);

    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(curves);
    split->addWidget(lower);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    split->setSizes({330, 470});
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(split, 1);

    setPlot_->showMessage(tr("Run a sweep: every image at every γ"));
    imagePlot_->showMessage(tr("Select an image"));
    histograms_->showMessage(tr("No sweep yet"));
}

bool GammaSweepView::showsProbabilities() const {
    return atGamma_->currentWidget() == probabilities_;
}

void GammaSweepView::showAtGamma(const ImageSummary& summary, int label) {
    if (ClassProbabilityPlot::suits(summary)) {
        probabilities_->showSummary(summary, data_.classes(), shownThresholds(), label);
        atGamma_->setCurrentWidget(probabilities_);
        pickLabel_->setText(tr("Class probabilities at"));
        return;
    }
    histograms_->showSummary(summary, data_.classes(), shownThresholds(), label);
    atGamma_->setCurrentWidget(histograms_);
    pickLabel_->setText(tr("Histograms at"));
}

void GammaSweepView::showAtGammaMessage(const QString& message) {
    histograms_->showMessage(message);
    atGamma_->setCurrentWidget(histograms_);
}

std::vector<double> GammaSweepView::requestedGammas() const {
    return gammaGrid(minGamma_->value(), maxGamma_->value(), steps_->value());
}

void GammaSweepView::setRange(double minGamma, double maxGamma, int steps) {
    minGamma_->setValue(minGamma);
    maxGamma_->setValue(maxGamma);
    steps_->setValue(steps);
}

void GammaSweepView::begin(const std::vector<double>& gammas, const QStringList& classes,
                           const std::vector<float>& thresholds) {
    data_.reset(gammas, classes, thresholds);
    thresholds_ = thresholds;
    thresholdClasses_ = classes;
    gammaSlider_->setRange(0, int(gammas.size()) - 1);
    gammaSlider_->setValue(nearestIndex(gammas, 1.0));
    gammaSlider_->setEnabled(true);
    previewImage_ = -1;
    status_->setText(tr("sweeping %1 γ values…").arg(gammas.size()));
    refresh();
}

void GammaSweepView::addResults(const GammaBatch& batch) {
    for (const GammaResult& result : batch) {
        data_.add(result);
    }
}

void GammaSweepView::finish(const RunReport& report) {
    // Inputs that failed to decode are in imageCount() but in no point.
    const int inputs = data_.imageCount();
    const auto points = data_.points();
    const int analysed = points.empty() ? 0 : int(points.front().metrics.images);
    const QString images = analysed == inputs
                               ? (inputs == 1 ? tr("1 image") : tr("%1 images").arg(inputs))
                               : tr("%1 of %2 images").arg(analysed).arg(inputs);
    status_->setText((report.cancelled ? tr("cancelled (partial): ") : QString()) +
                     tr("%1 × %2 γ in %3 s on %4")
                         .arg(images)
                         .arg(data_.gammas().size())
                         .arg(report.seconds, 0, 'f', 1)
                         .arg(QString::fromStdString(report.device)));
    refresh();
}

void GammaSweepView::setRunning(bool running) {
    run_->setEnabled(!running);
    export_->setEnabled(!running && !data_.isEmpty());
}

void GammaSweepView::setThresholds(const std::vector<float>& thresholds,
                                   const QStringList& classes) {
    thresholds_ = thresholds;
    thresholdClasses_ = classes;
    // The set-level threshold rule follows what the histograms draw, so that the curves and
    // the exported tables never measure other thresholds than the plots show.
    const std::vector<float> shown = shownThresholds();
    if (shown != data_.thresholds()) {
        data_.setThresholds(shown);
        refresh();
    } else {
        refreshImage();
    }
}

// The current thresholds, unless they belong to another model than the sweep's (one opened
// since): then those the sweep ran with.
const std::vector<float>& GammaSweepView::shownThresholds() const {
    const bool sameModel =
        thresholdClasses_ == data_.classes() &&
        (thresholds_.empty() || thresholds_.size() == std::size_t(data_.classes().size()));
    return sameModel ? thresholds_ : data_.sweepThresholds();
}

void GammaSweepView::refresh() {
    const auto points = data_.points();
    if (data_.isEmpty()) {
        setPlot_->showMessage(tr("Run a sweep: every image at every γ"));
    } else {
        const std::size_t analysed = points.empty() ? 0 : points[0].metrics.images;
        setPlot_->setCurves(
            data_.gammas(), sweepSetCurves(points),
            analysed == 1 ? tr("The one image") : tr("All %1 images").arg(analysed));
    }
    export_->setEnabled(run_->isEnabled() && !data_.isEmpty());
    refreshImage();
}

void GammaSweepView::showImage(const QString& path) {
    if (path != imagePath_) {
        imagePath_ = path;
        previewImage_ = -1;
    }
    refreshImage();
}

void GammaSweepView::pickGamma(int gammaIndex) {
    gammaSlider_->setValue(gammaIndex);
}

int GammaSweepView::pickedGammaIndex() const {
    return gammaSlider_->value();
}

int GammaSweepView::previewCount() const {
    return previews_->count() - 1;  // the trailing stretch
}

void GammaSweepView::refreshImage() {
    const auto& gammas = data_.gammas();
    const int g = pickedGammaIndex();
    const bool haveGamma = g >= 0 && g < int(gammas.size());
    gammaLabel_->setText(haveGamma ? tr("γ = %1").arg(gammas[g], 0, 'g', 3) : QString());
    if (haveGamma) {
        setPlot_->markGamma(gammas[g]);
    }
    const int index = data_.indexOf(imagePath_);
    if (index < 0) {
        const QString why = imagePath_.isEmpty() ? tr("Select an image")
                            : data_.isEmpty()    ? tr("Run a sweep to see this image's curves")
                                                 : tr("This image is not in the sweep (yet)");
        imagePlot_->showMessage(why);
        showAtGammaMessage(why);
        rebuildPreviews();
        return;
    }
    const auto& image = data_.image(index);
    // Follow the true class when there is one, else the class predicted at γ = 1.
    const int reference = nearestIndex(gammas, 1.0);
    int cls = image.label;
    if (cls < 0 && image.ok[reference]) {
        cls = image.atGamma[reference].argmaxPrediction;
    }
    const QString className = cls >= 0 ? shownName(data_.classes().value(cls)) : QString();
    imagePlot_->setCurves(gammas, sweepImageCurves(image, cls, className),
                          shownFileName(image.path));
    if (haveGamma) {
        imagePlot_->markGamma(gammas[g]);
        if (image.ok[g]) {
            showAtGamma(image.atGamma[g], image.label);
        } else {
            showAtGammaMessage(shownMessage(image.error));
        }
    }
    if (previewImage_ != index) {
        previewImage_ = index;
        rebuildPreviews();
    }
}

void GammaSweepView::rebuildPreviews() {
    while (previews_->count() > 1) {
        delete previews_->takeAt(0)->widget();
    }
    previewStrip_->setFixedHeight(0);  // no image, no strip
    const int index = data_.indexOf(imagePath_);
    if (index < 0) {
        return;
    }
    const QImage source(imagePath_);
    const auto& gammas = data_.gammas();
    for (int i = 0; i < int(gammas.size()); ++i) {
        auto* button = new QToolButton;
        button->setToolButtonStyle(Qt::ToolButtonTextUnderIcon);
        button->setAutoRaise(true);
        button->setText(QString::number(gammas[i], 'g', 2));
        if (!source.isNull()) {
            // Small images (28 px) are enlarged without smoothing so their pixels stay visible.
            const QImage shown =
                withGamma(source, gammas[i])
                    .scaled(kPreviewSize, kPreviewSize, Qt::KeepAspectRatio,
                            source.width() < kPreviewSize ? Qt::FastTransformation
                                                          : Qt::SmoothTransformation);
            button->setIcon(QPixmap::fromImage(shown));
            button->setIconSize(QSize(kPreviewSize, kPreviewSize));
        }
        button->setToolTip(tr("Show the histograms at γ = %1").arg(gammas[i]));
        connect(button, &QToolButton::clicked, this, [this, i] { pickGamma(i); });
        previews_->insertWidget(i, button);
    }
    // As tall as the thumbnails, with room for the scroll bar when they do not fit.
    // From the buttons: the layout leaves them out of its hint until they are shown.
    int thumbnailHeight = 0;
    for (int i = 0; i < previewCount(); ++i) {
        thumbnailHeight =
            std::max(thumbnailHeight, previews_->itemAt(i)->widget()->sizeHint().height());
    }
    previewStrip_->setFixedHeight(thumbnailHeight +
                                  previewStrip_->horizontalScrollBar()->sizeHint().height());
}

void GammaSweepView::exportCsv(bool perImage) {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export gamma sweep"), perImage ? "gamma-sweep-images.csv" : "gamma-sweep.csv",
        tr("CSV (*.csv)"));
    if (path.isEmpty()) {
        return;
    }
    const QString error = perImage ? data_.writePerImageCsv(path) : data_.writeSetCsv(path);
    if (!error.isEmpty()) {
        warnPlainly(this, tr("Export failed"), error);
    }
}

}  // namespace ue::ui
