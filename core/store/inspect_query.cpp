#include "store/inspect_query.h"

#include "store/sqlite_db.h"

#include <array>
#include <map>

namespace rd::store {

namespace {

// Per pair: the model's P(yes) and its answer (1 yes, 0 no; as answersYes) in both orders (?1 is
// the model id, NULL for none) and the humans' lean towards b (+1 per verdict for b, -1 for a, 0
// for "same"; repeats left out, as in the study report). A GSB verdict is about the study's
// candidate; as in the labeling session, the candidate is a when a is the candidate generator's,
// else b (honeypots come from elsewhere).
const char* const kPairTable = R"sql(
WITH j AS (
  SELECT pair_id,
         MAX(CASE WHEN ordering = 'ab' THEN p_yes END) AS p_ab,
         MAX(CASE WHEN ordering = 'ba' THEN p_yes END) AS p_ba,
         MAX(CASE WHEN ordering = 'ab' THEN (p_yes > COALESCE(p_no, 0.5)) END) AS yes_ab,
         MAX(CASE WHEN ordering = 'ba' THEN (p_yes > COALESCE(p_no, 0.5)) END) AS yes_ba
  FROM rm_judgments WHERE model_id = ?1 GROUP BY pair_id),
h AS (
  SELECT i.pair_id,
         SUM(CASE WHEN v.verdict = 'S' THEN 0
                  WHEN (v.verdict = 'G') <> (ga.generator = s.candidate_generator) THEN 1
                  ELSE -1 END) AS lean
  FROM gsb_judgments v JOIN gsb_items i ON i.id = v.item_id
       JOIN gsb_studies s ON s.id = i.study_id
       JOIN pairs pp ON pp.id = i.pair_id
       JOIN generations ga ON ga.id = pp.gen_a
  WHERE i.role <> 'repeat'
  GROUP BY i.pair_id),
r AS (
  SELECT p.id, pr.text AS prompt, pr.category, p.split, p.preferred, j.p_ab, j.p_ba,
         j.yes_ab, j.yes_ba,
         CASE WHEN j.p_ab IS NOT NULL AND j.p_ba IS NOT NULL THEN (j.p_ab + 1.0 - j.p_ba) / 2.0
              WHEN j.p_ab IS NOT NULL THEN j.p_ab
              WHEN j.p_ba IS NOT NULL THEN 1.0 - j.p_ba END AS score,
         h.lean
  FROM pairs p JOIN prompts pr ON pr.id = p.prompt_id
       LEFT JOIN j ON j.pair_id = p.id LEFT JOIN h ON h.pair_id = p.id)
)sql";

// ?8: 0 any, 1 the RM's side differs from the label, 2 from the humans' majority.
const char* const kWhere = R"sql(
WHERE (?2 IS NULL OR category = ?2) AND (?3 IS NULL OR split = ?3)
  AND ((score IS NULL AND ?4 <= 0.0 AND ?5 >= 1.0) OR score BETWEEN ?4 AND ?5)
  AND (?6 = 0 OR score IS NOT NULL)
  AND (?7 = 0 OR (yes_ab IS NOT NULL AND yes_ba IS NOT NULL AND yes_ab = yes_ba))
  AND (?8 = 0
       OR (?8 = 1 AND preferred IN ('a', 'b') AND score IS NOT NULL AND score <> 0.5
           AND (score > 0.5) <> (preferred = 'b'))
       OR (?8 = 2 AND lean IS NOT NULL AND lean <> 0 AND score IS NOT NULL AND score <> 0.5
           AND (score > 0.5) <> (lean > 0)))
)sql";

// Sort keys by column, in InspectColumn order: our own text, never the user's.
constexpr std::array<const char*, 9> kSortKeys{"id",   "category", "split", "prompt", "preferred",
                                               "p_ab", "p_ba",     "score", "lean"};

std::vector<std::string> distinctTexts(Database& db, const std::string& sql) {
    Statement& s = db.cached(sql);
    std::vector<std::string> out;
    while (s.step())
        out.push_back(s.text(0));
    return out;
}

} // namespace

std::optional<double> InspectRow::rmScore() const {
    if (pYesAB && pYesBA)
        return (*pYesAB + 1.0 - *pYesBA) / 2.0;
    if (pYesAB)
        return *pYesAB;
    if (pYesBA)
        return 1.0 - *pYesBA;
    return std::nullopt;
}

bool answersYes(double pYes, std::optional<double> pNo) {
    return pNo ? pYes > *pNo : pYes > 0.5;
}

bool InspectRow::inconsistent() const {
    return pYesAB && pYesBA && answersYes(*pYesAB, pNoAB) == answersYes(*pYesBA, pNoBA);
}

std::vector<RowId> InspectQuery::matchingPairs(const InspectFilter& filter,
                                               const InspectSort& sort) {
    const std::string order = std::string(kSortKeys[static_cast<size_t>(sort.column)]) +
                              (sort.ascending ? " ASC" : " DESC");
    // NULLs (unjudged, no humans) go last whatever the direction.
    const std::string sql = std::string(kPairTable) + "SELECT id FROM r" + kWhere + "ORDER BY " +
                            kSortKeys[static_cast<size_t>(sort.column)] + " IS NULL, " + order +
                            ", id";
    Statement& s = m_db.cached(sql);
    s.bind(1, filter.modelId)
        .bind(2, filter.category)
        .bind(3, filter.split)
        .bind(4, filter.rmScoreMin)
        .bind(5, filter.rmScoreMax)
        .bind(6, filter.judgedOnly ? 1 : 0)
        .bind(7, filter.inconsistentOnly ? 1 : 0)
        .bind(8, static_cast<int>(filter.disagreement));
    std::vector<RowId> ids;
    while (s.step())
        ids.push_back(s.int64(0));
    return ids;
}

// Three queries for the whole page (ids passed as one JSON array), not three per row.
std::vector<InspectRow> InspectQuery::rows(const std::vector<RowId>& pairIds,
                                           std::optional<RowId> modelId) {
    std::string ids = "[";
    for (size_t i = 0; i < pairIds.size(); ++i)
        ids += (i ? "," : "") + std::to_string(pairIds[i]);
    ids += "]";
    std::map<RowId, InspectRow> found;
    Statement& pair =
        m_db.cached("SELECT p.id, pr.text, pr.category, p.split, p.preferred, p.gen_a, p.gen_b "
                    "FROM pairs p JOIN prompts pr ON pr.id = p.prompt_id "
                    "WHERE p.id IN (SELECT value FROM json_each(?1))");
    pair.bind(1, ids);
    while (pair.step()) {
        InspectRow& row = found[pair.int64(0)];
        row.pairId = pair.int64(0);
        row.prompt = pair.text(1);
        row.category = pair.text(2);
        row.split = pair.text(3);
        row.label = parsePreference(pair.text(4)).value_or(Preference::Unknown);
        row.genA = pair.int64(5);
        row.genB = pair.int64(6);
    }
    if (modelId) {
        Statement& judged =
            m_db.cached("SELECT pair_id, ordering, p_yes, rationale, p_no FROM rm_judgments "
                        "WHERE model_id = ?2 AND pair_id IN (SELECT value FROM json_each(?1))");
        judged.bind(1, ids).bind(2, *modelId);
        while (judged.step()) {
            const auto at = found.find(judged.int64(0));
            if (at == found.end())
                continue;
            const bool ab = judged.text(1) == "ab";
            (ab ? at->second.pYesAB : at->second.pYesBA) = judged.real(2);
            (ab ? at->second.rationaleAB : at->second.rationaleBA) = judged.text(3);
            (ab ? at->second.pNoAB : at->second.pNoBA) = judged.optionalReal(4);
        }
    }
    Statement& humans =
        m_db.cached("SELECT i.pair_id, v.verdict, ga.generator <> s.candidate_generator "
                    "FROM gsb_judgments v JOIN gsb_items i ON i.id = v.item_id "
                    "JOIN gsb_studies s ON s.id = i.study_id JOIN pairs p ON p.id = i.pair_id "
                    "JOIN generations ga ON ga.id = p.gen_a "
                    "WHERE i.role <> 'repeat' AND i.pair_id IN (SELECT value FROM json_each(?1))");
    humans.bind(1, ids);
    while (humans.step()) {
        const auto at = found.find(humans.int64(0));
        if (at == found.end())
            continue;
        const std::string verdict = humans.text(1);
        if (verdict == "S")
            ++at->second.humanSame;
        else
            ++((verdict == "G") == (humans.int64(2) != 0) ? at->second.humanForB
                                                          : at->second.humanForA);
    }
    std::vector<InspectRow> out;
    out.reserve(pairIds.size());
    for (RowId id : pairIds) // in the caller's order; pairs deleted since the match are skipped
        if (auto at = found.find(id); at != found.end())
            out.push_back(std::move(at->second));
    return out;
}

std::vector<HumanVerdict> InspectQuery::humanVerdicts(RowId pairId) {
    Statement& s = m_db.cached(
        "SELECT s.name, v.annotator, v.verdict, ga.generator <> s.candidate_generator, v.reason, "
        "i.role FROM gsb_judgments v JOIN gsb_items i ON i.id = v.item_id "
        "JOIN gsb_studies s ON s.id = i.study_id JOIN pairs p ON p.id = i.pair_id "
        "JOIN generations ga ON ga.id = p.gen_a WHERE i.pair_id = ?1 ORDER BY v.id");
    s.bind(1, pairId);
    std::vector<HumanVerdict> out;
    while (s.step()) {
        HumanVerdict v;
        v.study = s.text(0);
        v.annotator = s.text(1);
        const std::string verdict = s.text(2);
        const bool candidateIsB = s.int64(3) != 0;
        if (verdict == "S")
            v.side = Preference::Tie;
        else
            v.side = (verdict == "G") == candidateIsB ? Preference::B : Preference::A;
        v.reason = s.text(4);
        v.repeat = s.text(5) == "repeat";
        out.push_back(std::move(v));
    }
    s.reset();
    return out;
}

std::vector<std::string> InspectQuery::categories() {
    return distinctTexts(m_db, "SELECT DISTINCT category FROM prompts ORDER BY category");
}

std::vector<std::string> InspectQuery::splits() {
    return distinctTexts(m_db, "SELECT DISTINCT split FROM pairs ORDER BY split");
}

std::vector<ModelRecord> InspectQuery::judgingModels() {
    Statement& s = m_db.cached("SELECT id, name, arch, param_count, path, created_at FROM models "
                               "WHERE id IN (SELECT DISTINCT model_id FROM rm_judgments) "
                               "ORDER BY created_at DESC, id DESC");
    std::vector<ModelRecord> out;
    while (s.step())
        out.push_back({s.int64(0), s.text(1), s.text(2), s.int64(3), s.text(4), s.text(5)});
    return out;
}

} // namespace rd::store
