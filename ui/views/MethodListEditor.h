#pragma once
#include <QWidget>
#include <functional>
#include <optional>

#include "Metatypes.h"

class QPushButton;
class QTableWidget;

namespace ue::ui {

class ComparisonData;

// The methods a comparison runs, as a list the user edits: add the open model with the
// toolbar's settings, add a model file or ensemble manifest (MethodDialog), edit, remove, and
// load/save the CLI's methods JSON. Each row also shows how its method's run went.
class MethodListEditor : public QWidget {
    Q_OBJECT
  public:
    explicit MethodListEditor(QWidget* parent = nullptr);

    const MethodList& methods() const { return methods_; }
    void setMethods(const MethodList& methods);
    void addMethod(MethodSpec spec);
    // What "Add current model" adds: the open model with the toolbar's options, if any.
    void setCurrentMethodSource(std::function<std::optional<MethodSpec>()> source) {
        currentMethod_ = std::move(source);
    }
    // Methods JSON (the CLI's --methods); an empty string on success, else the error.
    QString loadFile(const QString& path);
    QString saveFile(const QString& path) const;
    // Each method's state and error, after or during a run.
    void showStates(const ComparisonData& data);
    void setRunning(bool running);
    QTableWidget* table() const { return table_; }

  signals:
    void methodsChanged();

  private:
    void rebuild();
    void editRow(int row);
    MethodList methods_;
    std::function<std::optional<MethodSpec>()> currentMethod_;
    QTableWidget* table_;
    QPushButton* addCurrent_;
    QPushButton* addFile_;
    QPushButton* edit_;
    QPushButton* remove_;
    QPushButton* load_;
    QPushButton* save_;
};

}  // namespace ue::ui
