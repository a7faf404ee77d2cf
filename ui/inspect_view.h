// The Inspect view (issue "The studio"): every pair with one reward model's P("yes") in both
// orders and the human GSB verdicts, filterable by category, split, P(b better) band,
// disagreement with the label or the humans, and both-order inconsistency; sortable by any
// column. Selecting a row shows its prompt, both media, both P("yes"), the rationales and the
// human verdicts.
#pragma once

#include "store/inspect_query.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QTableView;
class QTextEdit;

namespace rd::store {
class Workspace;
}

namespace rd::ui {

class InspectModel;
class MediaPane;

class InspectView : public QWidget {
    Q_OBJECT

public:
    explicit InspectView(store::Workspace& ws, QWidget* parent = nullptr);

    // Sets the filter controls and re-runs the query (what the controls do when edited).
    void setFilter(const store::InspectFilter& filter);
    InspectModel* model() const { return m_model; }
    // Shows row `row` of the table in the detail pane.
    void showDetail(int row);
    // Selects a row of the table (which shows its detail).
    void selectRow(int row);
    QString detailText() const;
    // What to do when no reward model has judged a pair yet; empty once one has.
    QString emptyHintText() const;
    // Re-reads models, categories and splits and re-runs the query (new judgments may have
    // arrived).
    void refresh();

private:
    void reload();
    void applyControls();
    store::InspectFilter filterFromControls() const;
    void showMedia(MediaPane* pane, store::RowId generationId);

    store::Workspace& m_ws;
    InspectModel* m_model;
    QComboBox* m_modelBox;
    QComboBox* m_category;
    QComboBox* m_split;
    QDoubleSpinBox* m_scoreMin;
    QDoubleSpinBox* m_scoreMax;
    QComboBox* m_disagreement;
    QCheckBox* m_inconsistent;
    QCheckBox* m_judgedOnly;
    QLabel* m_count;
    QLabel* m_emptyHint;
    QTableView* m_table;
    QLabel* m_prompt;
    MediaPane* m_mediaA;
    MediaPane* m_mediaB;
    QTextEdit* m_detail;
    bool m_settingControls = false;
};

} // namespace rd::ui
