#include "store/import_writer.h"

#include "common/error.h"
#include "store/file_hash.h"
#include "store/generation_repository.h"
#include "store/media_repository.h"
#include "store/pair_repository.h"
#include "store/prompt_repository.h"
#include "store/sqlite_db.h"
#include "store/workspace.h"

#include <unordered_map>

namespace rd::store {
namespace fs = std::filesystem;

namespace {

class RowImporter {
public:
    RowImporter(Workspace& ws, const MediaProber& prober, const ImportOptions& options)
        : m_ws(ws), m_prober(prober), m_options(options) {}

    void add(const ImportRow& row) {
        requireNoNul(row, "prompt", row.prompt);
        requireNoNul(row, "category", row.category);
        requireNoNul(row, "rationale", row.rationale);
        requireNoNul(row, "generator_a", row.generatorA);
        requireNoNul(row, "generator_b", row.generatorB);
        requireNoNul(row, "media_a", row.mediaA.string());
        requireNoNul(row, "media_b", row.mediaB.string());
        if (row.prompt.empty())
            throw Error(ErrorKind::Format, row.where() + ": field 'prompt': empty");
        if (row.mediaA.empty())
            throw Error(ErrorKind::Format, row.where() + ": field 'media_a': missing");

        bool promptAdded = false;
        const RowId promptId = m_ws.prompts().findOrInsert(
            PromptRecord{0, row.prompt, row.category, row.split, row.metadataJson}, &promptAdded);
        m_report.promptsAdded += promptAdded ? 1 : 0;

        const RowId genA =
            generation(row, promptId, row.mediaA, row.generatorA, row.seedA, row.stepA, "media_a");
        if (!row.mediaB.empty()) {
            const RowId genB = generation(row, promptId, row.mediaB, row.generatorB, row.seedB,
                                          row.stepB, "media_b");
            if (genA == genB)
                throw Error(ErrorKind::Format,
                            row.where() + ": fields 'media_a' and 'media_b': the same generation "
                                          "(same file content and generator) on both sides");
            PairRecord pair;
            pair.promptId = promptId;
            pair.genA = genA;
            pair.genB = genB;
            pair.preferred = row.preferred;
            pair.source = row.source;
            pair.rationale = row.rationale;
            pair.split = row.split;
            if (m_ws.pairs().insertIfAbsent(pair))
                ++m_report.pairsAdded;
            else
                ++m_report.pairsExisting;
        }
        ++m_report.rows;
        if (m_options.progress && m_report.rows % m_options.progressEvery == 0 &&
            !m_options.progress(m_report.rows))
            throw Error(ErrorKind::Cancelled, "import cancelled at " + row.where());
    }

    const ImportReport& report() const { return m_report; }

    // The copies this import made, removed when it is refused: a refused import leaves the
    // workspace as it found it, media/ included.
    void removeCopies() {
        std::error_code ec;
        for (auto it = m_copies.rbegin(); it != m_copies.rend(); ++it)
            fs::remove(*it, ec); // files first, then the folders made for them (if now empty)
        m_copies.clear();
    }

private:
    // A NUL cuts the text short in every C string API on the way (SQLite's text functions,
    // Qt, file names): refused instead of stored half.
    static void requireNoNul(const ImportRow& row, const char* field, const std::string& text) {
        if (text.find('\0') != std::string::npos)
            throw Error(ErrorKind::Format,
                        row.where() + ": field '" + field + "': contains a NUL character");
    }

    RowId generation(const ImportRow& row, RowId promptId, const fs::path& path,
                     const std::string& generator, std::optional<std::int64_t> seed,
                     std::optional<std::int64_t> step, const char* field) {
        GenerationRecord g;
        g.promptId = promptId;
        g.mediaId = media(row, path, field);
        g.generator = generator.empty() ? "unknown" : generator;
        g.seed = seed;
        g.step = step;
        bool added = false;
        RowId id = m_ws.generations().findOrInsert(g, &added);
        m_report.generationsAdded += added ? 1 : 0;
        return id;
    }

    RowId media(const ImportRow& row, const fs::path& path, const char* field) {
        const fs::path absolute = fs::absolute(path).lexically_normal();
        auto cached = m_mediaByPath.find(absolute.string());
        if (cached != m_mediaByPath.end())
            return cached->second;
        try {
            const std::string sha = sha256File(absolute);
            bool added = false;
            const RowId id = m_ws.media().findOrInsert(
                sha, [&] { return describeMedia(absolute, sha); }, &added);
            m_report.mediaAdded += added ? 1 : 0;
            m_report.mediaReused += added ? 0 : 1;
            m_mediaByPath.emplace(absolute.string(), id);
            return id;
        } catch (const Error& e) {
            throw Error(e.kind() == ErrorKind::Database ? e.kind() : ErrorKind::Format,
                        row.where() + ": field '" + field + "': " + e.what());
        }
    }

    // A new media row: the file probed, and copied into the workspace with --copy-media.
    MediaRecord describeMedia(const fs::path& absolute, const std::string& sha) {
        const MediaFacts facts = m_prober(absolute);
        MediaRecord m;
        m.kind = facts.kind;
        m.width = facts.width;
        m.height = facts.height;
        m.frames = facts.frames;
        m.fps = facts.fps;
        m.durationS = facts.durationS;
        m.path = m_ws.storableMediaPath(m_options.copyMedia ? copyIntoWorkspace(absolute, sha)
                                                            : absolute);
        return m;
    }

    // Content-addressed copy: media/ab/abcdef....ext. Only a killed import can leave a copy
    // behind; it is harmless (same name, same bytes) and reused by the next import.
    fs::path copyIntoWorkspace(const fs::path& source, const std::string& sha) {
        const fs::path folder = m_ws.mediaFolder() / sha.substr(0, 2);
        const fs::path target = folder / (sha + source.extension().string());
        std::error_code ec;
        for (const fs::path& made : {m_ws.mediaFolder(), folder})
            if (!fs::exists(made, ec) && fs::create_directories(made, ec))
                m_copies.push_back(made);
        if (!fs::exists(target, ec)) {
            const fs::path partial = target.string() + ".partial";
            m_copies.push_back(target);
            m_copies.push_back(partial);
            fs::copy_file(source, partial, fs::copy_options::overwrite_existing, ec);
            if (!ec)
                fs::rename(partial, target, ec);
            if (ec)
                throw Error(ErrorKind::Io, "cannot copy " + source.string() + " into " +
                                               folder.string() + ": " + ec.message());
        }
        return target;
    }

    Workspace& m_ws;
    const MediaProber& m_prober;
    const ImportOptions& m_options;
    ImportReport m_report;
    std::unordered_map<std::string, RowId> m_mediaByPath;
    std::vector<fs::path> m_copies; // files and folders made, in the order they were made
};

} // namespace

ImportReport importManifest(Workspace& workspace, ManifestReader& reader, const fs::path& input,
                            const ReaderOptions& readerOptions, const MediaProber& prober,
                            const ImportOptions& options) {
    Transaction tx(workspace.database());
    RowImporter importer(workspace, prober, options);
    try {
        reader.read(input, readerOptions, [&](const ImportRow& row) {
            try {
                importer.add(row);
            } catch (const Error& e) {
                const std::string message = e.what();
                if (message.rfind(row.where(), 0) == 0)
                    throw;
                throw Error(e.kind(), row.where() + ": " + message); // e.g. a CHECK constraint
            }
        });
        if (importer.report().rows == 0)
            throw Error(ErrorKind::Format, input.string() + ": no rows to import (empty)");
        tx.commit();
    } catch (...) {
        importer.removeCopies(); // the transaction rolls back as tx goes out of scope
        throw;
    }
    return importer.report();
}

} // namespace rd::store
