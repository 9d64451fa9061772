#pragma once
#include <QSplitter>
#include <vector>

namespace ue::ui {

// Two panes side by side when the splitter is at least `sideBySideWidth` wide, one above the
// other below that, each then at least `stackedPaneHeight` tall (side by side again, each gets
// back its own minimum). In a tab squeezed between the window's docks, side-by-side plots held
// the page wider than the tab (it scrolled sideways); stacked, each plot keeps the full width
// and the page scrolls down, as pages do.
class AdaptiveSplitter : public QSplitter {
    Q_OBJECT
  public:
    AdaptiveSplitter(int sideBySideWidth, int stackedPaneHeight, QWidget* parent = nullptr);

    bool isStacked() const { return orientation() == Qt::Vertical; }

  protected:
    void resizeEvent(QResizeEvent* event) override;

  private:
    void arrangeFor(int width);
    int sideBySideWidth_;
    int stackedPaneHeight_;
    std::vector<int> ownMinimumHeights_;  // each pane's, kept while stacked
};

}  // namespace ue::ui
