#pragma once
#include <QTabWidget>

#include "Metatypes.h"
#include "model/ModelMeta.h"

namespace ue::ui {

class AugmentedCopiesView;
class ComparisonView;
class GammaSweepView;
class InspectorView;

// The window's middle: the inspector, the gamma sweep, the test-time-augmentation copies and
// the method comparison as tabs, all following the image chosen in the browser.
class CentralTabs : public QTabWidget {
    Q_OBJECT
  public:
    enum Tab { InspectorTab, GammaSweepTab, CopiesTab, CompareTab };

    explicit CentralTabs(QWidget* parent = nullptr);

    // A model was loaded: the views take its classes and input, and forget the last image.
    void setModel(const InputSpec& input, const QStringList& classes);
    // `result` is null until the image's run result arrives; `trueClass` is empty for an image
    // without a label.
    void showImage(const ImageEntry& entry, const ImageResult* result, const QString& trueClass);
    void clearImage();

    InspectorView* inspector() const { return inspector_; }
    GammaSweepView* gammaSweep() const { return gammaSweep_; }
    AugmentedCopiesView* copies() const { return copies_; }
    ComparisonView* comparison() const { return comparison_; }

  signals:
    // The copies tab came to the front: it renders only while visible, so it wants the image.
    void copiesShown();

  private:
    InspectorView* inspector_;
    GammaSweepView* gammaSweep_;
    AugmentedCopiesView* copies_;
    ComparisonView* comparison_;
};

}  // namespace ue::ui
