#pragma once
// Text that comes from users' files (image names, a model's class names, method labels, error
// messages quoting them) must show as written. Qt guesses otherwise: a QLabel, tooltip or
// message box whose text looks like HTML before its first line break ("<h1>shirt.png") is drawn
// as HTML. These helpers make the text literal.
#include <QString>

class QLabel;
class QWidget;

namespace ue::ui {

// A label that shows whatever it is given literally.
QLabel* plainLabel(const QString& text = QString(), QWidget* parent = nullptr);

// A word-wrapped plain label in the warning colour, hidden until a warning is shown in it.
QLabel* warningLabel();

// `text` as a tooltip that shows it literally, line breaks kept.
QString plainToolTip(const QString& text);

// A modal warning box whose message is shown literally.
void warnPlainly(QWidget* parent, const QString& title, const QString& message);

}  // namespace ue::ui
