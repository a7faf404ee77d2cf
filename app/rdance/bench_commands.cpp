#include "cli_output.h"
#include "commands.h"
#include "store_bench.h"

#include <CLI/CLI.hpp>

#include <memory>

namespace rd::cli {

void addBenchCommands(CLI::App& app) {
    CLI::App* bench = app.add_subcommand("bench", "Benchmarks that print their figures as JSON");
    bench->require_subcommand(1);
    auto store = std::make_shared<bench::StoreBenchOptions>();
    CLI::App* storeCmd = bench->add_subcommand(
        "store", "Import throughput (100k pair rows) and GSB judgment commits/s");
    storeCmd->add_option("--rows", store->rows, "Pair rows to import (default 100000)");
    storeCmd->add_option("--images", store->images, "Distinct images (default 2000)");
    storeCmd->add_option("--commits", store->commits, "Judgments to commit (default 2000)");
    storeCmd->callback([store] { printJsonPretty(bench::runStoreBench(*store)); });
}

} // namespace rd::cli
