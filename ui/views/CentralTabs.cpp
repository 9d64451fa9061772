#include "views/CentralTabs.h"

#include "model/PathText.h"
#include "views/AugmentedCopiesView.h"
#include "views/ComparisonView.h"
#include "views/GammaSweepView.h"
#include "views/InspectorView.h"
#include "views/ScrollingPage.h"

namespace ue::ui {

CentralTabs::CentralTabs(QWidget* parent)
    : QTabWidget(parent),
      inspector_(new InspectorView),
      gammaSweep_(new GammaSweepView),
      copies_(new AugmentedCopiesView),
      comparison_(new ComparisonView) {
    setObjectName("centralTabs");
    // In the order of Tab.
    addTab(scrollingPage(inspector_), tr("Inspector"));
    addTab(scrollingPage(gammaSweep_), tr("Gamma sweep"));
    addTab(scrollingPage(copies_), tr("TTA copies"));
    addTab(scrollingPage(comparison_), tr("Compare"));
    connect(this, &QTabWidget::currentChanged, this, [this](int index) {
        if (index == CopiesTab) {
            emit copiesShown();
        }
    });
}

void CentralTabs::setModel(const InputSpec& input, const QStringList& classes) {
    inspector_->setClasses(classes);
    inspector_->clear();
    copies_->setModel(input, classes);
}

void CentralTabs::showImage(const ImageEntry& entry, const ImageResult* result,
                            const QString& trueClass) {
    const QString path = pathText(entry.path);
    inspector_->showImage(entry, result);
    gammaSweep_->showImage(path);
    copies_->showImage(entry, result);
    comparison_->showImage(path, trueClass);
}

void CentralTabs::clearImage() {
    inspector_->clear();
}

}  // namespace ue::ui
