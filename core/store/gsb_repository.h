// GSB (Good / Same / Bad) studies: a baseline and a candidate generator, the items annotators
// see (a pair, with the candidate's side fixed at random when the item is made), and judgments.
//
// addJudgment() commits before it returns: an acknowledged judgment survives a killed process.
#pragma once

#include "store/records.h"

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace rd::store {

class Database;

class GsbRepository {
public:
    explicit GsbRepository(Database& db) : m_db(db) {}

    RowId createStudy(const GsbStudyRecord& study);
    std::optional<GsbStudyRecord> findStudy(const std::string& name);
    std::vector<GsbStudyRecord> listStudies();

    RowId addItem(const GsbItemRecord& item);
    std::vector<GsbItemRecord> items(RowId studyId);

    RowId addJudgment(const GsbJudgmentRecord& judgment);
    // Deletes one judgment (undo); false when it did not exist.
    bool removeJudgment(RowId judgmentId);
    std::vector<GsbJudgmentRecord> judgments(RowId studyId);
    std::vector<GsbJudgmentRecord> judgmentsBy(RowId studyId, const std::string& annotator);
    // Every judgment of every study with its item (the human labels of pairs, human_labels.h).
    std::vector<std::pair<GsbItemRecord, GsbJudgmentRecord>> allJudgments();

    // Marks an annotator as simulated (not a person); details: how it was made (JSON object).
    // Throws rd::Error(InvalidArgument) when the name already has judgments as a person.
    void registerSimulatedAnnotator(const std::string& name, const std::string& detailsJson);
    std::set<std::string> simulatedAnnotators();

private:
    Database& m_db;
};

} // namespace rd::store
