#include "ui/inspect_model.h"

#include <QBrush>
#include <QColor>

#include <algorithm>

namespace rd::ui {

namespace {

const char* const kHeaders[] = {"Pair",      "Category",  "Split",           "Prompt",      "Label",
                                "P(yes) ab", "P(yes) ba", "RM: P(b better)", "Humans a/=/b"};
constexpr int kColumns = sizeof(kHeaders) / sizeof(kHeaders[0]);

QVariant probability(const std::optional<double>& p) {
    return p ? QVariant(QString::number(*p, 'f', 3)) : QVariant();
}

} // namespace

InspectModel::InspectModel(store::Database& db, QObject* parent)
    : QAbstractTableModel(parent), m_query(db) {
    requery();
}

void InspectModel::setFilter(const store::InspectFilter& filter) {
    m_filter = filter;
    requery();
}

void InspectModel::requery() {
    beginResetModel();
    m_ids = m_query.matchingPairs(m_filter, m_sort);
    m_rows.clear();
    endResetModel();
}

const store::InspectRow* InspectModel::rowAt(int row) const {
    return row >= 0 && row < static_cast<int>(m_rows.size()) ? &m_rows[row] : nullptr;
}

int InspectModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int InspectModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : kColumns;
}

QVariant InspectModel::data(const QModelIndex& index, int role) const {
    const store::InspectRow* row = rowAt(index.row());
    if (!row)
        return {};
    if (role == Qt::ForegroundRole && row->inconsistent())
        return QBrush(QColor(180, 40, 40)); // both orders said the same: position-driven
    if (role != Qt::DisplayRole)
        return {};
    switch (static_cast<store::InspectColumn>(index.column())) {
    case store::InspectColumn::PairId:
        return QVariant::fromValue<qlonglong>(row->pairId);
    case store::InspectColumn::Category:
        return QString::fromStdString(row->category);
    case store::InspectColumn::Split:
        return QString::fromStdString(row->split);
    case store::InspectColumn::Prompt:
        return QString::fromStdString(row->prompt);
    case store::InspectColumn::Label:
        return QString::fromUtf8(store::toString(row->label));
    case store::InspectColumn::PYesAB:
        return probability(row->pYesAB);
    case store::InspectColumn::PYesBA:
        return probability(row->pYesBA);
    case store::InspectColumn::RmScore:
        return probability(row->rmScore());
    case store::InspectColumn::Human:
        if (row->humanForA + row->humanSame + row->humanForB == 0)
            return {};
        return QString("%1/%2/%3").arg(row->humanForA).arg(row->humanSame).arg(row->humanForB);
    }
    return {};
}

QVariant InspectModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole || orientation != Qt::Horizontal || section < 0 ||
        section >= kColumns)
        return QAbstractTableModel::headerData(section, orientation, role);
    return tr(kHeaders[section]);
}

bool InspectModel::canFetchMore(const QModelIndex& parent) const {
    return !parent.isValid() && m_rows.size() < m_ids.size();
}

void InspectModel::fetchMore(const QModelIndex& parent) {
    if (!canFetchMore(parent))
        return;
    const size_t from = m_rows.size();
    const size_t to = std::min(m_ids.size(), from + kPageSize);
    std::vector<store::InspectRow> page =
        m_query.rows({m_ids.begin() + from, m_ids.begin() + to}, m_filter.modelId);
    // Pairs deleted since the match are skipped: the ids of the page become those of its rows.
    std::vector<store::RowId> found;
    for (const auto& row : page)
        found.push_back(row.pairId);
    m_ids.erase(m_ids.begin() + from, m_ids.begin() + to);
    m_ids.insert(m_ids.begin() + from, found.begin(), found.end());
    if (page.empty())
        return;
    beginInsertRows({}, static_cast<int>(from), static_cast<int>(from + page.size() - 1));
    for (auto& row : page)
        m_rows.push_back(std::move(row));
    endInsertRows();
}

void InspectModel::sort(int column, Qt::SortOrder order) {
    if (column < 0 || column >= kColumns)
        return;
    m_sort = {static_cast<store::InspectColumn>(column), order == Qt::AscendingOrder};
    requery();
}

} // namespace rd::ui
