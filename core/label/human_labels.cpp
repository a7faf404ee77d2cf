#include "label/human_labels.h"

#include "common/error.h"
#include "label/labeling_session.h"
#include "store/generation_repository.h"
#include "store/gsb_repository.h"
#include "store/pair_repository.h"
#include "store/workspace.h"

#include <algorithm>
#include <set>

namespace rd::label {

namespace {

store::Preference turned(store::Preference p) {
    return p == store::Preference::A   ? store::Preference::B
           : p == store::Preference::B ? store::Preference::A
                                       : p;
}

// Which image a verdict prefers, in the order of the key (A: the smaller generation id); the
// candidate is the side the labeling session showed as such.
store::Preference preferredByVerdict(store::Workspace& ws, const store::PairRecord& pair,
                                     const store::GsbStudyRecord& study, store::Verdict verdict) {
    if (verdict == store::Verdict::Same)
        return store::Preference::Tie;
    const bool aIsCandidate = candidateIsSideA(ws, pair, study.candidateGenerator);
    const bool candidateWins = verdict == store::Verdict::Good;
    const store::Preference inPairOrder =
        candidateWins == aIsCandidate ? store::Preference::A : store::Preference::B;
    return pair.genA < pair.genB ? inPairOrder : turned(inPairOrder);
}

} // namespace

GenerationKey generationKey(const store::PairRecord& pair) {
    return {std::min(pair.genA, pair.genB), std::max(pair.genA, pair.genB)};
}

std::optional<store::Preference> HumanLabels::labelFor(const store::PairRecord& pair) const {
    const auto it = byGenerations.find(generationKey(pair));
    if (it == byGenerations.end())
        return std::nullopt;
    return pair.genA < pair.genB ? it->second.preferred : turned(it->second.preferred);
}

nlohmann::json HumanLabels::summary() const {
    int decided = 0;
    for (const auto& [key, label] : byGenerations)
        decided += label.preferred == store::Preference::Tie ? 0 : 1;
    return {{"decided", decided},
            {"ties", static_cast<int>(byGenerations.size()) - decided},
            {"labelled_pairs", byGenerations.size()},
            {"verdicts_used", verdictsUsed},
            {"undecided_pairs", undecidedPairs},
            {"simulated_verdicts", simulatedVerdicts},
            {"left_out_verdicts", leftOutVerdicts},
            {"annotators_kept", annotatorsKept},
            {"annotators_left_out", annotatorsLeftOut},
            {"annotators_unchecked", annotatorsUnchecked}};
}

std::set<store::RowId> studyPairIds(store::Workspace& ws, const std::string& name) {
    const auto study = ws.gsb().findStudy(name);
    if (!study)
        throw Error(ErrorKind::NotFound,
                    ws.folder().string() + ": no GSB study named '" + name + "'");
    std::set<store::RowId> ids;
    for (const auto& item : ws.gsb().items(study->id))
        if (item.role == store::ItemRole::Normal)
            ids.insert(item.pairId);
    return ids;
}

HumanLabels aggregateHumanLabels(store::Workspace& ws, const HumanLabelOptions& options) {
    if (!(options.minHoneypotAccuracy >= 0.0 && options.minHoneypotAccuracy <= 1.0))
        throw Error(ErrorKind::InvalidArgument,
                    "human labels: the honeypot accuracy threshold must be within [0, 1]");
    const auto judgments = ws.gsb().allJudgments();
    const std::set<std::string> simulated = ws.gsb().simulatedAnnotators();

    // Honeypot accuracy per annotator, over every study.
    std::map<std::string, std::pair<int, int>> honeypots; // right, answered
    std::set<std::string> annotators;
    for (const auto& [item, judgment] : judgments) {
        annotators.insert(judgment.annotator);
        if (item.role != store::ItemRole::Honeypot)
            continue;
        auto& [right, answered] = honeypots[judgment.annotator];
        ++answered;
        right += item.expected && *item.expected == judgment.verdict ? 1 : 0;
    }
    HumanLabels labels;
    std::set<std::string> kept;
    for (const std::string& name : annotators) {
        if (simulated.count(name) && !options.includeSimulated)
            continue;
        const auto h = honeypots.find(name);
        if (h == honeypots.end()) {
            labels.annotatorsUnchecked.push_back(name);
        } else if (h->second.first < options.minHoneypotAccuracy * h->second.second) {
            labels.annotatorsLeftOut.push_back(name);
            continue;
        }
        kept.insert(name);
        labels.annotatorsKept.push_back(name);
    }

    std::map<store::RowId, store::GsbStudyRecord> studies;
    for (const auto& study : ws.gsb().listStudies())
        studies[study.id] = study;
    std::map<store::RowId, store::PairRecord> pairs;
    for (const auto& [item, judgment] : judgments) {
        if (item.role != store::ItemRole::Normal)
            continue;
        if (simulated.count(judgment.annotator) && !options.includeSimulated) {
            ++labels.simulatedVerdicts;
            continue;
        }
        if (!kept.count(judgment.annotator)) {
            ++labels.leftOutVerdicts;
            continue;
        }
        if (!pairs.count(item.pairId))
            pairs[item.pairId] = ws.pairs().get(item.pairId).value();
        const store::PairRecord& pair = pairs[item.pairId];
        HumanLabel& label = labels.byGenerations[generationKey(pair)];
        switch (preferredByVerdict(ws, pair, studies.at(item.studyId), judgment.verdict)) {
        case store::Preference::A:
            ++label.votesA;
            break;
        case store::Preference::B:
            ++label.votesB;
            break;
        default:
            ++label.votesTie;
        }
        ++labels.verdictsUsed;
    }
    // Plurality; a draw between the two answers with the most votes decides nothing.
    for (auto it = labels.byGenerations.begin(); it != labels.byGenerations.end();) {
        HumanLabel& l = it->second;
        const int top = std::max({l.votesA, l.votesB, l.votesTie});
        const int atTop = (l.votesA == top) + (l.votesB == top) + (l.votesTie == top);
        if (atTop > 1) {
            ++labels.undecidedPairs;
            it = labels.byGenerations.erase(it);
            continue;
        }
        l.preferred = l.votesA == top   ? store::Preference::A
                      : l.votesB == top ? store::Preference::B
                                        : store::Preference::Tie;
        ++it;
    }
    return labels;
}

} // namespace rd::label
