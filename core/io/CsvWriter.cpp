#include "io/CsvWriter.h"

#include <cmath>
#include <cstdio>

#include "io/PrintableText.h"

namespace ue {

std::string csvTextCell(const std::string& text) {
    // UTF-8 throughout: a name's bytes that are not UTF-8 are written as \xHH.
    std::string value = escapeInvalidUtf8(text);
    // An apostrophe is itself prefixed, so a reader recovers any (UTF-8) text exactly by
    // dropping one leading apostrophe.
    if (!value.empty() &&
        (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@' ||
         value[0] == '\t' || value[0] == '\r' || value[0] == '\'')) {
        value.insert(value.begin(), '\'');
    }
    if (value.find_first_of(",\"\r\n") == std::string::npos) {
        return value;
    }
    std::string quoted = "\"";
    for (char c : value) {
        if (c == '"') {
            quoted += '"';
        }
        quoted += c;
    }
    quoted += '"';
    return quoted;
}

std::string csvNumberCell(double value, int significantDigits) {
    if (std::isnan(value)) {
        return "nan";
    }
    if (std::isinf(value)) {
        return value > 0 ? "inf" : "-inf";
    }
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*g", significantDigits, value);
    return buffer;
}

void CsvWriter::separator() {
    if (rowStarted_) {
        out_ << ',';
    }
    rowStarted_ = true;
}

CsvWriter& CsvWriter::text(const std::string& value) {
    separator();
    out_ << csvTextCell(value);
    return *this;
}

CsvWriter& CsvWriter::number(double value, int significantDigits) {
    separator();
    out_ << csvNumberCell(value, significantDigits);
    return *this;
}

CsvWriter& CsvWriter::integer(long long value) {
    separator();
    out_ << value;
    return *this;
}

CsvWriter& CsvWriter::empty() {
    separator();
    return *this;
}

void CsvWriter::endRow() {
    out_ << "\r\n";
    rowStarted_ = false;
}

void CsvWriter::header(const std::vector<std::string>& names) {
    for (const auto& name : names) {
        text(name);
    }
    endRow();
}

}  // namespace ue
