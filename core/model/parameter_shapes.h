// Every parameter's name and shape for a config, without building the model: what a checkpoint
// must hold (load reports for 26B models without 100 GB of memory) and what countParameters sums.
// The test suite checks it against the modules' own named_parameters().
#pragma once

#include "model/load_report.h"
#include "model/model_config.h"

namespace rd::model {

TensorShapes parameterShapes(const VlmConfig& config);
// The output widths of a convolutional stem's layers (VisionConfig::convStem), the last hidden.
std::vector<std::int64_t> convStemWidths(const VisionConfig& vision);

} // namespace rd::model
