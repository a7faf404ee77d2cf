// The Inspect view's query (issue "The studio"): pairs with one reward model's judgments in both
// image orders and the human GSB verdicts on them, filtered and sorted in SQL.
//
// Usage:
//   InspectQuery query(ws.database());
//   InspectFilter f; f.modelId = 3; f.inconsistentOnly = true;
//   std::vector<RowId> ids = query.matchingPairs(f, InspectSort{InspectColumn::RmScore, false});
//   std::vector<InspectRow> page = query.rows({ids.begin(), ids.begin() + 256});
// Matching returns ids only (a 100k-pair workspace is a few hundred kB of ids), so a view fetches
// the rows it shows page by page without re-running the sort.
#pragma once

#include "store/records.h"

#include <optional>
#include <string>
#include <vector>

namespace rd::store {

class Database;

enum class InspectColumn {
    PairId = 0,
    Category,
    Split,
    Prompt,
    Label,
    PYesAB,
    PYesBA,
    RmScore,
    Human
};

// Which side the reward model or the humans would pick, against the pair's stored label.
enum class Disagreement { Any = 0, WithLabel, WithHumans };

struct InspectFilter {
    std::optional<RowId> modelId; // the judgments shown; none: no RM columns
    std::optional<std::string> category;
    std::optional<std::string> split;
    double rmScoreMin = 0.0; // P(b better) band; pairs without a judgment pass only at [0, 1]
    double rmScoreMax = 1.0;
    Disagreement disagreement = Disagreement::Any;
    bool inconsistentOnly = false; // both orders answer the same way ("yes" twice or "no" twice)
    bool judgedOnly = false;       // only pairs the model has judged
};

struct InspectSort {
    InspectColumn column = InspectColumn::PairId;
    bool ascending = true;
};

struct HumanVerdict {
    std::string study;
    std::string annotator;
    Preference side = Preference::Tie; // the side the annotator preferred (a, b or tie)
    std::string reason;
    bool repeat = false; // given on a repeat item (self-consistency), not counted in the lean
};

struct InspectRow {
    RowId pairId = 0;
    std::string prompt;
    std::string category;
    std::string split;
    Preference label = Preference::Unknown;
    RowId genA = 0, genB = 0;
    std::optional<double> pYesAB;       // P("yes": b better than a), a shown as image 1
    std::optional<double> pYesBA;       // P("yes": a better than b), b shown as image 1
    std::optional<double> pNoAB, pNoBA; // P("no") in each order, where the judge stored it
    std::string rationaleAB, rationaleBA;
    int humanForA = 0, humanForB = 0, humanSame = 0;

    // P(b better) from whatever orders were judged: (pAB + 1 - pBA) / 2 with both.
    std::optional<double> rmScore() const;
    // Both orders judged and both answered the same way (answersYes).
    bool inconsistent() const;
};

// A generative RM's answer: yes when P(yes) > P(no), as `rm eval` decides. Without P("no")
// (judgments stored before schema v4), P(yes) > 0.5.
bool answersYes(double pYes, std::optional<double> pNo);

class InspectQuery {
public:
    explicit InspectQuery(Database& db) : m_db(db) {}

    std::vector<RowId> matchingPairs(const InspectFilter& filter, const InspectSort& sort);
    // The rows of these pairs, in the given order (the model's judgments per filter.modelId).
    std::vector<InspectRow> rows(const std::vector<RowId>& pairIds, std::optional<RowId> modelId);
    std::vector<HumanVerdict> humanVerdicts(RowId pairId);
    // Category and split names present, for the filter boxes.
    std::vector<std::string> categories();
    std::vector<std::string> splits();
    // Models that have judged at least one pair.
    std::vector<ModelRecord> judgingModels();

private:
    Database& m_db;
};

} // namespace rd::store
