#pragma once
#include <cstdio>
#include <string>

namespace ue {

// A percentage cell of a console table, right-aligned in `width` characters ("  93.00%"), or
// "-" where the rate does not exist because nothing is counted under it: not 0 %.
inline std::string percentCell(bool exists, double fraction, int width, int decimals) {
    char cell[64];
    if (exists) {
        std::snprintf(cell, sizeof cell, "%*.*f%%", width - 1, decimals, 100 * fraction);
    } else {
        std::snprintf(cell, sizeof cell, "%*s", width, "-");
    }
    return cell;
}

}  // namespace ue
