// A GSB labeling session: one annotator working through one study. Items come in an order of
// their own for each annotator (a seeded shuffle), each shows the candidate on the side fixed
// when the item was made, and nothing on screen names the generators. A judgment is committed
// to the workspace before judge() returns, so the next item only shows once the last one is
// safe; undo removes the annotator's last judgment of the study; reopening the session resumes
// at the first item the annotator has not judged.
//
// Usage:
//   LabelingSession s = LabelingSession::open(ws, "demo: sloppy vs clean", "ana");
//   while (auto item = s.current()) { ... s.judge(Choice::Left, "", spentMs); }
#pragma once

#include "store/records.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace rd::store {
class Workspace;
}

namespace rd::label {

// What the annotator pressed: the left image is better, the right one, or the two are the same.
enum class Choice { Left = 1, Right, Same };

struct LabelItem {
    store::RowId itemId = 0;
    store::RowId pairId = 0;
    std::string prompt;
    std::filesystem::path left, right; // media files, resolved
    store::MediaKind kind = store::MediaKind::Image;
    bool candidateLeft = false; // never shown: only maps the choice to a verdict
};

struct SessionProgress {
    int done = 0;  // items this annotator has judged
    int total = 0; // items of the study
};

// Which image of a pair a study shows as its candidate: the pair's a side when that generation
// is the study's candidate generator's, else its b side (a pair study's "pair side B").
bool candidateIsSideA(store::Workspace& workspace, const store::PairRecord& pair,
                      const std::string& candidateGenerator);

class LabelingSession {
public:
    // Throws rd::Error(NotFound) for an unknown study, InvalidArgument for an empty annotator.
    static LabelingSession open(store::Workspace& workspace, const std::string& study,
                                const std::string& annotator);

    // The item to judge now; nullopt when the annotator is done.
    std::optional<LabelItem> current() const;
    // The item `ahead` places after the current one (prefetching), if any.
    std::optional<LabelItem> upcoming(int ahead) const;
    // Commits the verdict for the current item (candidate-side mapping undone) and moves on.
    void judge(Choice choice, const std::string& reason, std::int64_t spentMs);
    // Removes the annotator's last judgment of this study; false when there is none.
    bool undo();
    SessionProgress progress() const;
    const std::string& annotator() const { return m_annotator; }
    const std::string& studyName() const { return m_studyName; }

    // Good: the candidate is better; Bad: the baseline is; Same.
    static store::Verdict verdictFor(Choice choice, bool candidateLeft);

private:
    LabelingSession(store::Workspace& workspace, store::RowId study, std::string studyName,
                    std::string annotator);
    void reload();
    LabelItem describe(const store::GsbItemRecord& item) const;

    store::Workspace* m_workspace;
    store::RowId m_study;
    std::string m_studyName, m_annotator;
    std::vector<store::GsbItemRecord> m_order; // this annotator's order
    std::vector<store::RowId> m_judgments;     // this annotator's judgment ids, oldest first
    size_t m_next = 0;                         // index into m_order of the current item
};

} // namespace rd::label
