#include "diffusion/alignment_eval.h"

#include "diffusion/text_to_image.h"
#include "store/run_repository.h"
#include "store/workspace.h"
#include "synth/oracle.h"
#include "synth/vocabulary.h"

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

#include <set>
#include <tuple>

namespace rd::diffusion {

namespace {

// The mean over groups of several images, and how many such groups there were.
std::pair<double, int> meanPairwiseDistance(const std::vector<std::vector<cv::Mat>>& groups) {
    double sum = 0.0;
    int counted = 0;
    for (const auto& images : groups) {
        if (images.size() < 2)
            continue;
        double groupSum = 0.0;
        int pairs = 0;
        for (size_t i = 0; i < images.size(); ++i)
            for (size_t j = i + 1; j < images.size(); ++j) {
                groupSum += cv::norm(images[i], images[j], cv::NORM_L1) /
                            (255.0 * static_cast<double>(images[i].total() * 3));
                ++pairs;
            }
        sum += groupSum / pairs;
        ++counted;
    }
    return {counted ? sum / counted : 0.0, counted};
}

} // namespace

double AlignmentReport::overall() const {
    if (categories.empty())
        return 0.0;
    double sum = 0.0;
    for (const auto& [name, c] : categories)
        sum += c.rate();
    return sum / static_cast<double>(categories.size());
}

int AlignmentReport::images() const {
    int n = 0;
    for (const auto& [name, c] : categories)
        n += c.images;
    return n;
}

void AlignmentReport::add(const std::string& category, const cv::Mat& rgb,
                          const synth::PromptSpec& spec) {
    const synth::OracleResult r = synth::scoreImage(spec, rgb);
    CategoryAlignment& c = categories[category];
    ++c.images;
    c.satisfied += r.judgement.satisfied ? 1 : 0;
    c.scoreSum += r.judgement.score;
}

AlignmentReport evaluateAlignment(TextToImage& generator, const std::vector<WorldPrompt>& prompts,
                                  const AlignmentOptions& options,
                                  const std::function<void(int, int)>& progress) {
    struct Job {
        size_t prompt;
        std::uint64_t seed;
    };
    std::vector<Job> jobs;
    for (size_t i = 0; i < prompts.size(); ++i)
        for (int j = 0; j < options.perPrompt; ++j)
            jobs.push_back({i, options.seed + i * options.perPrompt + j});
    AlignmentReport report;
    std::vector<std::vector<cv::Mat>> perPrompt(prompts.size());
    const size_t batch = static_cast<size_t>(std::max(1, options.batch));
    for (size_t first = 0; first < jobs.size(); first += batch) {
        std::vector<std::string> texts;
        std::vector<std::uint64_t> seeds;
        for (size_t k = first; k < std::min(jobs.size(), first + batch); ++k) {
            texts.push_back(prompts[jobs[k].prompt].record.text);
            seeds.push_back(jobs[k].seed);
        }
        const std::vector<cv::Mat> images = generator.sample(texts, seeds, options.sampling);
        for (size_t k = 0; k < images.size(); ++k) {
            const WorldPrompt& p = prompts[jobs[first + k].prompt];
            report.add(p.record.category, images[k], p.spec);
            perPrompt[jobs[first + k].prompt].push_back(images[k]);
        }
        if (progress)
            progress(static_cast<int>(std::min(jobs.size(), first + batch)),
                     static_cast<int>(jobs.size()));
    }
    std::tie(report.diversity, report.diversityPrompts) = meanPairwiseDistance(perPrompt);
    return report;
}

Table alignmentTable(const std::vector<std::pair<std::string, AlignmentReport>>& reports) {
    std::set<std::string> names;
    for (const auto& [model, report] : reports)
        for (const auto& [category, c] : report.categories)
            names.insert(category);
    // GenEval's column order, then anything else.
    std::vector<std::string> order;
    for (synth::Category c :
         {synth::Category::SingleObject, synth::Category::TwoObjects, synth::Category::Counting,
          synth::Category::Colors, synth::Category::Position, synth::Category::ColorAttr})
        if (names.erase(synth::name(c)))
            order.emplace_back(synth::name(c));
    order.insert(order.end(), names.begin(), names.end());
    Table t;
    t.columns = {"model"};
    t.columns.insert(t.columns.end(), order.begin(), order.end());
    t.columns.push_back("overall");
    t.columns.push_back("images");
    t.columns.push_back("diversity");
    for (const auto& [model, report] : reports) {
        std::vector<Cell> row{model};
        for (const std::string& category : order) {
            auto it = report.categories.find(category);
            row.push_back(it == report.categories.end() ? Cell{} : Cell{it->second.rate()});
        }
        row.push_back(report.overall());
        row.push_back(static_cast<std::int64_t>(report.images()));
        row.push_back(report.diversityPrompts ? Cell{report.diversity} : Cell{});
        t.rows.push_back(std::move(row));
    }
    return t;
}

nlohmann::json toJson(const AlignmentReport& report) {
    nlohmann::json categories = nlohmann::json::object();
    for (const auto& [name, c] : report.categories)
        categories[name] = {{"images", c.images},
                            {"satisfied", c.satisfied},
                            {"alignment", c.rate()},
                            {"mean_score", c.meanScore()}};
    return {{"overall", report.overall()},
            {"images", report.images()},
            {"diversity",
             report.diversityPrompts ? nlohmann::json(report.diversity) : nlohmann::json()},
            {"categories", categories}};
}

std::int64_t recordAlignment(store::Workspace& ws, const std::string& model,
                             const std::string& split, const AlignmentReport& report) {
    const store::RowId run =
        ws.runs().create("gen_eval", nlohmann::json({{"model", model}, {"split", split}}).dump());
    std::vector<store::MetricPoint> points;
    for (const auto& [category, figures] : report.categories)
        points.push_back({run, 0, "alignment/" + category, figures.rate()});
    points.push_back({run, 0, "alignment/overall", report.overall()});
    points.push_back({run, 0, "alignment/images", double(report.images())});
    if (report.diversityPrompts > 0)
        points.push_back({run, 0, "alignment/diversity", report.diversity});
    ws.runs().addMetrics(points);
    ws.runs().setCheckpoint(run, model);
    ws.runs().setStatus(run, store::RunStatus::Done);
    return run;
}

} // namespace rd::diffusion
