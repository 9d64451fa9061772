#pragma once
#include <qcustomplot.h>

#include <QList>
#include <QPointer>

namespace ue::ui {

// A QCustomPlot with the context menu every plot in the app has: export (PNG/SVG/PDF at a
// chosen size and DPI), copy to clipboard, reset zoom; and a placeholder for when there is
// nothing to draw. Subclasses draw; this only serves.
class ExportablePlot : public QCustomPlot {
    Q_OBJECT
  public:
    explicit ExportablePlot(QWidget* parent = nullptr);

    // A default file name for export dialogs ("histograms", "ranking", ...).
    void setExportName(const QString& name) { exportName_ = name; }
    const QString& exportName() const { return exportName_; }

    // Nothing to draw (before a run, or no data the plot needs): `text` centred where the axes
    // were, and the axes, grids, plottables, legend and marks hidden. QCustomPlot's default axes
    // run 0..5 with ticks, which a reader takes for data. Titles stay: they say what will be drawn.
    void showPlaceholder(const QString& text);
    // Data again: what showPlaceholder hid comes back. Every plot calls it before it draws.
    void clearPlaceholder();
    bool showsPlaceholder() const { return placeholderShown_; }
    // The placeholder's text as given (drawn wrapped to the plot's width); empty when none.
    QString placeholderText() const { return placeholderShown_ ? placeholderText_ : QString(); }

  public slots:
    void exportWithDialog();
    void copyToClipboard();
    virtual void resetZoom();

  protected:
    // On a page that scrolls (a short window), the wheel scrolls the page: the plots fill most
    // of it, so the wheel could otherwise not reach it. Ctrl + wheel still zooms the plot.
    void wheelEvent(QWheelEvent* event) override;

  private:
    void showContextMenu(const QPoint& position);
    void wrapPlaceholder();
    QString exportName_ = "plot";
    bool placeholderShown_ = false;
    QString placeholderText_;
    // A subclass that clears its items (clearItems) deletes it too: guarded.
    QPointer<QCPItemText> placeholder_;
    QList<QPointer<QCPLayerable>> hiddenForPlaceholder_;
    // Where the legend was in the layout, while the placeholder has taken it out.
    QPointer<QCPLayoutGrid> legendHome_;
    QPoint legendCell_;  // row, column
};

}  // namespace ue::ui
