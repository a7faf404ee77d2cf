#include "reward/rm_judge.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "jobs/job_names.h"
#include "media/image_io.h"
#include "model/model_config.h"
#include "reward/reward_model.h"
#include "reward/rm_evaluation.h"
#include "reward/scorer.h"
#include "store/generation_repository.h"
#include "store/gsb_repository.h"
#include "store/inspect_query.h"
#include "store/media_repository.h"
#include "store/model_repository.h"
#include "store/pair_repository.h"
#include "store/prompt_repository.h"
#include "store/rm_judgment_repository.h"
#include "store/run_repository.h"
#include "store/workspace.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <sstream>

namespace rd::reward {
namespace fs = std::filesystem;

namespace {

// Agreement with the humans of every GSB study: a Good verdict says the candidate generator's
// image is better, Bad the baseline's; the RM agrees when it ranks them the same way. Same
// verdicts and honeypots are left out (reported as counts).
nlohmann::json gsbAgreement(store::Workspace& ws, RewardModel& rm, int batchSize) {
    nlohmann::json studies = nlohmann::json::array();
    for (const store::GsbStudyRecord& study : ws.gsb().listStudies()) {
        std::map<store::RowId, store::GsbItemRecord> items;
        for (const store::GsbItemRecord& item : ws.gsb().items(study.id))
            items[item.id] = item;
        std::vector<store::GsbJudgmentRecord> verdicts;
        int same = 0;
        for (const store::GsbJudgmentRecord& j : ws.gsb().judgments(study.id)) {
            if (items.at(j.itemId).role == store::ItemRole::Honeypot)
                continue;
            if (j.verdict == store::Verdict::Same)
                ++same;
            else
                verdicts.push_back(j);
        }
        if (verdicts.empty()) {
            studies.push_back({{"study", study.name}, {"judgments", 0}, {"agreement", nullptr}});
            continue;
        }
        // Score each judged pair once, as a PairExample of the dataset format.
        PairDataset data;
        std::vector<PairExample> pairs;
        std::map<store::RowId, size_t> indexOfPair;
        std::map<store::RowId, bool> candidateIsB;
        for (const auto& j : verdicts) {
            const store::RowId pairId = items.at(j.itemId).pairId;
            if (indexOfPair.count(pairId))
                continue;
            const auto pair = ws.pairs().get(pairId).value();
            const auto genB = ws.generations().get(pair.genB).value();
            PairExample ex;
            ex.pairId = pairId;
            ex.prompt = ws.prompts().get(pair.promptId)->text;
            ex.preferred = store::Preference::Tie;
            for (auto [gen, slot] : {std::pair{pair.genA, &ex.mediaA}, {pair.genB, &ex.mediaB}}) {
                const auto media = ws.media().get(ws.generations().get(gen)->mediaId).value();
                if (media.kind != store::MediaKind::Image)
                    throw Error(ErrorKind::Unsupported, "GSB study '" + study.name +
                                                            "' holds clips; the image RM cannot "
                                                            "judge them");
                *slot = media.id;
                if (!data.images.count(media.id))
                    data.images[media.id] =
                        rm.imageTiles(media::loadImageRgb(ws.resolveMediaPath(media.path)));
            }
            candidateIsB[pairId] = genB.generator == study.candidateGenerator;
            indexOfPair[pairId] = pairs.size();
            pairs.push_back(ex);
        }
        const auto scores = scorePairDataset(rm, data, pairs, batchSize);
        int agree = 0;
        for (const auto& j : verdicts) {
            const store::RowId pairId = items.at(j.itemId).pairId;
            const PairScore& s = scores[indexOfPair[pairId]];
            const double candidate = candidateIsB[pairId] ? s.rewardB : s.rewardA;
            const double baseline = candidateIsB[pairId] ? s.rewardA : s.rewardB;
            agree += (candidate > baseline) == (j.verdict == store::Verdict::Good) ? 1 : 0;
        }
        studies.push_back({{"study", study.name},
                           {"judgments", verdicts.size()},
                           {"same_verdicts_left_out", same},
                           {"agreement", double(agree) / static_cast<double>(verdicts.size())}});
    }
    return studies;
}

store::RowId registerModel(store::Workspace& ws, RewardModel& rm, const fs::path& folder) {
    store::ModelRecord record;
    record.name = fs::absolute(folder).lexically_normal().string();
    record.arch = rm.vlm()->config().name + "/" + paradigmName(rm.spec().paradigm);
    record.paramCount = model::countParameters(rm.vlm()->config()).total();
    record.path = record.name;
    return ws.models().upsert(record);
}

// A --pairs value that matches nothing is a typo, not "judge zero pairs".
void requireKnown(const char* key, const std::optional<std::string>& value,
                  const std::vector<std::string>& present, store::Workspace& ws) {
    if (!value || std::find(present.begin(), present.end(), *value) != present.end())
        return;
    std::string known;
    for (const std::string& name : present)
        known += (known.empty() ? "" : ", ") + name;
    throw Error(ErrorKind::NotFound, "--pairs: no pairs with " + std::string(key) + " '" + *value +
                                         "' in " + ws.folder().string() +
                                         " (present: " + (known.empty() ? "none" : known) + ")");
}

} // namespace

nlohmann::json evaluateOnSplit(store::Workspace& ws, const fs::path& folder,
                               const std::string& split, int batchSize,
                               const std::string& answerOrder) {
    RewardSpec spec = readRewardSpec(folder);
    if (!answerOrder.empty()) {
        if (spec.paradigm != Paradigm::PairwiseGenerative)
            throw Error(ErrorKind::InvalidArgument,
                        folder.string() + ": --answer-order needs a pairwise generative RM");
        spec.answerOrder = parseAnswerOrder(answerOrder);
    }
    auto rm = RewardModel::loadAs(folder, spec, torch::kCPU);
    PairDatasetOptions options;
    options.split = split;
    options.withRationales = false;
    const PairDataset data = loadPairDataset(ws, *rm, options);
    if (data.pairs.empty())
        throw Error(ErrorKind::InvalidArgument,
                    ws.folder().string() + ": no image pairs with a preference in split '" + split +
                        "'");
    const auto start = std::chrono::steady_clock::now();
    const bool withReference =
        rm->spec().paradigm == Paradigm::PairwiseGenerative && rm->spec().withReference;
    nlohmann::json report =
        summarize(data.pairs, scorePairDataset(*rm, data, data.pairs, batchSize), withReference)
            .toJson();
    report["seconds"] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    report["split"] = split;
    report["model"] = fs::absolute(folder).lexically_normal().string();
    report["paradigm"] = paradigmName(rm->spec().paradigm);
    report["answer_order"] = answerOrderName(rm->spec().answerOrder);
    report["skipped_video_pairs"] = data.skippedVideos;
    report["gsb_agreement"] = gsbAgreement(ws, *rm, batchSize);

    nlohmann::json config = {{"model", report["model"]}, {"split", split}};
    if (!answerOrder.empty())
        config["answer_order"] = answerOrder;
    const store::RowId run = ws.runs().create("rm_eval", config.dump());
    std::vector<store::MetricPoint> points = {
        {run, 0, jobs::metrics::kEvalAccuracy, report["accuracy"]},
        {run, 0, jobs::metrics::kEvalPairs, report["pairs"]}};
    for (const char* name : {"consistency", "calibration_error"})
        if (report[name].is_number())
            points.push_back(
                {run, 0, std::string(jobs::metrics::kEval) + name, report[name].get<double>()});
    ws.runs().addMetrics(points);
    ws.runs().setCheckpoint(run, report["model"].get<std::string>());
    ws.runs().setStatus(run, store::RunStatus::Done);
    report["run_id"] = run;
    writeFileAtomically(
        folder / ("eval-" + split + (answerOrder.empty() ? "" : "-" + answerOrder) + ".json"),
        [&](std::ostream& o) { o << report.dump(2); });
    return report;
}

PairQuery parsePairQuery(const std::string& text) {
    PairQuery q;
    std::stringstream in(text);
    std::string part;
    while (std::getline(in, part, ',')) {
        if (part.empty())
            throw Error(ErrorKind::InvalidArgument,
                        "--pairs '" + text + "': an empty item (write split=S,category=C,limit=N)");
        const auto eq = part.find('=');
        if (eq == std::string::npos)
            throw Error(ErrorKind::InvalidArgument,
                        "--pairs: '" + part + "' is not key=value (keys: split, category, limit)");
        const std::string key = part.substr(0, eq), value = part.substr(eq + 1);
        if (key == "split")
            q.split = value;
        else if (key == "category")
            q.category = value;
        else if (key == "limit") {
            std::size_t used = 0;
            try {
                q.limit = std::stoll(value, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (used == 0 || used != value.size() || q.limit < 1)
                throw Error(ErrorKind::InvalidArgument,
                            "--pairs: limit '" + value + "' is not a positive whole number");
        } else
            throw Error(ErrorKind::InvalidArgument,
                        "--pairs: unknown key '" + key + "' (keys: split, category, limit)");
    }
    return q;
}

nlohmann::json judgePairs(store::Workspace& ws, const fs::path& folder,
                          const JudgeOptions& options) {
    store::InspectQuery names(ws.database());
    requireKnown("split", options.pairs.split, names.splits(), ws);
    requireKnown("category", options.pairs.category, names.categories(), ws);
    ScorerOptions scorerOptions;
    scorerOptions.batchSize = options.batchSize;
    scorerOptions.chainOfThought = options.chainOfThought;
    scorerOptions.maxNewTokens = options.maxNewTokens;
    Scorer scorer(std::shared_ptr<RewardModel>(RewardModel::load(folder, torch::kCPU)),
                  scorerOptions);
    const store::RowId modelId = registerModel(ws, scorer.model(), folder);
    const bool generative = scorer.model().spec().paradigm != Paradigm::PointwiseRegressive;
    store::PairFilter filter;
    filter.split = options.pairs.split;
    int judged = 0, skipped = 0;
    double seconds = 0.0;
    for (const store::PairRecord& pair : ws.pairs().list(filter)) {
        if (options.pairs.limit >= 0 && judged >= options.pairs.limit)
            break;
        const auto prompt = ws.prompts().get(pair.promptId).value();
        if (options.pairs.category && prompt.category != *options.pairs.category)
            continue;
        const auto a = ws.media().get(ws.generations().get(pair.genA)->mediaId).value();
        const auto b = ws.media().get(ws.generations().get(pair.genB)->mediaId).value();
        if (a.kind != store::MediaKind::Image || b.kind != store::MediaKind::Image) {
            ++skipped;
            continue;
        }
        const cv::Mat imageA = media::loadImageRgb(ws.resolveMediaPath(a.path));
        const cv::Mat imageB = media::loadImageRgb(ws.resolveMediaPath(b.path));
        const auto start = std::chrono::steady_clock::now();
        // Order AB: A is image 1 (the reference), B the candidate; BA the other way round.
        const auto scores =
            scorer.scorePairs({{prompt.text, imageA, imageB}, {prompt.text, imageB, imageA}});
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count() /
            2.0;
        seconds += ms / 500.0;
        for (int order = 0; order < 2; ++order) {
            store::RmJudgmentRecord j;
            j.pairId = pair.id;
            j.modelId = modelId;
            j.order = order == 0 ? store::JudgeOrder::AB : store::JudgeOrder::BA;
            const RewardScore& score = scores[static_cast<size_t>(order)];
            // p_yes holds a probability. A regressive RM's scalar goes through the sigmoid (its
            // Bradley-Terry chance of beating an image of reward 0, Eq. 1), which keeps its order.
            j.pYes = generative ? score.reward : 1.0 / (1.0 + std::exp(-score.reward));
            if (generative) // the decision the Inspect view reads: P(yes) > P(no)
                j.pNo = score.pNo;
            j.rationale = score.rationale;
            j.latencyMs = ms;
            ws.rmJudgments().upsert(j);
        }
        ++judged;
    }
    return {{"model_id", modelId},
            {"pairs_judged", judged},
            {"skipped_video_pairs", skipped},
            {"seconds", seconds},
            {"chain_of_thought", options.chainOfThought}};
}

} // namespace rd::reward
