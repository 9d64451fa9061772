#pragma once
#include <QDialog>

#include "analysis/MethodSpec.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace ue::ui {

// Edits one method of a comparison: its label, model file (a bundle or an ensemble manifest),
// MC dropout or deterministic, T, K (logit draws of heteroscedastic models), seed, and a
// test-time augmentation policy file. Refuses to close on a missing label, model or a policy
// that does not load, saying why.
class MethodDialog : public QDialog {
    Q_OBJECT
  public:
    explicit MethodDialog(const MethodSpec& spec, QWidget* parent = nullptr);
    MethodSpec spec() const { return spec_; }

    void accept() override;

  private:
    void describePolicy();
    MethodSpec spec_;
    QLineEdit* label_;
    QLineEdit* model_;
    QComboBox* method_;
    QSpinBox* samples_;
    QSpinBox* logitSamples_;
    QSpinBox* seed_;
    QLineEdit* policyFile_;
    QLabel* policy_;
    QLabel* error_;
};

}  // namespace ue::ui
