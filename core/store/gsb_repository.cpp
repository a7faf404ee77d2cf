#include "store/gsb_repository.h"

#include "common/error.h"
#include "store/sqlite_db.h"

namespace rd::store {

namespace {

const char* const kStudySelect = "SELECT id, name, baseline_generator, candidate_generator, "
                                 "design, created_at FROM gsb_studies";
const char* const kJudgmentSelect =
    "SELECT j.id, j.item_id, j.annotator, j.verdict, j.reason, j.spent_ms, j.created_at "
    "FROM gsb_judgments j JOIN gsb_items i ON i.id = j.item_id WHERE i.study_id = ?";

GsbStudyRecord readStudy(const Statement& s) {
    return GsbStudyRecord{s.int64(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5)};
}

// The judgment's columns start at `first` (id, item_id, annotator, verdict, reason, spent_ms,
// created_at).
GsbJudgmentRecord readJudgment(const Statement& s, int first = 0) {
    GsbJudgmentRecord j;
    j.id = s.int64(first);
    j.itemId = s.int64(first + 1);
    j.annotator = s.text(first + 2);
    j.verdict = parseVerdict(s.text(first + 3)).value_or(Verdict::Same);
    j.reason = s.text(first + 4);
    j.spentMs = s.int64(first + 5);
    j.createdAt = s.text(first + 6);
    return j;
}

// The item's columns start at `first` (id, study_id, pair_id, candidate_left, position, role,
// expected).
GsbItemRecord readItem(const Statement& s, int first) {
    GsbItemRecord item;
    item.id = s.int64(first);
    item.studyId = s.int64(first + 1);
    item.pairId = s.int64(first + 2);
    item.candidateLeft = s.int64(first + 3) != 0;
    item.position = s.int64(first + 4);
    item.role = parseItemRole(s.text(first + 5)).value_or(ItemRole::Normal);
    if (!s.isNull(first + 6))
        item.expected = parseVerdict(s.text(first + 6));
    return item;
}

std::vector<GsbJudgmentRecord> readJudgments(Statement& s) {
    std::vector<GsbJudgmentRecord> result;
    while (s.step())
        result.push_back(readJudgment(s));
    s.reset();
    return result;
}

} // namespace

RowId GsbRepository::createStudy(const GsbStudyRecord& study) {
    m_db.cached("INSERT INTO gsb_studies(name, baseline_generator, candidate_generator, design) "
                "VALUES (?, ?, ?, ?)")
        .bind(1, study.name)
        .bind(2, study.baselineGenerator)
        .bind(3, study.candidateGenerator)
        .bind(4, study.designJson.empty() ? std::string("{}") : study.designJson)
        .run();
    return m_db.lastInsertRowId();
}

std::optional<GsbStudyRecord> GsbRepository::findStudy(const std::string& name) {
    Statement& s = m_db.cached(std::string(kStudySelect) + " WHERE name = ?").bind(1, name);
    std::optional<GsbStudyRecord> result;
    if (s.step())
        result = readStudy(s);
    s.reset();
    return result;
}

std::vector<GsbStudyRecord> GsbRepository::listStudies() {
    Statement& s = m_db.cached(std::string(kStudySelect) + " ORDER BY id");
    std::vector<GsbStudyRecord> result;
    while (s.step())
        result.push_back(readStudy(s));
    s.reset();
    return result;
}

RowId GsbRepository::addItem(const GsbItemRecord& item) {
    Statement& s = m_db.cached("INSERT INTO gsb_items(study_id, pair_id, candidate_left, "
                               "position, role, expected) VALUES (?, ?, ?, ?, ?, ?)");
    s.bind(1, item.studyId)
        .bind(2, item.pairId)
        .bind(3, item.candidateLeft ? 1 : 0)
        .bind(4, item.position)
        .bind(5, toString(item.role));
    if (item.expected)
        s.bind(6, toString(*item.expected));
    else
        s.bindNull(6);
    s.run();
    return m_db.lastInsertRowId();
}

std::vector<GsbItemRecord> GsbRepository::items(RowId studyId) {
    Statement& s = m_db.cached("SELECT id, study_id, pair_id, candidate_left, position, role, "
                               "expected FROM gsb_items WHERE study_id = ? ORDER BY position")
                       .bind(1, studyId);
    std::vector<GsbItemRecord> result;
    while (s.step())
        result.push_back(readItem(s, 0));
    s.reset();
    return result;
}

std::vector<std::pair<GsbItemRecord, GsbJudgmentRecord>> GsbRepository::allJudgments() {
    Statement& s = m_db.cached(
        "SELECT i.id, i.study_id, i.pair_id, i.candidate_left, i.position, i.role, i.expected, "
        "j.id, j.item_id, j.annotator, j.verdict, j.reason, j.spent_ms, j.created_at "
        "FROM gsb_judgments j JOIN gsb_items i ON i.id = j.item_id ORDER BY j.id");
    std::vector<std::pair<GsbItemRecord, GsbJudgmentRecord>> result;
    while (s.step())
        result.emplace_back(readItem(s, 0), readJudgment(s, 7));
    s.reset();
    return result;
}

void GsbRepository::registerSimulatedAnnotator(const std::string& name,
                                               const std::string& detailsJson) {
    Statement& human = m_db.cached("SELECT count(*) FROM gsb_judgments j WHERE j.annotator = ? "
                                   "AND NOT EXISTS (SELECT 1 FROM annotators a WHERE a.name = "
                                   "j.annotator AND a.simulated = 1)")
                           .bind(1, name);
    human.step();
    const std::int64_t judgedAsPerson = human.int64(0);
    human.reset();
    if (judgedAsPerson > 0)
        throw Error(ErrorKind::InvalidArgument,
                    "the annotator '" + name + "' has " + std::to_string(judgedAsPerson) +
                        " judgments as a person; a simulated annotator needs a name of its own");
    m_db.cached("INSERT INTO annotators(name, simulated, details) VALUES (?, 1, ?) "
                "ON CONFLICT(name) DO UPDATE SET simulated = 1, details = excluded.details")
        .bind(1, name)
        .bind(2, detailsJson.empty() ? std::string("{}") : detailsJson)
        .run();
}

std::set<std::string> GsbRepository::simulatedAnnotators() {
    Statement& s = m_db.cached("SELECT name FROM annotators WHERE simulated = 1");
    std::set<std::string> result;
    while (s.step())
        result.insert(s.text(0));
    s.reset();
    return result;
}

RowId GsbRepository::addJudgment(const GsbJudgmentRecord& j) {
    // Outside an explicit transaction this INSERT is its own, committed (and, with
    // synchronous=FULL, synced) before run() returns.
    m_db.cached("INSERT INTO gsb_judgments(item_id, annotator, verdict, reason, spent_ms) "
                "VALUES (?, ?, ?, ?, ?)")
        .bind(1, j.itemId)
        .bind(2, j.annotator)
        .bind(3, toString(j.verdict))
        .bind(4, j.reason)
        .bind(5, j.spentMs)
        .run();
    return m_db.lastInsertRowId();
}

bool GsbRepository::removeJudgment(RowId judgmentId) {
    m_db.cached("DELETE FROM gsb_judgments WHERE id = ?").bind(1, judgmentId).run();
    return m_db.changes() > 0;
}

std::vector<GsbJudgmentRecord> GsbRepository::judgments(RowId studyId) {
    return readJudgments(
        m_db.cached(std::string(kJudgmentSelect) + " ORDER BY j.id").bind(1, studyId));
}

std::vector<GsbJudgmentRecord> GsbRepository::judgmentsBy(RowId studyId,
                                                          const std::string& annotator) {
    return readJudgments(
        m_db.cached(std::string(kJudgmentSelect) + " AND j.annotator = ? ORDER BY j.id")
            .bind(1, studyId)
            .bind(2, annotator));
}

} // namespace rd::store
