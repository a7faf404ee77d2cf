// The Results view's tables (issue "The studio"), read from what the workspace has stored:
//   - RM accuracy per model, in distribution and out of distribution (`rdance rm eval` runs);
//   - GSB per study: G/S/B, the score (G-B)/(G+S+B), its 95% bootstrap interval over prompts and
//     the sign test;
//   - per annotator: their verdicts, honeypot accuracy and self-consistency on repeats;
//   - agreement per study: Cohen's kappa (two annotators), Fleiss' kappa, Krippendorff's alpha
//     and Gwet's AC1;
//   - oracle alignment per category per generator (`rdance gen eval` runs);
//   - the human-label curve: per RM trained on people's labels, how many labels, how its pairs
//     were chosen (random or uncertain studies) and its ID / OOD accuracy, so active and random
//     labeling compare at equal label counts.
// Each table exports through eval::writeTable (CSV, Markdown, LaTeX, JSON).
#pragma once

#include "common/table.h"

#include <string>
#include <vector>

namespace rd::store {
class Workspace;
}

namespace rd::results {

enum class ResultTable { RmAccuracy = 0, Gsb, Annotators, Agreement, Alignment, LabelCurve };

// "rm_accuracy", "gsb", "annotators", "agreement", "alignment", "label_curve", in ResultTable
// order.
const std::vector<std::string>& resultTableNames();

Table rmAccuracyTable(store::Workspace& ws);
Table gsbTable(store::Workspace& ws);
Table annotatorTable(store::Workspace& ws);
Table agreementTable(store::Workspace& ws);
Table alignmentTable(store::Workspace& ws);
Table labelCurveTable(store::Workspace& ws);
Table resultTable(store::Workspace& ws, ResultTable which);

} // namespace rd::results
