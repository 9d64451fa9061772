#include "views/BrowserView.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

#include "PlainText.h"
#include "model/PathText.h"
#include "model/ResultsFilterModel.h"
#include "model/ResultsModel.h"
#include "model/ThumbnailCache.h"

namespace ue::ui {

BrowserView::BrowserView(ResultsModel* results, QWidget* parent)
    : QWidget(parent), results_(results), filter_(new ResultsFilterModel(this)) {
    filter_->setSourceModel(results_);

    trueClass_ = new QComboBox;
    predictedClass_ = new QComboBox;
    unclassified_ = new QCheckBox(tr("Unclassified"));
    unclassified_->setToolTip(tr("Only images the median rule leaves unclassified"));
    misclassified_ = new QCheckBox(tr("Misclassified"));
    search_ = new QLineEdit;
    search_->setPlaceholderText(tr("Filter by file name…"));
    search_->setClearButtonEnabled(true);

    auto* classRow = new QHBoxLayout;
    classRow->addWidget(trueClass_, 1);
    classRow->addWidget(predictedClass_, 1);
    auto* flagRow = new QHBoxLayout;
    flagRow->addWidget(unclassified_);
    flagRow->addWidget(misclassified_);
    flagRow->addWidget(search_, 1);

    table_ = new QTableView;
    table_->setModel(filter_);
    // No sort column at first: rows stay in input order until a header is clicked.
    table_->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    table_->setSortingEnabled(true);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    table_->setAlternatingRowColors(true);
    table_->setWordWrap(false);
    table_->verticalHeader()->setDefaultSectionSize(results_ ? 36 : 24);
    table_->verticalHeader()->hide();
    table_->setIconSize(QSize(32, 32));
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setColumnWidth(ResultsModel::ImageColumn, 150);
    // Uniform rows and no per-row size hints keep a 100k-row table fluid.
    table_->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);

    subsetBanner_ = new QWidget;
    auto* bannerRow = new QHBoxLayout(subsetBanner_);
    bannerRow->setContentsMargins(0, 0, 0, 0);
    subsetLabel_ = plainLabel();
    subsetLabel_->setWordWrap(true);
    subsetLabel_->setStyleSheet("color: #8a4b00;");
    auto* showAll = new QPushButton(tr("Show all"));
    bannerRow->addWidget(subsetLabel_, 1);
    bannerRow->addWidget(showAll);
    subsetBanner_->hide();
    connect(showAll, &QPushButton::clicked, this, &BrowserView::showAllRows);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(classRow);
    layout->addLayout(flagRow);
    layout->addWidget(subsetBanner_);
    layout->addWidget(table_, 1);

    connect(trueClass_, &QComboBox::currentIndexChanged, this,
            [this] { filter_->setTrueClass(trueClass_->currentData().toInt()); });
    connect(predictedClass_, &QComboBox::currentIndexChanged, this,
            [this] { filter_->setPredictedClass(predictedClass_->currentData().toInt()); });
    connect(unclassified_, &QCheckBox::toggled, filter_, &ResultsFilterModel::setOnlyUnclassified);
    connect(misclassified_, &QCheckBox::toggled, filter_,
            &ResultsFilterModel::setOnlyMisclassified);
    connect(search_, &QLineEdit::textChanged, filter_, &ResultsFilterModel::setNameFilter);
    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (current.isValid()) {
                    emit currentImageChanged(filter_->mapToSource(current).row());
                }
            });
    refreshClassFilters();
}

void BrowserView::refreshClassFilters() {
    const auto fill = [this](QComboBox* box, const QString& any) {
        const QSignalBlocker blocker(box);
        box->clear();
        box->addItem(any, ResultsFilterModel::kAnyClass);
        for (int i = 0; i < results_->classes().size(); ++i) {
            box->addItem(shownName(results_->classes()[i]), i);
        }
    };
    fill(trueClass_, tr("Any true class"));
    fill(predictedClass_, tr("Any prediction"));
    filter_->setTrueClass(ResultsFilterModel::kAnyClass);
    filter_->setPredictedClass(ResultsFilterModel::kAnyClass);
}

void BrowserView::showOnlyRows(const QSet<int>& rows, const QString& why) {
    filter_->setRowSubset(rows);
    subsetLabel_->setText(why);
    subsetBanner_->show();
}

void BrowserView::showAllRows() {
    filter_->clearRowSubset();
    subsetBanner_->hide();
}

void BrowserView::sortNow() {
    const auto* header = table_->horizontalHeader();
    filter_->invalidate();
    if (header->sortIndicatorSection() >= 0) {
        filter_->sort(header->sortIndicatorSection(), header->sortIndicatorOrder());
    }
}

int BrowserView::currentSourceRow() const {
    const QModelIndex current = table_->currentIndex();
    return current.isValid() ? filter_->mapToSource(current).row() : -1;
}

std::vector<int> BrowserView::chosenSourceRows() const {
    std::vector<int> rows;
    for (const QModelIndex& index : table_->selectionModel()->selectedRows()) {
        rows.push_back(filter_->mapToSource(index).row());
    }
    if (rows.empty() && currentSourceRow() >= 0) {
        rows.push_back(currentSourceRow());
    }
    return rows;
}

void BrowserView::selectSourceRow(int row) {
    QModelIndex index = filter_->mapFromSource(results_->index(row, 0));
    if (!index.isValid()) {
        trueClass_->setCurrentIndex(0);
        predictedClass_->setCurrentIndex(0);
        unclassified_->setChecked(false);
        misclassified_->setChecked(false);
        search_->clear();
        showAllRows();
        index = filter_->mapFromSource(results_->index(row, 0));
    }
    table_->setCurrentIndex(index);
    table_->scrollTo(index);
}

}  // namespace ue::ui
