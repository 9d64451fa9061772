#include "views/MethodListEditor.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QMessageBox>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>

#include "PlainText.h"
#include "model/ComparisonData.h"
#include "model/PathText.h"
#include "plots/PlotPalette.h"
#include "views/MethodDialog.h"

namespace ue::ui {

MethodListEditor::MethodListEditor(QWidget* parent) : QWidget(parent) {
    table_ = new QTableWidget(0, 4);
    table_->setObjectName("methodList");
    table_->setHorizontalHeaderLabels({tr("method"), tr("model"), tr("runs"), tr("state")});
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setDefaultSectionSize(20);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    addCurrent_ = new QPushButton(tr("Add current model"));
    addCurrent_->setToolTip(tr("The open model with the toolbar's method, T, seed and TTA"));
    addFile_ = new QPushButton(tr("Add model…"));
    edit_ = new QPushButton(tr("Edit…"));
    remove_ = new QPushButton(tr("Remove"));
    load_ = new QPushButton(tr("Load…"));
    save_ = new QPushButton(tr("Save…"));
    auto* buttons = new QVBoxLayout;
    for (QPushButton* button : {addCurrent_, addFile_, edit_, remove_, load_, save_}) {
        buttons->addWidget(button);
    }
    buttons->addStretch(1);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(table_, 1);
    layout->addLayout(buttons);

    connect(addCurrent_, &QPushButton::clicked, this, [this] {
        if (const auto spec = currentMethod_ ? currentMethod_() : std::nullopt) {
            addMethod(*spec);
        } else {
            QMessageBox::information(this, tr("No model"), tr("Open a model first."));
        }
    });
    connect(addFile_, &QPushButton::clicked, this, [this] {
        MethodSpec spec;
        spec.options = defaultComparisonOptions();
        MethodDialog dialog(spec, this);
        if (dialog.exec() == QDialog::Accepted) {
            addMethod(dialog.spec());
        }
    });
    connect(edit_, &QPushButton::clicked, this, [this] { editRow(table_->currentRow()); });
    connect(table_, &QTableWidget::cellDoubleClicked, this, [this](int row) { editRow(row); });
    connect(remove_, &QPushButton::clicked, this, [this] {
        const int row = table_->currentRow();
        if (row >= 0 && row < methods_.size()) {
            methods_.removeAt(row);
            rebuild();
        }
    });
    connect(load_, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Load methods"), QString(),
                                                          tr("Methods JSON (*.json)"));
        if (!path.isEmpty()) {
            if (const QString error = loadFile(path); !error.isEmpty()) {
                warnPlainly(this, tr("Cannot load the methods"), error);
            }
        }
    });
    connect(save_, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save methods"), "methods.json",
                                                          tr("Methods JSON (*.json)"));
        if (!path.isEmpty()) {
            if (const QString error = saveFile(path); !error.isEmpty()) {
                warnPlainly(this, tr("Cannot save the methods"), error);
            }
        }
    });
    rebuild();
}

void MethodListEditor::setMethods(const MethodList& methods) {
    methods_ = methods;
    rebuild();
}

void MethodListEditor::addMethod(MethodSpec spec) {
    // Labels name table rows and CSV rows: keep them unique.
    const std::string base = spec.label.empty() ? std::string("method") : spec.label;
    for (int n = 2;; ++n) {
        const bool taken = std::any_of(methods_.begin(), methods_.end(),
                                       [&](const MethodSpec& m) { return m.label == spec.label; });
        if (!taken && !spec.label.empty()) {
            break;
        }
        spec.label = base + " (" + std::to_string(n) + ")";
    }
    methods_.push_back(std::move(spec));
    rebuild();
}

void MethodListEditor::editRow(int row) {
    if (row < 0 || row >= methods_.size()) {
        return;
    }
    MethodDialog dialog(methods_[row], this);
    if (dialog.exec() == QDialog::Accepted) {
        methods_[row] = dialog.spec();
        rebuild();
    }
}

QString MethodListEditor::loadFile(const QString& path) {
    try {
        const auto loaded = loadMethods(pathBytes(path));
        setMethods(MethodList(loaded.begin(), loaded.end()));
        return {};
    } catch (const std::exception& e) {
        return shownMessage(e.what());
    }
}

QString MethodListEditor::saveFile(const QString& path) const {
    try {
        saveMethods(std::vector<MethodSpec>(methods_.begin(), methods_.end()), pathBytes(path));
        return {};
    } catch (const std::exception& e) {
        return shownMessage(e.what());
    }
}

void MethodListEditor::rebuild() {
    table_->setRowCount(int(methods_.size()));
    for (int row = 0; row < methods_.size(); ++row) {
        const MethodSpec& spec = methods_[row];
        const QString model = pathText(spec.model);
        const QStringList cells = {
            QString::fromStdString(spec.label), shownFileName(model),
            QString::fromStdString(describeMethod(spec.options)) +
                (spec.options.method == Method::McDropout ? tr(", T = %1").arg(spec.options.samples)
                                                          : QString()),
            QString()};
        for (int column = 0; column < 4; ++column) {
            auto* item = new QTableWidgetItem(cells[column]);
            item->setToolTip(plainToolTip(column == 1 ? shownPath(model) : cells[column]));
            table_->setItem(row, column, item);
        }
    }
    edit_->setEnabled(!methods_.isEmpty());
    remove_->setEnabled(!methods_.isEmpty());
    save_->setEnabled(!methods_.isEmpty());
    emit methodsChanged();
}

void MethodListEditor::showStates(const ComparisonData& data) {
    for (int row = 0; row < table_->rowCount() && row < data.methodCount(); ++row) {
        const auto& method = data.method(row);
        QString text = ComparisonData::stateText(method.state);
        if (!method.error.isEmpty()) {
            text += ": " + method.error;
        }
        if (QTableWidgetItem* item = table_->item(row, 3)) {
            item->setText(text);
            item->setToolTip(plainToolTip(text));
            item->setForeground(method.state == ComparisonData::State::Failed
                                    ? kWarningColour
                                    : palette().text().color());
        }
    }
}

void MethodListEditor::setRunning(bool running) {
    for (QPushButton* button : {addCurrent_, addFile_, edit_, remove_, load_}) {
        button->setEnabled(!running);
    }
    if (!running) {
        edit_->setEnabled(!methods_.isEmpty());
        remove_->setEnabled(!methods_.isEmpty());
    }
}

}  // namespace ue::ui
