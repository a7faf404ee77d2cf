// Plain rows of the workspace tables, as the repositories read and write them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace rd::store {

using RowId = std::int64_t;

enum class MediaKind { Image = 1, Video };
enum class Preference { A = 1, B, Tie, Unknown };
enum class PairSource { Human = 1, Synthetic, Import };
enum class Verdict { Good = 1, Same, Bad }; // the candidate against the baseline
enum class RunStatus { Queued = 1, Running, Done, Failed, Cancelled };
enum class JudgeOrder { AB = 1, BA }; // AB: generation a is image 1 (the reference)
enum class ItemRole { Normal = 1, Honeypot, Repeat };

// Text forms, as stored in SQLite and written in manifests and exports.
const char* toString(MediaKind value);
const char* toString(Preference value);
const char* toString(PairSource value);
const char* toString(Verdict value);
const char* toString(RunStatus value);
const char* toString(JudgeOrder value);
const char* toString(ItemRole value);

// Parse the text forms; std::nullopt for anything else.
std::optional<MediaKind> parseMediaKind(const std::string& text);
std::optional<Preference> parsePreference(const std::string& text);
std::optional<PairSource> parsePairSource(const std::string& text);
std::optional<Verdict> parseVerdict(const std::string& text);
std::optional<RunStatus> parseRunStatus(const std::string& text);
std::optional<JudgeOrder> parseJudgeOrder(const std::string& text);
std::optional<ItemRole> parseItemRole(const std::string& text);

struct MediaRecord {
    RowId id = 0;
    std::string path; // relative to the workspace folder, or absolute
    MediaKind kind = MediaKind::Image;
    int width = 0;
    int height = 0;
    std::int64_t frames = 1;
    std::optional<double> fps;
    std::optional<double> durationS;
    std::string sha256;
};

struct PromptRecord {
    RowId id = 0;
    std::string text;
    std::string category;
    std::string split = "train";
    std::string metadataJson = "{}";
};

struct GenerationRecord {
    RowId id = 0;
    RowId promptId = 0;
    RowId mediaId = 0;
    std::string generator;
    std::optional<std::int64_t> seed;
    std::optional<std::int64_t> step;
};

struct PairRecord {
    RowId id = 0;
    RowId promptId = 0;
    RowId genA = 0;
    RowId genB = 0;
    Preference preferred = Preference::Unknown;
    PairSource source = PairSource::Import;
    std::string rationale;
    std::string split = "train";
};

struct ModelRecord {
    RowId id = 0;
    std::string name;
    std::string arch;
    std::int64_t paramCount = 0;
    std::string path;
    std::string createdAt;
};

struct RmJudgmentRecord {
    RowId id = 0;
    RowId pairId = 0;
    RowId modelId = 0;
    JudgeOrder order = JudgeOrder::AB;
    double pYes = 0.0;
    std::string rationale;
    double latencyMs = 0.0;
    std::string createdAt;
    // P("no") of a generative RM (schema v4), absent on older judgments and regressive ones.
    std::optional<double> pNo;
};

struct GsbStudyRecord {
    RowId id = 0;
    std::string name;
    std::string baselineGenerator;
    std::string candidateGenerator;
    std::string designJson = "{}";
    std::string createdAt;
};

struct GsbItemRecord {
    RowId id = 0;
    RowId studyId = 0;
    RowId pairId = 0;
    bool candidateLeft = false;
    std::int64_t position = 0;
    ItemRole role = ItemRole::Normal;
    std::optional<Verdict> expected; // honeypots only
};

struct GsbJudgmentRecord {
    RowId id = 0;
    RowId itemId = 0;
    std::string annotator;
    Verdict verdict = Verdict::Same;
    std::string reason;
    std::int64_t spentMs = 0;
    std::string createdAt;
};

struct RunRecord {
    RowId id = 0;
    std::string kind;
    std::string configJson = "{}";
    RunStatus status = RunStatus::Queued;
    std::string createdAt;
    std::optional<std::string> startedAt;
    std::optional<std::string> finishedAt;
    std::string checkpoint;
};

struct MetricPoint {
    RowId runId = 0;
    std::int64_t step = 0;
    std::string name;
    double value = 0.0;
};

} // namespace rd::store
