// libFuzzer target: the CSV writer and reader together. Arbitrary text cells (file names come
// from users) written by CsvWriter read back by CsvReader as exactly the cells written (bytes
// that are not UTF-8 as \xHH), one record per row, the records' raw bytes are exactly the file,
// and the file is UTF-8. Each cell as the terminal gets it holds no control character but
// newline and tab, and is UTF-8 too.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "io/CsvReader.h"
#include "io/CsvWriter.h"
#include "io/PrintableText.h"

namespace {

bool isUtf8(const std::string& text) {
    return ue::escapeInvalidUtf8(text) == text;
}

void checkPrintable(const std::string& cell) {
    const std::string shown = ue::printableText(cell);
    for (const char c : shown) {
        const auto byte = static_cast<unsigned char>(c);
        if ((byte < 0x20 && c != '\n' && c != '\t') || byte == 0x7F) {
            std::abort();
        }
    }
    if (!isUtf8(shown)) {
        std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // Byte 0 ends a cell, byte 1 ends a row: every other byte is cell text.
    std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
    for (std::size_t i = 0; i < size; ++i) {
        const char c = static_cast<char>(data[i]);
        if (c == '\0') {
            rows.back().emplace_back();
        } else if (c == '\1') {
            rows.emplace_back(1);
        } else {
            rows.back().back() += c;
        }
    }
    std::ostringstream out;
    ue::CsvWriter writer(out);
    for (const auto& row : rows) {
        for (const auto& cell : row) {
            writer.text(cell);
        }
        writer.endRow();
    }
    const std::string written = out.str();

    std::istringstream in(written);
    ue::CsvReader reader(in);
    ue::CsvRecord record;
    std::string raw;
    std::size_t index = 0;
    while (reader.next(record)) {
        if (index >= rows.size() || record.cells.size() != rows[index].size()) {
            std::abort();
        }
        for (std::size_t c = 0; c < record.cells.size(); ++c) {
            if (ue::csvTextValue(record.cells[c]) != ue::escapeInvalidUtf8(rows[index][c])) {
                std::abort();
            }
            checkPrintable(rows[index][c]);
        }
        raw += record.raw;
        ++index;
    }
    if (index != rows.size() || raw != written || !isUtf8(written)) {
        std::abort();
    }
    return 0;
}
