#include "PlainText.h"

#include <QLabel>
#include <QMessageBox>
#include <QTextDocument>

#include "plots/PlotPalette.h"

namespace ue::ui {

QLabel* plainLabel(const QString& text, QWidget* parent) {
    auto* label = new QLabel(text, parent);
    label->setTextFormat(Qt::PlainText);
    return label;
}

QLabel* warningLabel() {
    QLabel* label = plainLabel();
    label->setWordWrap(true);
    label->setStyleSheet("color: " + kWarningColour.name());
    label->hide();
    return label;
}

QString plainToolTip(const QString& text) {
    // A tooltip has no text format of its own; text that would pass for HTML is escaped into
    // HTML that draws it as written (line breaks and runs of spaces kept).
    return Qt::mightBeRichText(text) ? Qt::convertFromPlainText(text, Qt::WhiteSpacePre) : text;
}

void warnPlainly(QWidget* parent, const QString& title, const QString& message) {
    QMessageBox box(QMessageBox::Warning, title, message, QMessageBox::Ok, parent);
    box.setTextFormat(Qt::PlainText);
    box.exec();
}

}  // namespace ue::ui
