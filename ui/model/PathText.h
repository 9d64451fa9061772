#pragma once
// Linux file names are bytes; QString is UTF-16. QString::fromStdString turns bytes that are not
// UTF-8 into U+FFFD, so a name like "bad\xff.png" came back from the view as another name: its
// thumbnail and preview failed to open, and two such names shared one table key. These keep the
// bytes as Python's surrogateescape does (byte 0xHH <-> the lone surrogate U+DCHH, which no
// UTF-8 text decodes to), so an image path survives the trip through the GUI unchanged.
#include <QString>
#include <QStringList>
#include <QUrl>
#include <string>

namespace ue::ui {

// An image path from core for the GUI: UTF-8 decoded, other bytes as U+DC80..U+DCFF.
QString pathText(const std::string& path);
// The bytes pathText came from.
std::string pathBytes(const QString& text);
// `path` (as pathText gives it) made absolute against the working folder. QFileInfo's
// absoluteFilePath() re-encodes a relative name as UTF-8, losing the bytes that are not.
QString absolutePathText(const QString& path);
// A local file URL's path, as pathText gives it: a file manager percent-encodes a name's bytes,
// and QUrl::toLocalFile() would turn those that are not UTF-8 into U+FFFD.
QString localPathOf(const QUrl& url);

// How a path (from pathText) or a message quoting one reads on screen: bytes that are not UTF-8,
// control characters and bidirectional overrides as \xHH, as the CLI prints them (a font draws
// the first two as boxes, and an override shows the rest of the name reversed).
QString shownPath(const QString& path);
// The file or folder name at the end of `path`, as shownPath shows it.
QString shownFileName(const QString& path);
QString shownMessage(const std::string& message);
// A class name from a model's meta as the window shows it: control characters and bidirectional
// overrides as \xHH, as shownPath shows them in file names (a font draws the first as boxes or
// nothing, and an override reverses what follows). Only for display: files written keep the name.
QString shownName(const QString& name);
QStringList shownNames(const QStringList& names);
// Class `cls` as plots label it: its shown name, or its number when the model names fewer classes.
QString shownClassName(const QStringList& classes, int cls);

}  // namespace ue::ui
