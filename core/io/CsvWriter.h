#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace ue {

// A text cell as RFC 4180 wants it (quoted when it holds a comma, quote, CR or LF; quotes
// doubled; UTF-8 passed through, and bytes that are not UTF-8 written as \xHH so the file is
// UTF-8 whatever a name holds), and neutralised against spreadsheet formula injection as OWASP
// recommends: text that begins with = + - @ TAB or CR gets a leading apostrophe. File names come
// from users. Text that begins with an apostrophe gets one too, so dropping one leading
// apostrophe from a text cell always gives back the (UTF-8) text written.
std::string csvTextCell(const std::string& text);

// Numbers are never neutralised (a negative number stays a number).
std::string csvNumberCell(double value, int significantDigits = 9);

// One row at a time, CRLF line ends as RFC 4180 specifies.
class CsvWriter {
  public:
    explicit CsvWriter(std::ostream& out) : out_(out) {}

    CsvWriter& text(const std::string& value);
    CsvWriter& number(double value, int significantDigits = 9);
    CsvWriter& integer(long long value);
    CsvWriter& empty();
    void endRow();
    void header(const std::vector<std::string>& names);

  private:
    void separator();
    std::ostream& out_;
    bool rowStarted_ = false;
};

}  // namespace ue
