#include "views/ComparisonTable.h"
#include "PlainText.h"
#include "model/PathText.h"
#include "plots/PlotPalette.h"

#include <QHeaderView>
#include <functional>

namespace ue::ui {

namespace {

// A cell that sorts by its number, not its text; cells with no number sort last.
class NumberItem : public QTableWidgetItem {
  public:
    NumberItem(const QString& text, double value, bool hasValue)
        : QTableWidgetItem(text), value_(value), hasValue_(hasValue) {
        setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    }
    bool operator<(const QTableWidgetItem& other) const override {
        const auto* number = dynamic_cast<const NumberItem*>(&other);
        if (!number) {
            return QTableWidgetItem::operator<(other);
        }
        if (hasValue_ != number->hasValue_) {
            return hasValue_;
        }
        return value_ < number->value_;
    }

  private:
    double value_;
    bool hasValue_;
};

struct Column {
    const char* title;
    const char* tip;
    int decimals;
    int better;  // +1 higher is better, -1 lower is better, 0 neither
    std::function<bool(const ComparisonRow&)> applies;
    std::function<double(const ComparisonRow&)> value;
};

const std::vector<Column>& columns() {
    const auto labelled = [](const ComparisonRow& r) { return r.labelled > 0; };
    const auto ood = [](const ComparisonRow& r) { return r.hasOod; };
    const auto always = [](const ComparisonRow&) { return true; };
    static const std::vector<Column> list = {
        {"accuracy %", "Argmax of the mean probabilities, over the labelled images", 2, 1, labelled,
         [](const ComparisonRow& r) { return 100 * r.accuracy; }},
        {"NLL", "Mean of −ln p̄(true class) (nats)", 4, -1, labelled,
         [](const ComparisonRow& r) { return r.nll; }},
        {"Brier", "Mean of Σ_c (p̄_c − [c = true])²", 4, -1, labelled,
         [](const ComparisonRow& r) { return r.brier; }},
        {"ECE", "Expected calibration error, 15 equal-width bins of the max mean probability", 4,
         -1, labelled, [](const ComparisonRow& r) { return r.ece; }},
        {"AURC", "Area under the risk–coverage curve, images kept by max mean probability", 4, -1,
         labelled, [](const ComparisonRow& r) { return r.aurcMaxProbability; }},
        {"AURC (H)", "Area under the risk–coverage curve, images kept by predictive entropy", 4, -1,
         labelled, [](const ComparisonRow& r) { return r.aurcEntropy; }},
        {"OOD AUROC (H)", "Out-of-distribution detection by predictive entropy (OOD positive)", 4,
         1, ood, [](const ComparisonRow& r) { return r.oodAurocEntropy; }},
        {"OOD AUROC (MI)", "Out-of-distribution detection by mutual information (OOD positive)", 4,
         1, ood, [](const ComparisonRow& r) { return r.oodAurocMutualInformation; }},
        {"total H", "Mean predictive entropy H[p̄] (nats)", 4, 0, always,
         [](const ComparisonRow& r) { return r.meanPredictiveEntropy; }},
        {"aleatoric", "Mean expected entropy E_t H[p_t] (nats)", 4, 0, always,
         [](const ComparisonRow& r) { return r.meanExpectedEntropy; }},
        {"epistemic", "Mean mutual information H[p̄] − E_t H[p_t] (nats)", 4, 0, always,
         [](const ComparisonRow& r) { return r.meanMutualInformation; }},
        {"logit var", "Mean predicted logit variance (heteroscedastic models)", 4, 0,
         [](const ComparisonRow& r) { return r.hasLogitVariance; },
         [](const ComparisonRow& r) { return r.meanLogitVariance; }},
        {"images/s", "Images (in + OOD) per second of inference", 0, 1,
         [](const ComparisonRow& r) { return r.seconds > 0; },
         [](const ComparisonRow& r) { return r.imagesPerSecond; }},
    };
    return list;
}

}  // namespace

int ComparisonTable::columnCount() {
    return int(columns().size()) + 1;
}

ComparisonTable::ComparisonTable(QWidget* parent) : QTableWidget(0, columnCount(), parent) {
    setObjectName("comparisonTable");
    setHorizontalHeaderItem(0, new QTableWidgetItem(tr("method")));
    for (int c = 0; c < int(columns().size()); ++c) {
        auto* header = new QTableWidgetItem(tr(columns()[std::size_t(c)].title));
        header->setToolTip(tr(columns()[std::size_t(c)].tip));
        setHorizontalHeaderItem(c + 1, header);
    }
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    verticalHeader()->hide();
    verticalHeader()->setDefaultSectionSize(22);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    // Methods in the order they were listed until a header is clicked.
    horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    setSortingEnabled(true);
}

void ComparisonTable::setRows(const std::vector<ComparisonRow>& rows) {
    setSortingEnabled(false);  // rows are filled in place; sort once they are complete
    clearContents();
    setRowCount(int(rows.size()));
    best_.assign(columns().size(), -1);
    for (std::size_t c = 0; c < columns().size(); ++c) {
        const Column& column = columns()[c];
        for (int r = 0; column.better != 0 && r < int(rows.size()); ++r) {
            if (!column.applies(rows[std::size_t(r)])) {
                continue;
            }
            const double value = column.better * column.value(rows[std::size_t(r)]);
            if (best_[c] < 0 || value > column.better * column.value(rows[std::size_t(best_[c])])) {
                best_[c] = r;
            }
        }
    }
    for (int r = 0; r < int(rows.size()); ++r) {
        const ComparisonRow& row = rows[std::size_t(r)];
        auto* name = new QTableWidgetItem(QString::fromStdString(row.label) +
                                          (row.cancelled ? tr(" (partial)") : QString()));
        name->setToolTip(plainToolTip(QString::fromStdString(row.description) + "\n" +
                                      shownPath(pathText(row.model))));
        setItem(r, 0, name);
        for (std::size_t c = 0; c < columns().size(); ++c) {
            const Column& column = columns()[c];
            const bool applies = column.applies(row);
            const double value = applies ? column.value(row) : 0.0;
            auto* item = new NumberItem(
                applies ? QString::number(value, 'f', column.decimals) : QStringLiteral("–"), value,
                applies);
            if (best_[c] == r && rows.size() > 1) {
                QFont bold = font();
                bold.setBold(true);
                item->setFont(bold);
                item->setBackground(kBestCellColour);
            }
            setItem(r, int(c) + 1, item);
        }
    }
    setSortingEnabled(true);
}

int ComparisonTable::bestRow(int column) const {
    return column >= 1 && column - 1 < int(best_.size()) ? best_[std::size_t(column - 1)] : -1;
}

}  // namespace ue::ui
