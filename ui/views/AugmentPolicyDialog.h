#pragma once
#include <QDialog>
#include <QTimer>
#include <cstdint>

#include "augment/AugmentPolicy.h"
#include "model/ModelMeta.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QSpinBox;

namespace ue::ui {

class AugmentedCopiesGrid;

// Edits the test-time augmentation policy: copies, each transform's range, the border, the
// seed; presets; load/save as JSON (the CLI's --tta-policy file). A live grid shows the copies
// the policy makes of the selected image, exactly as a run would make them.
class AugmentPolicyDialog : public QDialog {
    Q_OBJECT
  public:
    explicit AugmentPolicyDialog(QWidget* parent = nullptr);

    void setPolicy(const AugmentPolicy& policy);
    AugmentPolicy policy() const;
    // The image the preview shows and its position in the run's input list.
    void setPreviewImage(const QString& path, const InputSpec& spec, std::uint64_t imageKey);
    // For the cost line: the passes each copy will get.
    void setPassesPerCopy(int passes);
    // Named presets: "off", "light", "moderate", "strong".
    void applyPreset(const QString& name);

    // Return the error, or an empty string.
    QString loadJson(const QString& path);
    QString saveJson(const QString& path) const;

    AugmentedCopiesGrid* preview() const { return preview_; }
    QLabel* summary() const { return summary_; }
    // Recomputes the preview now instead of after the edit pause.
    void refreshPreview();

  private:
    QDoubleSpinBox* addRange(const QString& label, double maximum, double step, int decimals,
                             const QString& suffix, const QString& help);
    void policyEdited();

    QFormLayout* form_;
    QSpinBox* copies_;
    QCheckBox* includeOriginal_;
    QDoubleSpinBox* flip_;
    QDoubleSpinBox* shift_;
    QDoubleSpinBox* rotation_;
    QDoubleSpinBox* scale_;
    QDoubleSpinBox* brightness_;
    QDoubleSpinBox* contrast_;
    QDoubleSpinBox* gamma_;
    QDoubleSpinBox* noise_;
    QComboBox* border_;
    QSpinBox* seed_;
    QComboBox* presets_;
    QLabel* summary_;
    AugmentedCopiesGrid* preview_;
    QTimer previewTimer_;
    QString previewPath_;
    InputSpec previewSpec_;
    std::uint64_t previewKey_ = 0;
    int passesPerCopy_ = 1;
    std::uint64_t fullSeed_ = 0;
};

}  // namespace ue::ui
