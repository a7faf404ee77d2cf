#include "ui/inspect_view.h"

#include "common/error.h"
#include "store/generation_repository.h"
#include "store/media_repository.h"
#include "store/pair_repository.h"
#include "store/records.h"
#include "store/workspace.h"
#include "ui/inspect_model.h"
#include "ui/media_pane.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableView>
#include <QTextEdit>
#include <QVBoxLayout>

namespace rd::ui {

namespace {

QString sideName(store::Preference side) {
    switch (side) {
    case store::Preference::A:
        return QObject::tr("a better");
    case store::Preference::B:
        return QObject::tr("b better");
    case store::Preference::Tie:
        return QObject::tr("same");
    case store::Preference::Unknown:
        break;
    }
    return QObject::tr("unknown");
}

QString percent(const std::optional<double>& p) {
    return p ? QString::number(*p, 'f', 3) : QObject::tr("not judged");
}

// "0.400, P(no) 0.100: answers yes"; P(no) and the answer only where the judge stored P(no).
QString answerText(const std::optional<double>& pYes, const std::optional<double>& pNo) {
    if (!pYes || !pNo)
        return percent(pYes);
    return QObject::tr("%1, P(no) %2: answers %3")
        .arg(percent(pYes), percent(pNo),
             store::answersYes(*pYes, pNo) ? QObject::tr("yes") : QObject::tr("no"));
}

// Selects the item whose data is `value` (the first item, "all", when none).
void selectData(QComboBox* box, const QVariant& value) {
    const int at = box->findData(value);
    box->setCurrentIndex(at < 0 ? 0 : at);
}

} // namespace

InspectView::InspectView(store::Workspace& ws, QWidget* parent)
    : QWidget(parent), m_ws(ws), m_model(new InspectModel(ws.database(), this)) {
    m_modelBox = new QComboBox(this);
    m_category = new QComboBox(this);
    m_split = new QComboBox(this);
    m_scoreMin = new QDoubleSpinBox(this);
    m_scoreMax = new QDoubleSpinBox(this);
    for (QDoubleSpinBox* box : {m_scoreMin, m_scoreMax}) {
        box->setRange(0.0, 1.0);
        box->setSingleStep(0.05);
        box->setDecimals(2);
    }
    m_scoreMax->setValue(1.0);
    m_disagreement = new QComboBox(this);
    m_disagreement->addItem(tr("any"), int(store::Disagreement::Any));
    m_disagreement->addItem(tr("RM vs label"), int(store::Disagreement::WithLabel));
    m_disagreement->addItem(tr("RM vs humans"), int(store::Disagreement::WithHumans));
    m_inconsistent = new QCheckBox(tr("Order-inconsistent"), this);
    m_judgedOnly = new QCheckBox(tr("Judged only"), this);
    m_count = new QLabel(this);

    auto* filters = new QHBoxLayout;
    filters->addWidget(new QLabel(tr("Model"), this));
    filters->addWidget(m_modelBox, 2);
    filters->addWidget(new QLabel(tr("Category"), this));
    filters->addWidget(m_category);
    filters->addWidget(new QLabel(tr("Split"), this));
    filters->addWidget(m_split);
    filters->addWidget(new QLabel(tr("P(b better)"), this));
    filters->addWidget(m_scoreMin);
    filters->addWidget(m_scoreMax);
    filters->addWidget(new QLabel(tr("Disagreement"), this));
    filters->addWidget(m_disagreement);
    filters->addWidget(m_inconsistent);
    filters->addWidget(m_judgedOnly);
    filters->addStretch();
    filters->addWidget(m_count);

    m_table = new QTableView(this);
    m_table->setModel(m_model);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(0, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(22); // uniform rows: no per-row sizing
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(int(store::InspectColumn::Prompt), 320);

    m_prompt = new QLabel(this);
    m_prompt->setWordWrap(true);
    m_mediaA = new MediaPane(this);
    m_mediaB = new MediaPane(this);
    m_detail = new QTextEdit(this);
    m_detail->setReadOnly(true);
    auto* media = new QHBoxLayout;
    media->addWidget(m_mediaA);
    media->addWidget(m_mediaB);
    auto* detail = new QWidget(this);
    auto* detailLayout = new QVBoxLayout(detail);
    detailLayout->addWidget(m_prompt);
    detailLayout->addLayout(media, 3);
    detailLayout->addWidget(m_detail, 2);

    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_table);
    split->addWidget(detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    m_emptyHint = new QLabel(
        tr("No reward model has judged these pairs yet. Judge them with rdance rm judge WS "
           "--model MODEL_FOLDER (add --cot for rationales), or train a reward model in the Train "
           "view first; its judgments then appear here with the pairs' own rationales."),
        this);
    m_emptyHint->setWordWrap(true);
    m_emptyHint->hide();
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addWidget(m_emptyHint);
    layout->addWidget(split, 1);

    reload();
    for (QComboBox* box : {m_modelBox, m_category, m_split, m_disagreement})
        connect(box, &QComboBox::currentIndexChanged, this, &InspectView::applyControls);
    for (QDoubleSpinBox* box : {m_scoreMin, m_scoreMax})
        connect(box, &QDoubleSpinBox::valueChanged, this, &InspectView::applyControls);
    for (QCheckBox* box : {m_inconsistent, m_judgedOnly})
        connect(box, &QCheckBox::toggled, this, &InspectView::applyControls);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { showDetail(current.row()); });
    applyControls();
}

void InspectView::refresh() {
    reload();
    applyControls();
}

void InspectView::reload() {
    const QVariant model = m_modelBox->currentData(), category = m_category->currentData(),
                   split = m_split->currentData();
    m_settingControls = true;
    store::InspectQuery query(m_ws.database());
    m_modelBox->clear();
    m_modelBox->addItem(tr("(no model)"));
    const auto models = query.judgingModels();
    for (const auto& record : models)
        m_modelBox->addItem(QString::fromStdString(record.name + "  [" + record.arch + "]"),
                            QVariant::fromValue<qlonglong>(record.id));
    m_emptyHint->setVisible(models.empty());
    m_category->clear();
    m_category->addItem(tr("all"));
    for (const auto& name : query.categories())
        if (!name.empty())
            m_category->addItem(QString::fromStdString(name), QString::fromStdString(name));
    m_split->clear();
    m_split->addItem(tr("all"));
    for (const auto& name : query.splits())
        m_split->addItem(QString::fromStdString(name), QString::fromStdString(name));
    // Keep the choices; with none yet, show the newest judging model's judged pairs.
    if (model.isValid())
        selectData(m_modelBox, model);
    else if (m_modelBox->count() > 1) {
        m_modelBox->setCurrentIndex(1);
        m_judgedOnly->setChecked(true);
    }
    selectData(m_category, category);
    selectData(m_split, split);
    m_settingControls = false;
}

store::InspectFilter InspectView::filterFromControls() const {
    store::InspectFilter f;
    if (m_modelBox->currentData().isValid())
        f.modelId = m_modelBox->currentData().toLongLong();
    if (m_category->currentData().isValid())
        f.category = m_category->currentData().toString().toStdString();
    if (m_split->currentData().isValid())
        f.split = m_split->currentData().toString().toStdString();
    f.rmScoreMin = m_scoreMin->value();
    f.rmScoreMax = m_scoreMax->value();
    f.disagreement = static_cast<store::Disagreement>(m_disagreement->currentData().toInt());
    f.inconsistentOnly = m_inconsistent->isChecked();
    f.judgedOnly = m_judgedOnly->isChecked();
    return f;
}

void InspectView::applyControls() {
    if (m_settingControls)
        return;
    try {
        m_model->setFilter(filterFromControls());
        m_count->setText(tr("%n pair(s)", nullptr, m_model->matchCount()));
    } catch (const Error& e) {
        m_count->setText(QString::fromUtf8(e.what()));
    }
    showDetail(-1);
}

void InspectView::setFilter(const store::InspectFilter& f) {
    m_settingControls = true;
    selectData(m_modelBox, f.modelId ? QVariant::fromValue<qlonglong>(*f.modelId) : QVariant());
    selectData(m_category, f.category ? QString::fromStdString(*f.category) : QVariant());
    selectData(m_split, f.split ? QString::fromStdString(*f.split) : QVariant());
    m_scoreMin->setValue(f.rmScoreMin);
    m_scoreMax->setValue(f.rmScoreMax);
    selectData(m_disagreement, int(f.disagreement));
    m_inconsistent->setChecked(f.inconsistentOnly);
    m_judgedOnly->setChecked(f.judgedOnly);
    m_settingControls = false;
    applyControls();
}

void InspectView::showMedia(MediaPane* pane, store::RowId generationId) {
    try {
        const auto generation = m_ws.generations().get(generationId);
        const auto media = generation ? m_ws.media().get(generation->mediaId) : std::nullopt;
        if (!media) {
            pane->clear(tr("media missing"));
            return;
        }
        const auto file = m_ws.resolveMediaPath(media->path);
        if (media->kind == store::MediaKind::Video)
            pane->openClip(file);
        else
            pane->showImage(MediaPane::toQImage(file));
    } catch (const Error& e) {
        pane->clear(QString::fromUtf8(e.what()));
    }
}

void InspectView::showDetail(int row) {
    const store::InspectRow* r = m_model->rowAt(row);
    if (!r) {
        m_prompt->clear();
        m_mediaA->clear(QString());
        m_mediaB->clear(QString());
        m_detail->clear();
        return;
    }
    m_prompt->setText(tr("<b>Pair %1</b> (%2, %3): %4")
                          .arg(r->pairId)
                          .arg(QString::fromStdString(r->category),
                               QString::fromStdString(r->split),
                               QString::fromStdString(r->prompt).toHtmlEscaped()));
    showMedia(m_mediaA, r->genA);
    showMedia(m_mediaB, r->genB);
    QString text = tr("Label: %1\n").arg(sideName(r->label));
    text +=
        tr("P(yes) with a as image 1 (is b better?): %1\n").arg(answerText(r->pYesAB, r->pNoAB));
    text +=
        tr("P(yes) with b as image 1 (is a better?): %1\n").arg(answerText(r->pYesBA, r->pNoBA));
    text += tr("RM: P(b better) = %1%2\n")
                .arg(percent(r->rmScore()))
                .arg(r->inconsistent() ? tr("  - both orders answered alike") : QString());
    if (!r->rationaleAB.empty())
        text +=
            tr("\nRM's rationale (a as image 1): %1\n").arg(QString::fromStdString(r->rationaleAB));
    if (!r->rationaleBA.empty())
        text +=
            tr("RM's rationale (b as image 1): %1\n").arg(QString::fromStdString(r->rationaleBA));
    // The pair's own chain (what the RM was taught, from the scenes), beside the RM's, so a
    // person sees where the RM's checklist and the truth part.
    if (const auto pair = m_ws.pairs().get(r->pairId); pair && !pair->rationale.empty())
        text += tr("\nThe pair's own rationale (a as image 1): %1\n")
                    .arg(QString::fromStdString(pair->rationale));
    store::InspectQuery query(m_ws.database());
    const auto verdicts = query.humanVerdicts(r->pairId);
    text += verdicts.empty() ? tr("\nNo human verdicts.\n") : tr("\nHuman verdicts:\n");
    for (const auto& v : verdicts)
        text +=
            QString("  %1 / %2: %3%4%5\n")
                .arg(QString::fromStdString(v.study), QString::fromStdString(v.annotator),
                     sideName(v.side), v.repeat ? tr(" (repeat)") : QString(),
                     v.reason.empty() ? QString()
                                      : QString(" (\"%1\")").arg(QString::fromStdString(v.reason)));
    m_detail->setPlainText(text);
}

void InspectView::selectRow(int row) {
    while (row >= m_model->rowCount() && m_model->canFetchMore({}))
        m_model->fetchMore({});
    m_table->selectRow(row);
    showDetail(row);
}

QString InspectView::emptyHintText() const {
    return m_emptyHint->isHidden() ? QString() : m_emptyHint->text();
}

QString InspectView::detailText() const {
    return m_detail->toPlainText();
}

} // namespace rd::ui
