#include "views/ErrorListDialog.h"

#include <QDialogButtonBox>
#include <QPlainTextEdit>
#include <QVBoxLayout>

namespace ue::ui {

ErrorListDialog::ErrorListDialog(const QStringList& errors, QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("%n input(s) failed", nullptr, int(errors.size())));
    auto* text = new QPlainTextEdit(errors.join('\n'));
    text->setReadOnly(true);
    text->setLineWrapMode(QPlainTextEdit::NoWrap);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(text);
    layout->addWidget(buttons);
    resize(760, 360);
}

}  // namespace ue::ui
