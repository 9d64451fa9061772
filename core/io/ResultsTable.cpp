#include "io/ResultsTable.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <stdexcept>

#include "io/CsvReader.h"
#include "io/ResultsCsv.h"
#include "io/SmallTextFile.h"

namespace ue {
namespace {

const std::string kMeanPrefix = "mean_";

class RowParser {
  public:
    RowParser(const std::string& path, const std::vector<std::string>& header,
              const std::vector<std::string>& classes)
        : path_(path), classes_(classes) {
        for (std::size_t i = 0; i < header.size(); ++i) {
            columns_[header[i]] = i;
        }
        for (const auto& name : ResultsCsv::columns(classes)) {
            if (!columns_.count(name)) {
                throw std::runtime_error(path + ": not a results CSV (no column \"" + name + "\")");
            }
        }
    }

    ImageResult parse(const CsvRecord& record, std::size_t recordNumber) {
        cells_ = &record.cells;
        record_ = recordNumber;
        if (record.cells.size() != columns_.size()) {
            fail("", "has " + std::to_string(record.cells.size()) + " cells, the header " +
                         std::to_string(columns_.size()));
        }
        ImageResult result;
        result.index = recordNumber - 2;
        result.path = text("path");
        result.label = text("label").empty() ? kNoLabel : classIndex("label", false);
        result.ok = text("status") == "ok";
        if (!result.ok) {
            result.error = text("error");
            return result;
        }
        ImageSummary& s = result.summary;
        s.samples = static_cast<int>(number("samples"));
        s.classes = static_cast<int>(classes_.size());
        for (const auto& name : classes_) {
            s.mean.push_back(static_cast<float>(number(kMeanPrefix + name)));
        }
        s.maxProbability = number("max_prob");
        s.margin = number("margin");
        s.predictiveEntropy = number("predictive_entropy");
        s.expectedEntropy = number("expected_entropy");
        s.mutualInformation = number("mutual_information");
        s.variationRatio = number("variation_ratio");
        s.probabilityVariance = number("probability_variance");
        s.hasLogitVariance = !text("logit_variance").empty();
        s.logitVariance = s.hasLogitVariance ? number("logit_variance") : 0.0;
        s.argmaxPrediction = classIndex("pred_argmax", false);
        s.medianRulePrediction = classIndex("pred_median_rule", true);
        return result;
    }

  private:
    const std::string& cell(const std::string& column) const {
        return (*cells_)[columns_.at(column)];
    }
    std::string text(const std::string& column) const { return csvTextValue(cell(column)); }

    double number(const std::string& column) const {
        const std::string& value = cell(column);
        char* end = nullptr;
        const double parsed = std::strtod(value.c_str(), &end);
        if (value.empty() || end != value.c_str() + value.size()) {
            fail(column, "\"" + value + "\" is not a number");
        }
        return parsed;
    }

    int classIndex(const std::string& column, bool mayBeUnclassified) const {
        const std::string name = text(column);
        if (mayBeUnclassified && name == "unclassified") {
            return kUnclassified;
        }
        const auto found = std::find(classes_.begin(), classes_.end(), name);
        if (found == classes_.end()) {
            fail(column, "\"" + name + "\" is not one of the file's classes");
        }
        return static_cast<int>(found - classes_.begin());
    }

    [[noreturn]] void fail(const std::string& column, const std::string& problem) const {
        throw std::runtime_error(path_ + ": record " + std::to_string(record_) +
                                 (column.empty() ? "" : ", column " + column) + ": " + problem);
    }

    std::string path_;
    std::vector<std::string> classes_;
    std::map<std::string, std::size_t> columns_;
    const std::vector<std::string>* cells_ = nullptr;
    std::size_t record_ = 0;
};

}  // namespace

ResultsTable readResultsCsv(const std::string& path) {
    requireRegularFile(path, "results CSV");
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error(path + ": cannot be read");
    }
    CsvReader reader(in);
    CsvRecord record;
    if (!reader.next(record)) {
        throw std::runtime_error(path + ": empty, not a results CSV");
    }
    ResultsTable table;
    std::vector<std::string> header;
    for (const auto& cell : record.cells) {
        header.push_back(csvTextValue(cell));
        if (header.back().rfind(kMeanPrefix, 0) == 0) {
            table.classes.push_back(header.back().substr(kMeanPrefix.size()));
        }
    }
    if (table.classes.empty()) {
        throw std::runtime_error(path + ": not a results CSV (no mean_<class> column)");
    }
    RowParser parser(path, header, table.classes);
    try {
        while (reader.next(record)) {
            table.rows.push_back(parser.parse(record, reader.recordsRead()));
        }
    } catch (const std::runtime_error& e) {
        const std::string what = e.what();
        throw std::runtime_error(what.rfind(path, 0) == 0 ? what : path + ": " + what);
    }
    return table;
}

}  // namespace ue
