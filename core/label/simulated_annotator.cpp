#include "label/simulated_annotator.h"

#include "common/error.h"
#include "label/labeling_session.h"
#include "store/gsb_repository.h"
#include "store/workspace.h"
#include "synth/oracle_file.h"
#include "synth/pair_verdict.h"
#include "synth/prompt_parser.h"

#include <nlohmann/json.hpp>

#include <random>

namespace rd::label {

namespace {

// The choice a careful annotator makes: the side the oracle finds better, else Same.
Choice oracleChoice(const LabelItem& item) {
    synth::PromptSpec spec;
    try {
        spec = synth::parsePrompt(item.prompt);
    } catch (const Error& e) {
        throw Error(ErrorKind::InvalidArgument,
                    "the simulated annotator judges ShapeWorld prompts only; '" + item.prompt +
                        "' is not one (" + e.what() + ")");
    }
    const auto left = synth::scoreFile(spec, item.left);
    const auto right = synth::scoreFile(spec, item.right);
    const auto winner = synth::decideWinner(left.judgement, right.judgement);
    if (winner == synth::Winner::First)
        return Choice::Left;
    if (winner == synth::Winner::Second)
        return Choice::Right;
    return Choice::Same;
}

} // namespace

SimulationReport simulateAnnotator(store::Workspace& ws, const SimulatedAnnotatorOptions& o,
                                   const std::function<bool(int, int)>& progress) {
    if (!(o.errorRate >= 0.0 && o.errorRate <= 1.0))
        throw Error(ErrorKind::InvalidArgument,
                    "simulated annotator: the error rate must be within [0, 1]");
    LabelingSession session = LabelingSession::open(ws, o.study, o.annotator);
    ws.gsb().registerSimulatedAnnotator(o.annotator,
                                        nlohmann::json{{"source", "rdance gsb simulate"},
                                                       {"oracle", "ShapeWorld"},
                                                       {"error_rate", o.errorRate},
                                                       {"seed", o.seed}}
                                            .dump());
    std::mt19937_64 rng(o.seed);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    SimulationReport report;
    const int wanted = o.maxItems > 0 ? o.maxItems : session.progress().total;
    while (report.judged < wanted) {
        const auto item = session.current();
        if (!item)
            break;
        Choice choice = oracleChoice(*item);
        report.oracleSame += choice == Choice::Same ? 1 : 0;
        if (unit(rng) < o.errorRate) { // one of the two other answers, with equal odds
            const int shift = 1 + static_cast<int>(rng() % 2);
            choice = static_cast<Choice>((static_cast<int>(choice) - 1 + shift) % 3 + 1);
            ++report.wrongOnPurpose;
        }
        session.judge(choice, "simulated", 0);
        ++report.judged;
        if (progress && !progress(report.judged, wanted))
            break;
    }
    const SessionProgress p = session.progress();
    report.remaining = p.total - p.done;
    return report;
}

} // namespace rd::label
