#include "label/labeling_session.h"

#include "common/error.h"
#include "store/generation_repository.h"
#include "store/gsb_repository.h"
#include "store/media_repository.h"
#include "store/pair_repository.h"
#include "store/prompt_repository.h"
#include "store/workspace.h"

#include <algorithm>
#include <random>
#include <set>

namespace rd::label {

namespace {

// FNV-1a: a stable seed from the study and the annotator's name.
std::uint64_t orderSeed(store::RowId study, const std::string& annotator) {
    std::uint64_t h = 1469598103934665603ull ^ static_cast<std::uint64_t>(study);
    for (unsigned char c : annotator) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return h;
}

} // namespace

store::Verdict LabelingSession::verdictFor(Choice choice, bool candidateLeft) {
    if (choice == Choice::Same)
        return store::Verdict::Same;
    const bool leftBetter = choice == Choice::Left;
    return leftBetter == candidateLeft ? store::Verdict::Good : store::Verdict::Bad;
}

bool candidateIsSideA(store::Workspace& ws, const store::PairRecord& pair,
                      const std::string& candidateGenerator) {
    return ws.generations().get(pair.genA)->generator == candidateGenerator;
}

LabelingSession LabelingSession::open(store::Workspace& ws, const std::string& study,
                                      const std::string& annotator) {
    if (annotator.empty())
        throw Error(ErrorKind::InvalidArgument, "an annotator name is required");
    const auto record = ws.gsb().findStudy(study);
    if (!record)
        throw Error(ErrorKind::NotFound,
                    ws.folder().string() + ": no GSB study named '" + study + "'");
    return LabelingSession(ws, record->id, study, annotator);
}

LabelingSession::LabelingSession(store::Workspace& ws, store::RowId study, std::string studyName,
                                 std::string annotator)
    : m_workspace(&ws), m_study(study), m_studyName(std::move(studyName)),
      m_annotator(std::move(annotator)) {
    m_order = ws.gsb().items(m_study);
    std::sort(m_order.begin(), m_order.end(),
              [](const auto& a, const auto& b) { return a.position < b.position; });
    std::mt19937_64 rng(orderSeed(m_study, m_annotator));
    std::shuffle(m_order.begin(), m_order.end(), rng);
    reload();
}

// Where the annotator stands: their judgments, and the first item in their order without one.
void LabelingSession::reload() {
    std::set<store::RowId> judged;
    m_judgments.clear();
    for (const store::GsbJudgmentRecord& j : m_workspace->gsb().judgmentsBy(m_study, m_annotator)) {
        judged.insert(j.itemId);
        m_judgments.push_back(j.id);
    }
    std::sort(m_judgments.begin(), m_judgments.end());
    m_next = 0;
    while (m_next < m_order.size() && judged.count(m_order[m_next].id))
        ++m_next;
}

LabelItem LabelingSession::describe(const store::GsbItemRecord& item) const {
    store::Workspace& ws = *m_workspace;
    const auto pair = ws.pairs().get(item.pairId).value();
    LabelItem out;
    out.itemId = item.id;
    out.pairId = item.pairId;
    out.prompt = ws.prompts().get(pair.promptId)->text;
    out.candidateLeft = item.candidateLeft;
    // The pair's sides are the study's generators; put the candidate where the item says.
    const auto genA = ws.generations().get(pair.genA).value();
    const auto genB = ws.generations().get(pair.genB).value();
    const auto study = ws.gsb().findStudy(m_studyName).value();
    const bool aIsCandidate = candidateIsSideA(ws, pair, study.candidateGenerator);
    const auto& candidate = aIsCandidate ? genA : genB;
    const auto& baseline = aIsCandidate ? genB : genA;
    const auto candidateMedia = ws.media().get(candidate.mediaId).value();
    const auto baselineMedia = ws.media().get(baseline.mediaId).value();
    const auto candidatePath = ws.resolveMediaPath(candidateMedia.path);
    const auto baselinePath = ws.resolveMediaPath(baselineMedia.path);
    out.left = item.candidateLeft ? candidatePath : baselinePath;
    out.right = item.candidateLeft ? baselinePath : candidatePath;
    out.kind = candidateMedia.kind;
    return out;
}

std::optional<LabelItem> LabelingSession::current() const {
    return upcoming(0);
}

std::optional<LabelItem> LabelingSession::upcoming(int ahead) const {
    // Items after the current one may include ones judged earlier (after an undo): skip them.
    std::set<store::RowId> judged;
    if (ahead > 0)
        for (const auto& j : m_workspace->gsb().judgmentsBy(m_study, m_annotator))
            judged.insert(j.itemId);
    int seen = 0;
    for (size_t i = m_next; i < m_order.size(); ++i) {
        if (i > m_next && judged.count(m_order[i].id))
            continue;
        if (seen++ == ahead)
            return describe(m_order[i]);
    }
    return std::nullopt;
}

void LabelingSession::judge(Choice choice, const std::string& reason, std::int64_t spentMs) {
    if (m_next >= m_order.size())
        throw Error(ErrorKind::InvalidArgument, "the study is done for " + m_annotator);
    const store::GsbItemRecord& item = m_order[m_next];
    store::GsbJudgmentRecord j;
    j.itemId = item.id;
    j.annotator = m_annotator;
    j.verdict = verdictFor(choice, item.candidateLeft);
    j.reason = reason;
    j.spentMs = std::max<std::int64_t>(0, spentMs);
    m_workspace->gsb().addJudgment(j); // committed before it returns
    reload();
}

bool LabelingSession::undo() {
    if (m_judgments.empty())
        return false;
    m_workspace->gsb().removeJudgment(m_judgments.back());
    reload();
    return true;
}

SessionProgress LabelingSession::progress() const {
    return {static_cast<int>(m_judgments.size()), static_cast<int>(m_order.size())};
}

} // namespace rd::label
