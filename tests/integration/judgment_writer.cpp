// Test helper: commits N GSB judgments to one item of a workspace, one transaction each, and
// prints "committed K" after each so a parent process knows what was acknowledged.
//   judgment_writer WS ITEM_ID ANNOTATOR N
#include "common/error.h"
#include "store/gsb_repository.h"
#include "store/workspace.h"

#include <cstdlib>
#include <iostream>

int main(int argc, char** argv) {
    if (argc != 5) {
        std::cerr << "usage: judgment_writer WS ITEM_ID ANNOTATOR N\n";
        return 1;
    }
    try {
        auto ws = rd::store::Workspace::open(argv[1]);
        const long count = std::atol(argv[4]);
        for (long i = 0; i < count; ++i) {
            rd::store::GsbJudgmentRecord j;
            j.itemId = std::atol(argv[2]);
            j.annotator = argv[3];
            j.verdict = static_cast<rd::store::Verdict>(1 + i % 3);
            j.spentMs = i;
            ws->gsb().addJudgment(j);
            std::cout << "committed " << (i + 1) << std::endl;
        }
    } catch (const rd::Error& e) {
        std::cerr << "judgment_writer: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
