#include "store/schema.h"

#include "common/error.h"
#include "store/sqlite_db.h"

#include <string>

namespace rd::store {

namespace {

// Times are ISO-8601 UTC text (what strftime('%Y-%m-%dT%H:%M:%fZ') writes).
const char* const kVersion1 = R"sql(
CREATE TABLE media (
    id          INTEGER PRIMARY KEY,
    path        TEXT NOT NULL,               -- relative to the workspace folder, or absolute
    kind        TEXT NOT NULL CHECK (kind IN ('image', 'video')),
    width       INTEGER NOT NULL CHECK (width > 0),
    height      INTEGER NOT NULL CHECK (height > 0),
    frames      INTEGER NOT NULL DEFAULT 1 CHECK (frames >= 0),
    fps         REAL,
    duration_s  REAL,
    sha256      TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64)
);
CREATE TABLE prompts (
    id        INTEGER PRIMARY KEY,
    text      TEXT NOT NULL CHECK (length(text) > 0),
    category  TEXT NOT NULL DEFAULT '',
    split     TEXT NOT NULL DEFAULT 'train',
    metadata  TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
    UNIQUE (text, category, split)
);
CREATE TABLE generations (
    id         INTEGER PRIMARY KEY,
    prompt_id  INTEGER NOT NULL REFERENCES prompts(id),
    media_id   INTEGER NOT NULL REFERENCES media(id),
    generator  TEXT NOT NULL,
    seed       INTEGER,
    step       INTEGER,
    UNIQUE (prompt_id, media_id, generator)
);
CREATE INDEX generations_by_generator ON generations(generator);
CREATE TABLE pairs (
    id         INTEGER PRIMARY KEY,
    prompt_id  INTEGER NOT NULL REFERENCES prompts(id),
    gen_a      INTEGER NOT NULL REFERENCES generations(id),
    gen_b      INTEGER NOT NULL REFERENCES generations(id),
    preferred  TEXT NOT NULL DEFAULT 'unknown' CHECK (preferred IN ('a', 'b', 'tie', 'unknown')),
    source     TEXT NOT NULL CHECK (source IN ('human', 'synthetic', 'import')),
    rationale  TEXT NOT NULL DEFAULT '',
    split      TEXT NOT NULL DEFAULT 'train',
    CHECK (gen_a <> gen_b),
    UNIQUE (prompt_id, gen_a, gen_b)
);
CREATE INDEX pairs_by_split ON pairs(split);
CREATE TABLE models (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    arch         TEXT NOT NULL,
    param_count  INTEGER NOT NULL DEFAULT 0,
    path         TEXT NOT NULL,
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TABLE rm_judgments (
    id          INTEGER PRIMARY KEY,
    pair_id     INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
    model_id    INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
    ordering    TEXT NOT NULL CHECK (ordering IN ('ab', 'ba')), -- 'ab': a is image 1 (reference)
    p_yes       REAL NOT NULL CHECK (p_yes >= 0 AND p_yes <= 1),
    rationale   TEXT NOT NULL DEFAULT '',
    latency_ms  REAL NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (pair_id, model_id, ordering)
);
CREATE TABLE gsb_studies (
    id                   INTEGER PRIMARY KEY,
    name                 TEXT NOT NULL UNIQUE,
    baseline_generator   TEXT NOT NULL,
    candidate_generator  TEXT NOT NULL,
    design               TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(design)),
    created_at           TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TABLE gsb_items (
    id               INTEGER PRIMARY KEY,
    study_id         INTEGER NOT NULL REFERENCES gsb_studies(id) ON DELETE CASCADE,
    pair_id          INTEGER NOT NULL REFERENCES pairs(id),
    candidate_left   INTEGER NOT NULL CHECK (candidate_left IN (0, 1)),
    position         INTEGER NOT NULL,
    UNIQUE (study_id, position)
);
CREATE TABLE gsb_judgments (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES gsb_items(id) ON DELETE CASCADE,
    annotator   TEXT NOT NULL CHECK (length(annotator) > 0),
    verdict     TEXT NOT NULL CHECK (verdict IN ('G', 'S', 'B')),
    reason      TEXT NOT NULL DEFAULT '',
    spent_ms    INTEGER NOT NULL DEFAULT 0 CHECK (spent_ms >= 0),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX gsb_judgments_by_item ON gsb_judgments(item_id);
CREATE INDEX gsb_judgments_by_annotator ON gsb_judgments(annotator);
CREATE TABLE runs (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    config       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(config)),
    status       TEXT NOT NULL DEFAULT 'queued'
                 CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    started_at   TEXT,
    finished_at  TEXT,
    checkpoint   TEXT NOT NULL DEFAULT ''
);
CREATE TABLE metrics (
    run_id  INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step    INTEGER NOT NULL,
    name    TEXT NOT NULL,
    value   REAL NOT NULL,
    PRIMARY KEY (run_id, name, step)
) WITHOUT ROWID;
)sql";

// Honeypot items carry a known answer; repeat items show an earlier pair again for
// self-consistency. 'expected' is the verdict a careful annotator gives a honeypot.
const char* const kVersion2 = R"sql(
ALTER TABLE gsb_items ADD COLUMN role TEXT NOT NULL DEFAULT 'normal'
    CHECK (role IN ('normal', 'honeypot', 'repeat'));
ALTER TABLE gsb_items ADD COLUMN expected TEXT CHECK (expected IN ('G', 'S', 'B'));
)sql";

// The Inspect view looks up the human verdicts of pairs: find a pair's GSB items by index.
const char* const kVersion3 = R"sql(
CREATE INDEX gsb_items_by_pair ON gsb_items(pair_id);
)sql";

// P("no") beside P("yes"), so that the Inspect view reads the RM's decision (yes when
// P(yes) > P(no), the renormalised P(yes) of `rm eval`) and not P(yes) > 0.5, which calls a
// "yes" with mass on other tokens a "no". NULL on judgments written before it (and on the
// regressive paradigm's, which has no "no"): those fall back to P(yes) > 0.5.
const char* const kVersion4 = R"sql(
ALTER TABLE rm_judgments ADD COLUMN p_no REAL CHECK (p_no IS NULL OR (p_no >= 0 AND p_no <= 1));
)sql";

// Annotators that are not people (issue "Close the human loop"): a simulated annotator (the
// oracle with a set error rate, `rdance gsb simulate`) is registered here, so its verdicts are
// never counted as human in the GSB reports, the agreement tables or the RM's human labels.
// An annotator without a row is a person.
const char* const kVersion5 = R"sql(
CREATE TABLE annotators (
    name       TEXT PRIMARY KEY CHECK (length(name) > 0),
    simulated  INTEGER NOT NULL DEFAULT 0 CHECK (simulated IN (0, 1)),
    details    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details))
);
)sql";

const char* const kMigrations[] = {kVersion1, kVersion2, kVersion3, kVersion4, kVersion5};
static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) == kSchemaVersion);

} // namespace

void migrateTo(Database& db, int targetVersion) {
    const auto checkVersion = [&](int current) {
        if (current < 0)
            throw Error(ErrorKind::Format, db.path().string() + ": workspace schema version " +
                                               std::to_string(current) + " is not a version");
        if (current > kSchemaVersion)
            throw Error(ErrorKind::Unsupported,
                        db.path().string() + ": workspace schema version " +
                            std::to_string(current) + " is newer than this RewardDance " +
                            "understands (" + std::to_string(kSchemaVersion) +
                            "); upgrade RewardDance");
        return current;
    };
    // Up to date: no transaction, so nothing is written (a read-only workspace opens too).
    if (checkVersion(db.userVersion()) >= targetVersion)
        return;
    Transaction tx(db);
    // Read again under the write lock: another process may have migrated meanwhile.
    for (int version = checkVersion(db.userVersion()) + 1; version <= targetVersion; ++version) {
        db.exec(kMigrations[version - 1]);
        // PRAGMA takes no bound parameters; version is our own integer, never user text.
        db.exec("PRAGMA user_version = " + std::to_string(version));
    }
    tx.commit();
}

void migrate(Database& db) {
    migrateTo(db, kSchemaVersion);
}

} // namespace rd::store
