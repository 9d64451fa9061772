#pragma once
#include <QString>
#include <exception>

#include "io/AtomicFile.h"
#include "model/PathText.h"

namespace ue::ui {

// Runs write(stream) into an unnamed file next to `path` and gives it that name only when
// everything was written (core's AtomicFile). Returns an empty string on success, else the
// error, which names the file and says the previous one is unchanged.
template <typename Write>
QString writeAtomically(const QString& path, Write write) {
    try {
        AtomicFile file(pathBytes(path));
        write(file.stream());
        file.commit();
        return {};
    } catch (const std::exception& e) {
        return shownMessage(e.what());
    }
}

}  // namespace ue::ui
