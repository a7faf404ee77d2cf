#include "label/study_builder.h"

#include "common/error.h"
#include "label/human_labels.h"
#include "label/labeling_session.h"
#include "store/generation_repository.h"
#include "store/gsb_repository.h"
#include "store/pair_repository.h"
#include "store/prompt_repository.h"
#include "store/sqlite_db.h"
#include "store/workspace.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <random>
#include <set>

namespace rd::label {

namespace {

using Rng = std::mt19937_64;

// Fisher-Yates with our own index draw: the same order on every standard library.
template <typename T> void shuffle(std::vector<T>& v, Rng& rng) {
    for (size_t i = v.size(); i > 1; --i)
        std::swap(v[i - 1], v[rng() % i]);
}

std::map<store::RowId, std::vector<store::GenerationRecord>>
samplesByPrompt(store::Workspace& ws, const std::string& generator) {
    std::map<store::RowId, std::vector<store::GenerationRecord>> out;
    for (auto& g : ws.generations().listByGenerator(generator))
        out[g.promptId].push_back(g);
    for (auto& [prompt, gens] : out)
        std::sort(gens.begin(), gens.end(), [](const auto& x, const auto& y) {
            return std::make_pair(x.seed.value_or(-1), x.id) <
                   std::make_pair(y.seed.value_or(-1), y.id);
        });
    return out;
}

// Samples of one prompt paired by seed: equal seeds first (the same starting noise), then the
// samples left over (no seed, or seeds only one side has) in seed order.
std::vector<std::pair<store::RowId, store::RowId>>
pairBySeed(const std::vector<store::GenerationRecord>& base,
           const std::vector<store::GenerationRecord>& other) {
    std::vector<std::pair<store::RowId, store::RowId>> out;
    std::vector<bool> used(other.size(), false);
    std::vector<const store::GenerationRecord*> unmatched;
    for (const auto& b : base) {
        bool matched = false;
        for (size_t j = 0; j < other.size() && !matched; ++j)
            if (!used[j] && b.seed && other[j].seed == b.seed) {
                used[j] = matched = true;
                out.emplace_back(b.id, other[j].id);
            }
        if (!matched)
            unmatched.push_back(&b);
    }
    size_t j = 0;
    for (const auto* b : unmatched) {
        while (j < other.size() && used[j])
            ++j;
        if (j == other.size())
            break;
        used[j] = true;
        out.emplace_back(b->id, other[j].id);
    }
    return out;
}

void checkRate(double rate, const char* what) {
    if (!(rate >= 0.0 && rate <= 1.0))
        throw Error(ErrorKind::InvalidArgument,
                    std::string("GSB study: ") + what + " must be within [0, 1]");
}

// What storeStudy writes besides the pairs.
struct StudyDraft {
    std::string name, baseline, candidate;
    std::optional<std::string> split;
    std::uint64_t seed = 1;
    double honeypotRate = 0.0, repeatRate = 0.0;
    nlohmann::json design; // kind, selection and the like; the rest is added here
};

// Stores the study: one normal item per pair (a pair without an id is inserted, or found when
// stored already), the candidate's side drawn per item, then repeats and honeypots, all in
// one transaction.
StudyReport storeStudy(store::Workspace& ws, const StudyDraft& d,
                       const std::vector<store::PairRecord>& pairs, Rng& rng) {
    store::Transaction tx(ws.database());
    StudyReport report;
    std::vector<store::GsbItemRecord> items;
    for (const store::PairRecord& pair : pairs) {
        std::optional<store::RowId> id = pair.id;
        if (pair.id == 0) {
            id = ws.pairs().insertIfAbsent(pair);
            if (id)
                ++report.pairsCreated;
            else
                id = ws.pairs().findId(pair.promptId, pair.genA, pair.genB);
        }
        store::GsbItemRecord item;
        item.pairId = id.value();
        items.push_back(item);
    }
    const size_t normal = items.size();
    for (auto& item : items)
        item.candidateLeft = rng() % 2 == 0;

    // Repeats: the pair of an earlier item, sides swapped, so memory of the screen cannot help.
    const int repeats = static_cast<int>(normal * d.repeatRate + 0.5);
    for (int r = 0; r < repeats; ++r) {
        store::GsbItemRecord item = items[static_cast<size_t>(r) % normal];
        item.role = store::ItemRole::Repeat;
        item.candidateLeft = !item.candidateLeft;
        items.push_back(item);
    }
    // Honeypots: easy synthetic pairs with a winner. The session treats a pair's b side as the
    // candidate unless a is the candidate generator's, so a preferred b is a "Good".
    const int honeypotsWanted = static_cast<int>(normal * d.honeypotRate + 0.5);
    std::vector<store::PairRecord> known;
    store::PairFilter filter;
    filter.source = store::PairSource::Synthetic;
    std::set<store::RowId> inStudy; // a honeypot is never one of the study's own pairs
    for (const auto& item : items)
        inStudy.insert(item.pairId);
    for (auto& p : ws.pairs().list(filter))
        if ((p.preferred == store::Preference::A || p.preferred == store::Preference::B) &&
            !inStudy.count(p.id))
            known.push_back(p);
    shuffle(known, rng);
    int honeypots = 0;
    for (const auto& p : known) {
        if (honeypots == honeypotsWanted)
            break;
        const bool aIsCandidate = candidateIsSideA(ws, p, d.candidate);
        const bool candidateWins = (p.preferred == store::Preference::A) == aIsCandidate;
        store::GsbItemRecord item;
        item.pairId = p.id;
        item.role = store::ItemRole::Honeypot;
        item.expected = candidateWins ? store::Verdict::Good : store::Verdict::Bad;
        item.candidateLeft = rng() % 2 == 0;
        items.push_back(item);
        ++honeypots;
    }
    shuffle(items, rng); // positions mix repeats and honeypots into the study

    store::GsbStudyRecord study;
    study.name = d.name;
    study.baselineGenerator = d.baseline;
    study.candidateGenerator = d.candidate;
    nlohmann::json design = {{"source", "rdance gsb create"},
                             {"seed", d.seed},
                             {"blind", true},
                             {"random_sides", true},
                             {"items", normal},
                             {"honeypots", honeypots},
                             {"repeats", repeats},
                             {"split", d.split ? nlohmann::json(*d.split) : nlohmann::json()}};
    design.update(d.design);
    study.designJson = design.dump();
    report.studyId = ws.gsb().createStudy(study);
    for (size_t i = 0; i < items.size(); ++i) {
        items[i].studyId = report.studyId;
        items[i].position = static_cast<std::int64_t>(i);
        ws.gsb().addItem(items[i]);
    }
    tx.commit();
    report.items = static_cast<int>(normal);
    report.honeypots = honeypots;
    report.repeats = repeats;
    return report;
}

void checkNewStudy(store::Workspace& ws, const std::string& name, double honeypotRate,
                   double repeatRate) {
    checkRate(honeypotRate, "the honeypot rate");
    checkRate(repeatRate, "the repeat rate");
    if (name.empty())
        throw Error(ErrorKind::InvalidArgument, "GSB study: a name is needed");
    if (ws.gsb().findStudy(name))
        throw Error(ErrorKind::InvalidArgument,
                    ws.folder().string() + ": a GSB study named '" + name + "' exists");
}

} // namespace

const char* name(Selection selection) {
    return selection == Selection::Uncertain ? "uncertain" : "random";
}

StudyReport createGeneratorStudy(store::Workspace& ws, const StudyOptions& o) {
    checkNewStudy(ws, o.name, o.honeypotRate, o.repeatRate);
    if (o.baselineGenerator == o.candidateGenerator)
        throw Error(ErrorKind::InvalidArgument,
                    "GSB study: the baseline and the candidate are the same generator");
    const auto baseline = samplesByPrompt(ws, o.baselineGenerator);
    const auto candidate = samplesByPrompt(ws, o.candidateGenerator);
    for (const auto& [gens, name] :
         {std::pair{&baseline, &o.baselineGenerator}, std::pair{&candidate, &o.candidateGenerator}})
        if (gens->empty())
            throw Error(ErrorKind::InvalidArgument,
                        ws.folder().string() + ": the generator '" + *name + "' has no samples");

    // The candidate pairs (baseline, candidate sample of one prompt), then the kept ones stored.
    std::vector<store::PairRecord> pairs;
    for (const auto& [promptId, base] : baseline) {
        const auto other = candidate.find(promptId);
        if (other == candidate.end())
            continue;
        const auto prompt = ws.prompts().get(promptId).value();
        if (o.split && prompt.split != *o.split)
            continue;
        for (const auto& [a, b] : pairBySeed(base, other->second)) {
            store::PairRecord pair;
            pair.promptId = promptId;
            pair.genA = a;
            pair.genB = b;
            pair.source = store::PairSource::Human;
            pair.split = prompt.split;
            pairs.push_back(pair);
        }
    }
    if (pairs.empty())
        throw Error(ErrorKind::InvalidArgument,
                    ws.folder().string() + ": no prompt" +
                        (o.split ? " of split '" + *o.split + "'" : "") + " has samples of both '" +
                        o.baselineGenerator + "' and '" + o.candidateGenerator + "'");
    Rng rng(o.seed);
    shuffle(pairs, rng);
    if (o.maxItems > 0 && static_cast<int>(pairs.size()) > o.maxItems)
        pairs.resize(static_cast<size_t>(o.maxItems));

    nlohmann::json design = {{"kind", "generators"}, {"selection", name(Selection::Random)}};
    return storeStudy(ws,
                      {o.name, o.baselineGenerator, o.candidateGenerator, o.split, o.seed,
                       o.honeypotRate, o.repeatRate, design},
                      pairs, rng);
}

StudyReport createPairStudy(store::Workspace& ws, const PairStudyOptions& o) {
    checkNewStudy(ws, o.name, o.honeypotRate, o.repeatRate);
    if (o.selection == Selection::Uncertain && o.certainty.empty())
        throw Error(ErrorKind::InvalidArgument,
                    "GSB study: uncertain selection needs the RM's certainty of the pairs");
    // Pairs people (or a simulated annotator) already judged are not asked again.
    std::set<GenerationKey> judged;
    std::set<store::RowId> judgedPairIds;
    if (o.skipJudged)
        for (const auto& [item, judgment] : ws.gsb().allJudgments())
            if (item.role == store::ItemRole::Normal && judgedPairIds.insert(item.pairId).second)
                judged.insert(generationKey(ws.pairs().get(item.pairId).value()));
    store::PairFilter filter;
    filter.split = o.split;
    std::vector<store::PairRecord> pairs;
    int alreadyJudged = 0;
    for (store::PairRecord& pair : ws.pairs().list(filter)) {
        if (judged.count(generationKey(pair))) {
            ++alreadyJudged;
            continue;
        }
        if (o.selection == Selection::Uncertain && !o.certainty.count(pair.id))
            continue;
        pairs.push_back(std::move(pair));
    }
    if (pairs.empty())
        throw Error(ErrorKind::InvalidArgument,
                    ws.folder().string() + ": no pair of split '" + o.split + "' to label" +
                        (alreadyJudged
                             ? " (" + std::to_string(alreadyJudged) + " are judged already)"
                             : std::string()));
    Rng rng(o.seed);
    shuffle(pairs, rng);
    // Uncertain: the pairs the RM is least sure of first (the shuffle breaks ties by seed).
    if (o.selection == Selection::Uncertain)
        std::stable_sort(pairs.begin(), pairs.end(), [&](const auto& x, const auto& y) {
            return o.certainty.at(x.id) < o.certainty.at(y.id);
        });
    if (o.maxItems > 0 && static_cast<int>(pairs.size()) > o.maxItems)
        pairs.resize(static_cast<size_t>(o.maxItems));
    nlohmann::json design = {{"kind", "pairs"},
                             {"selection", name(o.selection)},
                             {"pairs_judged_before", alreadyJudged}};
    if (o.selection == Selection::Uncertain)
        design["selection_model"] = o.selectionModel;
    return storeStudy(
        ws, {o.name, kPairSideA, kPairSideB, o.split, o.seed, o.honeypotRate, o.repeatRate, design},
        pairs, rng);
}

} // namespace rd::label
