#include "io/CsvReader.h"

#include <stdexcept>

namespace ue {

bool CsvReader::next(CsvRecord& record) {
    record.cells.clear();
    record.raw.clear();
    if (in_.peek() == std::char_traits<char>::eof()) {
        return false;
    }
    std::string cell;
    bool quoted = false;
    char c = 0;
    while (in_.get(c)) {
        record.raw.push_back(c);
        if (quoted) {
            if (c != '"') {
                cell.push_back(c);
            } else if (in_.peek() == '"') {
                in_.get(c);
                record.raw.push_back(c);
                cell.push_back('"');
            } else {
                quoted = false;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            record.cells.push_back(std::move(cell));
            cell.clear();
        } else if (c == '\n') {
            break;
        } else if (c != '\r') {
            cell.push_back(c);
        }
    }
    if (quoted) {
        throw std::runtime_error("a quoted cell in record " + std::to_string(records_ + 1) +
                                 " is never closed");
    }
    record.cells.push_back(std::move(cell));
    ++records_;
    return true;
}

std::string csvTextValue(const std::string& cell) {
    return !cell.empty() && cell[0] == '\'' ? cell.substr(1) : cell;
}

}  // namespace ue
