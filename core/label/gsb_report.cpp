#include "label/gsb_report.h"

#include "common/error.h"
#include "eval/agreement.h"
#include "eval/gsb_statistics.h"
#include "store/gsb_repository.h"
#include "store/pair_repository.h"
#include "store/prompt_repository.h"
#include "store/workspace.h"

#include <map>
#include <set>

namespace rd::label {

namespace {

nlohmann::json optionalJson(const std::optional<double>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json();
}

eval::Gsb toGsb(store::Verdict v) {
    return v == store::Verdict::Good  ? eval::Gsb::Good
           : v == store::Verdict::Bad ? eval::Gsb::Bad
                                      : eval::Gsb::Same;
}

} // namespace

nlohmann::json gsbReport(store::Workspace& ws, const std::string& studyName,
                         const GsbReportOptions& options) {
    const auto study = ws.gsb().findStudy(studyName);
    if (!study)
        throw Error(ErrorKind::NotFound,
                    ws.folder().string() + ": no GSB study named '" + studyName + "'");
    std::map<store::RowId, store::GsbItemRecord> items;
    for (const auto& item : ws.gsb().items(study->id))
        items[item.id] = item;
    std::map<store::RowId, std::string> promptOfPair;
    std::vector<eval::GsbVerdict> verdicts;
    eval::RatingTable ratings;
    struct Annotator {
        int good = 0, same = 0, bad = 0, honeypots = 0, honeypotsRight = 0;
        std::map<store::RowId, store::Verdict> first;      // pair -> verdict on its normal item
        std::multimap<store::RowId, store::Verdict> again; // pair -> verdicts on its repeats
    };
    std::map<std::string, Annotator> annotators;
    const std::set<std::string> simulated = ws.gsb().simulatedAnnotators();
    int simulatedLeftOut = 0;
    std::set<std::string> counted; // the annotators whose verdicts make the score and agreement
    for (const store::GsbJudgmentRecord& j : ws.gsb().judgments(study->id)) {
        const store::GsbItemRecord& item = items.at(j.itemId);
        Annotator& a = annotators[j.annotator];
        if (item.role == store::ItemRole::Honeypot) {
            ++a.honeypots;
            a.honeypotsRight += item.expected && *item.expected == j.verdict ? 1 : 0;
            continue;
        }
        if (item.role == store::ItemRole::Repeat) { // self-consistency only, never counted twice
            a.again.emplace(item.pairId, j.verdict);
            continue;
        }
        a.first[item.pairId] = j.verdict;
        (j.verdict == store::Verdict::Good  ? a.good
         : j.verdict == store::Verdict::Bad ? a.bad
                                            : a.same) += 1;
        if (simulated.count(j.annotator) && !options.includeSimulated) {
            ++simulatedLeftOut; // never mixed into the human statistics unless asked
            continue;
        }
        counted.insert(j.annotator);
        if (!promptOfPair.count(item.pairId))
            promptOfPair[item.pairId] = std::to_string(ws.pairs().get(item.pairId)->promptId);
        verdicts.push_back({promptOfPair[item.pairId], toGsb(j.verdict)});
        ratings[std::to_string(item.pairId)][j.annotator] = static_cast<int>(j.verdict) - 1;
    }
    const eval::GsbSummary s = eval::summarizeGsb(verdicts);
    // How the study chose its pairs: only a random draw gives a fair GSB score (study_builder.h).
    const auto design = nlohmann::json::parse(study->designJson, nullptr, false);
    const std::string selection =
        design.is_object() && design.contains("selection") && design["selection"].is_string()
            ? design["selection"].get<std::string>()
            : "random";
    bool simulatedIn = false;
    for (const std::string& name : counted)
        simulatedIn = simulatedIn || simulated.count(name) > 0;
    nlohmann::json perAnnotator = nlohmann::json::object();
    for (const auto& [name, a] : annotators) {
        // Repeats whose normal item the annotator also judged, and how many got the same verdict.
        int repeats = 0, repeatsSame = 0;
        for (const auto& [pair, verdict] : a.again)
            if (const auto first = a.first.find(pair); first != a.first.end()) {
                ++repeats;
                repeatsSame += first->second == verdict ? 1 : 0;
            }
        perAnnotator[name] = {
            {"good", a.good},
            {"same", a.same},
            {"bad", a.bad},
            {"honeypots", a.honeypots},
            {"honeypot_accuracy", a.honeypots
                                      ? nlohmann::json(double(a.honeypotsRight) / a.honeypots)
                                      : nlohmann::json()},
            {"repeats", repeats},
            {"self_consistency",
             repeats ? nlohmann::json(double(repeatsSame) / repeats) : nlohmann::json()},
            {"simulated", simulated.count(name) > 0}};
    }
    nlohmann::json agreement = {
        {"fleiss_kappa", optionalJson(eval::fleissKappa(ratings, 3))},
        {"krippendorff_alpha", optionalJson(eval::krippendorffAlphaNominal(ratings, 3))},
        {"gwet_ac1", optionalJson(eval::gwetAc1(ratings, 3))}};
    if (counted.size() == 2) {
        const std::string a = *counted.begin(), b = *std::next(counted.begin());
        agreement["cohen_kappa"] = optionalJson(eval::cohensKappa(ratings, a, b, 3));
    }
    nlohmann::json report = {{"study", studyName},
                             {"baseline", study->baselineGenerator},
                             {"candidate", study->candidateGenerator},
                             {"items", items.size()},
                             {"good", s.good},
                             {"same", s.same},
                             {"bad", s.bad},
                             {"score", s.score},
                             {"score_ci95", {s.ciLow, s.ciHigh}},
                             {"sign_test_p", s.signTestP},
                             {"annotators", perAnnotator},
                             {"agreement", agreement},
                             {"selection", selection},
                             {"unbiased", selection == "random"},
                             {"includes_simulated", options.includeSimulated && simulatedIn},
                             {"simulated_verdicts_left_out", simulatedLeftOut}};
    if (verdicts.empty()) // no score yet, rather than a score of 0 with a [0, 0] interval
        for (const char* key : {"score", "score_ci95", "sign_test_p"})
            report[key] = nullptr;
    return report;
}

} // namespace rd::label
