#pragma once
#include <QStringList>
#include <QWidget>

#include "engine/McEngine.h"
#include "model/AugmentedPreview.h"
#include "model/ModelMeta.h"

class QLabel;
class QPushButton;

namespace ue::ui {

class AugmentedCopiesGrid;
class CopyProbabilityPlot;

// The "TTA copies" tab: the selected image's augmented copies, as the model saw them, each with
// the class it predicts; and a plot of every copy's probability for the image's prediction.
// Before a run with augmentation it previews the toolbar's policy.
class AugmentedCopiesView : public QWidget {
    Q_OBJECT
  public:
    explicit AugmentedCopiesView(QWidget* parent = nullptr);

    void setModel(const InputSpec& spec, const QStringList& classes);
    // The policy the next run will use, previewed while the results are not from one.
    void setPolicy(const AugmentPolicy& policy);
    // The options the results now arriving come from (their policy and T).
    void beginRun(const RunOptions& options);
    // Renders only while the tab is visible (call again when it is shown); the copies of an
    // image (keyed by its path, as the engine keys them) are made once and reused while its
    // path and policy stay the same.
    void showImage(const ImageEntry& entry, const ImageResult* result);
    void clear();
    // Opens the policy editor on `next` (the toolbar's options), previewing the shown image;
    // policyChosen() reports the accepted policy. Returns the (open, self-deleting) dialog.
    class AugmentPolicyDialog* editPolicy(const RunOptions& next);

    // Augmented copies per image in the results now shown (1 without augmentation).
    AugmentedCopiesGrid* grid() const { return grid_; }
    CopyProbabilityPlot* plot() const { return plot_; }
    QLabel* title() const { return title_; }

  signals:
    void editPolicyRequested();
    void policyChosen(const AugmentPolicy& policy);

  private:
    InputSpec spec_;
    QStringList classes_;
    AugmentPolicy nextPolicy_;
    AugmentPolicy runPolicy_;
    QString imagePath_;
    std::uint64_t imageKey_ = 0;  // the selected image's random stream, as the engine keys it
    QString cachedKey_;
    std::vector<AugmentedCopy> cachedCopies_;
    QLabel* title_;
    QPushButton* edit_;
    AugmentedCopiesGrid* grid_;
    CopyProbabilityPlot* plot_;
};

}  // namespace ue::ui
