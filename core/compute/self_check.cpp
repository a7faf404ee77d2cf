#include "compute/self_check.h"

#include <torch/torch.h>

namespace rd::compute {

LearningCheck runLearningCheck(const ComputeContext& ctx) {
    torch::manual_seed(0);
    const torch::Device device(ctx.device);
    const auto options = torch::TensorOptions().device(device);
    const torch::Tensor trueWeight = torch::randn({16, 4}, options);
    const torch::Tensor inputs = torch::randn({256, 16}, options);
    const torch::Tensor targets =
        inputs.matmul(trueWeight) + 0.01 * torch::randn({256, 4}, options);

    torch::nn::Linear model(16, 4);
    model->to(device);
    torch::optim::AdamW optimiser(model->parameters(), torch::optim::AdamWOptions(0.05));
    LearningCheck check;
    for (int step = 0; step < 300; ++step) {
        optimiser.zero_grad();
        torch::Tensor loss = torch::mse_loss(model->forward(inputs), targets);
        if (step == 0)
            check.initialLoss = loss.item<double>();
        loss.backward();
        optimiser.step();
        check.finalLoss = loss.item<double>();
    }
    check.passed = check.finalLoss * 100.0 < check.initialLoss;
    return check;
}

} // namespace rd::compute
