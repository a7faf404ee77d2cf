// The workspace schema and its migrations, keyed on PRAGMA user_version.
//
// Version 1: media, prompts, generations, pairs, models, rm_judgments, GSB studies/items/
// judgments, runs and metrics. Version 2: GSB item roles (honeypot / repeat) for annotator
// quality control. Each migration runs in one transaction: a failure leaves the old version.
#pragma once

namespace rd::store {

class Database;

constexpr int kSchemaVersion = 5;

// Creates or upgrades the schema to kSchemaVersion. Throws rd::Error(Unsupported) for a database
// written by a newer RewardDance (user_version > kSchemaVersion).
void migrate(Database& db);

// Applies migrations up to targetVersion only (tests use it to build older workspaces).
void migrateTo(Database& db, int targetVersion);

} // namespace rd::store
