#pragma once
// Reads back the CSV files the tools write (RFC 4180: quoted cells may hold commas, quotes and
// line breaks).
#include <istream>
#include <string>
#include <vector>

namespace ue {

struct CsvRecord {
    std::vector<std::string> cells;  // unquoted, as written (a formula guard's apostrophe kept)
    std::string raw;                 // the record's bytes, line end included, for exact copies
};

class CsvReader {
  public:
    explicit CsvReader(std::istream& in) : in_(in) {}
    // The next record; false at the end of the input. Throws std::runtime_error for a quote
    // that never closes.
    bool next(CsvRecord& record);
    std::size_t recordsRead() const { return records_; }

  private:
    std::istream& in_;
    std::size_t records_ = 0;
};

// A text cell's value: drops the one apostrophe csvTextCell puts before text starting with
// = + - @ TAB CR or an apostrophe.
std::string csvTextValue(const std::string& cell);

}  // namespace ue
