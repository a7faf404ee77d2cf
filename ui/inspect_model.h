// The Inspect view's table model: the ids of the matching pairs are fetched at once (cheap, even
// at 100k pairs), their rows lazily in pages as the table scrolls (canFetchMore/fetchMore), so a
// large workspace opens and scrolls without loading every row. Sorting re-runs the query in SQL.
#pragma once

#include "store/inspect_query.h"

#include <QAbstractTableModel>

namespace rd::ui {

class InspectModel : public QAbstractTableModel {
    Q_OBJECT

public:
    static constexpr int kPageSize = 256;

    explicit InspectModel(store::Database& db, QObject* parent = nullptr);

    // Re-runs the query; the rows already fetched are dropped.
    void setFilter(const store::InspectFilter& filter);
    const store::InspectFilter& filter() const { return m_filter; }
    // All pairs that match (fetched or not).
    int matchCount() const { return static_cast<int>(m_ids.size()); }
    const store::InspectRow* rowAt(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;
    void sort(int column, Qt::SortOrder order) override;

private:
    void requery();

    store::InspectQuery m_query;
    store::InspectFilter m_filter;
    store::InspectSort m_sort;
    std::vector<store::RowId> m_ids;
    std::vector<store::InspectRow> m_rows; // the first m_rows.size() of m_ids
};

} // namespace rd::ui
