#pragma once
#include <QDialog>

namespace ue::ui {

// Every image or input that failed, with its message; copyable.
class ErrorListDialog : public QDialog {
    Q_OBJECT
  public:
    ErrorListDialog(const QStringList& errors, QWidget* parent = nullptr);
};

}  // namespace ue::ui
