#pragma once
#include <qcustomplot.h>

namespace ue::ui {

// A QCustomPlot with the context menu every plot in the app has: export (PNG/SVG/PDF at a
// chosen size and DPI), copy to clipboard, reset zoom. Subclasses draw; this only serves.
class ExportablePlot : public QCustomPlot {
    Q_OBJECT
  public:
    explicit ExportablePlot(QWidget* parent = nullptr);

    // A default file name for export dialogs ("histograms", "ranking", ...).
    void setExportName(const QString& name) { exportName_ = name; }
    const QString& exportName() const { return exportName_; }

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
    QString exportName_ = "plot";
};

}  // namespace ue::ui
